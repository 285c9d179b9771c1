"""Check-ins with active matches: the schedule's dates, recording a check-in or noting that
nobody replied, and the reasons that put a match on the at-risk list, on fixed dates."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from matching.checkin_services import (
    checkin_follow_up_done,
    checkin_mark_unanswered,
    checkin_participant_answer,
    checkin_record,
    checkin_schedule_update,
    checkins_due_for,
    missed_checkin_dates,
    next_checkin_date,
    participant_checkin_date,
    schedule_dates,
)
from matching.health_selectors import at_risk_matches, checkin_plan
from matching.models import CheckIn, CheckInSchedule, Goal, Match, Meeting
from participants.tests.factories import PersonFactory
from programs.models import ActivityEntry

from .factories import CheckInFactory, CheckInScheduleFactory, MatchFactory, started_match

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 4, 22)  # a Wednesday
DEFAULTS = CheckInSchedule()  # 14 days, then every 30; at risk after 30 days, 2/5, 7 days


def _meeting(match: Match, occurred_on: datetime.date, minutes: int = 60) -> Meeting:
    return Meeting.objects.create(
        match=match,
        occurred_on=occurred_on,
        duration_minutes=minutes,
        topics="Resume review",
        logged_as=Meeting.LoggedAs.COORDINATOR,
    )


def _goal(match: Match, target_date: datetime.date, status: str = Goal.Status.IN_PROGRESS) -> Goal:
    return Goal.objects.create(
        match=match,
        category=Goal.Category.CERTIFICATION,
        title="APEGA registration",
        description="Submit the APEGA application with the work-experience record.",
        target_date=target_date,
        status=status,
    )


def _reasons(program, today=TODAY) -> dict[int, list[str]]:
    return {row.match.pk: row.reasons for row in at_risk_matches([program], today)}


# --- The schedule's dates ------------------------------------------------------------------------


def test_schedule_is_first_after_14_days_then_every_30_until_the_planned_end():
    dates = schedule_dates(
        started_on=D(2026, 3, 2), planned_end_on=D(2026, 6, 30), schedule=DEFAULTS, today=TODAY
    )
    # 2 March + 14 = 16 March; + 30 = 15 April; + 30 = 15 May; + 30 = 14 June; 14 July is past the end.
    assert dates == [D(2026, 3, 16), D(2026, 4, 15), D(2026, 5, 15), D(2026, 6, 14)]


def test_schedule_includes_a_date_that_falls_on_the_planned_end():
    dates = schedule_dates(
        started_on=D(2026, 3, 2), planned_end_on=D(2026, 5, 15), schedule=DEFAULTS, today=TODAY
    )
    assert dates == [D(2026, 3, 16), D(2026, 4, 15), D(2026, 5, 15)]


def test_schedule_without_planned_end_runs_to_the_first_date_after_today():
    dates = schedule_dates(started_on=D(2026, 3, 2), planned_end_on=None, schedule=DEFAULTS, today=TODAY)
    assert dates == [D(2026, 3, 16), D(2026, 4, 15), D(2026, 5, 15)]


def test_schedule_follows_the_programs_own_intervals(program):
    CheckInScheduleFactory(program=program, first_after_days=7, then_every_days=14)
    match = started_match(program, started_on=D(2026, 3, 2), planned_end_on=D(2026, 4, 10))
    # 2 March + 7 = 9 March; + 14 = 23 March; + 14 = 6 April; 20 April is past the end.
    assert checkins_due_for(match, today=TODAY) == [D(2026, 3, 9), D(2026, 3, 23), D(2026, 4, 6)]


def test_match_not_started_has_no_schedule(program):
    assert checkins_due_for(MatchFactory(program=program), today=TODAY) == []


def test_a_date_is_missed_once_it_is_seven_days_old_without_a_checkin():
    dates = [D(2026, 3, 16), D(2026, 4, 15), D(2026, 5, 15)]
    kwargs = {"last_handled_on": None, "schedule": DEFAULTS}
    assert missed_checkin_dates(dates, today=D(2026, 4, 21), **kwargs) == [D(2026, 3, 16)]
    # 15 April + 7 days = 22 April.
    assert missed_checkin_dates(dates, today=D(2026, 4, 22), **kwargs) == [D(2026, 3, 16), D(2026, 4, 15)]


def test_a_later_checkin_covers_the_dates_before_it():
    dates = [D(2026, 3, 16), D(2026, 4, 15), D(2026, 5, 15)]
    missed = missed_checkin_dates(dates, last_handled_on=D(2026, 3, 16), today=TODAY, schedule=DEFAULTS)
    assert missed == [D(2026, 4, 15)]
    assert missed_checkin_dates(dates, last_handled_on=D(2026, 4, 15), today=TODAY, schedule=DEFAULTS) == []


def test_next_checkin_catches_up_on_the_latest_passed_date_then_looks_ahead():
    dates = [D(2026, 3, 16), D(2026, 4, 15), D(2026, 5, 15)]
    assert next_checkin_date(dates, last_handled_on=None, today=TODAY) == D(2026, 4, 15)
    assert next_checkin_date(dates, last_handled_on=D(2026, 4, 15), today=TODAY) == D(2026, 5, 15)
    assert next_checkin_date(dates, last_handled_on=D(2026, 5, 15), today=TODAY) == TODAY


def test_plan_gives_each_date_its_state(program):
    match = started_match(program, started_on=D(2026, 1, 5), planned_end_on=D(2026, 6, 30))
    # Dates: 19 Jan, 18 Feb, 20 Mar, 19 Apr, 19 May, 18 Jun.
    CheckInFactory(match=match, due_on=D(2026, 2, 18), status=CheckIn.Status.DONE)
    plan = checkin_plan(match, TODAY)
    assert [(p.due_on, p.state) for p in plan.dates] == [
        (D(2026, 1, 19), "covered"),
        (D(2026, 2, 18), "done"),
        (D(2026, 3, 20), "overdue"),
        (D(2026, 4, 19), "due"),  # 3 days old: within the 7 allowed
        (D(2026, 5, 19), "upcoming"),
        (D(2026, 6, 18), "upcoming"),
    ]
    assert plan.next_on == D(2026, 4, 19)
    assert plan.missed == [D(2026, 3, 20)]


# --- Recording -----------------------------------------------------------------------------------


@pytest.fixture
def match(program):
    return started_match(program, started_on=D(2026, 3, 2), planned_end_on=D(2026, 6, 30))


def test_recording_a_checkin_saves_what_was_heard_and_logs_it(match, coordinator):
    checkin = checkin_record(
        match=match,
        due_on=D(2026, 3, 16),
        with_whom=CheckIn.WithWhom.MENTEE,
        how_it_is_going="  Two meetings so far; resume rewritten for Canadian employers. ",
        concerns="The mentor travels a lot in April.",
        satisfaction=4,
        follow_up_actions="Ask the mentor for April dates.",
        actor=coordinator,
    )
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.DONE
    assert checkin.how_it_is_going == "Two meetings so far; resume rewritten for Canadian employers."
    assert (checkin.satisfaction, checkin.with_whom, checkin.done_by) == (4, "mentee", coordinator)
    assert checkin.done_at is not None
    entry = ActivityEntry.objects.get(verb="checkin.recorded")
    assert entry.target_id == str(match.pk)
    assert entry.program == match.program
    assert entry.data["satisfaction"] == 4


def test_recording_an_unanswered_checkin_later_turns_the_same_row_done(match, coordinator):
    unanswered = checkin_mark_unanswered(
        match=match, due_on=D(2026, 3, 16), with_whom=CheckIn.WithWhom.BOTH, actor=coordinator
    )
    done = checkin_record(
        match=match,
        due_on=D(2026, 3, 16),
        with_whom=CheckIn.WithWhom.MENTOR,
        how_it_is_going="The mentor called back: all well.",
        actor=coordinator,
    )
    assert done.pk == unanswered.pk
    assert CheckIn.objects.get().status == CheckIn.Status.DONE
    assert list(ActivityEntry.objects.order_by("pk").values_list("verb", flat=True)) == [
        "checkin.unanswered",
        "checkin.recorded",
    ]


def test_a_date_already_recorded_is_refused(match, coordinator):
    CheckInFactory(match=match, due_on=D(2026, 3, 16))
    with pytest.raises(ValidationError) as error:
        checkin_record(
            match=match, due_on=D(2026, 3, 16), with_whom="both", how_it_is_going="Again", actor=coordinator
        )
    assert "due_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        checkin_mark_unanswered(match=match, due_on=D(2026, 3, 16), with_whom="both", actor=coordinator)


def test_marking_the_same_date_unanswered_twice_is_refused(match, coordinator):
    checkin_mark_unanswered(match=match, due_on=D(2026, 3, 16), with_whom="both", actor=coordinator)
    with pytest.raises(ValidationError):
        checkin_mark_unanswered(match=match, due_on=D(2026, 3, 16), with_whom="both", actor=coordinator)
    assert ActivityEntry.objects.filter(verb="checkin.unanswered").count() == 1


@pytest.mark.parametrize("status", [Match.Status.PROPOSED, Match.Status.COMPLETED, Match.Status.CLOSED_EARLY])
def test_checkins_are_for_active_matches_only(program, coordinator, status):
    match = MatchFactory(program=program, status=status, started_on=D(2026, 3, 2))
    with pytest.raises(ValidationError):
        checkin_record(
            match=match, due_on=D(2026, 3, 16), with_whom="both", how_it_is_going="Fine", actor=coordinator
        )
    assert not CheckIn.objects.exists()
    assert not ActivityEntry.objects.exists()


def test_a_checkin_before_the_start_is_refused(match, coordinator):
    with pytest.raises(ValidationError) as error:
        checkin_record(
            match=match, due_on=D(2026, 3, 1), with_whom="both", how_it_is_going="Fine", actor=coordinator
        )
    assert "due_on" in error.value.message_dict


def test_a_checkin_needs_a_word_on_how_it_is_going(match, coordinator):
    with pytest.raises(ValidationError) as error:
        checkin_record(
            match=match, due_on=D(2026, 3, 16), with_whom="both", how_it_is_going="  ", actor=coordinator
        )
    assert "how_it_is_going" in error.value.message_dict


@pytest.mark.parametrize("score", [0, 6])
def test_satisfaction_is_on_a_scale_of_one_to_five(match, coordinator, score):
    with pytest.raises(ValidationError) as error:
        checkin_record(
            match=match,
            due_on=D(2026, 3, 16),
            with_whom="both",
            how_it_is_going="Fine",
            satisfaction=score,
            actor=coordinator,
        )
    assert "satisfaction" in error.value.message_dict
    assert not CheckIn.objects.exists()


def test_follow_up_is_ticked_off_once(match, coordinator):
    checkin = CheckInFactory(match=match, due_on=D(2026, 3, 16), follow_up_actions="Send the APEGA guide.")
    checkin_follow_up_done(checkin=checkin, actor=coordinator)
    checkin.refresh_from_db()
    assert checkin.follow_up_done
    with pytest.raises(ValidationError):
        checkin_follow_up_done(checkin=checkin, actor=coordinator)
    assert ActivityEntry.objects.filter(verb="checkin.follow_up_done").count() == 1


def test_follow_up_needs_actions_to_tick_off(match, coordinator):
    checkin = CheckInFactory(match=match, due_on=D(2026, 3, 16), follow_up_actions="")
    with pytest.raises(ValidationError):
        checkin_follow_up_done(checkin=checkin, actor=coordinator)


# --- The schedule's settings ---------------------------------------------------------------------


def test_schedule_update_saves_and_logs_what_changed(program, coordinator):
    schedule = checkin_schedule_update(
        program=program,
        first_after_days=10,
        then_every_days=30,
        at_risk_no_meeting_days=21,
        low_satisfaction_at_most=2,
        unanswered_after_days=7,
        actor=coordinator,
    )
    assert CheckInSchedule.objects.get(program=program).pk == schedule.pk
    entry = ActivityEntry.objects.get(verb="checkin_schedule.updated")
    assert entry.data["changed"] == {"first_after_days": [14, 10], "at_risk_no_meeting_days": [30, 21]}


def test_schedule_update_with_the_defaults_writes_nothing(program, coordinator):
    checkin_schedule_update(
        program=program,
        first_after_days=14,
        then_every_days=30,
        at_risk_no_meeting_days=30,
        low_satisfaction_at_most=2,
        unanswered_after_days=7,
        actor=coordinator,
    )
    assert not CheckInSchedule.objects.exists()
    assert not ActivityEntry.objects.exists()


def test_schedule_update_refuses_values_out_of_range(program, coordinator):
    with pytest.raises(ValidationError) as error:
        checkin_schedule_update(
            program=program,
            first_after_days=14,
            then_every_days=2,
            at_risk_no_meeting_days=30,
            low_satisfaction_at_most=5,
            unanswered_after_days=7,
            actor=coordinator,
        )
    assert set(error.value.message_dict) == {"then_every_days", "low_satisfaction_at_most"}
    assert not CheckInSchedule.objects.exists()


# --- At-risk reasons on 22 April 2026 ------------------------------------------------------------


@pytest.fixture
def four_at_risk(program):
    """Four matches at risk for different reasons on 22 April 2026, and one doing well."""
    people = {
        name: PersonFactory(organization=program.organization, first_name=first, last_name=name)
        for first, name in [("Amina", "Okafor"), ("Bao", "Tran"), ("Chen", "Li"), ("Dariya", "Shevchenko")]
    }

    def match_of(last_name, started_on):
        return started_match(
            program,
            started_on=started_on,
            planned_end_on=D(2026, 8, 31),
            mentee__person=people[last_name],
        )

    # Last met 20 March: 33 days. Check-in of 15 April done, covering 16 March.
    no_meeting = match_of("Okafor", D(2026, 3, 2))
    _meeting(no_meeting, D(2026, 3, 20))
    CheckInFactory(match=no_meeting, due_on=D(2026, 4, 15), satisfaction=4)
    # Started 30 March (23 days: not yet a meeting reason); first check-in 13 April, 9 days old.
    overdue_checkin = match_of("Tran", D(2026, 3, 30))
    # Started 1 February, 80 days without a meeting; the check-in of 16 April got no reply.
    never_met = match_of("Li", D(2026, 2, 1))
    CheckInFactory(
        match=never_met, due_on=D(2026, 4, 16), status=CheckIn.Status.UNANSWERED, satisfaction=None
    )
    # Met two days ago, but unhappy at the last check-in and two goals past their date.
    unhappy = match_of("Shevchenko", D(2026, 3, 2))
    _meeting(unhappy, D(2026, 4, 20))
    CheckInFactory(match=unhappy, due_on=D(2026, 3, 16), satisfaction=5)
    CheckInFactory(match=unhappy, due_on=D(2026, 4, 15), satisfaction=2)
    _goal(unhappy, D(2026, 4, 21), Goal.Status.NOT_STARTED)
    _goal(unhappy, D(2026, 4, 1), Goal.Status.IN_PROGRESS)
    _goal(unhappy, D(2026, 4, 1), Goal.Status.ACHIEVED)
    _goal(unhappy, D(2026, 4, 1), Goal.Status.DROPPED)
    _goal(unhappy, TODAY, Goal.Status.NOT_STARTED)  # due today: not overdue yet
    # Doing well: met two days ago, happy at the check-in of 15 April.
    well = started_match(program, started_on=D(2026, 3, 2), planned_end_on=D(2026, 8, 31))
    _meeting(well, D(2026, 4, 20))
    CheckInFactory(match=well, due_on=D(2026, 4, 15), satisfaction=4)
    return {"no_meeting": no_meeting, "overdue": overdue_checkin, "never_met": never_met, "unhappy": unhappy}


def test_each_match_at_risk_has_its_reasons(program, four_at_risk):
    m = four_at_risk
    assert _reasons(program) == {
        m["no_meeting"].pk: ["no meeting in 33 days"],
        m["overdue"].pk: ["check-in overdue since April 13, 2026"],
        m["never_met"].pk: ["never met since the start 80 days ago", "check-in unanswered"],
        m["unhappy"].pk: ["2 goals overdue", "satisfaction 2/5 at the last check-in"],
    }


def test_at_risk_list_reports_the_facts_behind_the_reasons(program, four_at_risk):
    rows = {row.match.pk: row for row in at_risk_matches([program], TODAY)}
    unhappy = rows[four_at_risk["unhappy"].pk]
    assert (unhappy.last_met_on, unhappy.days_without_meeting) == (D(2026, 4, 20), 2)
    assert (unhappy.overdue_goals, unhappy.satisfaction) == (2, 2)
    never_met = rows[four_at_risk["never_met"].pk]
    assert (never_met.last_met_on, never_met.days_without_meeting) == (None, 80)
    assert never_met.next_checkin_on == D(2026, 5, 16)
    assert rows[four_at_risk["overdue"].pk].next_checkin_on == D(2026, 4, 13)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("meeting", ["never_met", "no_meeting", "overdue", "unhappy"]),  # 80, 33, 23, 2 days
        ("satisfaction", ["unhappy", "no_meeting", "never_met", "overdue"]),  # 2, 4, then none
        ("start", ["never_met", "no_meeting", "unhappy", "overdue"]),
        ("name", ["never_met", "no_meeting", "unhappy", "overdue"]),  # Li, Okafor, Shevchenko, Tran
        ("unknown", ["never_met", "no_meeting", "overdue", "unhappy"]),
    ],
)
def test_at_risk_list_sorts(program, four_at_risk, sort, order):
    rows = at_risk_matches([program], TODAY, sort=sort)
    assert [row.match.pk for row in rows] == [four_at_risk[key].pk for key in order]


@pytest.mark.parametrize(("last_met", "at_risk"), [(D(2026, 3, 23), True), (D(2026, 3, 24), False)])
def test_no_meeting_counts_from_the_programs_number_of_days(program, last_met, at_risk):
    match = started_match(program, started_on=D(2026, 1, 5))
    CheckInFactory(match=match, due_on=D(2026, 4, 19), satisfaction=4)
    _meeting(match, last_met)  # 23 March is 30 days before 22 April; 24 March is 29
    assert (match.pk in _reasons(program)) is at_risk


def test_program_thresholds_decide_what_is_at_risk(program):
    CheckInScheduleFactory(program=program, at_risk_no_meeting_days=14, low_satisfaction_at_most=3)
    match = started_match(program, started_on=D(2026, 3, 2))
    _meeting(match, D(2026, 4, 7))
    CheckInFactory(match=match, due_on=D(2026, 4, 15), satisfaction=3)
    assert _reasons(program)[match.pk] == ["no meeting in 15 days", "satisfaction 3/5 at the last check-in"]


def test_a_new_checkin_resolves_an_overdue_one_and_low_satisfaction(program, four_at_risk, coordinator):
    for key, due_on in [("overdue", D(2026, 4, 13)), ("unhappy", D(2026, 4, 21))]:
        checkin_record(
            match=four_at_risk[key],
            due_on=due_on,
            with_whom="both",
            how_it_is_going="Back on track.",
            satisfaction=4,
            actor=coordinator,
        )
    reasons = _reasons(program)
    assert four_at_risk["overdue"].pk not in reasons
    assert reasons[four_at_risk["unhappy"].pk] == ["2 goals overdue"]


def test_a_later_checkin_without_satisfaction_clears_a_low_score(program):
    match = started_match(program, started_on=D(2026, 3, 2))
    _meeting(match, D(2026, 4, 20))
    CheckInFactory(match=match, due_on=D(2026, 3, 16), satisfaction=1)
    CheckInFactory(match=match, due_on=D(2026, 4, 15), satisfaction=None)
    assert match.pk not in _reasons(program)


def test_only_active_matches_of_the_given_programs_are_listed(program, other_program):
    for status in [Match.Status.COMPLETED, Match.Status.CLOSED_EARLY, Match.Status.PROPOSED]:
        MatchFactory(program=program, status=status, started_on=D(2025, 1, 6))
    elsewhere = started_match(other_program, started_on=D(2025, 1, 6))
    assert _reasons(program) == {}
    assert list(_reasons(other_program)) == [elsewhere.pk]


@pytest.mark.parametrize("count", [3, 40])
def test_at_risk_list_takes_one_query_however_many_matches(program, django_assert_num_queries, count):
    CheckInScheduleFactory(program=program)
    for index in range(count):
        match = started_match(program, started_on=D(2026, 1, 5) + datetime.timedelta(days=index))
        _meeting(match, D(2026, 2, 2))
        CheckInFactory(match=match, due_on=D(2026, 2, 1), satisfaction=2)
        _goal(match, D(2026, 3, 1))
    with django_assert_num_queries(1):
        rows = at_risk_matches([program], TODAY)
        names = [row.match.mentee.person.full_name + row.match.mentor.person.full_name for row in rows]
    assert len(names) == count


def test_a_coordinator_records_a_date_the_mentee_already_answered_in_the_portal(program, coordinator):
    match = started_match(program, started_on=datetime.date(2026, 3, 2))
    today = datetime.date(2026, 3, 20)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        due_on = participant_checkin_date(match, today=today)
        checkin_participant_answer(
            match=match,
            side="mentee",
            how_it_is_going="Good",
            satisfaction=4,
            concerns="",
            actor=match.mentee.person.user,
        )
        checkin_record(
            match=match,
            due_on=due_on,
            with_whom="both",
            how_it_is_going="Called both; all well.",
            satisfaction=5,
            actor=coordinator,
        )
    assert match.checkins.filter(due_on=due_on).count() == 2
    [planned] = [p for p in checkin_plan(match, today).dates if p.due_on == due_on]
    assert (planned.state, planned.checkin.answered_by_side) == ("done", "")
