"""My match in the portal: answering an introduction, what I see of my partner and when, the
agreement, the meeting log and the hours, and asking the coordinator for help."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from matching.models import DoNotMatch, Match, Meeting
from participants.models import HelpRequest, PartnerSharing, PersonLanguage
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory

from .factories import ParticipationFactory
from .portal_helpers import active_match, introduced_match, mentee, mentor

pytestmark = pytest.mark.django_db
M = Match.Status


@pytest.fixture
def introduced(program):
    return introduced_match(program, mentee(program), mentor(program))


@pytest.fixture
def active(program):
    return active_match(program, mentee(program), mentor(program))


def _page(client, match, who: str) -> str:
    client.force_login(getattr(match, who).person.user)
    response = client.get(reverse("portal:match", args=[match.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Before both have accepted -------------------------------------------------------------------


def test_an_introduction_shows_first_name_profession_and_why_only(client, introduced):
    body = _page(client, introduced, "mentee")
    assert "Daniel" in body
    assert "Senior civil engineer" in body
    assert "Same profession (NOC 21300)" in body and "Shares Yoruba" in body
    assert "Different cities" not in body  # a criterion that gave no points is no reason
    for hidden in (
        "Tremblay",
        introduced.mentor.person.email,
        "403-555-0199",
        "Calgary",
        "Prairie Infrastructure",
    ):
        assert hidden not in body, hidden


def test_the_mentor_sees_the_same_limits_about_the_mentee(client, introduced):
    body = _page(client, introduced, "mentor")
    assert "Amina" in body and "Civil engineer" in body
    for hidden in ("Okafor", introduced.mentee.person.email, "780-555-0101"):
        assert hidden not in body, hidden


def test_accepting_records_my_answer_and_waits_for_the_other(client, introduced):
    client.force_login(introduced.mentee.person.user)
    response = client.post(reverse("portal:match_answer", args=[introduced.pk]), {"answer": "accept"})
    assert response.status_code == 302
    introduced.refresh_from_db()
    assert (introduced.status, introduced.mentee_response) == (M.INTRODUCED, Match.Response.ACCEPTED)
    entry = ActivityEntry.objects.get(verb="match.accepted", target_type__model="match")
    assert entry.data == {"side": "mentee", "via": "portal"}
    assert entry.actor == introduced.mentee.person.user
    assert "waiting for your match to answer" in _page(client, introduced, "mentee")


def test_when_both_accept_the_match_starts_and_contact_details_appear(client, introduced):
    client.force_login(introduced.mentor.person.user)
    client.post(reverse("portal:match_answer", args=[introduced.pk]), {"answer": "accept"})
    client.force_login(introduced.mentee.person.user)
    response = client.post(
        reverse("portal:match_answer", args=[introduced.pk]), {"answer": "accept"}, follow=True
    )
    assert "your mentoring has started" in response.content.decode()
    introduced.refresh_from_db()
    assert introduced.status == M.ACTIVE
    body = _page(client, introduced, "mentee")
    assert "Daniel Tremblay" in body
    assert introduced.mentor.person.email in body
    assert "Prairie Infrastructure Ltd." in body
    assert "403-555-0199" not in body  # the phone is shared only when the mentor chooses to


def test_declining_needs_a_reason_and_tells_the_coordinator(client, introduced):
    client.force_login(introduced.mentee.person.user)
    url = reverse("portal:match_answer", args=[introduced.pk])
    response = client.post(url, {"answer": "decline", "reason": ""})
    assert response.status_code == 200
    assert "Please tell your coordinator briefly why not." in response.content.decode()
    introduced.refresh_from_db()
    assert introduced.status == M.INTRODUCED

    client.post(url, {"answer": "decline", "reason": "Our fields are too far apart."})
    introduced.refresh_from_db()
    assert (introduced.status, introduced.decline_reason) == (M.DECLINED, "Our fields are too far apart.")
    assert DoNotMatch.objects.filter(
        mentee=introduced.mentee.person, mentor=introduced.mentor.person
    ).exists()
    assert "did not lead to a match" in _page(client, introduced, "mentee")
    assert "Our fields are too far apart." not in _page(client, introduced, "mentor")


def test_answering_twice_is_refused_politely(client, introduced):
    client.force_login(introduced.mentee.person.user)
    url = reverse("portal:match_answer", args=[introduced.pk])
    client.post(url, {"answer": "accept"})
    response = client.post(url, {"answer": "decline", "reason": "Changed my mind"}, follow=True)
    assert "The mentee has already answered." in response.content.decode()


# --- Once both have accepted ---------------------------------------------------------------------


def test_the_partner_profile_follows_their_sharing_choices(client, active):
    person = active.mentor.person
    PersonLanguage.objects.create(person=person, language="French", proficiency="fluent")
    PartnerSharing.objects.create(person=person, phone=True, languages=False, background=False)
    body = _page(client, active, "mentee")
    assert "403-555-0199" in body
    assert "French" not in body
    assert "Prairie Infrastructure Ltd." not in body
    assert "Calgary" in body


def test_after_the_end_the_contact_details_are_gone(client, active):
    Match.objects.filter(pk=active.pk).update(status=M.COMPLETED, ended_on=timezone.localdate())
    body = _page(client, active, "mentee")
    assert "Daniel Tremblay" in body
    assert active.mentor.person.email not in body


def test_participant_logs_a_meeting_and_sees_the_hours(client, active):
    client.force_login(active.mentee.person.user)
    url = reverse("portal:match_meetings", args=[active.pk])
    today = timezone.localdate()
    for minutes in (60, 30):
        response = client.post(
            url,
            {
                "occurred_on": today.isoformat(),
                "duration_minutes": str(minutes),
                "mode": "video",
                "topics": "APEGA application and the resume",
                "next_steps": "Send the resume draft",
            },
        )
        assert response.status_code == 302
    meeting = Meeting.objects.order_by("pk").first()
    assert (meeting.logged_as, meeting.logged_by) == ("mentee", active.mentee.person.user)
    page = client.get(url).content.decode()
    assert 'data-testid="total-hours">1.5<' in page
    assert "APEGA application and the resume" in page
    assert 'data-testid="total-hours">1.5<' in _page(client, active, "mentor")


def test_a_meeting_in_the_future_is_refused_with_the_reason(client, active):
    client.force_login(active.mentor.person.user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("portal:match_meetings", args=[active.pk]),
        {"occurred_on": tomorrow.isoformat(), "duration_minutes": "60", "mode": "video", "topics": "Plans"},
    )
    assert response.status_code == 200
    assert "A meeting is logged once it has happened." in response.content.decode()
    assert not Meeting.objects.exists()


def test_meetings_cannot_be_logged_before_the_match_starts(client, introduced):
    client.force_login(introduced.mentee.person.user)
    assert client.get(reverse("portal:match_meetings", args=[introduced.pk])).status_code == 404


def test_a_mentor_downloads_their_hours_certificate(client, active):
    Meeting.objects.create(
        match=active,
        occurred_on=active.started_on,
        duration_minutes=90,
        topics="First meeting",
        logged_as="mentor",
    )
    client.force_login(active.mentor.person.user)
    response = client.get(
        reverse("portal:hours_certificate", args=[active.mentor.person.pk, active.started_on.year])
    )
    assert response.status_code == 200
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Daniel Tremblay" in text and "1.5 hours" in text
    empty_year = reverse("portal:hours_certificate", args=[active.mentor.person.pk, 2001])
    assert client.get(empty_year).status_code == 404


# --- The agreement -------------------------------------------------------------------------------


def test_participant_reads_and_accepts_the_agreement(client, active):
    client.force_login(active.mentee.person.user)
    url = reverse("portal:agreement", args=[active.pk])
    page = client.get(url).content.decode()
    assert "Roles and expectations" in page and "I have read it and I agree" in page
    assert client.post(url).status_code == 302
    active.agreement.refresh_from_db()
    assert active.agreement.mentee_acknowledged_at is not None
    assert active.agreement.mentee_recorded_by is None
    assert active.agreement.mentor_acknowledged_at is None
    assert "You accepted this agreement on" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "already acknowledged" in response.content.decode()


def test_an_introduction_has_no_agreement_yet(client, introduced):
    client.force_login(introduced.mentee.person.user)
    assert client.get(reverse("portal:agreement", args=[introduced.pk])).status_code == 404


# --- Need help -----------------------------------------------------------------------------------


def test_participant_asks_for_help_about_their_match(client, active):
    client.force_login(active.mentor.person.user)
    url = reverse("portal:match_help", args=[active.pk])
    response = client.post(url, {"message": "   "})
    assert response.status_code == 200
    assert "Please write a few words" in response.content.decode()
    response = client.post(url, {"message": "We keep missing each other; can you help?"})
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert (request.person, request.match, request.program) == (active.mentor.person, active, active.program)
    assert request.is_open
    assert ActivityEntry.objects.filter(verb="help_request.sent").count() == 1
    assert not mail.outbox or all(active.mentee.person.email not in m.to for m in mail.outbox[-1:])


def test_participant_asks_for_help_in_general(client, program):
    participation = mentee(program)
    client.force_login(participation.person.user)
    response = client.post(reverse("portal:help"), {"message": "How do I change my email?"})
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert (request.person, request.match, request.program) == (participation.person, None, program)


# --- Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("meetings", [1, 40])
def test_my_match_page_query_count_does_not_grow(client, active, meetings, django_assert_max_num_queries):
    PersonLanguage.objects.create(person=active.mentor.person, language="French", proficiency="fluent")
    Meeting.objects.bulk_create(
        Meeting(
            match=active,
            occurred_on=active.started_on,
            duration_minutes=45,
            topics=f"Meeting {n}",
            logged_as="mentee",
        )
        for n in range(meetings)
    )
    client.force_login(active.mentee.person.user)
    # Session, user, staff memberships and funders (navigation), people for the door, the
    # match, the partner's sharing and languages, the recent meetings, their total, the
    # agreement.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("portal:match", args=[active.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("meetings", [1, 40])
def test_meetings_page_query_count_does_not_grow(client, active, meetings, django_assert_max_num_queries):
    Meeting.objects.bulk_create(
        Meeting(
            match=active,
            occurred_on=active.started_on,
            duration_minutes=45,
            topics=f"Meeting {n}",
            logged_as="mentee",
        )
        for n in range(meetings)
    )
    client.force_login(active.mentee.person.user)
    # Session, user, staff memberships and funders (navigation), people for the door, the match,
    # the partner's sharing and languages, the total, the count and a page of meetings.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("portal:match_meetings", args=[active.pk]))
    assert response.status_code == 200


def test_someone_in_two_programs_chooses_which_coordinator_to_write_to(client, program, organization):
    participation = mentee(program)
    second = ParticipationFactory(
        person=participation.person, program=ProgramFactory(organization=organization, name="Health Careers")
    )
    client.force_login(participation.person.user)
    page = client.get(reverse("portal:help")).content.decode()
    assert "Which program is it about?" in page and "Health Careers" in page
    response = client.post(reverse("portal:help"), {"message": "A question", "program": second.program_id})
    assert response.status_code == 302
    assert HelpRequest.objects.get().program == second.program
