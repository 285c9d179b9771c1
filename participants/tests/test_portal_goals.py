"""Goals in the portal: the pair adds goals, notes progress as themselves and moves them along."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Goal, GoalNote, Match
from matching.tests.factories import GoalFactory, GoalTemplateFactory

from .portal_helpers import active_match, introduced_match, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(program):
    return active_match(program, mentee(program), mentor(program))


def _goal_data(match, **overrides) -> dict:
    return {
        "category": "certification",
        "title": "P.Eng. licence",
        "description": "Apply to APEGA as an engineer in training.",
        "target_date": match.planned_end_on.isoformat(),
        "steps": "Transcripts\nEthics exam",
    } | overrides


def test_the_mentee_adds_a_goal(client, active):
    client.force_login(active.mentee.person.user)
    response = client.post(reverse("portal:goal_add", args=[active.pk]), _goal_data(active))
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.match, goal.title, goal.created_by) == (active, "P.Eng. licence", active.mentee.person.user)
    page = client.get(reverse("portal:goals", args=[active.pk])).content.decode()
    assert "P.Eng. licence" in page and "Ethics exam" in page


def test_a_goal_starts_from_the_programs_template(client, active):
    template = GoalTemplateFactory(program=active.program, title="Licence with the regulator")
    client.force_login(active.mentor.person.user)
    page = client.get(reverse("portal:goal_add", args=[active.pk]) + f"?template={template.pk}")
    assert "Licence with the regulator" in page.content.decode()
    response = client.post(
        reverse("portal:goal_add", args=[active.pk]), _goal_data(active, template=template.pk)
    )
    assert response.status_code == 302
    assert Goal.objects.get().from_template == template


def test_a_target_date_before_the_start_comes_back_on_the_form(client, active):
    client.force_login(active.mentee.person.user)
    too_early = (active.started_on - timezone.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("portal:goal_add", args=[active.pk]), _goal_data(active, target_date=too_early)
    )
    assert response.status_code == 200
    assert "The target date cannot be before the match started." in response.content.decode()
    assert not Goal.objects.exists()


def test_each_side_notes_progress_as_themselves(client, active):
    goal = GoalFactory(match=active)
    for who, side in (("mentee", "mentee"), ("mentor", "mentor")):
        client.force_login(getattr(active, who).person.user)
        response = client.post(
            reverse("portal:goal_note", args=[active.pk, goal.pk]), {"text": f"Progress from the {side}"}
        )
        assert response.status_code == 302
    notes = list(GoalNote.objects.order_by("pk").values_list("author_role", "text"))
    assert notes == [("mentee", "Progress from the mentee"), ("mentor", "Progress from the mentor")]


def test_dropping_a_goal_needs_a_reason(client, active):
    goal = GoalFactory(match=active)
    client.force_login(active.mentee.person.user)
    url = reverse("portal:goal_status", args=[active.pk, goal.pk])
    response = client.post(url, {"status": "dropped", "note": ""})
    assert response.status_code == 200
    assert "Say why the goal changed or was dropped" in response.content.decode()
    response = client.post(url, {"status": "achieved", "note": "Got the letter!"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert GoalNote.objects.get().author_role == "mentee"


def test_goals_wait_until_both_have_accepted(client, program):
    match = introduced_match(program, mentee(program), mentor(program))
    client.force_login(match.mentee.person.user)
    assert client.get(reverse("portal:goals", args=[match.pk])).status_code == 404
    assert client.get(reverse("portal:goal_add", args=[match.pk])).status_code == 404


def test_an_ended_match_shows_its_goals_read_only(client, active):
    goal = GoalFactory(match=active)
    Match.objects.filter(pk=active.pk).update(status=Match.Status.COMPLETED, ended_on=timezone.localdate())
    client.force_login(active.mentee.person.user)
    page = client.get(reverse("portal:goals", args=[active.pk])).content.decode()
    assert goal.title in page and "Add a progress note" not in page
    response = client.post(
        reverse("portal:goal_note", args=[active.pk, goal.pk]), {"text": "Late"}, follow=True
    )
    assert "Notes are added while the match is active" in response.content.decode()
    assert not GoalNote.objects.exists()


def test_someone_elses_goals_give_404(client, program, active):
    goal = GoalFactory(match=active)
    other = active_match(
        program,
        mentee(program, email="li@example.org", last_name="Wei"),
        mentor(program, email="m@example.org"),
    )
    client.force_login(other.mentee.person.user)
    assert client.get(reverse("portal:goals", args=[active.pk])).status_code == 404
    assert (
        client.post(reverse("portal:goal_note", args=[active.pk, goal.pk]), {"text": "x"}).status_code == 404
    )
    # A goal of another match through one's own match's URL is not found either.
    assert (
        client.post(reverse("portal:goal_note", args=[other.pk, goal.pk]), {"text": "x"}).status_code == 404
    )
    assert (
        client.post(
            reverse("portal:goal_status", args=[other.pk, goal.pk]), {"status": "achieved"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("goals", [1, 15])
def test_goals_page_query_count_does_not_grow(client, active, goals, django_assert_max_num_queries):
    for _ in range(goals):
        goal = GoalFactory(match=active)
        GoalNote.objects.create(goal=goal, text="On track", author_role="mentor")
    client.force_login(active.mentee.person.user)
    # Session, user, staff memberships and funders (navigation), people for the door, the match,
    # the goals' count, the goals and their notes, the partner's sharing and languages.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("portal:goals", args=[active.pk]))
    assert response.status_code == 200
