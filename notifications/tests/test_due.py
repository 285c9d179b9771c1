"""What each kind says is due, on hand-worked dates.

The clock is Tuesday 10 February 2026, 10:00 in Edmonton (MST, UTC-7), unless a test says
otherwise. Reminders may be up to three days late (REMINDER_CATCH_UP_DAYS), so due dates from
Saturday 7 February to today count; a kind whose hour has not come today counts up to yesterday.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from matching.models import Match
from matching.tests.factories import MatchFactory
from notifications.digest import DIGEST
from notifications.models import ProgramCadence, SentReminder
from notifications.registry import Due, Schedule
from notifications.reminders import INTERVIEW_REMINDER, MATCH_ANSWER_REMINDER, ORIENTATION_REMINDER
from notifications.sweep import reminders_sweep
from participants.models import Interview, Participation
from participants.tests.factories import InterviewFactory, ParticipationFactory
from programs.models import StaffMembership
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

EDMONTON = ZoneInfo("America/Edmonton")
NOW = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=EDMONTON)
S = Participation.Status


@pytest.fixture(autouse=True)
def _catch_up_three_days(settings):
    settings.REMINDER_CATCH_UP_DAYS = 3


def at(day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 2, day, hour, minute, tzinfo=EDMONTON)


def feb(day: int) -> datetime.date:
    return datetime.date(2026, 2, day)


def due(kind, now=NOW) -> list[Due]:
    return sorted(kind.due(Schedule(kind, now=now)), key=lambda d: (d.object_id, d.due_on))


def interview(program, when, *, booked=None, status=Interview.Status.SCHEDULED) -> Interview:
    """An interview booked on 1 February unless `booked` says otherwise."""
    made = InterviewFactory(participation__program=program, scheduled_at=when, status=status)
    Interview.objects.filter(pk=made.pk).update(created_at=booked or at(1, 9))
    return made


# --- Interview reminder ------------------------------------------------------------------------


def test_interview_tomorrow_is_due_today_for_its_program(program):
    tomorrow = interview(program, at(11, 14))
    [reminder] = due(INTERVIEW_REMINDER)
    assert reminder == Due(
        "interview_reminder",
        ContentType.objects.get_for_model(Interview).pk,
        tomorrow.pk,
        feb(10),
        program.organization_id,
        program.pk,
    )


def test_interview_the_day_after_tomorrow_is_not_due_yet(program):
    interview(program, at(12, 9))
    assert due(INTERVIEW_REMINDER) == []


def test_interview_tomorrow_waits_for_eight_in_the_morning(program):
    interview(program, at(11, 14))
    assert due(INTERVIEW_REMINDER, now=at(10, 7, 59)) == []
    assert len(due(INTERVIEW_REMINDER, now=at(10, 8, 0))) == 1


def test_interview_later_today_is_still_reminded_when_yesterdays_reminder_was_missed(program):
    today = interview(program, at(10, 15))
    [reminder] = due(INTERVIEW_REMINDER)
    assert (reminder.object_id, reminder.due_on) == (today.pk, feb(9))


def test_interview_already_past_is_not_reminded(program):
    interview(program, at(10, 9, 30))
    assert due(INTERVIEW_REMINDER) == []


def test_interview_booked_on_its_reminder_day_is_not_reminded(program):
    interview(program, at(11, 14), booked=at(10, 0, 5))
    assert due(INTERVIEW_REMINDER) == []


def test_cancelled_interview_is_not_reminded(program):
    interview(program, at(11, 14), status=Interview.Status.CANCELLED)
    assert due(INTERVIEW_REMINDER) == []


def test_interview_reminder_follows_each_programs_cadence(program, organization):
    two_days = ProgramFactory(organization=organization)
    ProgramCadence.objects.create(program=two_days, kind="interview_reminder", days=2)
    turned_off = ProgramFactory(organization=organization)
    ProgramCadence.objects.create(program=turned_off, kind="interview_reminder", enabled=False, days=1)
    inactive = ProgramFactory(organization=organization, is_active=False)
    in_two_days = interview(two_days, at(12, 9))
    two_days_program_tomorrow = interview(two_days, at(11, 9))
    interview(turned_off, at(11, 14))
    interview(inactive, at(11, 14))
    tomorrow = interview(program, at(11, 14))

    found = {(d.object_id, d.due_on) for d in due(INTERVIEW_REMINDER)}

    # Two days before 11 February was yesterday: a day late, still worth sending.
    assert found == {
        (in_two_days.pk, feb(10)),
        (two_days_program_tomorrow.pk, feb(9)),
        (tomorrow.pk, feb(10)),
    }


# --- Orientation not finished -----------------------------------------------------------------


def accepted(program, when, **fields) -> Participation:
    return ParticipationFactory(program=program, status=S.ACCEPTED, status_changed_at=when, **fields)


def test_orientation_reminder_is_due_seven_days_after_acceptance(program):
    week_ago = accepted(program, at(3, 16))
    accepted(program, at(4, 9))  # due tomorrow
    [reminder] = due(ORIENTATION_REMINDER)
    assert (reminder.object_id, reminder.due_on) == (week_ago.pk, feb(10))


def test_orientation_reminder_waits_for_nine_in_the_morning(program):
    accepted(program, at(3, 16))
    assert due(ORIENTATION_REMINDER, now=at(10, 8, 59)) == []
    assert len(due(ORIENTATION_REMINDER, now=at(10, 9))) == 1


def test_orientation_reminder_catches_up_three_days_and_no_more(program):
    three_late = accepted(program, datetime.datetime(2026, 1, 31, 12, tzinfo=EDMONTON))  # due 7 February
    accepted(program, datetime.datetime(2026, 1, 30, 12, tzinfo=EDMONTON))  # due 6 February: too late
    [reminder] = due(ORIENTATION_REMINDER)
    assert (reminder.object_id, reminder.due_on) == (three_late.pk, feb(7))


def test_orientation_done_or_other_statuses_are_not_reminded(program):
    for status in (S.ORIENTATION_DONE, S.READY_TO_MATCH, S.WITHDRAWN, S.WAITLISTED):
        ParticipationFactory(program=program, status=status, status_changed_at=at(3, 16))
    assert due(ORIENTATION_REMINDER) == []


def test_orientation_reminder_uses_the_programs_number_of_days(program):
    ProgramCadence.objects.create(program=program, kind="orientation_reminder", days=3)
    three_days_ago = accepted(program, at(7, 11))
    accepted(program, at(3, 16))  # seven days ago: was due 6 February under this cadence
    [reminder] = due(ORIENTATION_REMINDER)
    assert (reminder.object_id, reminder.due_on) == (three_days_ago.pk, feb(10))


def test_acceptance_already_reminded_is_not_due_again_after_the_cadence_changes(program):
    person = accepted(program, at(3, 16))
    SentReminder.objects.create(
        kind="orientation_reminder",
        content_type=ContentType.objects.get_for_model(Participation),
        object_id=person.pk,
        due_on=feb(8),  # reminded under an earlier five-day cadence
        organization=program.organization,
        program=program,
        status=SentReminder.Status.SENT,
    )
    assert due(ORIENTATION_REMINDER) == []


# --- An introduction waiting for an answer -----------------------------------------------------


def introduced(program, when, **fields) -> Match:
    return MatchFactory(program=program, status=Match.Status.INTRODUCED, introduced_at=when, **fields)


def test_both_sides_that_have_not_answered_are_due_five_days_after_the_introduction(program):
    match = introduced(program, at(5, 15))
    found = due(MATCH_ANSWER_REMINDER)
    assert {(d.object_id, d.due_on) for d in found} == {
        (match.mentee_id, feb(10)),
        (match.mentor_id, feb(10)),
    }
    assert {d.content_type_id for d in found} == {ContentType.objects.get_for_model(Participation).pk}


def test_only_the_side_that_has_not_answered_is_reminded(program):
    match = introduced(program, at(5, 15), mentee_response=Match.Response.ACCEPTED)
    [reminder] = due(MATCH_ANSWER_REMINDER)
    assert reminder.object_id == match.mentor_id


def test_introductions_too_recent_or_no_longer_introduced_are_not_reminded(program):
    introduced(program, at(6, 9))  # due tomorrow
    MatchFactory(program=program, status=Match.Status.CANCELLED, introduced_at=at(5, 9))
    assert due(MATCH_ANSWER_REMINDER) == []


# --- The weekly digest ------------------------------------------------------------------------


def test_digest_is_due_each_monday_for_every_active_staff_member(
    program, organization, coordinator, org_admin
):
    StaffMembershipFactory(organization=organization, is_active=False)
    found = due(DIGEST)
    memberships = StaffMembership.objects.filter(organization=organization, is_active=True)
    assert {d.object_id for d in found} == set(memberships.values_list("pk", flat=True))
    assert {d.due_on for d in found} == {feb(9)}
    assert {d.program_id for d in found} == {None}


def test_digest_waits_for_seven_on_monday_morning(program, coordinator):
    assert {d.due_on for d in due(DIGEST, now=at(9, 6, 59))} == set()  # last Monday, 2 Feb: too late
    assert {d.due_on for d in due(DIGEST, now=at(9, 7, 0))} == {feb(9)}


def test_digest_is_not_sent_later_than_thursday(program, coordinator):
    assert {d.due_on for d in due(DIGEST, now=at(12, 10))} == {feb(9)}  # Thursday: three days late
    assert due(DIGEST, now=at(13, 10)) == []  # Friday: too late, next Monday's will do


def test_digest_skips_organizations_that_turned_it_off_everywhere(program, coordinator, other_coordinator):
    ProgramCadence.objects.create(program=program, kind="coordinator_digest", enabled=False, days=14)
    found = due(DIGEST)
    assert {d.organization_id for d in found} == {
        StaffMembership.objects.get(user=other_coordinator).organization_id
    }


# --- The sweep ----------------------------------------------------------------------------------


def test_sweep_hands_over_what_is_due_and_not_yet_in_the_log(program):
    first = accepted(program, at(3, 16))
    second = accepted(program, at(3, 17))
    SentReminder.objects.create(
        kind="orientation_reminder",
        content_type=ContentType.objects.get_for_model(Participation),
        object_id=first.pk,
        due_on=feb(10),
        organization=program.organization,
        program=program,
        status=SentReminder.Status.SENT,
    )
    handed: list[Due] = []

    report = reminders_sweep(now=NOW, publish=lambda d: handed.append(d) or True)

    assert [(d.kind, d.object_id) for d in handed] == [("orientation_reminder", second.pk)]
    assert (report.due, report.enqueued, report.broker_unavailable) == (1, 1, False)


def test_sweep_stops_at_the_first_refusal_of_the_broker(program):
    for hour in (10, 11, 12):
        accepted(program, at(3, hour))
    attempts: list[Due] = []

    report = reminders_sweep(now=NOW, publish=lambda d: attempts.append(d) and False)

    assert len(attempts) == 1
    assert report.broker_unavailable and report.enqueued == 0


def test_sweep_hands_out_again_what_waits_and_abandoned_claims(program, settings):
    settings.REMINDER_STALE_CLAIM_SECONDS = 1800
    content_type = ContentType.objects.get_for_model(Participation)
    rows = {}
    for name, status, claimed_minutes_ago in [
        ("pending", SentReminder.Status.PENDING, None),
        ("abandoned", SentReminder.Status.CLAIMED, 31),
        ("in_progress", SentReminder.Status.CLAIMED, 5),
        ("failed", SentReminder.Status.FAILED, None),
    ]:
        rows[name] = SentReminder.objects.create(
            kind="orientation_reminder",
            content_type=content_type,
            object_id=ParticipationFactory(program=program).pk,
            due_on=feb(10),
            organization=program.organization,
            program=program,
            status=status,
            claimed_at=NOW - datetime.timedelta(minutes=claimed_minutes_ago) if claimed_minutes_ago else None,
        )
    handed: list[Due] = []

    report = reminders_sweep(now=NOW, publish=lambda d: handed.append(d) or True)

    assert {d.object_id for d in handed} == {rows["pending"].object_id, rows["abandoned"].object_id}
    assert report.left_behind == 2
