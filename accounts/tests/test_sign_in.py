"""Signing in at /accounts/login/ with an email address and a password."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory

from .pages import field_error, is_signed_in, main_text

pytestmark = pytest.mark.django_db

TOO_MANY_ATTEMPTS = "Too many failed login attempts. Try again later."
WRONG_CREDENTIALS = "The email address and/or password you specified are not correct."


def test_staff_member_signs_in_and_lands_on_the_dashboard(client, sign_in, coordinator, password):
    response = sign_in(coordinator.email, password)

    assert response.status_code == 302
    assert response.url == reverse("home")
    response = client.get(response.url, follow=True)
    assert response.redirect_chain == [(reverse("programs:dashboard"), 302)]
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()
    assert is_signed_in(client)


def test_participant_signs_in_and_lands_on_the_portal(client, sign_in, participant_user, password):
    response = sign_in(participant_user.email, password, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302), (reverse("portal:home"), 302)]
    assert f"Welcome, {participant_user.first_name}" in main_text(response)


def test_email_is_case_insensitive_at_sign_in(client, sign_in, coordinator, password):
    response = sign_in(f"  {coordinator.email.upper()} ", password)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_signed_in(client)


def test_wrong_password_is_refused_with_a_message_that_does_not_say_which_part_was_wrong(
    client, sign_in, coordinator
):
    response = sign_in(coordinator.email, "not the password")

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in main_text(response)
    assert not is_signed_in(client)


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, sign_in, password):
    response = sign_in("nobody@example.org", password)

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in main_text(response)
    assert not is_signed_in(client)


def test_missing_email_and_password_are_reported_next_to_each_field(client, sign_in):
    response = sign_in("", "")

    assert response.status_code == 200
    assert field_error(response, "id_login") == "This field is required."
    assert field_error(response, "id_password") == "This field is required."


def test_user_with_unverified_email_is_sent_to_verify_it_instead_of_signing_in(client, sign_in, password):
    user = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    response = sign_in(user.email, password)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    page = client.get(response.url)
    assert "We have sent an email to you for verification." in main_text(page)
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "/accounts/confirm-email/" in message.body
    assert client.get(reverse("programs:dashboard")).url.startswith(reverse("account_login"))


def test_following_the_verification_link_lets_the_user_sign_in(client, sign_in, password):
    user = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    sign_in(user.email, password)
    [message] = mail.outbox
    link = next(word for word in message.body.split() if "/accounts/confirm-email/" in word)

    client.post(link.removeprefix("http://testserver"))

    assert EmailAddress.objects.get(user=user).verified
    response = sign_in(user.email, password)
    assert response.url == reverse("home")
    assert is_signed_in(client)


def test_four_failed_attempts_still_let_the_right_password_in(client, sign_in, coordinator, password):
    for _ in range(4):
        sign_in(coordinator.email, "not the password")

    response = sign_in(coordinator.email, password)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_after_five_failed_attempts_even_the_right_password_is_refused(
    client, sign_in, coordinator, password
):
    for _ in range(5):
        response = sign_in(coordinator.email, "not the password")
        assert WRONG_CREDENTIALS in main_text(response)

    response = sign_in(coordinator.email, password)

    assert response.status_code == 200
    assert TOO_MANY_ATTEMPTS in main_text(response)
    assert not is_signed_in(client)
    assert client.get(reverse("programs:dashboard")).url.startswith(reverse("account_login"))


def test_throttling_counts_failures_per_email_whatever_its_case(client, sign_in, coordinator, password):
    for _ in range(5):
        sign_in(coordinator.email.upper(), "not the password")

    response = sign_in(coordinator.email, password)

    assert TOO_MANY_ATTEMPTS in main_text(response)
    assert not is_signed_in(client)


def test_throttling_one_email_does_not_lock_out_another_person(
    client, sign_in, coordinator, participant_user, password
):
    for _ in range(5):
        sign_in(coordinator.email, "not the password")

    response = sign_in(participant_user.email, password)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_signup_page_says_signup_is_closed(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert "Sign Up Closed" in main_text(response)
    assert 'name="password1"' not in response.content.decode()


def test_posting_to_signup_creates_no_account(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
    )

    assert response.status_code == 200
    assert "Sign Up Closed" in main_text(response)
    assert not get_user_model().objects.filter(email__iexact="newcomer@example.org").exists()
    assert not EmailAddress.objects.filter(email__iexact="newcomer@example.org").exists()
    assert mail.outbox == []
    assert not is_signed_in(client)
