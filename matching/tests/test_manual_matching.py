"""Manual matching: the coordinator pairs a mentee with any mentor who can take them, found by a
search, and soft rules (a same-gender wish, no way to meet, no time in common) ask for a reason;
the mentor the mentee asked for is flagged and always in view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.features import Candidate
from matching.models import Match, Occupation
from matching.soft_rules import soft_rules_broken
from participants.models import Participation
from programs.models import ActivityEntry

from .factories import DoNotMatchFactory, MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db


def _mentee(**fields) -> Candidate:
    base = {"participation_id": 1, "role": "mentee", "program_id": 1, "city": "Edmonton"}
    return Candidate(**{**base, **fields})


def _mentor(**fields) -> Candidate:
    base = {"participation_id": 2, "role": "mentor", "program_id": 1, "city": "Edmonton"}
    return Candidate(**{**base, **fields})


# --- Soft rules, by hand -------------------------------------------------------------------------


def test_a_pair_in_the_same_city_with_no_wishes_breaks_no_soft_rule():
    assert soft_rules_broken(_mentee(), _mentor()) == []


def test_same_gender_wish_is_broken_by_a_mentor_of_another_or_unknown_gender():
    mentee = _mentee(gender="woman", wants_same_gender=True)
    assert soft_rules_broken(mentee, _mentor(gender="woman")) == []
    assert soft_rules_broken(mentee, _mentor(gender="man")) == [
        "the mentee asked for a mentor of the same gender"
    ]
    assert soft_rules_broken(mentee, _mentor(gender="")) == [
        "the mentee asked for a mentor of the same gender"
    ]
    # Without the wish, gender never counts.
    assert soft_rules_broken(_mentee(gender="woman"), _mentor(gender="man")) == []


def test_people_apart_must_both_be_open_to_the_same_kind_of_remote_meeting():
    apart = "they live apart and are not both open to remote meetings"
    mentee = _mentee(city="Red Deer", region="Alberta")
    assert soft_rules_broken(mentee, _mentor(city="Calgary", region="Alberta")) == []  # same region
    far = _mentor(city="Toronto", region="Ontario")
    assert soft_rules_broken(mentee, far) == [apart]
    remote_mentee = _mentee(
        city="Lagos", country="Nigeria", open_to_remote=True, meeting_modes=frozenset({"video"})
    )
    assert soft_rules_broken(remote_mentee, _mentor(city="Toronto", open_to_remote=True)) == []
    phone_only = _mentor(city="Toronto", open_to_remote=True, meeting_modes=frozenset({"phone"}))
    assert soft_rules_broken(remote_mentee, phone_only) == [apart]


def test_no_time_in_common_is_a_soft_rule_only_when_both_said_when_they_are_free():
    evenings = _mentee(availability=frozenset({"weekday_evenings"}))
    assert soft_rules_broken(evenings, _mentor(availability=frozenset({"weekends"}))) == [
        "they have no time in common to meet"
    ]
    assert soft_rules_broken(evenings, _mentor()) == []


# --- The page ------------------------------------------------------------------------------------


@pytest.fixture
def civil(db):
    Occupation.objects.create(code="2", title="Natural and applied sciences and related occupations", level=1)
    return Occupation.objects.create(code="21300", title="Civil engineers", level=5)


@pytest.fixture
def nurse(db):
    Occupation.objects.create(code="3", title="Health occupations", level=1)
    return Occupation.objects.create(code="31301", title="Registered nurses", level=5)


@pytest.fixture
def mentee(program, civil):
    return ready_mentee(
        program,
        occupation=civil,
        participation__person__gender="Woman",
        wants_same_gender_mentor=True,
        requested_mentor_email="",
    )


def _url(mentee, query: str = "") -> str:
    url = reverse("matching:suggestions", args=[mentee.pk])
    return f"{url}?q={query}" if query else url


def test_search_finds_a_mentor_outside_the_top_ten_and_proposes_them_with_their_score(
    client, coordinator, program, mentee, civil, nurse
):
    for _ in range(10):
        ready_mentor(program, occupation=civil, participation__person__gender="woman")
    nurse_mentor = ready_mentor(
        program, occupation=nurse, occupation_title="Nurse", participation__person__gender="woman"
    )
    client.force_login(coordinator)
    response = client.get(_url(mentee, "nurses"))
    assert nurse_mentor.pk not in [row.mentor.participation_id for row in response.context["rows"]]
    [found] = response.context["found"]
    assert found.mentor.participation_id == nurse_mentor.pk
    assert f'data-testid="suggestion-{nurse_mentor.pk}"' in response.content.decode()
    response = client.post(
        _url(mentee, "nurses"), {"mentor": nurse_mentor.pk, "override_reason": "She asked for a nurse"}
    )
    assert response.status_code == 302
    match = Match.objects.get()
    assert (match.mentor, round(float(match.score))) == (nurse_mentor, found.score)


def test_search_says_plainly_when_nobody_fits(client, coordinator, program, mentee, civil):
    ready_mentor(program, occupation=civil)
    client.force_login(coordinator)
    response = client.get(_url(mentee, "astronaut"))
    assert response.context["found"] == []
    assert "No mentor besides those suggested above has “astronaut”" in response.content.decode()


def test_a_mentor_against_the_same_gender_wish_needs_a_reason_that_is_logged(
    client, coordinator, program, mentee, civil
):
    program.min_match_score = 0
    program.save()
    man = ready_mentor(program, occupation=civil, participation__person__gender="Man")
    client.force_login(coordinator)
    response = client.get(_url(mentee))
    [row] = response.context["rows"]
    assert "the mentee asked for a mentor of the same gender" in row.override_note
    response = client.post(_url(mentee), {"mentor": man.pk})
    assert response.status_code == 200
    assert "Give a reason to match them anyway." in response.content.decode()
    assert not Match.objects.exists()
    response = client.post(_url(mentee), {"mentor": man.pk, "override_reason": "She agreed on the phone"})
    assert response.status_code == 302
    entry = ActivityEntry.objects.filter(verb="match.override").first()
    assert entry.data["reason"] == "She agreed on the phone"
    assert entry.data["soft_rules"] == ["the mentee asked for a mentor of the same gender"]


def test_a_woman_mentor_is_proposed_without_a_reason(client, coordinator, program, mentee, civil):
    program.min_match_score = 0
    program.save()
    woman = ready_mentor(program, occupation=civil, participation__person__gender="woman ")
    client.force_login(coordinator)
    assert client.post(_url(mentee), {"mentor": woman.pk}).status_code == 302
    assert not ActivityEntry.objects.filter(verb="match.override").exists()


def test_a_full_mentor_or_a_pair_not_to_match_is_shown_with_why_and_no_propose_button(
    client, coordinator, program, mentee, civil
):
    full = ready_mentor(program, occupation=civil, occupation_title="Bridge engineer")
    MatchFactory(program=program, mentor=full, status=Match.Status.ACTIVE, started_on="2026-01-05")
    conflict = ready_mentor(program, occupation=civil, occupation_title="Bridge engineer")
    DoNotMatchFactory(mentee=mentee.person, mentor=conflict.person)
    client.force_login(coordinator)
    response = client.get(_url(mentee, "civil"))
    found = {row.mentor.participation_id: row for row in response.context["found"]}
    assert found[full.pk].refusal == "No room for another mentee."
    assert found[conflict.pk].refusal == "Marked not to be matched with this mentee."
    assert all(row.form is None for row in found.values())
    client.post(_url(mentee), {"mentor": conflict.pk, "override_reason": "please"})
    assert not Match.objects.filter(mentor=conflict).exists()


def test_the_requested_mentor_is_flagged_and_shown_even_below_the_top_ten(
    client, coordinator, program, civil, nurse
):
    mentee = ready_mentee(program, occupation=civil, requested_mentor_email="Grace.Ho@example.org")
    for _ in range(10):
        ready_mentor(program, occupation=civil)
    grace = ready_mentor(program, occupation=nurse, participation__person__email="grace.ho@example.org")
    client.force_login(coordinator)
    response = client.get(_url(mentee))
    rows = response.context["rows"]
    assert len(rows) == 11
    assert rows[0].mentor.participation_id == grace.pk
    assert rows[0].requested and not any(row.requested for row in rows[1:])
    assert "Asked for by the mentee" in response.content.decode()


def test_the_waiting_list_flags_mentees_whose_requested_mentor_is_ready(client, coordinator, program, civil):
    mentee = ready_mentee(program, occupation=civil, requested_mentor_email="grace.ho@example.org")
    client.force_login(coordinator)
    response = client.get(reverse("matching:waiting"))
    assert 'data-testid="requested-ready"' not in response.content.decode()
    ready_mentor(program, occupation=civil, participation__person__email="grace.ho@example.org")
    response = client.get(reverse("matching:waiting"))
    html = response.content.decode()
    assert f'data-testid="waiting-{mentee.pk}"' in html
    assert 'data-testid="requested-ready"' in html


def test_a_mentor_of_another_organization_is_never_found(client, coordinator, mentee, other_program, civil):
    ready_mentor(other_program, occupation=civil, participation__person__first_name="Zebulon")
    client.force_login(coordinator)
    response = client.get(_url(mentee, "zebulon"))
    assert response.context["found"] == []
    assert Participation.objects.filter(person__first_name="Zebulon").exists()


# --- The mentor's side ---------------------------------------------------------------------------


def _mentor_url(mentor) -> str:
    return reverse("matching:mentor_suggestions", args=[mentor.pk])


def test_mentor_page_lists_waiting_mentees_best_first_and_proposes_one(
    client, coordinator, program, civil, nurse
):
    mentor = ready_mentor(program, occupation=civil, max_mentees=2)
    close = ready_mentee(program, occupation=civil)
    far = ready_mentee(program, occupation=nurse, participation__person__city="Toronto")
    proposed = ready_mentee(program, occupation=civil)
    MatchFactory(program=program, mentee=proposed, mentor=ready_mentor(program))
    client.force_login(coordinator)
    response = client.get(_mentor_url(mentor))
    rows = response.context["rows"]
    assert [row.mentee.participation_id for row in rows] == [close.pk, far.pk]
    assert rows[0].score > rows[1].score
    assert sum(reason.points for reason in rows[0].reasons) == rows[0].score
    response = client.post(_mentor_url(mentor), {"mentee": close.pk})
    match = Match.objects.get(mentor=mentor)
    assert response.status_code == 302 and response.url == reverse("matching:match_detail", args=[match.pk])
    assert (match.mentee, round(float(match.score))) == (close, rows[0].score)


def test_mentor_page_asks_a_reason_below_the_threshold_and_keeps_what_was_typed(
    client, coordinator, program, civil, nurse
):
    program.min_match_score = 95
    program.save()
    mentor = ready_mentor(program, occupation=civil)
    mentee = ready_mentee(program, occupation=nurse)
    client.force_login(coordinator)
    response = client.post(_mentor_url(mentor), {"mentee": mentee.pk, "override_reason": "  "})
    assert response.status_code == 200
    assert "below the program&#x27;s lowest score of 95" in response.content.decode()
    assert not Match.objects.exists()


def test_mentor_page_refuses_a_mentee_of_another_organization_or_one_already_proposed(
    client, coordinator, program, other_program, civil
):
    mentor = ready_mentor(program, occupation=civil)
    stranger = ready_mentee(other_program, occupation=civil)
    client.force_login(coordinator)
    response = client.post(_mentor_url(mentor), {"mentee": stranger.pk, "override_reason": "x"})
    assert "This mentee cannot be matched with this mentor now." in response.content.decode()
    assert not Match.objects.exists()


def test_mentor_page_permissions(client, coordinator, other_coordinator, participant_user, program, civil):
    mentor = ready_mentor(program, occupation=civil)
    assert client.get(_mentor_url(mentor)).status_code == 302  # to sign in
    client.force_login(other_coordinator)
    assert client.get(_mentor_url(mentor)).status_code == 404
    client.force_login(participant_user)
    assert client.get(_mentor_url(mentor)).status_code == 403
    client.force_login(coordinator)
    mentee = ready_mentee(program, occupation=civil)
    assert client.get(_mentor_url(mentee)).status_code == 404  # not a mentor


def test_mentor_page_makes_the_same_number_of_queries_for_5_and_500_mentees(
    client, coordinator, program, civil, django_assert_max_num_queries
):
    mentor = ready_mentor(program, occupation=civil)
    client.force_login(coordinator)
    client.get(_mentor_url(mentor))
    for count in (5, 500):
        while Participation.objects.filter(role="mentee").count() < count:
            ready_mentee(program, occupation=civil)
        # Session, user, memberships, the mentor, open matches, candidates (three), pairs not
        # to match, and the navigation.
        with django_assert_max_num_queries(12):
            response = client.get(_mentor_url(mentor))
        assert len(response.context["rows"]) == min(count, 10)
