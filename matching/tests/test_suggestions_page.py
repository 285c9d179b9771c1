"""The matching pages: mentees waiting for a mentor, suggestions for one mentee with a
"Propose" button per mentor, and the program's matching settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.models import Match, Occupation
from participants.models import Participation
from participants.tests.factories import ParticipationFactory
from programs.models import ActivityEntry, StaffMembership
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .factories import MatchFactory, many_ready_mentors, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

S = Participation.Status


@pytest.fixture
def civil(db):
    Occupation.objects.create(code="2", title="Natural and applied sciences and related occupations", level=1)
    Occupation.objects.create(
        code="21", title="Professional occupations in natural and applied sciences", level=2
    )
    return Occupation.objects.create(code="21300", title="Civil engineers", level=5)


@pytest.fixture
def accountant(db):
    Occupation.objects.create(code="1", title="Business, finance and administration occupations", level=1)
    return Occupation.objects.create(code="11100", title="Financial auditors and accountants", level=5)


@pytest.fixture
def mentee(program, civil):
    return ready_mentee(program, occupation=civil, licensing_status="Working toward APEGA registration")


@pytest.fixture
def close_mentor(program, civil):
    return ready_mentor(program, occupation=civil, max_mentees=2)


@pytest.fixture
def distant_mentor(program, accountant):
    return ready_mentor(
        program,
        occupation=accountant,
        occupation_title="Accountant",
        designation="",
        participation__person__city="Toronto",
    )


def _suggestions_url(participation) -> str:
    return reverse("matching:suggestions", args=[participation.pk])


URL_NAMES = ["matching:waiting", "matching:settings"]


# --- Who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_visitor_is_sent_to_login(client, program, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_visitor_is_sent_to_login_from_suggestions(client, mentee):
    response = client.get(_suggestions_url(mentee))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", URL_NAMES)
def test_participant_gets_403(client, participant_user, program, name):
    client.force_login(participant_user)
    assert client.get(reverse(name)).status_code == 403


def test_participant_gets_403_on_suggestions(client, participant_user, mentee):
    client.force_login(participant_user)
    assert client.get(_suggestions_url(mentee)).status_code == 403
    assert client.post(_suggestions_url(mentee), {"mentor": 1}).status_code == 403


def test_other_organizations_coordinator_gets_404_on_suggestions_and_cannot_propose(
    client, other_coordinator, mentee, close_mentor
):
    client.force_login(other_coordinator)
    assert client.get(_suggestions_url(mentee)).status_code == 404
    response = client.post(_suggestions_url(mentee), {"mentor": close_mentor.pk, "override_reason": "x"})
    assert response.status_code == 404
    assert not Match.objects.exists()


def test_other_organizations_coordinator_does_not_see_our_mentees_waiting(client, other_coordinator, mentee):
    client.force_login(other_coordinator)
    response = client.get(reverse("matching:waiting"))
    assert response.status_code == 200
    assert mentee.person.full_name not in response.content.decode()


def test_other_organizations_admin_changes_only_their_own_programs_settings(
    client, other_coordinator, program, other_program
):
    client.force_login(other_coordinator)
    response = client.post(reverse("matching:settings"), _settings_data(min_match_score=70))
    assert response.status_code == 302
    program.refresh_from_db()
    other_program.refresh_from_db()
    assert (program.min_match_score, other_program.min_match_score) == (40, 70)


def test_coordinator_who_is_not_an_org_admin_gets_403_on_settings(client, coordinator, program):
    client.force_login(coordinator)
    assert client.get(reverse("matching:settings")).status_code == 403
    assert client.post(reverse("matching:settings"), _settings_data()).status_code == 403


def test_suggestions_of_a_mentor_or_a_mentee_not_ready_give_404(client, coordinator, program, close_mentor):
    screening = ready_mentee(program, status=S.SCREENING)
    client.force_login(coordinator)
    assert client.get(_suggestions_url(close_mentor)).status_code == 404
    assert client.get(_suggestions_url(screening)).status_code == 404


# --- Mentees waiting -------------------------------------------------------------------------------


def test_waiting_lists_ready_mentees_without_a_proposal_with_a_link_to_their_suggestions(
    client, coordinator, program, mentee, close_mentor
):
    proposed = MatchFactory(program=program).mentee
    screening = ready_mentee(program, status=S.SCREENING)
    client.force_login(coordinator)
    response = client.get(reverse("matching:waiting"))
    html = response.content.decode()
    assert mentee.person.full_name in html
    assert _suggestions_url(mentee) in html
    assert proposed.person.full_name not in html
    assert screening.person.full_name not in html
    assert close_mentor.person.full_name not in html


def test_waiting_says_plainly_when_nobody_waits(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(reverse("matching:waiting"))
    assert "No mentee is waiting for a mentor right now." in response.content.decode()


def test_navbar_and_person_page_link_to_matching(client, coordinator, mentee):
    client.force_login(coordinator)
    response = client.get(mentee.person.get_absolute_url())
    html = response.content.decode()
    assert f'href="{reverse("matching:waiting")}"' in html
    assert f'href="{_suggestions_url(mentee)}"' in html
    assert "Find a mentor" in html


# --- Suggestions ---------------------------------------------------------------------------------


def test_suggestions_are_ordered_by_score_with_a_breakdown_that_adds_up_to_the_score(
    client, coordinator, mentee, close_mentor, distant_mentor
):
    client.force_login(coordinator)
    response = client.get(_suggestions_url(mentee))
    rows = response.context["rows"]
    assert [row.mentor.participation_id for row in rows] == [close_mentor.pk, distant_mentor.pk]
    assert rows[0].score > rows[1].score
    for row in rows:
        assert sum(reason.points for reason in row.reasons) == row.score
    html = response.content.decode()
    assert "Same NOC unit group 21300 Civil engineers" in html
    assert "+32" in html
    assert f'width="{rows[0].score}"' in html  # the score bar, drawn without inline style
    assert "style=" not in html
    assert rows[0].mentor.capacity == 2
    assert "Room for 2 more mentees" in html


def test_suggestions_leave_out_full_mentors_and_pairs_not_to_match(
    client, coordinator, program, mentee, close_mentor, distant_mentor
):
    MatchFactory(program=program, mentor=distant_mentor)  # distant mentor's only place is taken
    client.force_login(coordinator)
    rows = client.get(_suggestions_url(mentee)).context["rows"]
    assert [row.mentor.participation_id for row in rows] == [close_mentor.pk]


def test_suggestions_use_the_programs_weights(client, coordinator, program, mentee, close_mentor):
    program.matching_weights = {"profession": 0}
    program.save()
    client.force_login(coordinator)
    response = client.get(_suggestions_url(mentee))
    assert "Same NOC unit group" not in response.content.decode()


def test_suggestions_page_makes_the_same_number_of_queries_for_50_and_2000_mentors(
    client, coordinator, program, mentee, civil, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(_suggestions_url(mentee))  # sessions and caches warm
    for count in (50, 2000):
        missing = count - Participation.objects.filter(role="mentor").count()
        many_ready_mentors(program, missing, occupation=civil)
        # Session and user, staff memberships, the mentee, open matches, the candidates (three),
        # pairs not to match, the requested mentor, and the navigation (programs, switcher).
        with django_assert_max_num_queries(13):
            response = client.get(_suggestions_url(mentee) + "?q=engineer")
        assert len(response.context["rows"]) == 10
        assert len(response.context["found"]) == 10


# --- Proposing -----------------------------------------------------------------------------------


def test_propose_below_the_threshold_without_a_reason_shows_the_error_and_creates_nothing(
    client, coordinator, program, mentee, distant_mentor
):
    program.min_match_score = 90
    program.save()
    client.force_login(coordinator)
    response = client.post(_suggestions_url(mentee), {"mentor": distant_mentor.pk, "override_reason": " "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "below the program&#x27;s lowest score of 90" in html
    assert "Give a reason to match them anyway." in html
    assert not Match.objects.exists()


def test_propose_below_the_threshold_with_a_reason_proposes_and_logs_the_override(
    client, coordinator, program, mentee, distant_mentor
):
    program.min_match_score = 90
    program.save()
    client.force_login(coordinator)
    response = client.get(_suggestions_url(mentee))
    expected = next(r for r in response.context["rows"] if r.mentor.participation_id == distant_mentor.pk)
    assert expected.override_note
    assert f'id="propose-{distant_mentor.pk}-override_reason"' in response.content.decode()
    response = client.post(
        _suggestions_url(mentee),
        # A score and breakdown slipped into the form are ignored: the server scores the pair.
        {"mentor": distant_mentor.pk, "override_reason": "Same employer network", "score": "99"},
    )
    assert response.status_code == 302
    match = Match.objects.get()
    assert response.url == reverse("matching:match_detail", args=[match.pk])
    assert (match.mentee, match.mentor, match.status) == (mentee, distant_mentor, Match.Status.PROPOSED)
    assert round(float(match.score)) == expected.score
    assert sum(item["points"] for item in match.breakdown) == expected.score
    assert match.override_reason == "Same employer network"
    overrides = ActivityEntry.objects.filter(verb="match.override")
    assert overrides.count() == 2  # on the match and on the mentee's person
    assert {entry.data["reason"] for entry in overrides} == {"Same employer network"}
    follow = client.get(response.url)
    assert "is proposed as the mentor of" in follow.content.decode()


def test_propose_above_the_threshold_needs_no_reason(client, coordinator, mentee, close_mentor):
    client.force_login(coordinator)
    response = client.post(_suggestions_url(mentee), {"mentor": close_mentor.pk})
    assert response.status_code == 302
    match = Match.objects.get()
    assert match.override_reason == ""
    assert not ActivityEntry.objects.filter(verb="match.override").exists()


def test_propose_a_mentor_of_another_organization_creates_nothing(
    client, coordinator, mentee, other_program, civil
):
    stranger = ready_mentor(other_program, occupation=civil)
    client.force_login(coordinator)
    response = client.post(_suggestions_url(mentee), {"mentor": stranger.pk, "override_reason": "x"})
    assert response.status_code == 200
    assert "This mentor cannot be matched with this mentee now." in response.content.decode()
    assert not Match.objects.exists()


def test_a_mentee_with_an_open_proposal_gets_no_new_suggestions(
    client, coordinator, program, mentee, close_mentor, distant_mentor
):
    MatchFactory(program=program, mentee=mentee, mentor=close_mentor)
    client.force_login(coordinator)
    response = client.get(_suggestions_url(mentee))
    assert response.context["rows"] == []
    assert "already has a proposal or a match in progress" in response.content.decode()
    client.post(_suggestions_url(mentee), {"mentor": distant_mentor.pk, "override_reason": "x"})
    assert Match.objects.count() == 1


def test_shared_mentor_from_another_program_is_suggested_when_both_programs_share(
    client, coordinator, organization, program, mentee, civil
):
    program.shares_mentors = True
    program.save()
    sister = ProgramFactory(organization=organization, name="Health Mentorship", shares_mentors=True)
    shared = ready_mentor(sister, occupation=civil)
    client.force_login(coordinator)
    response = client.get(_suggestions_url(mentee))
    assert [row.mentor.participation_id for row in response.context["rows"]] == [shared.pk]
    assert "Shared from Health Mentorship" in response.content.decode()


# --- Settings ------------------------------------------------------------------------------------


def _settings_data(**overrides) -> dict:
    data = {
        "weight_profession": 40,
        "weight_licensing": 10,
        "weight_keywords": 10,
        "weight_goals": 10,
        "weight_languages": 8,
        "weight_interests": 5,
        "weight_communication": 5,
        "weight_culture": 0,
        "weight_gender": 0,
        "weight_place": 10,
        "weight_availability": 2,
        "min_match_score": 55,
        "shares_mentors": "on",
    }
    data.update(overrides)
    return data


def test_org_admin_sees_the_current_weights_with_a_note_on_scaling(client, org_admin, program):
    client.force_login(org_admin)
    response = client.get(reverse("matching:settings"))
    assert response.status_code == 200
    assert response.context["form"]["weight_profession"].value() == 32
    assert "scaled to add up to 100" in response.content.decode()


def test_org_admin_saves_weights_threshold_and_sharing_and_it_is_logged(client, org_admin, program):
    client.force_login(org_admin)
    response = client.post(reverse("matching:settings"), _settings_data())
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.matching_weights["profession"] == 40
    assert program.matching_weights["culture"] == 0
    assert (program.min_match_score, program.shares_mentors) == (55, True)
    entry = ActivityEntry.objects.get(verb="program.updated")
    assert entry.data["changed"]["min_match_score"] == [40, 55]


def test_settings_refuse_weights_that_are_all_zero_and_keep_what_was_typed(client, org_admin, program):
    client.force_login(org_admin)
    data = _settings_data(min_match_score=61, **{f"weight_{name}": 0 for name in (
        "profession", "licensing", "keywords", "goals", "languages", "interests",
        "communication", "culture", "gender", "place", "availability",
    )})  # fmt: skip
    response = client.post(reverse("matching:settings"), data)
    assert response.status_code == 200
    assert "At least one criterion must count more than 0." in response.content.decode()
    assert response.context["form"]["min_match_score"].value() == "61"
    program.refresh_from_db()
    assert program.min_match_score == 40
    assert not ActivityEntry.objects.filter(verb="program.updated").exists()


def test_coordinator_limited_to_another_program_cannot_open_our_mentee(client, organization, program, mentee):
    elsewhere = ProgramFactory(organization=organization, name="Health Mentorship")
    limited = StaffMembershipFactory(organization=organization, role=StaffMembership.Role.COORDINATOR)
    limited.programs.set([elsewhere])
    client.force_login(limited.user)
    assert client.get(_suggestions_url(mentee)).status_code == 404


def test_mentor_without_a_profile_is_not_suggested(client, coordinator, program, mentee, close_mentor):
    ParticipationFactory(program=program, role=Participation.Role.MENTOR, status=S.READY_TO_MATCH)
    client.force_login(coordinator)
    rows = client.get(_suggestions_url(mentee)).context["rows"]
    assert [row.mentor.participation_id for row in rows] == [close_mentor.pk]


def test_waiting_page_makes_the_same_number_of_queries_for_3_and_30_mentees(
    client, coordinator, program, civil, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for count in (3, 30):
        while Participation.objects.filter(role="mentee").count() < count:
            ready_mentee(program, occupation=civil)
        # Session and user, staff memberships, programs, the count and the page of mentees.
        with django_assert_max_num_queries(8):
            response = client.get(reverse("matching:waiting"))
        assert len(response.context["page_obj"].object_list) == min(count, 25)
