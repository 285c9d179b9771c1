"""django-axes locks the Django admin's login after repeated failures, and nothing else."""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from .pages import is_signed_in, main_text

pytestmark = pytest.mark.django_db

ADMIN_EMAIL = "root@example.org"
AXES_LOCKED = "Account locked: too many login attempts. Please try again later."
ADMIN_WRONG = "Please enter the correct email address and password for a staff account."


@pytest.fixture
def superuser(db, password):
    user = get_user_model().objects.create_superuser(ADMIN_EMAIL, password)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.fixture(autouse=True)
def _no_failures_recorded_yet(db):
    # Axes keeps its counters in the database (AxesDatabaseHandler), so the per-test rollback
    # wipes them; this makes sure no earlier test leaked any.
    assert not AccessAttempt.objects.exists()


def admin_sign_in(client, email: str, password: str):
    return client.post(
        f"{reverse('admin:login')}?next={reverse('admin:index')}", {"username": email, "password": password}
    )


def test_superuser_signs_in_to_the_admin(client, superuser, password):
    response = admin_sign_in(client, ADMIN_EMAIL, password)

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert is_signed_in(client)


def test_fifth_failed_admin_sign_in_locks_the_admin_login(client, superuser):
    for _ in range(4):
        response = admin_sign_in(client, ADMIN_EMAIL, "not the password")
        assert response.status_code == 200
        assert ADMIN_WRONG in response.content.decode()

    response = admin_sign_in(client, ADMIN_EMAIL, "not the password")

    assert response.status_code == 429
    assert AXES_LOCKED in response.content.decode()


def test_locked_admin_login_refuses_even_the_right_password(client, superuser, password):
    for _ in range(5):
        admin_sign_in(client, ADMIN_EMAIL, "not the password")

    response = admin_sign_in(client, ADMIN_EMAIL, password)

    assert response.status_code == 429
    assert AXES_LOCKED in response.content.decode()
    assert not is_signed_in(client)


def test_locked_admin_login_leaves_the_main_sign_in_working(client, sign_in, superuser, password):
    for _ in range(5):
        admin_sign_in(client, ADMIN_EMAIL, "not the password")

    response = sign_in(ADMIN_EMAIL, password)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_signed_in(client)


def test_failed_main_sign_ins_never_show_the_axes_lockout(client, sign_in, coordinator):
    for attempt in range(8):
        response = sign_in(f"someone{attempt}@example.org", "not the password")

        assert response.status_code == 200
        assert AXES_LOCKED not in response.content.decode()
        assert "The email address and/or password you specified are not correct." in main_text(response)
    assert not AccessAttempt.objects.exists()


def test_failed_main_sign_ins_do_not_count_towards_the_admin_lockout(client, sign_in, superuser, password):
    for _ in range(5):
        sign_in(ADMIN_EMAIL, "not the password")

    response = admin_sign_in(Client(), ADMIN_EMAIL, password)

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_a_successful_main_sign_in_does_not_wipe_the_admin_failures(
    client, sign_in, superuser, participant_user, password
):
    # Otherwise anybody with an ordinary account could keep guessing admin passwords from the
    # same address by signing in to their own account every four attempts.
    for _ in range(4):
        admin_sign_in(client, ADMIN_EMAIL, "not the password")
    assert sign_in(participant_user.email, password).status_code == 302

    response = admin_sign_in(Client(), ADMIN_EMAIL, "still not the password")

    assert response.status_code == 429
    assert AXES_LOCKED in response.content.decode()
