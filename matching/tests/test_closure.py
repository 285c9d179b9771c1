"""Closing a match with its outcomes, the closing surveys, and the employment follow-ups."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching import closure_services
from matching.closure_services import add_months
from matching.models import ClosingSurvey, Closure, DoNotMatch, FollowUp, Goal, Match
from participants.models import Participation
from programs.models import ActivityEntry

from .factories import GoalFactory, started_match

pytestmark = pytest.mark.django_db

S = Participation.Status
TODAY = datetime.date(2026, 8, 31)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 8, 31, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def active(program) -> Match:
    return started_match(
        program, started_on=datetime.date(2026, 3, 2), planned_end_on=datetime.date(2026, 9, 1)
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-08-31", 3, "2026-11-30"),  # November has 30 days
        ("2026-08-31", 6, "2027-02-28"),
        ("2027-11-30", 3, "2028-02-29"),  # leap year
        ("2026-01-15", 12, "2027-01-15"),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(day, months, expected):
    assert add_months(datetime.date.fromisoformat(day), months) == datetime.date.fromisoformat(expected)


def test_a_planned_closure_completes_the_match_with_goal_outcomes_and_two_follow_ups(active, coordinator):
    reached, dropped = GoalFactory(match=active), GoalFactory(match=active)
    closure = closure_services.match_close(
        match=active,
        early=False,
        reason=Closure.Reason.RAN_ITS_COURSE,
        note="Six months of steady meetings",
        goal_outcomes={reached.pk: Goal.Status.ACHIEVED, dropped.pk: Goal.Status.DROPPED},
        actor=coordinator,
    )
    active.refresh_from_db()
    active.mentee.refresh_from_db()
    assert (active.status, active.ended_on, active.mentee.status) == (
        Match.Status.COMPLETED,
        TODAY,
        S.COMPLETED,
    )
    assert (closure.early, closure.reason, closure.closed_by) == (False, "ran_its_course", coordinator)
    reached.refresh_from_db()
    dropped.refresh_from_db()
    assert (reached.status, dropped.status) == (Goal.Status.ACHIEVED, Goal.Status.DROPPED)
    assert list(active.follow_ups.values_list("months_after", "due_on", "status")) == [
        (3, datetime.date(2026, 11, 30), "due"),
        (6, datetime.date(2027, 2, 28), "due"),
    ]
    assert ActivityEntry.objects.filter(verb="match.closure_recorded").count() == 2  # match and person


def test_an_early_closure_needs_what_happened_and_may_mark_the_pair(active, coordinator):
    with pytest.raises(ValidationError) as error:
        closure_services.match_close(match=active, early=True, reason="moved", note=" ", actor=coordinator)
    assert "note" in error.value.error_dict
    closure_services.match_close(
        match=active,
        early=True,
        reason=Closure.Reason.NOT_A_FIT,
        note="They never found a time that suited both",
        mentee_returns_to_pool=True,
        do_not_match_again=True,
        actor=coordinator,
    )
    active.refresh_from_db()
    active.mentee.refresh_from_db()
    assert (active.status, active.mentee.status) == (Match.Status.CLOSED_EARLY, S.READY_TO_MATCH)
    assert DoNotMatch.objects.filter(mentee=active.mentee.person, mentor=active.mentor.person).exists()


def test_do_not_match_again_is_for_early_closures_only_and_nothing_changes_on_refusal(active, coordinator):
    goal = GoalFactory(match=active)
    with pytest.raises(ValidationError):
        closure_services.match_close(
            match=active,
            early=False,
            reason="ran_its_course",
            do_not_match_again=True,
            goal_outcomes={goal.pk: Goal.Status.ACHIEVED},
            actor=coordinator,
        )
    active.refresh_from_db()
    goal.refresh_from_db()
    assert (active.status, goal.status) == (Match.Status.ACTIVE, Goal.Status.NOT_STARTED)
    assert not Closure.objects.exists()


def test_a_goal_of_another_match_is_refused(active, program, coordinator):
    stranger = GoalFactory(match=started_match(program, started_on=datetime.date(2026, 3, 2)))
    with pytest.raises(ValidationError):
        closure_services.match_close(
            match=active,
            early=False,
            reason="ran_its_course",
            goal_outcomes={stranger.pk: "achieved"},
            actor=coordinator,
        )


def test_closing_surveys_once_per_side_after_the_end(active, coordinator):
    with pytest.raises(ValidationError, match="for matches that have ended"):
        closure_services.closing_survey_record(
            match=active,
            side="mentee",
            satisfaction=5,
            would_take_part_again="yes",
            by_coordinator=True,
            actor=coordinator,
        )
    closure_services.match_close(match=active, early=False, reason="ran_its_course", actor=coordinator)
    mentee = closure_services.closing_survey_record(
        match=active,
        side="mentee",
        satisfaction=4,
        would_take_part_again="yes",
        employment_status="related",
        comments="I found work as a project coordinator.",
        by_coordinator=False,
        actor=None,
    )
    mentor = closure_services.closing_survey_record(
        match=active,
        side="mentor",
        satisfaction=5,
        would_take_part_again="unsure",
        employment_status="in_field",  # a mentor's employment is not asked
        by_coordinator=True,
        actor=coordinator,
    )
    assert (mentee.employment_status, mentor.employment_status) == ("related", "")
    with pytest.raises(ValidationError, match="The mentee's closing survey is already recorded."):
        closure_services.closing_survey_record(
            match=active,
            side="mentee",
            satisfaction=1,
            would_take_part_again="no",
            by_coordinator=True,
            actor=coordinator,
        )
    with pytest.raises(ValidationError):
        closure_services.closing_survey_record(
            match=active,
            side="mentor",
            satisfaction=6,
            would_take_part_again="no",
            by_coordinator=True,
            actor=coordinator,
        )
    assert ClosingSurvey.objects.count() == 2


def test_follow_up_answer_and_no_answer(active, coordinator):
    closure_services.match_close(match=active, early=False, reason="ran_its_course", actor=coordinator)
    first, second = active.follow_ups.all()
    closure_services.follow_up_record(
        follow_up=first,
        employment_status="in_field",
        still_in_region=True,
        notes="Junior engineer",
        actor=coordinator,
    )
    first.refresh_from_db()
    assert (first.status, first.employment_status, first.still_in_region) == ("done", "in_field", True)
    with pytest.raises(ValidationError):
        closure_services.follow_up_record(
            follow_up=second, employment_status="astronaut", still_in_region=None, actor=coordinator
        )
    closure_services.follow_up_no_answer(follow_up=second, actor=coordinator)
    second.refresh_from_db()
    assert second.status == "no_answer"
    with pytest.raises(ValidationError, match="already has an answer"):
        closure_services.follow_up_no_answer(follow_up=first, actor=coordinator)


# --- Pages ---------------------------------------------------------------------------------------


def _closure_url(match) -> str:
    return reverse("matching:match_closure", args=[match.pk])


def test_closure_tab_closes_the_match_with_goal_outcomes(client, coordinator, active):
    goal = GoalFactory(match=active, title="Pass the APEGA ethics exam")
    client.force_login(coordinator)
    html = client.get(_closure_url(active)).content.decode()
    assert "Pass the APEGA ethics exam" in html and 'data-testid="close-match"' in html
    response = client.post(
        _closure_url(active),
        {
            "ending": "planned",
            "reason": "goals_met",
            "note": "",
            f"goal_{goal.pk}": "achieved",
            "mentor_available_again": "on",
        },
    )
    assert response.status_code == 302
    active.refresh_from_db()
    goal.refresh_from_db()
    assert (active.status, goal.status) == (Match.Status.COMPLETED, "achieved")
    active.mentor.refresh_from_db()
    assert active.mentor.status == S.READY_TO_MATCH
    html = client.get(_closure_url(active)).content.decode()
    assert "The goals were met early" in html
    assert 'data-testid="survey-mentee"' in html and html.count('data-testid="follow-up-') == 2


def test_early_closure_without_a_note_re_renders_with_what_was_typed(client, coordinator, active):
    client.force_login(coordinator)
    response = client.post(_closure_url(active), {"ending": "early", "reason": "moved", "note": "  "})
    assert response.status_code == 200
    assert response.context["close_form"].errors["note"]
    assert 'value="moved" selected' in response.content.decode()
    active.refresh_from_db()
    assert active.status == Match.Status.ACTIVE


def test_coordinator_records_both_closing_surveys_and_a_follow_up(client, coordinator, active):
    closure_services.match_close(match=active, early=False, reason="ran_its_course", actor=coordinator)
    client.force_login(coordinator)
    url = reverse("matching:match_closing_survey", args=[active.pk, "mentee"])
    response = client.post(url, {"satisfaction": 4, "would_take_part_again": "yes"})
    assert response.status_code == 200  # employment status missing for the mentee
    assert response.context["surveys"][0][2].errors["employment_status"]
    client.post(url, {"satisfaction": 4, "would_take_part_again": "yes", "employment_status": "in_field"})
    client.post(
        reverse("matching:match_closing_survey", args=[active.pk, "mentor"]),
        {"satisfaction": 5, "would_take_part_again": "yes"},
    )
    assert set(ClosingSurvey.objects.values_list("side", "by_coordinator")) == {
        ("mentee", True),
        ("mentor", True),
    }
    follow_up = active.follow_ups.first()
    response = client.post(
        reverse("matching:follow_up", args=[follow_up.pk]),
        {"employment_status": "related", "still_in_region": "false", "next": "list"},
    )
    assert response.url == reverse("matching:follow_ups")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.still_in_region) == ("done", False)


def test_follow_up_list_shows_what_is_due_most_overdue_first(client, coordinator, program, active):
    other = started_match(program, started_on=datetime.date(2026, 1, 5))
    closure_services.match_close(match=active, early=False, reason="ran_its_course", actor=coordinator)
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC), tick=False):
        closure_services.match_close(match=other, early=False, reason="ran_its_course", actor=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("matching:follow_ups"))
    due = [(f.match_id, f.months_after) for f in response.context["page_obj"].object_list]
    assert due == [(other.pk, 3), (other.pk, 6), (active.pk, 3), (active.pk, 6)]
    assert "due now" in response.content.decode()  # other's 3-month follow-up fell due on 1 August


def test_permissions_on_closure_pages(client, coordinator, other_coordinator, participant_user, active):
    closure_services.match_close(match=active, early=False, reason="ran_its_course", actor=coordinator)
    follow_up = active.follow_ups.first()
    gets = [_closure_url(active), reverse("matching:follow_ups")]
    posts = [
        reverse("matching:match_closing_survey", args=[active.pk, "mentor"]),
        reverse("matching:follow_up", args=[follow_up.pk]),
    ]
    for url in gets + posts:
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(participant_user)
        assert client.get(url).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(gets[0]).status_code == 404
    assert list(client.get(gets[1]).context["page_obj"].object_list) == []
    for url in posts:
        assert (
            client.post(
                url, {"satisfaction": 5, "would_take_part_again": "yes", "employment_status": "in_field"}
            ).status_code
            == 404
        )
    assert not ClosingSurvey.objects.exists()
    assert FollowUp.objects.filter(status="done").count() == 0


def test_follow_up_list_makes_the_same_number_of_queries_for_2_and_30(
    client, coordinator, program, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("matching:follow_ups"))
    for count in (1, 15):
        while FollowUp.objects.count() < count * 2:
            match = started_match(program, started_on=datetime.date(2026, 3, 2))
            closure_services.match_close(match=match, early=False, reason="ran_its_course", actor=coordinator)
        with django_assert_max_num_queries(9):
            response = client.get(reverse("matching:follow_ups"))
        assert len(response.context["page_obj"].object_list) == min(count * 2, 25)
