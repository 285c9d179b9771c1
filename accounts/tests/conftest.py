import pytest
from django.core.cache import cache
from django.urls import reverse


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth keeps rate-limit counters and used TOTP codes in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _one_step_of_clock_tolerance(settings):
    # Tests compute a TOTP code from the clock and allauth checks it a moment later; accepting one
    # 30-second step either side means a step boundary falling in between cannot fail a test.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def sign_in(client):
    """Signs in through allauth's real login form and returns the response (not followed)."""

    def _sign_in(email: str, password: str, **extra):
        return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)

    return _sign_in
