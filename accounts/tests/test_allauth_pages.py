"""Every allauth page we use renders inside the application's layout (templates/allauth/ overrides)."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

from .authenticator import totp_code
from .pages import BRAND, main_text

pytestmark = pytest.mark.django_db


def assert_in_our_layout(response, heading: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert f'class="navbar-brand fw-semibold" href="/">{BRAND}</a>' in html
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in html
    assert '<main id="main"' in html
    assert heading in main_text(response)
    assert "Menu:" not in html  # allauth's bare default layout would show this


@pytest.mark.parametrize(
    ("url_name", "kwargs", "heading"),
    [
        ("account_login", {}, "Sign In"),
        ("account_signup", {}, "Sign Up Closed"),
        ("account_reset_password", {}, "Password Reset"),
        ("account_reset_password_done", {}, "We have sent you an email."),
        ("account_reset_password_from_key", {"uidb36": "1", "key": "made-up"}, "Bad Token"),
        ("account_reset_password_from_key_done", {}, "Your password is now changed."),
        ("account_email_verification_sent", {}, "Verify Your Email Address"),
        ("account_request_login_code", {}, "Send me a sign-in code"),
    ],
)
def test_public_allauth_page_renders_in_our_layout(client, url_name, kwargs, heading):
    assert_in_our_layout(client.get(reverse(url_name, kwargs=kwargs)), heading)


def test_login_form_uses_bootstrap_fields_with_labels(client):
    html = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<label[^>]*for="id_login"[^>]*>\s*Email', html)
    assert re.search(r'<input[^>]*type="email"[^>]*name="login"[^>]*class="[^"]*form-control', html)
    assert re.search(r'<input[^>]*type="password"[^>]*name="password"[^>]*class="[^"]*form-control', html)
    assert re.search(r'<button class="btn btn-primary"\s+type="submit"\s*>\s*Sign In', html)


def test_choose_a_new_password_page_renders_in_our_layout(client, participant_user):
    client.post(reverse("account_reset_password"), {"email": participant_user.email})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)

    response = client.get(link, follow=True)

    assert_in_our_layout(response, "Change Password")
    assert 'name="password1"' in response.content.decode()
    assert 'name="password2"' in response.content.decode()


def test_two_factor_code_page_renders_in_our_layout(client, sign_in, participant_user, password):
    TOTP.activate(participant_user, generate_totp_secret())
    sign_in(participant_user.email, password)

    response = client.get(reverse("mfa_authenticate"))

    assert_in_our_layout(response, "Two-Factor Authentication")
    assert 'name="code"' in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("mfa_index", "Two-Factor Authentication"),
        ("account_change_password", "Change Password"),
        ("account_logout", "Are you sure you want to sign out?"),
        ("account_reauthenticate", "Confirm Access"),
    ],
)
def test_signed_in_allauth_page_renders_in_our_layout(
    client, sign_in, participant_user, password, url_name, heading
):
    sign_in(participant_user.email, password)

    assert_in_our_layout(client.get(reverse(url_name)), heading)


def test_authenticator_activation_page_renders_in_our_layout_with_qr_code_and_secret(
    client, sign_in, participant_user, password
):
    sign_in(participant_user.email, password)
    client.post(f"{reverse('account_reauthenticate')}?next=/", {"password": password})

    response = client.get(reverse("mfa_activate_totp"))

    assert_in_our_layout(response, "Activate Authenticator App")
    html = response.content.decode()
    secret = response.context["form"].secret
    assert re.search(rf'<input[^>]*id="authenticator_secret"[^>]*value="{secret}"', html)
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'name="code"' in html


@pytest.mark.django_db(transaction=True)  # allauth adds its success message once the transaction commits
def test_recovery_codes_page_shown_after_activation_renders_in_our_layout(
    client, sign_in, participant_user, password
):
    sign_in(participant_user.email, password)
    client.post(f"{reverse('account_reauthenticate')}?next=/", {"password": password})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)

    assert response.redirect_chain == [(reverse("mfa_view_recovery_codes"), 302)]
    assert_in_our_layout(response, "Recovery Codes")
    assert "Authenticator app activated." in main_text(response)
    assert "There are 10 out of 10 recovery codes available." in main_text(response)


def test_email_page_offers_to_change_the_one_address(client, sign_in, participant_user, password):
    sign_in(participant_user.email, password)

    response = client.get(reverse("account_email"))

    assert_in_our_layout(response, "Email Address")
    html = response.content.decode()
    assert re.search(rf'<input[^>]*id="current_email"[^>]*value="{re.escape(participant_user.email)}"', html)
    assert 'style="' not in html  # the CSP would refuse it


def test_changing_email_keeps_the_old_address_until_the_new_one_is_verified(
    client, sign_in, participant_user, password
):
    sign_in(participant_user.email, password)

    response = client.post(
        reverse("account_email"), {"email": "new.address@example.org", "action_add": ""}, follow=True
    )

    assert "new.address@example.org" in main_text(response)
    assert [message.to for message in mail.outbox] == [["new.address@example.org"]]
    participant_user.refresh_from_db()
    assert participant_user.email != "new.address@example.org"
