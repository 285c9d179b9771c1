"""Forgotten passwords, and invited people choosing their first password through the emailed link."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from programs import services
from programs.models import StaffMembership

from .pages import field_error, is_signed_in, main_text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "prairie sunrise over the river"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^/\s]+/)")


def request_reset(client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def reset_link(message) -> str:
    match = RESET_LINK.search(message.body)
    assert match, f"No reset link in: {message.body}"
    return match.group(1)


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    """Opens the emailed link (allauth moves the key into the session) and submits the new password."""
    response = client.get(link)
    assert response.status_code == 302
    return client.post(response.url, {"password1": password, "password2": password})


def test_reset_answers_the_same_for_a_known_and_an_unknown_address(client, participant_user):
    known = request_reset(client, participant_user.email)
    unknown = request_reset(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("account_reset_password_done")
    known_page = client.get(known.url)
    unknown_page = client.get(unknown.url)
    assert main_text(known_page) == main_text(unknown_page)
    assert "We have sent you an email." in main_text(known_page)


def test_reset_link_goes_only_to_the_owner_of_a_known_address(client, participant_user):
    request_reset(client, participant_user.email)

    [message] = mail.outbox
    assert message.to == [participant_user.email]
    assert message.subject == "Password Reset Email"
    assert reset_link(message)


def test_unknown_address_gets_a_notice_without_a_reset_link(client):
    # allauth tells the owner of an unknown address that someone asked (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS
    # defaults to on). It goes only to that address, so it reveals nothing to whoever asked.
    request_reset(client, "nobody@example.org")

    [message] = mail.outbox
    assert message.to == ["nobody@example.org"]
    assert message.subject == "Unknown Account"
    assert "We have no account with that address" in message.body
    assert not RESET_LINK.search(message.body)
    assert "/accounts/signup/" not in message.body  # signup is closed; the notice says how to get in


def test_reset_form_shows_a_missing_email_next_to_the_field(client):
    response = request_reset(client, "")

    assert response.status_code == 200
    assert field_error(response, "id_email") == "This field is required."
    assert mail.outbox == []


def test_reset_link_lets_the_user_choose_a_new_password_and_sign_in(
    client, sign_in, participant_user, password
):
    request_reset(client, participant_user.email)

    response = choose_password(client, reset_link(mail.outbox[0]))

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")
    assert "Your password is now changed." in main_text(client.get(response.url))
    assert sign_in(participant_user.email, password).status_code == 200  # the old one no longer works
    response = sign_in(participant_user.email, NEW_PASSWORD)
    assert response.url == reverse("home")
    assert is_signed_in(client)


def test_resetting_the_password_marks_an_unverified_address_verified(client, sign_in, password):
    user = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    request_reset(client, user.email)
    [message] = mail.outbox
    assert message.to == [user.email]

    choose_password(client, reset_link(message))

    assert EmailAddress.objects.get(user=user).verified
    response = sign_in(user.email, NEW_PASSWORD)
    assert response.url == reverse("home")  # not the "verify your email" page
    assert is_signed_in(client)
    assert len(mail.outbox) == 1  # no verification email was needed


def test_invited_staff_member_sets_a_first_password_from_the_invitation_and_reaches_the_dashboard(
    client, sign_in, organization, program, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.staff_invite(
            organization=organization,
            email="amara.okafor@example.org",
            first_name="Amara",
            last_name="Okafor",
            role=StaffMembership.Role.COORDINATOR,
            programs=[program],
            actor=org_admin,
        )
    [invitation] = mail.outbox
    assert not EmailAddress.objects.get(user=membership.user).verified

    choose_password(client, reset_link(invitation))
    response = sign_in("amara.okafor@example.org", NEW_PASSWORD, follow=True)

    assert response.redirect_chain[-1] == (reverse("programs:dashboard"), 302)
    assert response.status_code == 200
    assert EmailAddress.objects.get(user=membership.user).verified


def test_new_passwords_that_do_not_match_are_reported_next_to_the_field(client, participant_user):
    request_reset(client, participant_user.email)
    form_url = client.get(reset_link(mail.outbox[0])).url

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "!"})

    assert response.status_code == 200
    assert field_error(response, "id_password2") == "You must type the same password each time."


def test_a_made_up_reset_link_shows_bad_token(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "made-up"})
    )

    assert response.status_code == 200
    text = main_text(response)
    assert "Bad Token" in text
    assert "The password reset link was invalid" in text


def test_a_used_reset_link_shows_bad_token_the_second_time(client, participant_user):
    request_reset(client, participant_user.email)
    link = reset_link(mail.outbox[0])
    choose_password(client, link)

    response = client.get(link, follow=True)

    assert response.status_code == 200
    assert "Bad Token" in main_text(response)
    participant_user.refresh_from_db()
    assert participant_user.check_password(NEW_PASSWORD)


def test_emails_are_signed_with_the_products_name(client, participant_user):
    request_reset(client, participant_user.email)

    [message] = mail.outbox
    assert "Newcomer Mentorship" in message.body
    assert "example.com" not in message.body
