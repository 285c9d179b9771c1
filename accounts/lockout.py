"""django-axes, confined to the Django admin.

`AXES_ONLY_ADMIN_SITE` on its own only stops axes from *refusing* requests outside the admin:
axes still records every failed sign-in at /accounts/login/ and, once an address reached the
limit, its middleware replaced the main sign-in page with its own "Account locked" response.
Worse, with lockout by IP address, five typos at the main sign-in (say, from a newcomer
centre's shared connection) locked the admin for everybody behind that address, and any
successful main sign-in from an address wiped that address's admin failures, so an attacker
with an ordinary account could keep guessing admin passwords forever.

This handler makes axes ignore everything that does not happen under the admin; allauth's
own rate limits (ACCOUNT_RATE_LIMITS) guard the main sign-in.
"""

from axes.handlers.database import AxesDatabaseHandler


class AdminOnlyAxesHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None or not self.is_admin_request(request):
            return None
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is None or not self.is_admin_request(request):
            return None
        return super().user_logged_in(sender, request, user, **kwargs)
