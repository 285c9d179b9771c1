from django.conf import settings
from django.shortcuts import redirect

from programs.rules import is_staff_member

# Paths a staff member must still reach while they have no authenticator: the setup pages
# themselves, signing out, and what the browser loads for those pages.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class StaffMfaRequiredMiddleware:
    """Sends staff without an authenticator app to set one up, when the setting asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and is_staff_member(request.user)
            and not _has_totp(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
