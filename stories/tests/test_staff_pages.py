"""The staff's read-only stories list and the aggregated anonymous feedback of the current
program: who may read them, what they show, and that their query counts do not grow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participants.models import Participation
from participants.tests.portal_helpers import mentee
from programs.tests.factories import ProgramFactory, StaffMembershipFactory
from stories.models import ConsentLevel, FeedbackResponse, consent_choices_version
from stories.selectors import MIN_FEEDBACK_SHOWN, feedback_summary
from stories.services import feedback_submit, story_consent_lower, story_submit, story_withdraw

pytestmark = pytest.mark.django_db
S = Participation.Status


def _story(
    program, *, title: str = "From Lagos to Calgary", level: str = ConsentLevel.PUBLIC_NAMED, n: int = 0
):
    participation = mentee(program, status=S.COMPLETED, email=f"story-{program.pk}-{n}@example.org")
    return story_submit(
        participation=participation,
        title=title,
        text="My mentor opened doors.",
        consent_level=level,
        shown_consent_version=consent_choices_version(),
        actor=participation.person.user,
    )


# --- Stories -------------------------------------------------------------------------------------


def test_coordinators_read_the_current_programs_stories_but_not_withdrawn_ones(client, coordinator, program):
    shown = _story(program, title="From Lagos to Calgary", n=1)
    limited = _story(program, title="A licence at last", n=2)
    story_consent_lower(story=limited, consent_level=ConsentLevel.INTERNAL, actor=None)
    gone = _story(program, title="Please forget this", n=3)
    story_withdraw(story=gone, actor=None)
    client.force_login(coordinator)
    response = client.get(reverse("stories:list"))
    assert response.status_code == 200
    assert [story.pk for story in response.context["page_obj"].object_list] == [limited.pk, shown.pk]
    body = response.content.decode()
    assert "From Lagos to Calgary" in body and "Please forget this" not in body
    assert "Internal only" in body and "Public, with my name" in body
    assert "moderation comes in a later issue" in body
    assert shown.person.full_name in body


def test_another_organizations_stories_stay_with_it(client, other_coordinator, program):
    _story(program)
    client.force_login(other_coordinator)
    response = client.get(reverse("stories:list"))
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []
    assert "From Lagos to Calgary" not in response.content.decode()


def test_a_coordinator_limited_to_another_program_does_not_see_them(client, organization, program):
    _story(program)
    user = StaffMembershipFactory(
        organization=organization, programs=[ProgramFactory(organization=organization)]
    ).user
    client.force_login(user)
    assert list(client.get(reverse("stories:list")).context["page_obj"].object_list) == []


def test_the_list_says_when_there_is_no_story(client, coordinator):
    client.force_login(coordinator)
    assert "No stories yet." in client.get(reverse("stories:list")).content.decode()


@pytest.mark.parametrize("stories", [1, 30])
def test_story_list_query_count_does_not_grow(
    client, coordinator, program, stories, django_assert_max_num_queries
):
    for n in range(stories):
        _story(program, n=n)
    client.force_login(coordinator)
    # Session, user, memberships (+ programs), switchable programs, the count and a page.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("stories:list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(stories, 25)


# --- Feedback ------------------------------------------------------------------------------------


def _feedback(program, ratings: list[int]) -> None:
    for number, rating in enumerate(ratings):
        feedback_submit(program=program, rating=rating, what_works=f"Works {number}", what_to_improve="")


def test_the_feedback_page_shows_the_ratings_and_the_answers(client, coordinator, program, other_program):
    _feedback(program, [5, 4, 4, 2])
    _feedback(other_program, [1, 1, 1])
    client.force_login(coordinator)
    response = client.get(reverse("stories:feedback"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.count, summary.average, summary.by_rating) == (
        4,
        3.8,
        [(1, 0), (2, 1), (3, 0), (4, 2), (5, 1)],
    )
    body = response.content.decode()
    assert "4 answers, rated 3.8 out of 5 on average." in body
    assert "<svg" in body and "Show as a table" in body
    assert "Works 0" in body
    assert len(response.context["page_obj"].object_list) == 4


def test_a_few_answers_are_held_back_so_that_nobody_is_recognised(client, coordinator, program):
    _feedback(program, [1] * (MIN_FEEDBACK_SHOWN - 1))
    client.force_login(coordinator)
    response = client.get(reverse("stories:feedback"))
    body = response.content.decode()
    assert "Works 0" not in body
    assert 'data-testid="feedback-held-back"' in body
    assert list(response.context["page_obj"].object_list) == []


def test_the_feedback_page_says_when_there_is_none(client, coordinator):
    client.force_login(coordinator)
    assert "No feedback yet." in client.get(reverse("stories:feedback")).content.decode()


def test_another_organizations_feedback_stays_with_it(client, other_coordinator, program):
    _feedback(program, [5, 5, 5])
    client.force_login(other_coordinator)
    body = client.get(reverse("stories:feedback")).content.decode()
    assert "Works 0" not in body and "No feedback yet." in body


def test_a_summary_of_nothing_has_no_average(program):
    summary = feedback_summary(program)
    assert (summary.count, summary.average, summary.shows_answers) == (0, None, False)


@pytest.mark.parametrize("answers", [3, 40])
def test_feedback_page_query_count_does_not_grow(
    client, coordinator, program, answers, django_assert_max_num_queries
):
    FeedbackResponse.objects.bulk_create(
        FeedbackResponse(program=program, rating=1 + n % 5, what_works="Good", created_at="2026-08-31T06:00Z")
        for n in range(answers)
    )
    client.force_login(coordinator)
    # Session, user, memberships (+ programs), switchable programs, the ratings, the count and
    # a page of answers.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("stories:feedback"))
    assert response.status_code == 200


# --- Who may come in -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["stories:list", "stories:feedback"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["stories:list", "stories:feedback"])
def test_participants_are_refused(client, program, name):
    client.force_login(mentee(program, status=S.COMPLETED).person.user)
    assert client.get(reverse(name)).status_code == 403
