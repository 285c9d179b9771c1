"""The staff pages for matches: the current program's list, and one match with the actions
its status allows, each calling its service."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import DoNotMatch, Match
from participants.models import Participation
from programs.models import ActivityEntry

from .factories import MatchFactory

pytestmark = pytest.mark.django_db

S = Participation.Status
M = Match.Status

ACTIONS = [
    ("matching:match_introduce", ()),
    ("matching:match_record_answer", ("mentee",)),
    ("matching:match_record_answer", ("mentor",)),
    ("matching:match_cancel", ()),
]


def _detail(match: Match) -> str:
    return reverse("matching:match_detail", args=[match.pk])


def _action(name: str, match: Match, *extra) -> str:
    return reverse(name, args=[match.pk, *extra])


@pytest.fixture
def proposed(program):
    return MatchFactory(program=program, override_reason="Same employer network, worth trying")


@pytest.fixture
def introduced(program):
    return MatchFactory(program=program, status=M.INTRODUCED, introduced_at=timezone.now())


@pytest.fixture
def active(program):
    today = timezone.localdate()
    return MatchFactory(
        program=program,
        status=M.ACTIVE,
        mentee__status=S.MATCHED,
        mentor__status=S.MATCHED,
        mentee_response=Match.Response.ACCEPTED,
        mentor_response=Match.Response.ACCEPTED,
        introduced_at=timezone.now(),
        started_on=today,
        planned_end_on=today + datetime.timedelta(weeks=16),
    )


# --- Who may see what ----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_from_the_list(client, program):
    response = client.get(reverse("matching:match_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_visitor_is_sent_to_login_from_a_match(client, proposed):
    response = client.get(_detail(proposed))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "extra"), ACTIONS)
def test_anonymous_visitor_cannot_act_on_a_match(client, active, name, extra):
    response = client.post(_action(name, active, *extra), {"answer": "accept", "reason": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    active.refresh_from_db()
    assert active.status == M.ACTIVE


def test_participant_is_refused_the_staff_pages(client, participant_user, proposed):
    client.force_login(participant_user)
    assert client.get(reverse("matching:match_list")).status_code == 403
    assert client.get(_detail(proposed)).status_code == 403
    assert client.post(_action("matching:match_introduce", proposed)).status_code == 403


def test_coordinator_of_other_organization_gets_404_on_a_match(client, other_coordinator, proposed):
    client.force_login(other_coordinator)
    assert client.get(_detail(proposed)).status_code == 404


@pytest.mark.parametrize(("name", "extra"), ACTIONS)
@pytest.mark.parametrize("status", [M.PROPOSED, M.INTRODUCED, M.ACTIVE])
def test_coordinator_of_other_organization_gets_404_on_each_action(
    client, other_coordinator, program, name, extra, status
):
    match = MatchFactory(program=program, status=status, started_on=timezone.localdate())
    client.force_login(other_coordinator)
    response = client.post(
        _action(name, match, *extra), {"answer": "decline", "reason": "No", "do_not_match": "on"}
    )
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == status
    assert not ActivityEntry.objects.filter(verb__startswith="match.").exists()


def test_list_leaves_out_other_organizations_matches(client, coordinator, proposed, other_program):
    other = MatchFactory(program=other_program)
    client.force_login(coordinator)
    response = client.get(reverse("matching:match_list"))
    assert list(response.context["page_obj"].object_list) == [proposed]
    assert f'href="{_detail(other)}"' not in response.content.decode()


def test_action_urls_refuse_get(client, coordinator, proposed):
    client.force_login(coordinator)
    assert client.get(_action("matching:match_introduce", proposed)).status_code == 405


# --- The list -------------------------------------------------------------------------------------


def test_list_filters_by_status(client, coordinator, proposed, active):
    client.force_login(coordinator)
    response = client.get(reverse("matching:match_list"), {"status": M.ACTIVE})
    assert list(response.context["page_obj"].object_list) == [active]
    response = client.get(reverse("matching:match_list"))
    assert set(response.context["page_obj"].object_list) == {proposed, active}


def test_list_says_so_when_no_match_has_the_status(client, coordinator, proposed):
    client.force_login(coordinator)
    response = client.get(reverse("matching:match_list"), {"status": M.COMPLETED})
    assert "No match has this status" in response.content.decode()


def test_list_pages_keep_the_status_filter(client, coordinator, program, settings):
    settings.PAGE_SIZE = 2
    MatchFactory.create_batch(3, program=program, status=M.CANCELLED)
    client.force_login(coordinator)
    response = client.get(reverse("matching:match_list"), {"status": M.CANCELLED})
    assert "?status=cancelled&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_list_runs_a_fixed_number_of_queries(
    client, coordinator, program, count, django_assert_max_num_queries
):
    MatchFactory.create_batch(count, program=program)
    client.force_login(coordinator)
    # Session, user, staff memberships and their programs (the staff check and the program
    # switcher), the current program, the count, and one page of matches with both people.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("matching:match_list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 25)


def test_waiting_list_links_to_matches(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(reverse("matching:waiting"))
    assert f'href="{reverse("matching:match_list")}"' in response.content.decode()


# --- One match ------------------------------------------------------------------------------------


def test_match_page_shows_people_score_breakdown_and_override(client, coordinator, proposed):
    client.force_login(coordinator)
    response = client.get(_detail(proposed))
    html = response.content.decode()
    assert f'href="{proposed.mentee.person.get_absolute_url()}"' in html
    assert f'href="{proposed.mentor.person.get_absolute_url()}"' in html
    assert "Score: 73" in html  # 72.50, shown whole as the suggestions show it: halves round up
    assert "Same profession (NOC 21300)" in html
    assert "Shares Yoruba" in html
    assert "Same employer network, worth trying" in html


def test_proposed_match_offers_introduce_and_cancel_only(client, coordinator, proposed):
    client.force_login(coordinator)
    html = client.get(_detail(proposed)).content.decode()
    assert _action("matching:match_introduce", proposed) in html
    assert _action("matching:match_cancel", proposed) in html
    assert 'data-testid="close-match-link"' not in html
    assert "Record mentee" not in html


def test_introduced_match_offers_only_the_answers_still_missing(client, coordinator, program):
    match = MatchFactory(
        program=program,
        status=M.INTRODUCED,
        introduced_at=timezone.now(),
        mentee_response=Match.Response.ACCEPTED,
        mentee_responded_at=timezone.now(),
    )
    client.force_login(coordinator)
    html = client.get(_detail(match)).content.decode()
    assert _action("matching:match_record_answer", match, "mentor") in html
    assert _action("matching:match_record_answer", match, "mentee") not in html
    assert _action("matching:match_introduce", match) not in html


def test_active_match_links_to_its_closure_tab(client, coordinator, active):
    client.force_login(coordinator)
    html = client.get(_detail(active)).content.decode()
    closure_url = reverse("matching:match_closure", args=[active.pk])
    assert f'href="{closure_url}" data-testid="close-match-link"' in html
    assert _action("matching:match_cancel", active) not in html


def test_ended_match_offers_no_action(client, coordinator, program):
    match = MatchFactory(program=program, status=M.CANCELLED)
    client.force_login(coordinator)
    html = client.get(_detail(match)).content.decode()
    assert "What to do next" not in html


def test_match_page_shows_its_timeline(client, coordinator, proposed):
    client.force_login(coordinator)
    client.post(_action("matching:match_introduce", proposed))
    response = client.get(_detail(proposed))
    assert [entry.verb for entry in response.context["timeline"]] == ["match.introduced"]


# --- Actions --------------------------------------------------------------------------------------


def test_introduce_introduces_the_pair(client, coordinator, proposed):
    client.force_login(coordinator)
    response = client.post(_action("matching:match_introduce", proposed))
    assert response.status_code == 302
    assert response.url == _detail(proposed)
    proposed.refresh_from_db()
    assert proposed.status == M.INTRODUCED
    assert proposed.introduced_at is not None


def test_cancel_withdraws_the_proposal(client, coordinator, proposed):
    client.force_login(coordinator)
    response = client.post(_action("matching:match_cancel", proposed))
    assert response.url == _detail(proposed)
    proposed.refresh_from_db()
    assert proposed.status == M.CANCELLED


def test_refused_move_shows_the_service_message(client, coordinator, active):
    client.force_login(coordinator)
    response = client.post(_action("matching:match_cancel", active), follow=True)
    assert response.redirect_chain == [(_detail(active), 302)]
    assert "cannot be cancelled" in response.content.decode()
    active.refresh_from_db()
    assert active.status == M.ACTIVE


def test_both_acceptances_start_the_match(client, coordinator, introduced):
    client.force_login(coordinator)
    response = client.post(
        _action("matching:match_record_answer", introduced, "mentee"), {"answer": "accept"}
    )
    assert response.url == _detail(introduced)
    introduced.refresh_from_db()
    assert (introduced.status, introduced.mentee_response) == (M.INTRODUCED, Match.Response.ACCEPTED)
    client.post(_action("matching:match_record_answer", introduced, "mentor"), {"answer": "accept"})
    introduced.refresh_from_db()
    assert introduced.status == M.ACTIVE
    assert introduced.started_on == timezone.localdate()
    introduced.mentee.refresh_from_db()
    assert introduced.mentee.status == S.MATCHED


def test_decline_needs_a_reason(client, coordinator, introduced):
    client.force_login(coordinator)
    response = client.post(
        _action("matching:match_record_answer", introduced, "mentor"), {"answer": "decline", "reason": " "}
    )
    assert response.status_code == 200
    form = response.context["mentor_answer_form"]
    assert form.errors["reason"]
    assert form.data["answer"] == "decline"
    introduced.refresh_from_db()
    assert introduced.status == M.INTRODUCED


def test_decline_sends_the_coordinator_to_choose_the_next_mentor(client, coordinator, introduced):
    client.force_login(coordinator)
    response = client.post(
        _action("matching:match_record_answer", introduced, "mentor"),
        {"answer": "decline", "reason": "Moving to Toronto"},
        follow=True,
    )
    suggestions = reverse("matching:suggestions", args=[introduced.mentee_id])
    assert response.redirect_chain == [(suggestions, 302)]
    assert "Choose the next mentor" in response.content.decode()
    introduced.refresh_from_db()
    assert (introduced.status, introduced.decline_reason) == (M.DECLINED, "Moving to Toronto")
    assert DoNotMatch.objects.filter(
        mentee=introduced.mentee.person, mentor=introduced.mentor.person, kind=DoNotMatch.Kind.DECLINED
    ).exists()


def test_answer_for_an_unknown_side_gives_404(client, coordinator, introduced):
    client.force_login(coordinator)
    response = client.post(
        _action("matching:match_record_answer", introduced, "sponsor"), {"answer": "accept"}
    )
    assert response.status_code == 404
