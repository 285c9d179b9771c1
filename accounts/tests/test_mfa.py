"""Two-factor authentication with an authenticator app (TOTP), and the staff requirement for it."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from .authenticator import a_wrong_code, totp_code
from .pages import field_error, is_signed_in, main_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_mfa_required(settings):
    settings.STAFF_MFA_REQUIRED = True


def confirm_password(client, password: str):
    """allauth asks for the password again before authenticators change, even right after sign-in."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    return client.post(response.url, {"password": password}, follow=True)


def activate_totp_through_the_page(client, password: str) -> str:
    """Opens the activation page, reads the secret it shows and confirms with a current code."""
    page = confirm_password(client, password)
    assert page.redirect_chain[-1] == (reverse("mfa_activate_totp"), 302)
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown to the person for their app
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, main_text(response)
    return secret


def test_staff_without_authenticator_is_sent_to_set_one_up_when_required(
    client, sign_in, coordinator, password, staff_mfa_required
):
    sign_in(coordinator.email, password)

    response = client.get(reverse("programs:dashboard"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    page = confirm_password(client, password)
    assert page.status_code == 200
    assert "Activate Authenticator App" in main_text(page)


def test_staff_lands_on_the_authenticator_setup_right_after_sign_in_when_required(
    client, sign_in, coordinator, password, staff_mfa_required
):
    response = sign_in(coordinator.email, password, follow=True)

    # allauth first asks for the password once more before an authenticator can be added.
    assert response.redirect_chain == [
        (reverse("home"), 302),
        (reverse("mfa_activate_totp"), 302),
        (f"{reverse('account_reauthenticate')}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F", 302),
    ]
    assert response.status_code == 200
    assert "Please reauthenticate to safeguard your account." in main_text(response)


def test_staff_without_authenticator_reaches_the_dashboard_when_not_required(
    client, sign_in, coordinator, password, settings
):
    settings.STAFF_MFA_REQUIRED = False
    sign_in(coordinator.email, password)

    assert client.get(reverse("programs:dashboard")).status_code == 200


def test_participant_without_authenticator_is_not_redirected(
    client, sign_in, participant_user, password, staff_mfa_required
):
    sign_in(participant_user.email, password)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert f"Welcome, {participant_user.first_name}" in main_text(response)


def test_staff_opens_the_dashboard_after_activating_an_authenticator(
    client, sign_in, coordinator, password, staff_mfa_required
):
    sign_in(coordinator.email, password)

    activate_totp_through_the_page(client, password)

    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    response = client.get(reverse("programs:dashboard"))
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_activation_with_a_wrong_code_shows_the_error_next_to_the_code_field(
    client, sign_in, coordinator, password, staff_mfa_required
):
    sign_in(coordinator.email, password)
    secret = confirm_password(client, password).context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": a_wrong_code(secret)})

    assert response.status_code == 200
    assert field_error(response, "id_code") == "Incorrect code."
    assert not Authenticator.objects.filter(user=coordinator).exists()


def test_staff_with_an_authenticator_activated_directly_opens_the_dashboard(
    client, sign_in, coordinator, password, staff_mfa_required
):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    sign_in(coordinator.email, password)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert client.get(reverse("programs:dashboard")).status_code == 200


def test_user_with_authenticator_is_asked_for_a_code_after_the_password(
    client, sign_in, coordinator, password
):
    TOTP.activate(coordinator, generate_totp_secret())

    response = sign_in(coordinator.email, password)

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    page = client.get(response.url)
    assert "Please enter an authenticator code" in main_text(page)


def test_user_with_authenticator_gets_in_with_a_correct_code(client, sign_in, coordinator, password):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    sign_in(coordinator.email, password)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302), (reverse("programs:dashboard"), 302)]
    assert response.status_code == 200
    assert is_signed_in(client)


def test_user_with_authenticator_is_refused_with_a_wrong_code(client, sign_in, coordinator, password):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    sign_in(coordinator.email, password)

    response = client.post(reverse("mfa_authenticate"), {"code": a_wrong_code(secret)})

    assert response.status_code == 200
    assert field_error(response, "id_code") == "Incorrect code."
    assert not is_signed_in(client)


def test_a_code_cannot_be_used_twice(client, sign_in, coordinator, password):
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    code = totp_code(secret)
    sign_in(coordinator.email, password)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    sign_in(coordinator.email, password)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert field_error(response, "id_code") == "Incorrect code."
    assert not is_signed_in(client)
