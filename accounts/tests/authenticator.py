"""What a person's authenticator app would show, computed with allauth's own TOTP helpers."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def _time_step() -> int:
    return int(time.time()) // mfa_settings.TOTP_PERIOD


def totp_code(secret: str) -> str:
    """The code for the current 30-second step."""
    return format_hotp_value(hotp_value(secret, _time_step()))


def a_wrong_code(secret: str) -> str:
    """A six-digit code that is valid in none of the steps around now."""
    step = _time_step()
    valid = {format_hotp_value(hotp_value(secret, step + offset)) for offset in (-2, -1, 0, 1, 2)}
    return next(
        code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid
    )
