"""The intake's emails sent at once, through the reminders' sent-log: the application received,
the interview invitation with its calendar file, and the welcome with the portal invitation.
Each goes out once however often it is asked for, shows on the outbox, survives a message the
broker never got, and a failed one is sent again from the outbox, calendar file included."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from email.message import Message

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from notifications import registry
from notifications.models import SentReminder
from notifications.registry import Email, ReminderKind
from notifications.services import reminder_send_now
from notifications.sweep import reminders_sweep
from participants import interviews, pipeline
from participants.applications import application_receipt_email
from participants.models import Interview, Participation
from participants.reminders import application_receipt_queue
from participants.tests.factories import ParticipationFactory
from programs.models import ActivityEntry

from .conftest import text_body

pytestmark = pytest.mark.django_db

ST = SentReminder.Status
S = Participation.Status
UTC = datetime.UTC
FIRST_TIME = datetime.datetime(2030, 1, 15, 17, 0, tzinfo=UTC)
SECOND_TIME = datetime.datetime(2030, 1, 16, 15, 30, tzinfo=UTC)


@pytest.fixture
def applicant(program) -> Participation:
    return ParticipationFactory(
        program=program, status=S.SCREENING, person__first_name="Amina", person__email="amina@example.org"
    )


def calendar_of(message: Message) -> Calendar:
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def start_of(message: Message) -> bytes:
    [event] = calendar_of(message).walk("VEVENT")
    return event["DTSTART"].to_ical()


def book(applicant, coordinator, when=FIRST_TIME, **changes) -> Interview:
    return interviews.interview_schedule(
        participation=applicant,
        scheduled_at=when,
        duration_minutes=45,
        mode=Interview.Mode.VIDEO,
        location="https://meet.example/abc",
        interviewer=coordinator,
        actor=coordinator,
        **changes,
    )


def move(interview, coordinator, when) -> Interview:
    return interviews.interview_reschedule(
        interview=interview,
        scheduled_at=when,
        duration_minutes=45,
        mode=Interview.Mode.VIDEO,
        location="https://meet.example/abc",
        interviewer=coordinator,
        actor=coordinator,
    )


# --- The application received ------------------------------------------------------------------


def test_receipt_goes_once_however_often_it_is_asked_for_and_shows_on_the_outbox(
    client, mail, applicant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert application_receipt_queue(participation=applicant) is not None
        assert application_receipt_queue(participation=applicant) is None

    [message] = mail.received()
    assert message["To"] == "amina@example.org"
    assert message["Subject"] == f"We received your application to {applicant.program.name}"
    assert "Hello Amina," in text_body(message)
    assert message["List-Unsubscribe"] is None  # essential: it concerns their own application
    row = SentReminder.objects.get()
    assert (row.kind, row.status, row.attempts, row.program) == (
        "application_received",
        ST.SENT,
        1,
        applicant.program,
    )
    assert ActivityEntry.objects.filter(verb="application.receipt_sent").count() == 1
    client.force_login(coordinator)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert "Application received" in page and "amina@example.org" in page


def test_a_message_the_broker_never_got_is_sent_by_the_next_sweep_and_only_once(
    mail, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        application_receipt_queue(participation=applicant)
    assert SentReminder.objects.get().status == ST.PENDING
    assert mail.received() == []

    assert reminders_sweep().left_behind == 1
    for late_message in handed_over:  # the broker delivers it after all
        late_message()

    assert len(mail.received()) == 1
    assert SentReminder.objects.get().status == ST.SENT


@pytest.fixture
def language_probe() -> Iterator[ReminderKind]:
    """An immediate kind whose subject is the language active while its email is built."""

    def build(reminder: SentReminder) -> Email:
        email = application_receipt_email(participation=Participation.objects.get(pk=reminder.object_id))
        email.subject = translation.get_language()
        return email

    kind = registry.register(
        ReminderKind(
            key="language_probe",
            label="Language probe",
            description="For this test only.",
            essential=True,
            immediate=True,
            build=build,
            template_name="participants/email/application_received",
        )
    )
    yield kind
    del registry._KINDS[kind.key]


def test_the_email_is_written_in_the_language_the_action_chose(
    mail, applicant, language_probe, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        reminder_send_now(
            kind=language_probe,
            obj=applicant,
            organization_id=applicant.program.organization_id,
            program_id=applicant.program_id,
            language="fr",
        )
    [message] = mail.received()
    assert message["Subject"] == "fr"


def test_a_scheduled_kind_cannot_be_sent_at_once(applicant):
    with pytest.raises(ValueError, match="scheduled"):
        reminder_send_now(
            kind=registry.get_kind("orientation_reminder"),
            obj=applicant,
            organization_id=applicant.program.organization_id,
            program_id=applicant.program_id,
        )


# --- The interview invitation ------------------------------------------------------------------


def test_invitation_carries_its_calendar_and_goes_once_per_version_of_the_interview(
    mail, applicant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = book(applicant, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        move(interview, coordinator, FIRST_TIME)  # saved again unchanged: nothing new to say
    with django_capture_on_commit_callbacks(execute=True):
        move(interview, coordinator, SECOND_TIME)
    with django_capture_on_commit_callbacks(execute=True):
        move(interview, coordinator, FIRST_TIME)  # back to the first time: calendars must hear it

    messages = mail.received()
    assert [start_of(m) for m in messages] == [b"20300115T170000Z", b"20300116T153000Z", b"20300115T170000Z"]
    assert {m["Reply-To"] for m in messages} == {coordinator.email}
    assert {str(calendar_of(m)["METHOD"]) for m in messages} == {"REQUEST"}
    rows = SentReminder.objects.filter(kind="interview_invitation").order_by("pk")
    assert [(row.revision.split(":")[0], row.status) for row in rows] == [
        ("1", ST.SENT),
        ("2", ST.SENT),
        ("3", ST.SENT),
    ]


def test_an_invitation_overtaken_before_it_left_is_not_sent(
    mail, applicant, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as first_message:
        interview = book(applicant, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        move(interview, coordinator, SECOND_TIME)
    for late_message in first_message:
        late_message()

    [message] = mail.received()
    assert start_of(message) == b"20300116T153000Z"
    first = SentReminder.objects.filter(kind="interview_invitation").order_by("pk").first()
    assert (first.status, first.skip_reason) == (ST.SKIPPED, SentReminder.SkipReason.NO_LONGER_DUE)


def test_a_failed_invitation_is_sent_again_from_the_outbox_with_its_calendar(
    client, scripted_smtp, applicant, coordinator, django_capture_on_commit_callbacks
):
    smtp = scripted_smtp(reject=True)
    with django_capture_on_commit_callbacks(execute=True):
        book(applicant, coordinator)
    failed = SentReminder.objects.get()
    assert failed.status == ST.FAILED and "554" in failed.last_error
    smtp.reject = False

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend", args=[failed.pk]), follow=True)

    assert "on its way again" in response.content.decode()
    [message] = smtp.received()
    assert message["To"] == "amina@example.org"
    assert start_of(message) == b"20300115T170000Z"
    failed.refresh_from_db()
    assert failed.status == ST.SENT


# --- Accepted: the welcome and the portal invitation --------------------------------------------


def test_the_welcome_goes_once_per_acceptance(mail, program, coordinator, django_capture_on_commit_callbacks):
    participation = ParticipationFactory(
        program=program, status=S.INTERVIEWED, person__email="li@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_accept(participation=participation, actor=coordinator)
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_accept(participation=participation, actor=coordinator)
    assert len(mail.received()) == 1

    # Waitlisted, then accepted again: a new acceptance, a new welcome.
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_waitlist(
            participation=participation, reason="No mentor yet", actor=coordinator
        )
        pipeline.participation_accept(participation=participation, actor=coordinator)

    messages = mail.received()
    assert [m["To"] for m in messages] == ["li@example.org", "li@example.org"]
    assert all("/accounts/password/reset/key/" in text_body(m) for m in messages)
    assert ActivityEntry.objects.filter(verb="participation.invited").count() == 2
    assert list(SentReminder.objects.values_list("kind", "status")) == [("acceptance_email", ST.SENT)] * 2
