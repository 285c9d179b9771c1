"""Links that let an invited person choose their first password.

They reuse allauth's password-reset token: it works once, expires after
PASSWORD_RESET_TIMEOUT, and following it marks the email address verified
(`accounts.signals`).
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse


def password_setup_link(user) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return f"{settings.SITE_URL}{path}"
