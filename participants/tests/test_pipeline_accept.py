"""Accepting an applicant opens the portal to them: a new login and an invitation to choose a
password, or, for someone who already signs in, the news and the sign-in link."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from participants import pipeline
from participants.models import Participation
from participants.tests.factories import ParticipationFactory, PersonFactory
from programs.models import ActivityEntry

pytestmark = pytest.mark.django_db

User = get_user_model()
SETUP_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^/\s]+/)")
NEW_PASSWORD = "aspen leaves in october"


@pytest.fixture
def applicant(program):
    return ParticipationFactory(
        program=program,
        status=Participation.Status.INTERVIEWED,
        person__first_name="Amina",
        person__last_name="Okafor",
        person__email="Amina.Okafor@example.org",
    )


def test_accepting_creates_an_unverified_login_without_a_password(applicant, coordinator):
    pipeline.participation_accept(participation=applicant, actor=coordinator)
    applicant.person.refresh_from_db()
    user = applicant.person.user
    assert user.email == "amina.okafor@example.org"
    assert (user.first_name, user.last_name) == ("Amina", "Okafor")
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert address.primary and not address.verified


def test_invitation_leaves_after_commit_and_its_link_lets_the_person_into_the_portal(
    client, applicant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_accept(participation=applicant, actor=coordinator)
        assert mail.outbox == []  # nothing leaves before the transaction commits

    [invitation] = mail.outbox
    assert invitation.to == ["amina.okafor@example.org"]
    assert applicant.program.name in invitation.subject
    assert "text/html" in invitation.alternatives[0].mimetype
    entry = ActivityEntry.objects.get(verb="participation.invited")
    assert entry.data == {"email": "amina.okafor@example.org", "kind": "invitation"}
    assert entry.target_id == str(applicant.pk)

    link = SETUP_LINK.search(invitation.body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = client.post(
        reverse("account_login"), {"login": "amina.okafor@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    portal = client.get(reverse("portal:home"))
    assert portal.status_code == 200
    assert applicant.program.name in portal.content.decode()
    assert EmailAddress.objects.get(email="amina.okafor@example.org").verified


def test_someone_who_already_signs_in_gets_the_news_and_the_sign_in_link(
    program, coordinator, django_capture_on_commit_callbacks
):
    user = UserFactory(email="li.wei@example.org")
    participation = ParticipationFactory(
        program=program, status=Participation.Status.INTERVIEWED, person__email="li.wei@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_accept(participation=participation, actor=coordinator)

    participation.person.refresh_from_db()
    assert participation.person.user == user
    assert User.objects.count() == 2  # the coordinator and Li Wei: no new login
    [email] = mail.outbox
    assert "/accounts/password/reset/key/" not in email.body
    assert reverse("account_login") in email.body
    assert ActivityEntry.objects.get(verb="participation.invited").data["kind"] == "accepted"


def test_a_person_already_linked_keeps_their_login(program, coordinator, django_capture_on_commit_callbacks):
    user = UserFactory()
    person = PersonFactory(organization=program.organization, user=user, email=user.email)
    participation = ParticipationFactory(
        program=program, person=person, status=Participation.Status.WAITLISTED, waitlist_position=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_accept(participation=participation, actor=coordinator)
    person.refresh_from_db()
    assert person.user == user
    assert len(mail.outbox) == 1


def test_a_login_held_by_a_duplicate_record_stays_there(
    program, coordinator, django_capture_on_commit_callbacks
):
    user = UserFactory(email="sam@example.org")
    PersonFactory(organization=program.organization, user=user, email="sam@example.org")
    participation = ParticipationFactory(
        program=program, status=Participation.Status.INTERVIEWED, person__email="sam@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_accept(participation=participation, actor=coordinator)
    participation.refresh_from_db()
    participation.person.refresh_from_db()
    assert participation.status == Participation.Status.ACCEPTED
    assert participation.person.user is None
    assert mail.outbox[0].to == ["sam@example.org"]


def test_a_refused_acceptance_creates_no_login_and_sends_nothing(
    program, coordinator, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(program=program, status=Participation.Status.SUBMITTED)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="cannot be accepted"),
    ):
        pipeline.participation_accept(participation=participation, actor=coordinator)
    assert not User.objects.filter(email=participation.person.email).exists()
    assert mail.outbox == []
