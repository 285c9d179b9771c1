"""Interviews: scheduling in the program's time zone, the calendar invitation, rescheduling,
cancelling, and recording the assessment."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from participants import interviews
from participants.models import Interview, Participation
from participants.tests.factories import InterviewFactory, ParticipationFactory
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

S = Participation.Status
# 10:00 in Edmonton on 15 January (Mountain Standard Time, UTC-7) is 17:00 UTC.
JAN_15_10AM_EDMONTON_IN_UTC = datetime.datetime(2030, 1, 15, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _edmonton(settings):
    settings.TIME_ZONE = "America/Edmonton"


@pytest.fixture
def applicant(program):
    return ParticipationFactory(
        program=program,
        status=S.SCREENING,
        person__first_name="Amina",
        person__last_name="Okafor",
        person__email="amina@example.org",
    )


def _schedule_form(interviewer, **overrides) -> dict:
    return {
        "date": "2030-01-15",
        "time": "10:00",
        "duration_minutes": "45",
        "mode": Interview.Mode.VIDEO,
        "location": "https://meet.example/abc-defg, room 2",
        "interviewer": str(interviewer.pk),
        **overrides,
    }


def _calendar_of(email) -> tuple[Calendar, bytes]:
    [(filename, content, mimetype)] = email.attachments
    assert filename == "interview.ics"
    raw = content.encode() if isinstance(content, str) else content
    return Calendar.from_ical(raw), raw


def test_scheduling_converts_the_local_time_and_emails_an_ics_invitation(
    client, coordinator, applicant, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:interview_schedule", args=[applicant.pk]), _schedule_form(coordinator)
        )
    assert response.status_code == 302
    assert response.url == applicant.person.get_absolute_url()
    interview = Interview.objects.get()
    assert interview.scheduled_at == JAN_15_10AM_EDMONTON_IN_UTC
    assert interview.interviewer == coordinator
    applicant.refresh_from_db()
    assert applicant.status == S.INTERVIEW_SCHEDULED
    entry = ActivityEntry.objects.get(verb="interview.scheduled")
    assert entry.data["from"] == "screening" and entry.data["to"] == "interview_scheduled"

    [email] = mail.outbox
    assert email.to == ["amina@example.org"]
    assert email.reply_to == [coordinator.email]
    assert "10:00" in email.body and "America/Edmonton" in email.body
    calendar, raw = _calendar_of(email)
    assert b"\r\n" in raw
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == str(interview.uid)
    assert event["DTSTART"].to_ical() == b"20300115T170000Z"
    assert event["DTEND"].to_ical() == b"20300115T174500Z"
    assert str(event["LOCATION"]) == "https://meet.example/abc-defg, room 2"
    assert b"LOCATION:https://meet.example/abc-defg\\, room 2" in raw  # commas escaped
    assert str(event["ORGANIZER"]) == f"mailto:{coordinator.email}"
    assert str(event["ATTENDEE"]) == "mailto:amina@example.org"
    assert program_name_in(event["SUMMARY"], applicant)


def program_name_in(summary, participation) -> bool:
    return participation.program.name in str(summary)


def test_the_ics_file_downloads_from_the_interview(client, coordinator, applicant):
    interview = InterviewFactory(
        participation=applicant, interviewer=coordinator, scheduled_at=JAN_15_10AM_EDMONTON_IN_UTC
    )
    client.force_login(coordinator)
    response = client.get(reverse("intake:interview_ics", args=[interview.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == str(interview.uid)
    assert event["DTSTART"].to_ical() == b"20300115T170000Z"


def test_the_interviewer_must_work_in_the_program(client, coordinator, applicant, organization):
    elsewhere = StaffMembershipFactory(
        organization=organization, programs=[ProgramFactory(organization=organization)]
    ).user
    client.force_login(coordinator)
    response = client.post(
        reverse("intake:interview_schedule", args=[applicant.pk]), _schedule_form(elsewhere)
    )
    assert response.status_code == 200
    assert "interviewer" in response.context["form"].errors
    with pytest.raises(ValidationError) as refusal:
        interviews.interview_schedule(
            participation=applicant,
            scheduled_at=JAN_15_10AM_EDMONTON_IN_UTC,
            duration_minutes=45,
            mode=Interview.Mode.PHONE,
            location="",
            interviewer=elsewhere,
            actor=coordinator,
        )
    assert "interviewer" in refusal.value.message_dict
    assert not Interview.objects.exists()


def test_an_invalid_schedule_form_comes_back_with_the_data_and_errors(client, coordinator, applicant):
    client.force_login(coordinator)
    response = client.post(
        reverse("intake:interview_schedule", args=[applicant.pk]),
        _schedule_form(coordinator, date="", location="Library room 4"),
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert "Library room 4" in response.content.decode()


def test_rescheduling_keeps_the_uid_and_sends_the_update(
    client, coordinator, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = interviews.interview_schedule(
            participation=applicant,
            scheduled_at=JAN_15_10AM_EDMONTON_IN_UTC,
            duration_minutes=45,
            mode=Interview.Mode.VIDEO,
            location="",
            interviewer=coordinator,
            actor=coordinator,
        )
    client.force_login(coordinator)
    form_page = client.get(reverse("intake:interview_reschedule", args=[interview.pk]))
    assert form_page.context["form"].initial["time"] == datetime.time(10, 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("intake:interview_reschedule", args=[interview.pk]),
            _schedule_form(coordinator, date="2030-07-02", time="09:30", duration_minutes="30"),
        )
    interview.refresh_from_db()
    # July is daylight time in Edmonton (UTC-6).
    assert interview.scheduled_at == datetime.datetime(2030, 7, 2, 15, 30, tzinfo=datetime.UTC)
    assert len(mail.outbox) == 2
    first, _raw = _calendar_of(mail.outbox[0])
    update, _raw = _calendar_of(mail.outbox[1])
    [before], [after] = first.walk("VEVENT"), update.walk("VEVENT")
    assert str(after["UID"]) == str(before["UID"]) == str(interview.uid)
    assert after["DTSTART"].to_ical() == b"20300702T153000Z"
    assert int(after["SEQUENCE"]) >= int(before["SEQUENCE"])
    assert ActivityEntry.objects.filter(verb="interview.rescheduled").count() == 1


def test_cancelling_returns_the_application_to_screening_and_tells_the_applicant(
    client, coordinator, applicant, django_capture_on_commit_callbacks
):
    applicant.status = S.INTERVIEW_SCHEDULED
    applicant.save()
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:interview_cancel", args=[interview.pk]), {"reason": "Applicant is ill"})
    interview.refresh_from_db()
    applicant.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    assert applicant.status == S.SCREENING
    [email] = mail.outbox
    calendar, _raw = _calendar_of(email)
    assert calendar["METHOD"] == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == str(interview.uid)
    with pytest.raises(ValidationError):
        interviews.interview_cancel(interview=interview, reason="again", actor=coordinator)


def test_recording_the_assessment_moves_the_application_to_interviewed(client, coordinator, applicant):
    applicant.status = S.INTERVIEW_SCHEDULED
    applicant.save()
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("intake:interview_record", args=[interview.pk]),
        {
            "observed_clb": "8",
            "readiness": Interview.Readiness.READY,
            "background_notes": "Ten years designing bridges in Lagos.",
            "personality_notes": "Warm, direct; hopes for weekly meetings.",
            "recommended_focus": "APEGA licensing; interview practice.",
            "outcome": Interview.Outcome.ACCEPT,
        },
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    applicant.refresh_from_db()
    assert applicant.status == S.INTERVIEWED
    assert interview.status == Interview.Status.COMPLETED
    assert interview.completed_at is not None
    assert (interview.observed_clb, interview.outcome) == (8, "accept")
    assert interview.recommended_focus == "APEGA licensing; interview practice."
    assert ActivityEntry.objects.get(verb="interview.recorded").data == {
        "outcome": "accept",
        "from": "interview_scheduled",
        "to": "interviewed",
    }


def test_the_outcome_is_required_and_the_form_keeps_the_notes(client, coordinator, applicant):
    applicant.status = S.INTERVIEW_SCHEDULED
    applicant.save()
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("intake:interview_record", args=[interview.pk]),
        {"background_notes": "Ten years designing bridges.", "outcome": ""},
    )
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    assert "Ten years designing bridges." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.status == S.INTERVIEW_SCHEDULED


def test_a_completed_record_can_be_corrected_without_moving_the_status(coordinator, applicant):
    applicant.status = S.INTERVIEW_SCHEDULED
    applicant.save()
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    interviews.interview_record(interview=interview, outcome="waitlist", actor=coordinator)
    interviews.interview_record(interview=interview, outcome="accept", observed_clb=7, actor=coordinator)
    interview.refresh_from_db()
    applicant.refresh_from_db()
    assert (interview.outcome, interview.observed_clb, applicant.status) == ("accept", 7, S.INTERVIEWED)


def test_the_outcome_offers_the_next_step_in_one_click(
    client, coordinator, applicant, django_capture_on_commit_callbacks
):
    applicant.status = S.INTERVIEW_SCHEDULED
    applicant.save()
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    interviews.interview_record(interview=interview, outcome=Interview.Outcome.WAITLIST, actor=coordinator)
    client.force_login(coordinator)
    page = client.get(applicant.person.get_absolute_url())
    suggested = page.context["cards"][0].suggested
    assert suggested.url == reverse("intake:waitlist", args=[applicant.pk]) and suggested.post
    with django_capture_on_commit_callbacks(execute=True):
        client.post(suggested.url, {"reason": suggested.reason})
    applicant.refresh_from_db()
    assert applicant.status == S.WAITLISTED
    assert applicant.status_reason.startswith("Recommended at the interview")


# --- Permissions ----------------------------------------------------------------------------------

INTERVIEW_URLS = [
    "intake:interview_reschedule",
    "intake:interview_cancel",
    "intake:interview_record",
    "intake:interview_ics",
]


@pytest.mark.parametrize("name", INTERVIEW_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, applicant, coordinator, name):
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    response = client.get(reverse(name, args=[interview.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", INTERVIEW_URLS)
def test_another_organizations_coordinator_gets_404(client, applicant, coordinator, other_coordinator, name):
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    client.force_login(other_coordinator)
    assert client.get(reverse(name, args=[interview.pk])).status_code == 404
    assert (
        client.post(reverse(name, args=[interview.pk]), {"reason": "x", "outcome": "accept"}).status_code
        == 404
    )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED


def test_scheduling_for_another_organizations_applicant_gets_404(client, applicant, other_coordinator):
    client.force_login(other_coordinator)
    url = reverse("intake:interview_schedule", args=[applicant.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _schedule_form(other_coordinator)).status_code == 404
    assert not Interview.objects.exists()


def test_a_coordinator_limited_to_another_program_gets_404(client, applicant, coordinator, organization):
    limited = StaffMembershipFactory(
        organization=organization, programs=[ProgramFactory(organization=organization)]
    ).user
    interview = InterviewFactory(participation=applicant, interviewer=coordinator)
    client.force_login(limited)
    assert client.get(reverse("intake:interview_record", args=[interview.pk])).status_code == 404
    assert client.get(reverse("intake:interview_schedule", args=[applicant.pk])).status_code == 404
