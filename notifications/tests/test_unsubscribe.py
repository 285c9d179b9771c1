"""The signed one-click unsubscribe link: it works without signing in, a mail program's one-click
POST works too, and an altered link changes nothing and says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Unsubscribe
from notifications.sending import unsubscribe_link, unsubscribe_token
from participants.tests.factories import PersonFactory
from programs.models import ActivityEntry

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return reverse("notifications:unsubscribe", args=[token])


@pytest.fixture
def token() -> str:
    return unsubscribe_token(email="Amina@Example.org", kind="orientation_reminder")


def test_opening_the_link_asks_before_changing_anything(client, token):
    response = client.get(url(token))
    assert response.status_code == 200
    content = response.content.decode()
    assert "amina@example.org" in content and "Orientation not finished" in content
    assert not Unsubscribe.objects.exists()


def test_the_button_turns_that_kind_off_without_signing_in(client, token):
    response = client.post(url(token), {"scope": "kind"})
    assert response.status_code == 200
    assert "will no longer receive" in response.content.decode()
    assert list(Unsubscribe.objects.values_list("email", "kind")) == [
        ("amina@example.org", "orientation_reminder")
    ]


def test_a_mail_programs_one_click_post_turns_it_off_without_a_csrf_token(token):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url(token), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Unsubscribe.objects.filter(email="amina@example.org", kind="orientation_reminder").exists()


def test_turning_off_every_reminder_at_once(client, token):
    client.post(url(token), {"scope": "all"})
    assert list(Unsubscribe.objects.values_list("kind", flat=True)) == [Unsubscribe.ALL]


def test_clicking_again_says_it_is_already_done(client, token):
    client.post(url(token), {"scope": "kind"})
    page = client.get(url(token)).content.decode()
    assert "no longer receives" in page
    again = client.post(url(token), {"scope": "kind"})
    assert "was already unsubscribed" in again.content.decode()
    assert Unsubscribe.objects.count() == 1


def test_a_kind_is_already_off_when_everything_was_turned_off(client, token):
    Unsubscribe.objects.create(email="amina@example.org", kind=Unsubscribe.ALL)
    response = client.post(url(token), {"scope": "kind"})
    assert "was already unsubscribed" in response.content.decode()
    assert Unsubscribe.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_altered_link_changes_nothing_and_says_the_link_is_not_valid(client, token, method):
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = getattr(client, method)(url(tampered))
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert not Unsubscribe.objects.exists()


def test_a_link_signed_for_another_purpose_is_not_valid(client):
    from django.core import signing

    forged = signing.dumps({"e": "amina@example.org", "k": "orientation_reminder", "p": None})
    assert client.get(url(forged)).status_code == 400


def test_essential_reminders_have_no_valid_unsubscribe_link(client):
    token = unsubscribe_token(email="amina@example.org", kind="interview_reminder")
    assert client.post(url(token)).status_code == 400
    assert not Unsubscribe.objects.exists()


def test_unsubscribing_a_participant_is_logged_in_their_organization(client, organization):
    person = PersonFactory(organization=organization, email="kwame@example.org")
    link = unsubscribe_link(email=person.email, kind="match_answer_reminder", person_id=person.pk)
    client.post(link.removeprefix("http://127.0.0.1:8000"), {"scope": "kind"})
    entry = ActivityEntry.objects.get(verb="reminder.unsubscribed")
    assert (entry.organization, entry.target_id, entry.data) == (
        organization,
        str(person.pk),
        {"kind": "match_answer_reminder"},
    )
    assert Unsubscribe.objects.get().person == person
