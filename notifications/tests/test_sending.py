"""Each due reminder reaches a real SMTP server exactly once: however many sweeps run, whatever
the server refuses for a while, and when a message comes back after its worker died.

Celery runs in the test's process here; test_worker_drills.py does the same with real workers.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from matching.models import Match
from matching.tests.factories import MatchFactory
from notifications.models import ProgramCadence, SentReminder, Unsubscribe
from notifications.registry import Due
from notifications.sending import Outcome, RetryableSendError, reminder_deliver
from notifications.sweep import reminders_sweep
from notifications.tasks import send_reminder, sweep_due_reminders
from participants.models import Interview, Participation
from participants.tests.factories import InterviewFactory
from programs.models import ProgramResource

from .conftest import accepted_days_ago, text_body

pytestmark = pytest.mark.django_db

ST = SentReminder.Status
S = Participation.Status


def orientation_due(participation: Participation) -> Due:
    due_on = timezone.localdate(participation.status_changed_at) + datetime.timedelta(days=7)
    return Due(
        "orientation_reminder",
        ContentType.objects.get_for_model(Participation).pk,
        participation.pk,
        due_on,
        participation.program.organization_id,
        participation.program_id,
    )


# --- Sweeps ------------------------------------------------------------------------------------


def test_sweep_run_twice_sends_one_email_per_due_reminder(mail, program):
    first = accepted_days_ago(program, 8, person__email="amina@example.org")
    second = accepted_days_ago(program, 8, person__email="kwame@example.org")
    accepted_days_ago(program, 2)  # not due yet

    sweep_due_reminders.delay()
    sweep_due_reminders.delay()

    assert sorted(m["To"] for m in mail.received()) == ["amina@example.org", "kwame@example.org"]
    rows = SentReminder.objects.order_by("object_id")
    assert [(r.object_id, r.status, r.attempts) for r in rows] == [
        (first.pk, ST.SENT, 1),
        (second.pk, ST.SENT, 1),
    ]
    assert all(r.sent_at is not None and r.recipient for r in rows)


def test_the_same_reminder_handed_out_twice_at_once_is_sent_once(mail, program):
    person = accepted_days_ago(program, 8)
    due = orientation_due(person)

    outcomes = [reminder_deliver(due=due, claimant=str(uuid.uuid4())) for _ in range(2)]

    assert outcomes == [Outcome.SENT, Outcome.ALREADY_HANDLED]
    assert len(mail.received()) == 1


def test_sweep_after_the_email_went_out_hands_over_nothing(mail, program):
    accepted_days_ago(program, 8)
    assert reminders_sweep().enqueued == 1
    report = reminders_sweep()
    assert (report.due, report.enqueued) == (0, 0)
    assert len(mail.received()) == 1


# --- The email ---------------------------------------------------------------------------------


def test_orientation_email_has_text_html_the_required_reading_and_an_unsubscribe_header(mail, program):
    person = accepted_days_ago(program, 8, person__first_name="Amina", role=Participation.Role.MENTEE)
    ProgramResource.objects.create(
        program=program, title="Mentee handbook", url="https://example.org/handbook", is_required=True
    )
    ProgramResource.objects.create(
        program=program,
        title="Mentor guide",
        url="https://example.org/mentor",
        is_required=True,
        audience=ProgramResource.Audience.MENTOR,
    )

    reminders_sweep()

    [message] = mail.received()
    assert message["To"] == person.person.email
    assert program.name in message["Subject"]
    body = text_body(message)
    assert "Hello Amina" in body and "Mentee handbook" in body and "Mentor guide" not in body
    assert "/portal/" in body
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    header = "".join(message["List-Unsubscribe"].split())  # long headers are folded
    assert header.startswith("<http://127.0.0.1:8000/notifications/unsubscribe/") and header.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in body


def test_interview_reminder_is_essential_and_carries_no_unsubscribe_link(mail, program):
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, tzinfo=timezone.get_default_timezone())):
        interview = InterviewFactory(
            participation__program=program,
            participation__person__first_name="Kwame",
            scheduled_at=datetime.datetime(2026, 2, 11, 14, 30, tzinfo=timezone.get_default_timezone()),
            location="Room 204, 10150 Jasper Avenue",
        )
        Interview.objects.filter(pk=interview.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=5)
        )

        reminders_sweep()

    [message] = mail.received()
    body = text_body(message)
    assert "Kwame" in body and "Room 204" in body
    assert "Wednesday 11 February 2026, 14:30" in body
    assert message["Subject"] == f"Reminder: your interview for {program.name} on Feb. 11, 2026"
    assert message["List-Unsubscribe"] is None
    assert "unsubscribe" not in body.lower()


def test_each_side_of_an_unanswered_introduction_is_asked_to_answer(mail, program):
    match = MatchFactory(
        program=program,
        status=Match.Status.INTRODUCED,
        introduced_at=timezone.now() - datetime.timedelta(days=6),
        mentor_response=Match.Response.ACCEPTED,
        mentee__person__email="mentee@example.org",
        mentor__person__first_name="Oluwaseun",
        mentor__person__last_name="Adeyemi",
    )

    reminders_sweep()

    [message] = mail.received()
    assert message["To"] == "mentee@example.org"
    assert "Oluwaseun Adeyemi" in text_body(message)
    assert SentReminder.objects.get().object_id == match.mentee_id


# --- SMTP refusing, then accepting ----------------------------------------------------------


def test_smtp_refusing_three_times_then_accepting_delivers_exactly_one_email(scripted_smtp, program):
    smtp = scripted_smtp(refuse=3)
    person = accepted_days_ago(program, 8)

    reminders_sweep()

    assert len(smtp.received()) == 1
    assert smtp.data_count() == 4
    reminder = SentReminder.objects.get(object_id=person.pk)
    assert (reminder.status, reminder.attempts, reminder.last_error) == (ST.SENT, 4, "")


def test_smtp_refusing_every_attempt_marks_the_reminder_failed_with_the_error(scripted_smtp, program):
    smtp = scripted_smtp(refuse=100)
    accepted_days_ago(program, 8)

    reminders_sweep()

    assert smtp.received() == []
    assert smtp.data_count() == 1 + send_reminder.max_retries
    reminder = SentReminder.objects.get()
    assert reminder.status == ST.FAILED and reminder.attempts == 1 + send_reminder.max_retries
    assert "451" in reminder.last_error and "Mailbox busy" in reminder.last_error
    # A failed reminder waits for a coordinator's resend; sweeps leave it alone.
    assert reminders_sweep().enqueued == 0


def test_a_temporary_refusal_is_recorded_and_raised_for_a_retry(scripted_smtp, program):
    scripted_smtp(refuse=1)
    due = orientation_due(accepted_days_ago(program, 8))

    with pytest.raises(RetryableSendError):
        reminder_deliver(due=due, claimant="task-1")

    reminder = SentReminder.objects.get()
    assert (reminder.status, reminder.claimed_by) == (ST.CLAIMED, "task-1")
    assert "451" in reminder.last_error


def test_a_permanent_refusal_fails_at_once(scripted_smtp, program):
    smtp = scripted_smtp(reject=True)
    due = orientation_due(accepted_days_ago(program, 8))

    assert reminder_deliver(due=due, claimant="task-1") == Outcome.FAILED

    assert smtp.data_count() == 1
    reminder = SentReminder.objects.get()
    assert reminder.status == ST.FAILED and "554" in reminder.last_error


# --- Coming back after a crash ---------------------------------------------------------------


def test_a_message_redelivered_after_its_worker_died_mid_send_sends_once(mail, program):
    """The row says "claimed" by this very task: the first attempt never finished, so the
    redelivered message (same task id) sends."""
    due = orientation_due(accepted_days_ago(program, 8))
    SentReminder.objects.create(
        kind=due.kind,
        content_type_id=due.content_type_id,
        object_id=due.object_id,
        due_on=due.due_on,
        organization_id=due.organization_id,
        program_id=due.program_id,
        status=ST.CLAIMED,
        claimed_by="task-1",
        claimed_at=timezone.now(),
        attempts=1,
    )

    assert reminder_deliver(due=due, claimant="task-1") == Outcome.SENT
    assert reminder_deliver(due=due, claimant="task-1") == Outcome.ALREADY_HANDLED
    assert len(mail.received()) == 1
    assert SentReminder.objects.get().attempts == 2


def test_another_tasks_fresh_claim_is_left_alone_and_an_abandoned_one_taken_over(mail, program, settings):
    settings.REMINDER_STALE_CLAIM_SECONDS = 1800
    due = orientation_due(accepted_days_ago(program, 8))
    claimed_at = timezone.now() - datetime.timedelta(minutes=29)
    reminder = SentReminder.objects.create(
        kind=due.kind,
        content_type_id=due.content_type_id,
        object_id=due.object_id,
        due_on=due.due_on,
        organization_id=due.organization_id,
        program_id=due.program_id,
        status=ST.CLAIMED,
        claimed_by="task-1",
        claimed_at=claimed_at,
    )

    assert reminder_deliver(due=due, claimant="task-2") == Outcome.ALREADY_HANDLED
    SentReminder.objects.filter(pk=reminder.pk).update(claimed_at=claimed_at - datetime.timedelta(minutes=2))
    assert reminder_deliver(due=due, claimant="task-2") == Outcome.SENT
    assert len(mail.received()) == 1
    assert SentReminder.objects.get().claimed_by == "task-2"


# --- Not sent, and why ------------------------------------------------------------------------


def test_reminder_no_longer_due_when_sent_is_skipped(mail, program):
    person = accepted_days_ago(program, 8)
    due = orientation_due(person)
    Participation.objects.filter(pk=person.pk).update(status=S.ORIENTATION_DONE)

    assert reminder_deliver(due=due, claimant="task-1") == Outcome.SKIPPED

    assert mail.received() == []
    reminder = SentReminder.objects.get()
    assert (reminder.status, reminder.skip_reason) == (ST.SKIPPED, SentReminder.SkipReason.NO_LONGER_DUE)
    assert reminders_sweep().enqueued == 0


def test_reminder_to_an_address_that_unsubscribed_is_skipped(mail, program):
    accepted_days_ago(program, 8, person__email="Amina@Example.org")
    Unsubscribe.objects.create(email="amina@example.org", kind="orientation_reminder")

    reminders_sweep()

    assert mail.received() == []
    reminder = SentReminder.objects.get()
    assert (reminder.status, reminder.skip_reason) == (ST.SKIPPED, SentReminder.SkipReason.UNSUBSCRIBED)
    assert reminder.recipient == "Amina@Example.org"


def test_unsubscribing_from_everything_leaves_essential_reminders(mail, program):
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, tzinfo=timezone.get_default_timezone())):
        interview = InterviewFactory(
            participation__program=program,
            participation__person__email="kwame@example.org",
            scheduled_at=datetime.datetime(2026, 2, 11, 9, tzinfo=timezone.get_default_timezone()),
        )
        Interview.objects.filter(pk=interview.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=5)
        )
        Unsubscribe.objects.create(email="kwame@example.org", kind=Unsubscribe.ALL)

        reminders_sweep()

    assert [m["To"] for m in mail.received()] == ["kwame@example.org"]


def test_program_that_turned_a_reminder_off_sends_none(mail, program):
    ProgramCadence.objects.create(program=program, kind="orientation_reminder", enabled=False, days=7)
    accepted_days_ago(program, 8)

    reminders_sweep()

    assert mail.received() == []
    assert not SentReminder.objects.exists()


# --- The weekly digest -------------------------------------------------------------------------

MONDAY = datetime.datetime(2026, 2, 9, 8, 0, tzinfo=timezone.get_default_timezone())


def test_weekly_digest_tells_each_staff_member_what_waits_in_their_programs(
    mail, organization, program, coordinator
):
    from participants.tests.factories import ParticipationFactory
    from programs.tests.factories import ProgramFactory, StaffMembershipFactory

    quiet = ProgramFactory(organization=organization, name="Health Careers Mentorship")
    quiet_staff = StaffMembershipFactory(organization=organization, programs=[quiet])
    with time_machine.travel(MONDAY):
        for _ in range(2):
            ParticipationFactory(program=program, status=S.SUBMITTED)
        InterviewFactory(
            participation__program=program,
            participation__status=S.INTERVIEW_SCHEDULED,
            participation__person__first_name="Farah",
            participation__person__last_name="Siddiqui",
            scheduled_at=MONDAY + datetime.timedelta(days=2, hours=3),
        )
        ParticipationFactory(
            program=program,
            role=Participation.Role.MENTEE,
            status=S.READY_TO_MATCH,
            status_changed_at=MONDAY - datetime.timedelta(days=20),
            person__first_name="Tomás",
            person__last_name="Rivera",
        )
        MatchFactory(
            program=program, status=Match.Status.INTRODUCED, introduced_at=MONDAY - datetime.timedelta(days=7)
        )
        quiet_pair = MatchFactory(
            program=program,
            status=Match.Status.ACTIVE,
            started_on=(MONDAY - datetime.timedelta(days=40)).date(),
            mentee__person__first_name="Lina",
            mentee__person__last_name="Haddad",
        )

        reminders_sweep()
        reminders_sweep()

    digests = [m for m in mail.received() if "weekly digest" in m["Subject"]]
    assert len(mail.received()) == len(digests) + 2  # and both sides of the introduction are asked
    [message] = digests
    assert message["To"] == coordinator.email
    body = text_body(message)
    assert "2 applications wait for screening" in body
    assert "Wednesday 11 February, 11:00: Farah Siddiqui" in body
    assert "1 mentee has waited for a mentor longer than 14 days" in body and "Tomás Rivera, 20 days" in body
    assert "1 introduction is still waiting for an answer" in body
    assert "1 match may be at risk:" in body
    assert f"- {quiet_pair}: never met since the start 40 days ago" in body
    assert "Nothing waits in: Health Careers Mentorship" in body
    assert "/notifications/unsubscribe/" in body
    skipped = SentReminder.objects.get(kind="coordinator_digest", object_id=quiet_staff.pk)
    assert skipped.skip_reason == SentReminder.SkipReason.NOTHING_TO_REPORT
