"""Surveys in the portal: the list of what is due, the check-in while the mentoring runs, the
closing survey once it has ended, the mentee's employment follow-ups, and the anonymous
program feedback."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching.checkin_services import checkin_participant_answer, checkin_record, participant_checkin_date
from matching.closure_services import closing_survey_record, follow_up_record
from matching.health_selectors import at_risk_matches
from matching.models import CheckIn, ClosingSurvey, FollowUp, Match
from participants.models import Participation, Person
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory
from stories.models import FeedbackResponse

from .factories import ParticipationFactory
from .portal_helpers import mentee
from .survey_helpers import days, ended_match, running_match

pytestmark = pytest.mark.django_db
S = Participation.Status
TODAY = datetime.date(2026, 8, 31)


@pytest.fixture(autouse=True)
def _today():
    # Noon in Edmonton.
    with time_machine.travel(datetime.datetime(2026, 8, 31, 18, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def running(program) -> Match:
    return running_match(program)


@pytest.fixture
def ended(program) -> Match:
    return ended_match(program, name="b")


def _follow_up(match: Match, months: int) -> FollowUp:
    return match.follow_ups.get(months_after=months)


def _items(client, user) -> dict[str, str]:
    client.force_login(user)
    response = client.get(reverse("portal:surveys"))
    assert response.status_code == 200
    return {item.key: item for item in response.context["page_obj"].object_list}


# --- The list --------------------------------------------------------------------------------------


def test_the_mentee_sees_her_checkin_closing_survey_and_follow_up_due(client, program, running, ended):
    # One person, mentee in a running match and in an ended one.
    user = running.mentee.person.user
    Match.objects.filter(pk=ended.pk).update(mentee=running.mentee)
    items = _items(client, user)
    follow_up = _follow_up(ended, 3)
    assert set(items) == {f"checkin-{running.pk}", f"closing-{ended.pk}", f"follow-up-{follow_up.pk}"}
    assert not any(item.done for item in items.values())
    assert items[f"checkin-{running.pk}"].url == reverse("portal:checkin", args=[running.pk])
    assert items[f"closing-{ended.pk}"].url == reverse("portal:closing_survey", args=[ended.pk])
    assert items[f"follow-up-{follow_up.pk}"].url == reverse("portal:follow_up", args=[follow_up.pk])
    body = client.get(reverse("portal:surveys")).content.decode()
    assert "3 to answer" in body
    assert "We do not record who you are." in body


def test_the_mentor_sees_the_closing_survey_but_never_the_mentees_follow_up(client, ended):
    items = _items(client, ended.mentor.person.user)
    assert set(items) == {f"closing-{ended.pk}"}
    response = client.get(reverse("portal:follow_up", args=[_follow_up(ended, 3).pk]))
    assert response.status_code == 404


def test_a_follow_up_not_due_yet_is_not_listed_and_its_page_says_when(client, ended):
    later = _follow_up(ended, 6)
    assert f"follow-up-{later.pk}" not in _items(client, ended.mentee.person.user)
    response = client.get(reverse("portal:follow_up", args=[later.pk]))
    assert response.status_code == 200
    assert "Nothing to answer yet" in response.content.decode()
    client.post(reverse("portal:follow_up", args=[later.pk]), {"employment_status": "in_field"})
    later.refresh_from_db()
    assert later.status == FollowUp.Status.DUE


def test_no_checkin_is_asked_before_the_first_date(client, program):
    match = running_match(program, started_on=TODAY - days(5))
    assert _items(client, match.mentee.person.user) == {}
    body = client.get(reverse("portal:checkin", args=[match.pk])).content.decode()
    assert "Your first check-in opens on" in body
    assert "Nothing to answer right now" in client.get(reverse("portal:surveys")).content.decode()


def test_surveys_answered_move_to_the_end_with_who_recorded_them(client, running, ended, coordinator):
    closing_survey_record(
        match=ended,
        side="mentor",
        satisfaction=4,
        would_take_part_again="yes",
        by_coordinator=True,
        actor=coordinator,
    )
    items = _items(client, ended.mentor.person.user)
    assert items[f"closing-{ended.pk}"].done
    assert items[f"closing-{ended.pk}"].detail == "Your coordinator recorded your answers."


# --- Check-in ------------------------------------------------------------------------------------


def test_the_checkin_is_for_the_latest_schedule_date_passed(running):
    # Started 20 days ago: dates at 14 days, then every 30.
    assert participant_checkin_date(running, today=TODAY) == TODAY - days(6)
    assert participant_checkin_date(running, today=TODAY - days(7)) is None
    assert participant_checkin_date(running, today=TODAY + days(24)) == TODAY + days(24)


def test_answering_the_checkin_stores_the_participants_own_answer(client, running):
    user = running.mentee.person.user
    client.force_login(user)
    page = client.get(reverse("portal:checkin", args=[running.pk]))
    assert "your match does not see" in page.content.decode()
    response = client.post(
        reverse("portal:checkin", args=[running.pk]),
        {"how_it_is_going": "We meet every week.", "satisfaction": "5", "concerns": "Finding time"},
    )
    assert response.status_code == 302 and response.url == reverse("portal:surveys")
    checkin = CheckIn.objects.get(match=running)
    assert (checkin.due_on, checkin.status, checkin.answered_by_side, checkin.with_whom) == (
        TODAY - days(6),
        CheckIn.Status.DONE,
        "mentee",
        "mentee",
    )
    assert (checkin.how_it_is_going, checkin.satisfaction, checkin.concerns, checkin.done_by) == (
        "We meet every week.",
        5,
        "Finding time",
        user,
    )
    entry = ActivityEntry.objects.get(verb="checkin.answered")
    assert (entry.actor, entry.data["side"], entry.data["satisfaction"]) == (user, "mentee", 5)
    assert _items(client, user)[f"checkin-{running.pk}"].done
    body = client.get(reverse("portal:checkin", args=[running.pk])).content.decode()
    assert "You answered this check-in" in body and "The next check-in opens on" in body


def test_a_second_answer_for_the_same_date_is_refused(client, running):
    user = running.mentor.person.user
    checkin_participant_answer(
        match=running, side="mentor", how_it_is_going="Fine", satisfaction=4, actor=user
    )
    with pytest.raises(ValidationError, match="already answered"):
        checkin_participant_answer(
            match=running, side="mentor", how_it_is_going="Again", satisfaction=2, actor=user
        )
    client.force_login(user)
    response = client.post(
        reverse("portal:checkin", args=[running.pk]), {"how_it_is_going": "Again", "satisfaction": "2"}
    )
    assert response.status_code == 302
    assert CheckIn.objects.filter(match=running).count() == 1


def test_both_sides_and_the_coordinator_each_answer_the_same_date(running, coordinator):
    due_on = TODAY - days(6)
    checkin_participant_answer(
        match=running, side="mentee", how_it_is_going="Good", satisfaction=4, actor=running.mentee.person.user
    )
    checkin_participant_answer(
        match=running, side="mentor", how_it_is_going="Good", satisfaction=5, actor=running.mentor.person.user
    )
    checkin_record(
        match=running, due_on=TODAY, with_whom="both", how_it_is_going="Called both", actor=coordinator
    )
    assert sorted(running.checkins.values_list("due_on", "answered_by_side")) == [
        (due_on, "mentee"),
        (due_on, "mentor"),
        (TODAY, ""),
    ]


def test_a_checkin_without_an_answer_or_a_score_shows_the_errors(client, running):
    client.force_login(running.mentee.person.user)
    response = client.post(reverse("portal:checkin", args=[running.pk]), {"how_it_is_going": " "})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"how_it_is_going", "satisfaction"}
    assert not CheckIn.objects.exists()


def test_a_low_score_in_the_portal_puts_the_match_on_the_at_risk_list(running):
    checkin_participant_answer(
        match=running, side="mentee", how_it_is_going="Hard", satisfaction=1, actor=running.mentee.person.user
    )
    [health] = at_risk_matches([running.program], TODAY)
    assert "satisfaction 1/5 at the last check-in" in health.reasons


def test_the_coordinator_reads_the_portal_answer_on_the_checkins_tab(client, running, coordinator):
    checkin_participant_answer(
        match=running,
        side="mentor",
        how_it_is_going="Going well",
        satisfaction=4,
        actor=running.mentor.person.user,
    )
    client.force_login(coordinator)
    body = client.get(reverse("matching:match_checkins", args=[running.pk])).content.decode()
    assert "answered by the mentor in the portal" in body
    assert "Going well" in body


def test_a_checkin_of_a_match_that_has_ended_sends_back_to_the_surveys(client, ended):
    client.force_login(ended.mentee.person.user)
    response = client.post(
        reverse("portal:checkin", args=[ended.pk]), {"how_it_is_going": "x", "satisfaction": "3"}
    )
    assert response.status_code == 302 and response.url == reverse("portal:surveys")
    with pytest.raises(ValidationError):
        checkin_participant_answer(
            match=ended, side="mentee", how_it_is_going="x", satisfaction=3, actor=ended.mentee.person.user
        )
    assert not CheckIn.objects.exists()


# --- Closing survey ------------------------------------------------------------------------------


def test_the_mentee_answers_the_closing_survey_with_her_work_situation(client, ended):
    user = ended.mentee.person.user
    client.force_login(user)
    assert (
        "Where are you with work now?"
        in client.get(reverse("portal:closing_survey", args=[ended.pk])).content.decode()
    )
    response = client.post(
        reverse("portal:closing_survey", args=[ended.pk]),
        {
            "satisfaction": "5",
            "would_take_part_again": "yes",
            "employment_status": "in_field",
            "comments": "Thanks",
        },
    )
    assert response.status_code == 302
    survey = ClosingSurvey.objects.get(match=ended)
    assert (survey.side, survey.satisfaction, survey.employment_status, survey.comments) == (
        "mentee",
        5,
        "in_field",
        "Thanks",
    )
    assert (survey.by_coordinator, survey.recorded_by) == (False, user)
    assert "You answered on" in client.get(reverse("portal:closing_survey", args=[ended.pk])).content.decode()


def test_the_mentor_is_not_asked_about_work(client, ended):
    client.force_login(ended.mentor.person.user)
    page = client.get(reverse("portal:closing_survey", args=[ended.pk])).content.decode()
    assert "Where are you with work now?" not in page
    client.post(
        reverse("portal:closing_survey", args=[ended.pk]),
        {"satisfaction": "4", "would_take_part_again": "unsure", "employment_status": "in_field"},
    )
    survey = ClosingSurvey.objects.get(match=ended)
    assert (survey.side, survey.employment_status) == ("mentor", "")


def test_a_closing_survey_with_missing_answers_shows_the_errors(client, ended):
    client.force_login(ended.mentee.person.user)
    response = client.post(reverse("portal:closing_survey", args=[ended.pk]), {"satisfaction": "9"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "satisfaction",
        "would_take_part_again",
        "employment_status",
    }
    assert not ClosingSurvey.objects.exists()


def test_a_closing_survey_the_coordinator_recorded_is_shown_done_and_not_asked_again(
    client, ended, coordinator
):
    closing_survey_record(
        match=ended,
        side="mentee",
        satisfaction=3,
        would_take_part_again="yes",
        employment_status="related",
        by_coordinator=True,
        actor=coordinator,
    )
    client.force_login(ended.mentee.person.user)
    body = client.get(reverse("portal:closing_survey", args=[ended.pk])).content.decode()
    assert "Your coordinator recorded your answers" in body
    assert "I work in a related field" in body
    client.post(
        reverse("portal:closing_survey", args=[ended.pk]),
        {"satisfaction": "5", "would_take_part_again": "yes", "employment_status": "in_field"},
    )
    assert ClosingSurvey.objects.get(match=ended).satisfaction == 3


def test_the_closing_survey_waits_for_the_end_of_the_mentoring(client, running):
    client.force_login(running.mentee.person.user)
    response = client.get(reverse("portal:closing_survey", args=[running.pk]))
    assert response.status_code == 302 and response.url == reverse("portal:surveys")


# --- Follow-up -----------------------------------------------------------------------------------


def test_the_mentee_answers_her_follow_up(client, ended):
    user = ended.mentee.person.user
    follow_up = _follow_up(ended, 3)
    client.force_login(user)
    response = client.post(
        reverse("portal:follow_up", args=[follow_up.pk]),
        {"employment_status": "in_field", "still_in_region": "no", "notes": "Hired in Calgary"},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.employment_status, follow_up.still_in_region, follow_up.notes) == (
        FollowUp.Status.DONE,
        "in_field",
        False,
        "Hired in Calgary",
    )
    assert follow_up.recorded_by == user
    item = _items(client, user)[f"follow-up-{follow_up.pk}"]
    assert (item.done, item.detail) == (True, "You answered. Thank you!")


def test_a_follow_up_the_coordinator_recorded_is_shown_as_done(client, ended, coordinator):
    follow_up = _follow_up(ended, 3)
    follow_up_record(
        follow_up=follow_up, employment_status="studying", still_in_region=None, actor=coordinator
    )
    item = _items(client, ended.mentee.person.user)[f"follow-up-{follow_up.pk}"]
    assert (item.done, item.detail) == (True, "Your coordinator recorded your answers.")
    body = client.get(reverse("portal:follow_up", args=[follow_up.pk])).content.decode()
    assert "Your coordinator recorded your answers" in body and "I am studying or retraining" in body
    assert 'data-testid="follow-up-form"' not in body


def test_a_follow_up_without_a_choice_shows_the_error(client, ended):
    follow_up = _follow_up(ended, 3)
    client.force_login(ended.mentee.person.user)
    response = client.post(reverse("portal:follow_up", args=[follow_up.pk]), {"still_in_region": "yes"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"employment_status"}


# --- Who may see what ----------------------------------------------------------------------------


def _survey_urls(match: Match) -> list[str]:
    urls = [reverse("portal:checkin", args=[match.pk]), reverse("portal:closing_survey", args=[match.pk])]
    return urls + [reverse("portal:follow_up", args=[f.pk]) for f in match.follow_ups.all()]


def test_anonymous_visitors_are_sent_to_sign_in(client, ended):
    for url in [reverse("portal:surveys"), reverse("portal:feedback"), *_survey_urls(ended)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_someone_elses_match_or_follow_up_gives_404(client, program, running, ended):
    client.force_login(running.mentee.person.user)
    for url in _survey_urls(ended):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"satisfaction": "5"}).status_code == 404, url
    client.force_login(ended.mentor.person.user)
    assert client.get(reverse("portal:checkin", args=[running.pk])).status_code == 404


def test_staff_without_a_participation_are_turned_away(client, coordinator, ended):
    client.force_login(coordinator)
    for url in [reverse("portal:surveys"), reverse("portal:feedback"), *_survey_urls(ended)]:
        assert client.get(url).status_code == 403, url


# --- The home page -------------------------------------------------------------------------------


def test_the_home_page_shows_what_is_due(client, running):
    client.force_login(running.mentee.person.user)
    body = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="surveys-due"' in body
    assert reverse("portal:checkin", args=[running.pk]) in body


def test_the_home_page_has_no_survey_card_without_a_match(client, program):
    client.force_login(mentee(program).person.user)
    assert 'data-testid="surveys-due"' not in client.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_surveys_page_query_count_does_not_grow(client, program, extra, django_assert_max_num_queries):
    running = running_match(program)
    user = running.mentee.person.user
    # The same person also mentors, in other running matches.
    as_mentor = ParticipationFactory(
        person=running.mentee.person, program=program, role=Participation.Role.MENTOR, status=S.MATCHED
    )
    for number in range(extra):
        # More matches: ended ones as the mentee, with a follow-up answered; running ones as the mentor.
        if number % 2:
            other = ended_match(program, name=f"x{number}")
            Match.objects.filter(pk=other.pk).update(mentee=running.mentee)
        else:
            other = running_match(program, name=f"x{number}")
            Match.objects.filter(pk=other.pk).update(mentor=as_mentor)
        if number % 2:
            follow_up_record(
                follow_up=_follow_up(other, 3), employment_status="in_field", still_in_region=True, actor=user
            )
    client.force_login(user)
    # Session, user, staff memberships and funders (navigation), people for the door, the
    # matches with their surveys and check-in answers, the follow-ups.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("portal:surveys"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 1 + extra + extra // 2


# --- Anonymous feedback --------------------------------------------------------------------------


def test_feedback_is_stored_without_anything_that_links_it_to_the_person(client, program, running):
    user = running.mentee.person.user
    client.force_login(user)
    page = client.get(reverse("portal:feedback")).content.decode()
    assert "We do not record who you are." in page
    response = client.post(
        reverse("portal:feedback"),
        {"program": program.pk, "rating": "4", "what_works": "My mentor", "what_to_improve": "More events"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    row = FeedbackResponse.objects.get()
    assert (row.program, row.rating, row.what_works, row.what_to_improve) == (
        program,
        4,
        "My mentor",
        "More events",
    )
    # Only the day: midnight in Edmonton.
    assert row.created_at == datetime.datetime(2026, 8, 31, 6, tzinfo=datetime.UTC)
    stored = FeedbackResponse.objects.values().get()
    assert set(stored) == {"id", "program_id", "rating", "what_works", "what_to_improve", "created_at"}
    text = " ".join(str(value) for value in stored.values())
    for trace in (user.email, "203.0.113.9", running.mentee.person.last_name):
        assert trace not in text
    assert not ActivityEntry.objects.filter(target_type__model="feedbackresponse").exists()
    assert not ActivityEntry.objects.filter(actor=user).exists()


def test_the_feedback_model_has_no_field_that_could_name_someone():
    linked = {field.related_model for field in FeedbackResponse._meta.get_fields() if field.is_relation}
    assert linked == {ProgramFactory._meta.model}
    assert Person not in linked and UserFactory._meta.model not in linked and Participation not in linked
    assert not any(
        isinstance(field, models.GenericIPAddressField) for field in FeedbackResponse._meta.get_fields()
    )
    assert {field.name for field in FeedbackResponse._meta.concrete_fields} == {
        "id",
        "program",
        "rating",
        "what_works",
        "what_to_improve",
        "created_at",
    }


def test_the_session_stops_a_second_feedback(client, program, running):
    client.force_login(running.mentor.person.user)
    data = {"program": program.pk, "rating": "5"}
    client.post(reverse("portal:feedback"), data)
    response = client.post(reverse("portal:feedback"), data)
    assert response.status_code == 302
    assert FeedbackResponse.objects.count() == 1
    assert "you have sent your feedback" in client.get(reverse("portal:feedback")).content.decode()


def test_feedback_is_only_about_a_program_i_take_part_in(client, program, running):
    elsewhere = ProgramFactory(organization=program.organization)
    client.force_login(running.mentee.person.user)
    response = client.post(reverse("portal:feedback"), {"program": elsewhere.pk, "rating": "1"})
    assert response.status_code == 200
    assert "program" in response.context["form"].errors
    assert not FeedbackResponse.objects.exists()


def test_feedback_without_a_rating_shows_the_error(client, program, running):
    client.force_login(running.mentee.person.user)
    response = client.post(reverse("portal:feedback"), {"program": program.pk, "what_works": "All"})
    assert set(response.context["form"].errors) == {"rating"}


def test_an_applicant_is_not_asked_for_feedback_yet(client, program):
    client.force_login(mentee(program, status=S.SCREENING).person.user)
    response = client.get(reverse("portal:feedback"))
    assert response.context["form"] is None
    assert "Feedback is for people who take part in a program" in response.content.decode()
    client.post(reverse("portal:feedback"), {"program": program.pk, "rating": "3"})
    assert not FeedbackResponse.objects.exists()


def test_a_coordinator_limited_to_another_program_sees_none_of_it(client, organization, ended):
    # Staff pages are elsewhere; the portal pages turn staff away whatever their programs.
    user = StaffMembershipFactory(
        organization=organization, programs=[ProgramFactory(organization=organization)]
    ).user
    client.force_login(user)
    assert client.get(reverse("portal:closing_survey", args=[ended.pk])).status_code == 403
