"""Alumni: invited back as mentors, invitations converted by an application, conversions counted."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.alumni import alumni_figures, alumni_invitation_convert, alumni_invite
from participants.models import AlumniInvitation, Participation
from participants.tests.factories import ParticipationFactory
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

S = Participation.Status


@pytest.fixture
def mentee_alumna(program):
    return ParticipationFactory(
        program=program,
        role="mentee",
        status=S.COMPLETED,
        person__first_name="Amina",
        person__email="amina@example.org",
    )


@pytest.fixture
def mentor_alumnus(program):
    return ParticipationFactory(
        program=program, role="mentor", status=S.COMPLETED, person__first_name="Grace"
    )


def _apply_as_mentor(previous: Participation, program) -> Participation:
    participation = ParticipationFactory(
        program=program,
        person=previous.person,
        role="mentor",
        status=S.SUBMITTED,
        previous_participation=previous,
    )
    alumni_invitation_convert(participation=participation, actor=None)
    return participation


def test_a_mentee_alumna_is_invited_by_email_to_become_a_mentor(
    mentee_alumna, program, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = alumni_invite(
            participation=mentee_alumna, program=program, message="You would be great.", actor=coordinator
        )
    assert (invitation.kind, invitation.sent_by) == (AlumniInvitation.Kind.MENTEE_TO_MENTOR, coordinator)
    [email] = mail.outbox
    assert email.to == ["amina@example.org"]
    assert email.subject == f"Would you become a mentor with {program.name}?"
    assert reverse("apply:mentor", args=[program.slug]) in email.body
    assert "You would be great." in email.body


def test_a_mentor_is_invited_back_with_other_words(
    mentor_alumnus, program, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alumni_invite(participation=mentor_alumnus, program=program, actor=coordinator)
    assert mail.outbox[0].subject == f"Would you mentor again with {program.name}?"


def test_refusals_not_completed_other_organization_already_mentor_or_invited_lately(
    program, other_program, mentee_alumna, coordinator
):
    still_matched = ParticipationFactory(program=program, role="mentee", status=S.MATCHED)
    with pytest.raises(ValidationError, match="Only people who completed"):
        alumni_invite(participation=still_matched, program=program, actor=coordinator)
    with pytest.raises(ValidationError, match="your organization's programs"):
        alumni_invite(participation=mentee_alumna, program=other_program, actor=coordinator)
    with time_machine.travel(
        datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC) + datetime.timedelta(hours=12), tick=False
    ):
        alumni_invite(participation=mentee_alumna, program=program, actor=coordinator)
    later = datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(ValidationError, match="invited to .* on 2026-03-01"),
    ):
        alumni_invite(participation=mentee_alumna, program=program, actor=coordinator)
    with time_machine.travel(
        datetime.datetime(2026, 4, 2, tzinfo=datetime.UTC) + datetime.timedelta(hours=12), tick=False
    ):
        alumni_invite(participation=mentee_alumna, program=program, actor=coordinator)  # a month later
    _apply_as_mentor(mentee_alumna, program)
    with pytest.raises(ValidationError, match="already a mentor"):
        alumni_invite(
            participation=mentee_alumna,
            program=ProgramFactory(organization=program.organization),
            actor=coordinator,
        )


def test_an_application_as_mentor_converts_the_latest_invitation_and_figures_count_it(
    program, mentee_alumna, mentor_alumnus, coordinator
):
    alumni_invite(participation=mentee_alumna, program=program, actor=coordinator)
    returning = ParticipationFactory(program=program, role="mentor", status=S.COMPLETED)
    new_mentor = _apply_as_mentor(mentee_alumna, program)
    _apply_as_mentor(returning, program)  # came back without an invitation
    assert AlumniInvitation.objects.get().converted_to == new_mentor
    figures = alumni_figures([program])
    assert (figures.mentee_alumni, figures.mentor_alumni, figures.invited) == (1, 2, 1)
    assert (figures.mentees_now_mentors, figures.mentors_returned, figures.after_invitation) == (1, 1, 1)


def test_a_mentee_application_converts_nothing(program, mentee_alumna, coordinator):
    alumni_invite(participation=mentee_alumna, program=program, actor=coordinator)
    again = ParticipationFactory(program=program, person=mentee_alumna.person, role="mentee")
    assert alumni_invitation_convert(participation=again, actor=None) is None


# --- Pages ---------------------------------------------------------------------------------------


def test_alumni_page_lists_alumni_with_figures_and_invites(
    client, coordinator, program, mentee_alumna, mentor_alumnus, django_capture_on_commit_callbacks
):
    ParticipationFactory(program=program, role="mentee", status=S.MATCHED)  # not an alumna
    client.force_login(coordinator)
    response = client.get(reverse("participants:alumni"))
    html = response.content.decode()
    assert (
        f'data-testid="alumnus-{mentee_alumna.pk}"' in html
        and f'data-testid="alumnus-{mentor_alumnus.pk}"' in html
    )
    assert len(response.context["rows"]) == 2
    assert "Invite to become a mentor" in html and "Invite back as a mentor" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participants:alumni_invite", args=[mentee_alumna.pk]),
            {"program": program.pk, "message": ""},
            follow=True,
        )
    assert "Amina" in response.content.decode() and "is invited to mentor in" in response.content.decode()
    assert len(mail.outbox) == 1
    response = client.post(
        reverse("participants:alumni_invite", args=[mentee_alumna.pk]), {"program": program.pk}, follow=True
    )
    assert "Give them time to answer." in response.content.decode()
    assert len(mail.outbox) == 1
    assert (
        client.get(reverse("participants:alumni"), {"role": "mentor"}).context["page_obj"].paginator.count
        == 1
    )


def test_alumni_page_says_plainly_when_nobody_completed(client, coordinator, program):
    client.force_login(coordinator)
    assert (
        "No one has completed this program yet."
        in client.get(reverse("participants:alumni")).content.decode()
    )


def test_alumni_permissions(
    client, coordinator, other_coordinator, participant_user, program, other_program, mentee_alumna
):
    url = reverse("participants:alumni")
    invite = reverse("participants:alumni_invite", args=[mentee_alumna.pk])
    assert client.get(url).status_code == 302
    client.force_login(participant_user)
    assert client.get(url).status_code == 403
    assert client.post(invite, {"program": program.pk}).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(url).context["page_obj"].paginator.count == 0
    assert client.post(invite, {"program": other_program.pk}).status_code == 404
    assert not AlumniInvitation.objects.exists()


def test_alumni_page_makes_the_same_number_of_queries_for_2_and_30(
    client, coordinator, program, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("participants:alumni"))
    for count in (2, 30):
        while Participation.objects.filter(status=S.COMPLETED).count() < count:
            ParticipationFactory(program=program, role="mentee", status=S.COMPLETED)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("participants:alumni"))
        assert response.context["page_obj"].paginator.count == count
