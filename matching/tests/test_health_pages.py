"""The staff pages for check-ins and match health: a match's "Check-ins" tab with its forms,
the program's check-in schedule, the at-risk list and the match-health dashboard. Dates are
fixed at Wednesday 22 April 2026 in Edmonton."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching.models import CheckIn, CheckInSchedule, Goal, Match, Meeting
from participants.tests.factories import PersonFactory
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .factories import CheckInFactory, CheckInScheduleFactory, MatchFactory, started_match

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = datetime.datetime(2026, 4, 22, 10, 0, tzinfo=ZoneInfo("America/Edmonton"))
LATER = D(2026, 6, 1)

LIST_PAGES = ["matching:at_risk", "matching:health", "matching:checkin_settings"]
MATCH_ACTIONS = ["matching:match_checkin_record", "matching:match_checkin_unanswered"]


@pytest.fixture(autouse=True)
def _on_22_april_2026():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def match(program):
    """Started 30 March: its first check-in, 13 April, is 9 days old and not recorded."""
    return started_match(
        program,
        started_on=D(2026, 3, 30),
        planned_end_on=D(2026, 7, 31),
        mentee__person=PersonFactory(
            organization=program.organization, first_name="Amina", last_name="Okafor"
        ),
    )


def _meeting(match: Match, occurred_on: datetime.date, minutes: int = 60) -> Meeting:
    return Meeting.objects.create(
        match=match,
        occurred_on=occurred_on,
        duration_minutes=minutes,
        topics="Interview practice",
        logged_as=Meeting.LoggedAs.MENTOR,
    )


def _goal(match: Match, status: str, target_date: datetime.date = LATER) -> Goal:
    return Goal.objects.create(
        match=match,
        category=Goal.Category.EMPLOYMENT_IN_FIELD,
        title="A job as a structural engineer",
        description="An offer from an engineering firm in Alberta.",
        target_date=target_date,
        status=status,
    )


def _checkins_url(match: Match) -> str:
    return reverse("matching:match_checkins", args=[match.pk])


def _record_data(**overrides) -> dict:
    data = {
        "due_on": "2026-04-13",
        "with_whom": "both",
        "how_it_is_going": "Three meetings; the mentee has two interviews lined up.",
        "concerns": "",
        "satisfaction": "4",
        "follow_up_actions": "Share the APEGA guide.",
    }
    return data | overrides


# --- Who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", LIST_PAGES)
def test_anonymous_visitor_is_sent_to_login(client, program, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_visitor_is_sent_to_login_from_a_matchs_checkins(client, match):
    response = client.get(_checkins_url(match))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", MATCH_ACTIONS)
def test_anonymous_visitor_cannot_record_a_checkin(client, match, name):
    response = client.post(reverse(name, args=[match.pk]), _record_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("name", LIST_PAGES)
def test_participant_is_refused_the_pages(client, participant_user, program, name):
    client.force_login(participant_user)
    assert client.get(reverse(name)).status_code == 403


def test_participant_is_refused_a_matchs_checkins(client, participant_user, match):
    client.force_login(participant_user)
    assert client.get(_checkins_url(match)).status_code == 403
    assert (
        client.post(reverse("matching:match_checkin_record", args=[match.pk]), _record_data()).status_code
        == 403
    )
    assert not CheckIn.objects.exists()


def test_coordinator_of_other_organization_gets_404_on_a_matchs_checkins(client, other_coordinator, match):
    client.force_login(other_coordinator)
    assert client.get(_checkins_url(match)).status_code == 404


@pytest.mark.parametrize("name", MATCH_ACTIONS)
def test_coordinator_of_other_organization_cannot_act_on_a_match(client, other_coordinator, match, name):
    client.force_login(other_coordinator)
    assert client.post(reverse(name, args=[match.pk]), _record_data()).status_code == 404
    assert not CheckIn.objects.exists()
    assert not ActivityEntry.objects.exists()


def test_coordinator_of_other_organization_cannot_tick_off_a_follow_up(client, other_coordinator, match):
    checkin = CheckInFactory(match=match, due_on=D(2026, 4, 13), follow_up_actions="Call the mentor")
    client.force_login(other_coordinator)
    url = reverse("matching:match_checkin_follow_up_done", args=[match.pk, checkin.pk])
    assert client.post(url).status_code == 404
    checkin.refresh_from_db()
    assert not checkin.follow_up_done


def test_coordinator_limited_to_another_program_gets_404(client, organization, match):
    elsewhere = ProgramFactory(organization=organization, name="Health Careers")
    limited = StaffMembershipFactory(organization=organization, programs=[elsewhere]).user
    client.force_login(limited)
    assert client.get(_checkins_url(match)).status_code == 404
    response = client.get(reverse("matching:at_risk"))
    assert response.context["program"] == elsewhere
    assert list(response.context["page_obj"].object_list) == []


def test_other_organizations_at_risk_list_and_dashboard_leave_our_matches_out(
    client, other_coordinator, match
):
    client.force_login(other_coordinator)
    response = client.get(reverse("matching:at_risk"))
    assert list(response.context["page_obj"].object_list) == []
    assert "Okafor" not in response.content.decode()
    response = client.get(reverse("matching:health"))
    assert response.context["figures"].active_matches == 0


def test_staff_without_an_active_program_see_a_plain_message(client, organization):
    user = UserFactory()
    StaffMembershipFactory(user=user, organization=organization)
    client.force_login(user)
    for name in LIST_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "You do not work in any active program yet" in response.content.decode()


def test_actions_refuse_get(client, coordinator, match):
    client.force_login(coordinator)
    for name in MATCH_ACTIONS:
        assert client.get(reverse(name, args=[match.pk])).status_code == 405


# --- A match's check-ins -------------------------------------------------------------------------


def test_checkins_tab_shows_the_schedule_and_offers_the_overdue_date(client, coordinator, match):
    client.force_login(coordinator)
    response = client.get(_checkins_url(match))
    page = response.content.decode()
    assert response.status_code == 200
    # 30 March + 14 = 13 April (overdue); then 13 May, 12 June, 12 July; 11 August is past the end.
    assert [p.due_on for p in response.context["plan"].dates] == [
        D(2026, 4, 13),
        D(2026, 5, 13),
        D(2026, 6, 12),
        D(2026, 7, 12),
    ]
    assert [p.state for p in response.context["plan"].dates] == [
        "overdue",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    assert response.context["record_form"].initial["due_on"] == D(2026, 4, 13)
    assert 'aria-current="page" href="' + _checkins_url(match) in page
    assert "No check-in is recorded yet." in page


def test_recording_a_checkin_from_the_tab(client, coordinator, match):
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:match_checkin_record", args=[match.pk]), _record_data(), follow=True
    )
    assert response.redirect_chain == [(_checkins_url(match), 302)]
    assert "The check-in is recorded." in response.content.decode()
    checkin = CheckIn.objects.get()
    assert (checkin.due_on, checkin.satisfaction, checkin.status) == (D(2026, 4, 13), 4, CheckIn.Status.DONE)
    assert checkin.follow_up_actions == "Share the APEGA guide."
    assert f'data-testid="checkin-{checkin.pk}"' in response.content.decode()
    assert [p.state for p in response.context["plan"].dates][0] == "done"


def test_a_checkin_without_satisfaction_is_recorded_as_not_asked(client, coordinator, match):
    client.force_login(coordinator)
    client.post(reverse("matching:match_checkin_record", args=[match.pk]), _record_data(satisfaction=""))
    assert CheckIn.objects.get().satisfaction is None


def test_bad_checkin_form_rerenders_with_its_errors(client, coordinator, match):
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:match_checkin_record", args=[match.pk]),
        _record_data(how_it_is_going="", satisfaction="9", due_on="soon"),
    )
    assert response.status_code == 200
    errors = response.context["record_form"].errors
    assert set(errors) == {"how_it_is_going", "satisfaction", "due_on"}
    assert response.context["record_form"].data["concerns"] == ""
    assert not CheckIn.objects.exists()


def test_service_refusal_shows_on_the_form(client, coordinator, match):
    CheckInFactory(match=match, due_on=D(2026, 4, 13))
    client.force_login(coordinator)
    response = client.post(reverse("matching:match_checkin_record", args=[match.pk]), _record_data())
    assert response.status_code == 200
    assert "A check-in is already recorded for" in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_marking_a_checkin_without_reply(client, coordinator, match):
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:match_checkin_unanswered", args=[match.pk]),
        {"due_on": "2026-04-13", "with_whom": "mentor"},
        follow=True,
    )
    assert "marked without reply" in response.content.decode()
    checkin = CheckIn.objects.get()
    assert (checkin.status, checkin.with_whom) == (CheckIn.Status.UNANSWERED, "mentor")
    assert response.context["plan"].dates[0].state == "unanswered"


def test_bad_unanswered_form_rerenders_with_its_errors(client, coordinator, match):
    client.force_login(coordinator)
    response = client.post(reverse("matching:match_checkin_unanswered", args=[match.pk]), {"due_on": ""})
    assert response.status_code == 200
    assert "due_on" in response.context["unanswered_form"].errors
    assert not CheckIn.objects.exists()


def test_ticking_off_a_follow_up(client, coordinator, match):
    checkin = CheckInFactory(match=match, due_on=D(2026, 4, 13), follow_up_actions="Call the mentor")
    client.force_login(coordinator)
    url = reverse("matching:match_checkin_follow_up_done", args=[match.pk, checkin.pk])
    response = client.post(url, follow=True)
    assert "The follow-up is ticked off." in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.follow_up_done
    response = client.post(url, follow=True)
    assert "already done" in response.content.decode()


def test_a_checkin_of_another_match_gives_404(client, coordinator, match, program):
    other = CheckInFactory(match=started_match(program, started_on=D(2026, 3, 2)), due_on=D(2026, 3, 16))
    client.force_login(coordinator)
    url = reverse("matching:match_checkin_follow_up_done", args=[match.pk, other.pk])
    assert client.post(url).status_code == 404


def test_ended_match_shows_its_checkins_without_forms(client, coordinator, program):
    ended = MatchFactory(program=program, status=Match.Status.COMPLETED, started_on=D(2026, 1, 5))
    CheckInFactory(match=ended, due_on=D(2026, 1, 19))
    client.force_login(coordinator)
    response = client.get(_checkins_url(ended))
    assert response.context["record_form"] is None
    assert "Check-ins are recorded while the match is active." in response.content.decode()
    for name in MATCH_ACTIONS:
        response = client.post(reverse(name, args=[ended.pk]), _record_data(due_on="2026-02-18"), follow=True)
        assert response.redirect_chain == [(_checkins_url(ended), 302)]
        assert "Check-ins are recorded while the match is active." in response.content.decode()
    assert CheckIn.objects.count() == 1


# --- The schedule's settings ---------------------------------------------------------------------


def test_coordinator_changes_the_programs_schedule(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(reverse("matching:checkin_settings"))
    assert response.context["form"].initial["first_after_days"] == 14
    response = client.post(
        reverse("matching:checkin_settings"),
        {
            "first_after_days": 10,
            "then_every_days": 28,
            "at_risk_no_meeting_days": 21,
            "low_satisfaction_at_most": 2,
            "unanswered_after_days": 5,
        },
    )
    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get(program=program)
    assert (schedule.first_after_days, schedule.then_every_days, schedule.at_risk_no_meeting_days) == (
        10,
        28,
        21,
    )
    assert ActivityEntry.objects.filter(verb="checkin_schedule.updated", program=program).count() == 1


def test_schedule_settings_rerender_with_errors(client, org_admin, program):
    CheckInScheduleFactory(program=program, first_after_days=10)
    client.force_login(org_admin)
    response = client.post(
        reverse("matching:checkin_settings"),
        {
            "first_after_days": 0,
            "then_every_days": "",
            "at_risk_no_meeting_days": 30,
            "low_satisfaction_at_most": 2,
            "unanswered_after_days": 7,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"first_after_days", "then_every_days"}
    assert CheckInSchedule.objects.get(program=program).first_after_days == 10


# --- The at-risk list ----------------------------------------------------------------------------


def test_at_risk_list_shows_each_reason_and_one_click_to_act(client, coordinator, match, program):
    well = started_match(program, started_on=D(2026, 3, 30))
    _meeting(well, D(2026, 4, 20))
    CheckInFactory(match=well, due_on=D(2026, 4, 13), satisfaction=5)
    client.force_login(coordinator)
    response = client.get(reverse("matching:at_risk"))
    page = response.content.decode()
    assert [row.match for row in response.context["page_obj"].object_list] == [match]
    assert "check-in overdue since April 13, 2026" in page
    assert f'href="{_checkins_url(match)}#record"' in page
    assert f'href="{reverse("matching:match_detail", args=[match.pk])}"' in page


def test_at_risk_list_says_so_when_all_is_well(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(reverse("matching:at_risk"))
    assert "No match is at risk right now" in response.content.decode()


def test_at_risk_list_sorts_by_name_and_keeps_the_sort_across_pages(client, coordinator, program, settings):
    settings.PAGE_SIZE = 2
    for last_name in ["Tran", "Li", "Okafor"]:
        started_match(
            program,
            started_on=D(2026, 1, 5),
            mentee__person=PersonFactory(organization=program.organization, last_name=last_name),
        )
    client.force_login(coordinator)
    response = client.get(reverse("matching:at_risk"), {"sort": "name"})
    names = [row.match.mentee.person.last_name for row in response.context["page_obj"].object_list]
    assert names == ["Li", "Okafor"]
    assert 'href="?sort=name&amp;page=2"' in response.content.decode()
    response = client.get(reverse("matching:at_risk"), {"sort": "name", "page": 2})
    assert [row.match.mentee.person.last_name for row in response.context["page_obj"].object_list] == ["Tran"]


def test_at_risk_list_ignores_an_unknown_sort(client, coordinator, match):
    client.force_login(coordinator)
    response = client.get(reverse("matching:at_risk"), {"sort": "'; DROP"})
    assert response.status_code == 200
    assert response.context["sort"] == "meeting"


def _many_matches(program, count: int) -> None:
    """`count` active matches at risk, each with a meeting, a check-in and goals."""
    for index in range(count):
        match = started_match(program, started_on=D(2026, 1, 5) + datetime.timedelta(days=index % 20))
        _meeting(match, D(2026, 3, 2) + datetime.timedelta(days=index % 7), minutes=45)
        CheckInFactory(match=match, due_on=D(2026, 3, 20), satisfaction=1 + index % 5)
        _goal(match, Goal.Status.IN_PROGRESS, target_date=D(2026, 4, 1))
        _goal(match, Goal.Status.ACHIEVED)


# Session, user, staff memberships with their programs, the program switcher (five), then the
# one query of the at-risk list: active matches with their facts as subqueries.
AT_RISK_QUERIES = 6


@pytest.mark.parametrize("count", [3, 40])
def test_at_risk_list_query_count_does_not_grow_with_matches(
    client, coordinator, program, django_assert_max_num_queries, count
):
    _many_matches(program, count)
    client.force_login(coordinator)
    with django_assert_max_num_queries(AT_RISK_QUERIES):
        response = client.get(reverse("matching:at_risk"))
    assert response.context["page_obj"].paginator.count == count


# --- The dashboard -------------------------------------------------------------------------------


def test_dashboard_figures_over_the_last_12_weeks(client, coordinator, program):
    first = started_match(program, started_on=D(2026, 1, 5))
    second = started_match(program, started_on=D(2026, 2, 2))
    ended = MatchFactory(program=program, status=Match.Status.COMPLETED, started_on=D(2025, 9, 1))
    # The weeks run from Monday 2 February to the current week, of Monday 20 April.
    _meeting(first, D(2026, 4, 20), 60)
    _meeting(first, D(2026, 4, 21), 90)
    _meeting(first, D(2026, 4, 14), 45)
    _meeting(second, D(2026, 4, 13), 75)
    _meeting(second, D(2026, 2, 2), 30)
    _meeting(second, D(2026, 2, 1), 120)  # the Sunday before the first week
    _goal(first, Goal.Status.IN_PROGRESS)
    _goal(second, Goal.Status.IN_PROGRESS)
    _goal(second, Goal.Status.ACHIEVED)
    _goal(ended, Goal.Status.DROPPED)  # not an active match
    CheckInFactory(match=first, due_on=D(2026, 4, 15), satisfaction=2)
    CheckInFactory(match=second, due_on=D(2026, 3, 16), satisfaction=4)
    CheckInFactory(match=second, due_on=D(2026, 4, 15), satisfaction=4)
    CheckInFactory(match=first, due_on=D(2026, 1, 19), satisfaction=1)  # before the 12 weeks
    CheckInFactory(match=first, due_on=D(2026, 2, 18), status=CheckIn.Status.UNANSWERED, satisfaction=None)

    client.force_login(coordinator)
    response = client.get(reverse("matching:health"))
    figures = response.context["figures"]
    assert figures.active_matches == 2
    weeks = {week.starts_on: (week.meetings, week.hours) for week in figures.weeks}
    assert len(weeks) == 12
    assert weeks[D(2026, 4, 20)] == (2, 2.5)
    assert weeks[D(2026, 4, 13)] == (2, 2.0)
    assert weeks[D(2026, 2, 2)] == (1, 0.5)
    assert weeks[D(2026, 3, 2)] == (0, 0)
    assert (figures.meetings, figures.hours) == (5, 5.0)
    assert {status: count for status, _label, count in figures.goal_statuses if count} == {
        "in_progress": 2,
        "achieved": 1,
    }
    assert figures.satisfaction == [(1, 0), (2, 1), (3, 0), (4, 2), (5, 0)]
    page = response.content.decode()
    assert page.count("<svg") == 4
    assert page.count("Show as a table") == 4
    assert '<th scope="row">Apr 20</th><td>2</td>' in page
    assert '<th scope="row">Apr 20</th><td>2.5</td>' in page


def test_dashboard_has_plain_empty_states(client, coordinator, program):
    client.force_login(coordinator)
    page = client.get(reverse("matching:health")).content.decode()
    assert "No meeting is logged in the last 12 weeks." in page
    assert "The active matches have no goals yet." in page
    assert "<svg" not in page


# The same five for the request, then meetings per week, goal statuses, satisfaction, the count
# of active matches and the at-risk query.
HEALTH_QUERIES = 10


@pytest.mark.parametrize("count", [3, 40])
def test_dashboard_query_count_does_not_grow_with_matches(
    client, coordinator, program, django_assert_max_num_queries, count
):
    _many_matches(program, count)
    client.force_login(coordinator)
    with django_assert_max_num_queries(HEALTH_QUERIES):
        response = client.get(reverse("matching:health"))
    assert response.context["figures"].active_matches == count
