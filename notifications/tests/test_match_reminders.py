"""The reminders about matches, on hand-worked dates: no meeting logged, a goal's date close or
passed, check-in dates, the closing survey and the employment follow-up. Each is due on the day
worked out here, reaches a real SMTP server once per side however many sweeps run, and is not
sent when what it was about has cleared.

The clock is Tuesday 10 February 2026, 10:00 in Edmonton, as in test_due.py. Reminders may be up
to three days late (REMINDER_CATCH_UP_DAYS), so due dates from Saturday 7 February to today count.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from matching.models import CheckIn, ClosingSurvey, FollowUp, Goal, Match, Meeting
from matching.reminders import CHECKIN, CLOSING_SURVEY, FOLLOW_UP, GOAL, NO_MEETING
from matching.tests.factories import (
    CheckInFactory,
    CheckInScheduleFactory,
    GoalFactory,
    MatchFactory,
    started_match,
)
from notifications.models import ProgramCadence, SentReminder, Unsubscribe
from notifications.registry import Due, Schedule, content_type_id
from notifications.sending import Outcome, reminder_deliver
from notifications.sweep import reminders_sweep

from .conftest import text_body

pytestmark = pytest.mark.django_db

EDMONTON = ZoneInfo("America/Edmonton")
NOW = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=EDMONTON)
ST = SentReminder.Status


@pytest.fixture(autouse=True)
def _catch_up_three_days(settings):
    settings.REMINDER_CATCH_UP_DAYS = 3


def at(day: int, hour: int = 0, month: int = 2) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=EDMONTON)


def feb(day: int) -> datetime.date:
    return datetime.date(2026, 2, day)


def jan(day: int) -> datetime.date:
    return datetime.date(2026, 1, day)


def due(kind, now=NOW) -> list[Due]:
    return sorted(kind.due(Schedule(kind, now=now)), key=lambda d: (d.object_id, d.due_on, d.revision))


def keys(kind, now=NOW) -> set[tuple]:
    return {(d.object_id, d.due_on, d.revision) for d in due(kind, now)}


def sweep_twice() -> None:
    with time_machine.travel(NOW):
        reminders_sweep()
        reminders_sweep()


def met(match: Match, day: datetime.date) -> Meeting:
    return Meeting.objects.create(
        match=match, occurred_on=day, duration_minutes=60, topics="The resume", logged_as="mentee"
    )


def goal(match: Match, target: datetime.date, **fields) -> Goal:
    """A goal set on 1 December, long before any of its reminders."""
    made = GoalFactory(match=match, target_date=target, **fields)
    Goal.objects.filter(pk=made.pk).update(created_at=at(1, 9, month=12) - datetime.timedelta(days=365))
    return made


def deliver(due_item: Due) -> Outcome:
    with time_machine.travel(NOW):
        return reminder_deliver(due=due_item, claimant="task-1")


# --- No meeting logged ---------------------------------------------------------------------------


def test_both_sides_are_due_21_days_after_the_last_meeting(program):
    match = started_match(program, started_on=jan(2))
    met(match, jan(5))
    met(match, jan(20))  # 21 days before 10 February
    [mentee, mentor] = due(NO_MEETING)
    assert mentee == Due(
        "no_meeting_reminder",
        content_type_id(Match),
        match.pk,
        feb(10),
        program.organization_id,
        program.pk,
        "mentee:2026-01-20",
    )
    assert mentor.revision == "mentor:2026-01-20"


def test_a_match_that_never_met_counts_from_its_start(program):
    never = started_match(program, started_on=jan(19))  # due 9 February: a day late
    started_match(program, started_on=jan(21))  # due 11 February
    assert keys(NO_MEETING) == {
        (never.pk, feb(9), "mentee:2026-01-19"),
        (never.pk, feb(9), "mentor:2026-01-19"),
    }


def test_a_recent_meeting_or_another_status_is_not_reminded(program):
    met(started_match(program, started_on=jan(2)), feb(1))
    MatchFactory(program=program, status=Match.Status.COMPLETED, started_on=jan(2), ended_on=jan(20))
    assert due(NO_MEETING) == []


def test_a_quiet_spell_is_reminded_once_even_after_the_days_change(program):
    match = started_match(program, started_on=jan(20))
    for item in due(NO_MEETING):
        deliver(item)
    ProgramCadence.objects.create(program=program, kind="no_meeting_reminder", days=19)  # due 8 February
    assert due(NO_MEETING) == []
    # A meeting starts a new spell, reminded in its turn.
    met(match, jan(21))
    assert {d.revision for d in due(NO_MEETING, now=NOW + datetime.timedelta(days=2))} == {
        "mentee:2026-01-21",
        "mentor:2026-01-21",
    }


def test_each_side_gets_one_email_with_the_link_to_log_a_meeting(mail, program):
    match = started_match(
        program,
        started_on=jan(2),
        mentee__person__first_name="Amina",
        mentee__person__email="amina@example.org",
        mentor__person__first_name="Daniel",
        mentor__person__last_name="Tremblay",
        mentor__person__email="daniel@example.org",
    )
    met(match, jan(20))

    sweep_twice()

    messages = {m["To"]: m for m in mail.received()}
    assert set(messages) == {"amina@example.org", "daniel@example.org"}
    assert messages["amina@example.org"]["Subject"] == "Have you met Daniel lately?"
    body = text_body(messages["amina@example.org"])
    assert "Hello Amina" in body and "Daniel Tremblay" in body and "21 days ago" in body
    assert f"http://127.0.0.1:8000{reverse('portal:match_meetings', args=[match.pk])}" in body
    assert messages["daniel@example.org"]["List-Unsubscribe"] is not None
    assert set(SentReminder.objects.values_list("status", flat=True)) == {ST.SENT}


def test_a_meeting_logged_before_the_send_clears_the_reminder(mail, program):
    match = started_match(program, started_on=jan(20))
    [first, _second] = due(NO_MEETING)
    met(match, feb(9))
    assert deliver(first) == Outcome.SKIPPED
    assert mail.received() == []
    assert SentReminder.objects.get().skip_reason == SentReminder.SkipReason.NO_LONGER_DUE


# --- Goal dates --------------------------------------------------------------------------------


@pytest.fixture
def active(program) -> Match:
    return started_match(program, started_on=datetime.date(2025, 12, 1))


def test_a_goal_is_due_seven_days_before_its_date_and_the_day_after_it(active):
    soon = goal(active, feb(17))
    passed = goal(active, feb(9))
    goal(active, feb(18))  # seven days before is tomorrow
    goal(active, feb(5))  # passed on 6 February: more than three days ago
    assert keys(GOAL) == {
        (soon.pk, feb(10), "mentee:soon:2026-02-17"),
        (soon.pk, feb(10), "mentor:soon:2026-02-17"),
        (passed.pk, feb(10), "mentee:passed:2026-02-09"),
        (passed.pk, feb(10), "mentor:passed:2026-02-09"),
    }
    assert {d.content_type_id for d in due(GOAL)} == {content_type_id(Goal)}


def test_settled_goals_and_goals_set_too_late_are_not_reminded(active):
    goal(active, feb(17), status=Goal.Status.ACHIEVED)
    goal(active, feb(9), status=Goal.Status.DROPPED)
    late = GoalFactory(match=active, target_date=feb(15))  # due 8 February, set on the 10th
    Goal.objects.filter(pk=late.pk).update(created_at=at(10, 9))
    assert due(GOAL) == []


def test_a_goal_marked_changed_still_counts_as_passed(active):
    changed = goal(active, feb(9), status=Goal.Status.CHANGED)
    assert {d.object_id for d in due(GOAL)} == {changed.pk}


def test_goal_emails_say_close_or_passed_and_go_once_to_each_side(mail, active):
    goal(active, feb(17), title="Register with APEGA")
    goal(active, feb(9), title="Three informational interviews")

    sweep_twice()

    subjects = sorted(m["Subject"] for m in mail.received())
    assert subjects == [
        "A goal is due on Feb. 17, 2026: Register with APEGA",
        "A goal is due on Feb. 17, 2026: Register with APEGA",
        "The target date of a goal has passed: Three informational interviews",
        "The target date of a goal has passed: Three informational interviews",
    ]
    body = text_body(mail.received()[0])
    assert reverse("portal:goals", args=[active.pk]) in body


def test_a_goal_achieved_or_moved_before_the_send_is_not_reminded(mail, active):
    achieved, moved = goal(active, feb(17)), goal(active, feb(17))
    dues = due(GOAL)
    Goal.objects.filter(pk=achieved.pk).update(status=Goal.Status.ACHIEVED)
    Goal.objects.filter(pk=moved.pk).update(target_date=feb(28))
    assert {deliver(item) for item in dues} == {Outcome.SKIPPED}
    assert mail.received() == []


# --- Check-in dates ----------------------------------------------------------------------------


def test_both_sides_are_invited_on_each_check_in_date(program):
    first = started_match(program, started_on=jan(27))  # 14 days later: 10 February
    later = started_match(program, started_on=datetime.date(2025, 12, 28))  # 11 January, then 10 February
    started_match(program, started_on=jan(28))  # first check-in tomorrow
    assert keys(CHECKIN) == {
        (first.pk, feb(10), "mentee:2026-02-10"),
        (first.pk, feb(10), "mentor:2026-02-10"),
        (later.pk, feb(10), "mentee:2026-02-10"),
        (later.pk, feb(10), "mentor:2026-02-10"),
    }


def test_check_in_dates_follow_the_programs_schedule_and_the_days_before(program):
    CheckInScheduleFactory(program=program, first_after_days=7, then_every_days=14)
    weekly = started_match(program, started_on=feb(3))  # 10 February
    ProgramCadence.objects.create(program=program, kind="checkin_reminder", days=2)
    ahead = started_match(program, started_on=jan(29))  # 5 February, then 19 February: no
    assert {(d.object_id, d.due_on) for d in due(CHECKIN)} == {(weekly.pk, feb(8))}
    assert ahead.pk not in {d.object_id for d in due(CHECKIN)}


def test_a_check_in_already_done_on_or_after_the_date_is_not_reminded(program):
    done = started_match(program, started_on=jan(27))
    CheckInFactory(match=done, due_on=feb(10))
    unanswered = started_match(program, started_on=jan(26))  # 9 February
    CheckInFactory(match=unanswered, due_on=feb(9), status=CheckIn.Status.UNANSWERED, satisfaction=None)
    assert due(CHECKIN) == []


def test_check_in_email_links_to_the_portal_check_in_once_per_side(mail, program):
    match = started_match(program, started_on=jan(27))
    sweep_twice()
    assert len(mail.received()) == 2
    assert all(m["Subject"] == "How is your mentorship going?" for m in mail.received())
    assert reverse("portal:checkin", args=[match.pk]) in text_body(mail.received()[0])


def test_a_check_in_recorded_before_the_send_clears_it(mail, program):
    match = started_match(program, started_on=jan(27))
    dues = due(CHECKIN)
    CheckInFactory(match=match, due_on=feb(10))
    assert {deliver(item) for item in dues} == {Outcome.SKIPPED}
    assert mail.received() == []


# --- The closing survey ------------------------------------------------------------------------


def ended(program, ended_on: datetime.date, **fields) -> Match:
    return MatchFactory(
        program=program,
        status=fields.pop("status", Match.Status.COMPLETED),
        started_on=datetime.date(2025, 8, 1),
        ended_on=ended_on,
        **fields,
    )


def survey(match: Match, side: str) -> ClosingSurvey:
    return ClosingSurvey.objects.create(match=match, side=side, satisfaction=5, would_take_part_again="yes")


def test_each_side_without_a_survey_is_asked_two_days_after_the_end(program):
    completed = ended(program, feb(8))
    closed_early = ended(program, feb(7), status=Match.Status.CLOSED_EARLY)  # due 9 February
    survey(closed_early, "mentor")
    ended(program, feb(9))  # due tomorrow
    assert keys(CLOSING_SURVEY) == {
        (completed.pk, feb(10), "mentee"),
        (completed.pk, feb(10), "mentor"),
        (closed_early.pk, feb(9), "mentee"),
    }


def test_closing_survey_email_goes_once_per_side_with_the_portal_link(mail, program):
    match = ended(program, feb(8), mentee__person__email="amina@example.org")
    survey(match, "mentor")
    sweep_twice()
    [message] = mail.received()
    assert message["To"] == "amina@example.org"
    assert message["Subject"] == "How did your mentorship go?"
    assert reverse("portal:closing_survey", args=[match.pk]) in text_body(message)


def test_a_survey_answered_before_the_send_is_not_asked_for(mail, program):
    match = ended(program, feb(8))
    dues = due(CLOSING_SURVEY)
    survey(match, "mentee")
    survey(match, "mentor")
    assert {deliver(item) for item in dues} == {Outcome.SKIPPED}
    assert mail.received() == []


# --- Employment follow-ups ------------------------------------------------------------------------


def follow_up(match: Match, due_on: datetime.date, **fields) -> FollowUp:
    return FollowUp.objects.create(match=match, months_after=3, due_on=due_on, **fields)


def test_the_mentee_is_asked_on_the_follow_up_date(program):
    match = ended(program, datetime.date(2025, 11, 10))
    three_months = follow_up(match, feb(10))
    follow_up(ended(program, datetime.date(2025, 11, 11)), feb(11))  # tomorrow
    follow_up(
        ended(program, datetime.date(2025, 11, 9)),
        feb(9),
        status=FollowUp.Status.DONE,
        employment_status="in_field",
    )
    assert due(FOLLOW_UP) == [
        Due(
            "follow_up_reminder",
            content_type_id(FollowUp),
            three_months.pk,
            feb(10),
            program.organization_id,
            program.pk,
        )
    ]


def test_follow_up_email_goes_once_to_the_mentee_only(mail, program):
    match = ended(program, datetime.date(2025, 11, 10), mentee__person__email="amina@example.org")
    item = follow_up(match, feb(10))
    sweep_twice()
    [message] = mail.received()
    assert message["To"] == "amina@example.org"
    assert message["Subject"] == f"How is work going? A short question from {program.name}"
    body = text_body(message)
    assert "About 3 months ago" in body
    assert reverse("portal:follow_up", args=[item.pk]) in body


def test_a_follow_up_recorded_before_the_send_is_not_asked(mail, program):
    item = follow_up(ended(program, datetime.date(2025, 11, 10)), feb(10))
    [due_item] = due(FOLLOW_UP)
    FollowUp.objects.filter(pk=item.pk).update(status=FollowUp.Status.NO_ANSWER)
    assert deliver(due_item) == Outcome.SKIPPED
    assert mail.received() == []


# --- Turning them off ------------------------------------------------------------------------

NEW_KINDS = [NO_MEETING, GOAL, CHECKIN, CLOSING_SURVEY, FOLLOW_UP]


@pytest.fixture
def one_of_each(program) -> None:
    """For each new kind, one item due now whose mentee is amina@example.org."""
    mentee = {"mentee__person__email": "amina@example.org"}
    started_match(program, started_on=jan(27), **mentee)  # its first check-in
    goal(started_match(program, started_on=datetime.date(2025, 12, 1), **mentee), feb(17))
    met(started_match(program, started_on=jan(2), **mentee), jan(20))  # quiet for 21 days
    follow_up(ended(program, datetime.date(2025, 11, 10), **mentee), feb(10))
    ended(program, feb(8), **mentee)  # its closing survey


@pytest.mark.parametrize("kind", NEW_KINDS, ids=lambda kind: kind.key)
def test_each_new_reminder_carries_a_working_unsubscribe_link_and_the_portal_choices(
    client, mail, program, one_of_each, kind
):
    ProgramCadence.objects.bulk_create(
        ProgramCadence(program=program, kind=other.key, enabled=False, days=other.default_days)
        for other in NEW_KINDS
        if other is not kind
    )

    sweep_twice()

    [message] = [m for m in mail.received() if m["To"] == "amina@example.org"]
    link = "".join(message["List-Unsubscribe"].split()).strip("<>")
    body = text_body(message)
    assert link in body and f"http://127.0.0.1:8000{reverse('portal:notifications')}" in body
    client.post(link.removeprefix("http://127.0.0.1:8000"), {"scope": "kind"})
    assert Unsubscribe.objects.filter(email="amina@example.org", kind=kind.key).exists()


def test_a_program_that_turned_the_match_reminders_off_sends_none(mail, program, one_of_each):
    ProgramCadence.objects.bulk_create(
        ProgramCadence(program=program, kind=kind.key, enabled=False, days=kind.default_days)
        for kind in NEW_KINDS
    )
    sweep_twice()
    assert mail.received() == []
    assert not SentReminder.objects.exists()


def test_an_address_that_turned_a_kind_off_is_skipped(mail, program, one_of_each):
    Unsubscribe.objects.create(email="amina@example.org", kind="goal_reminder")
    sweep_twice()
    to_amina = [m["Subject"] for m in mail.received() if m["To"] == "amina@example.org"]
    assert len(to_amina) == 4 and not any("goal" in subject for subject in to_amina)
    skipped = SentReminder.objects.get(kind="goal_reminder", recipient="amina@example.org")
    assert skipped.skip_reason == SentReminder.SkipReason.UNSUBSCRIBED
