"""Reads for matching: what each user may see, the pairs never to propose, mentors' remaining
capacity, the requested mentor. Query counts are pinned at two data sizes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from matching import selectors
from matching.models import Match
from participants.models import Participation
from participants.tests.factories import ParticipationFactory, PersonFactory
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .factories import DoNotMatchFactory, MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

M = Match.Status
S = Participation.Status


@pytest.fixture
def health(organization):
    return ProgramFactory(organization=organization, name="Health Mentorship", shares_mentors=True)


# --- Capacity -------------------------------------------------------------------------------------


def test_remaining_capacity_counts_open_matches_against_the_mentees_each_mentor_offered(program):
    busy = ready_mentor(program, max_mentees=3)
    for status in (M.PROPOSED, M.INTRODUCED, M.ACTIVE, M.DECLINED, M.CANCELLED, M.COMPLETED, M.CLOSED_EARLY):
        MatchFactory(program=program, mentor=busy, status=status, started_on="2030-01-07")
    full = ready_mentor(program, max_mentees=1)
    MatchFactory(program=program, mentor=full, status=M.PROPOSED)
    free = ready_mentor(program, max_mentees=2)
    without_profile = ParticipationFactory(program=program, role=Participation.Role.MENTOR)

    capacity = selectors.mentor_remaining_capacity([busy, full, free, without_profile])

    assert capacity == {busy.pk: 0, full.pk: 0, free.pk: 2, without_profile.pk: 1}
    assert selectors.mentor_remaining_capacity(Participation.objects.filter(pk=free.pk)) == {free.pk: 2}


@pytest.mark.parametrize("size", [2, 8])
def test_remaining_capacity_takes_one_query_whatever_the_number_of_mentors(
    size, program, django_assert_num_queries
):
    mentors = [ready_mentor(program, max_mentees=2) for _ in range(size)]
    for mentor in mentors:
        MatchFactory(program=program, mentor=mentor)

    with django_assert_num_queries(1):
        capacity = selectors.mentor_remaining_capacity(mentors)
    assert set(capacity.values()) == {1}


# --- Pairs never to propose -----------------------------------------------------------------------


def test_forbidden_pairs_are_the_marked_people_in_every_role_they_hold_and_the_open_matches(
    program, health, organization, other_program
):
    program.shares_mentors = True
    program.save()
    amara = ready_mentee(program)
    chidi = ready_mentee(program)
    ngozi = ready_mentee(program)
    grace_here = ready_mentor(program)
    # Grace mentors in the health program too: the mark is between people, so it follows her.
    grace_there = ready_mentor(health, participation__person=grace_here.person)
    henry = ready_mentor(program, max_mentees=3)
    DoNotMatchFactory(mentee=amara.person, mentor=grace_here.person)
    MatchFactory(program=program, mentee=chidi, mentor=henry, status=M.PROPOSED)
    MatchFactory(program=program, mentee=ngozi, mentor=henry, status=M.DECLINED)
    # Left out: a mentee of another program, and another organization's marks and matches.
    elsewhere = ready_mentee(health)
    DoNotMatchFactory(mentee=elsewhere.person, mentor=grace_here.person)
    stranger = ready_mentee(other_program)
    DoNotMatchFactory(mentee=stranger.person, mentor=ready_mentor(other_program).person)
    MatchFactory(program=other_program, mentee=ready_mentee(other_program))

    assert selectors.forbidden_pairs(program) == {
        (amara.pk, grace_here.pk),
        (amara.pk, grace_there.pk),
        (chidi.pk, henry.pk),
    }


def test_a_marked_pair_is_forbidden_only_in_the_marked_direction(program):
    amara, grace = ready_mentee(program), ready_mentor(program)
    DoNotMatchFactory(mentee=grace.person, mentor=amara.person)

    assert selectors.forbidden_pairs(program) == set()


@pytest.mark.parametrize("size", [2, 8])
def test_forbidden_pairs_take_one_query_whatever_the_number_of_pairs(
    size, program, django_assert_num_queries
):
    for _ in range(size):
        mentee, mentor = ready_mentee(program), ready_mentor(program)
        DoNotMatchFactory(mentee=mentee.person, mentor=mentor.person)
        MatchFactory(program=program, mentee=ready_mentee(program), mentor=mentor)

    with django_assert_num_queries(1):
        pairs = selectors.forbidden_pairs(program)
    assert len(pairs) == 2 * size


# --- Which mentors a program may use -----------------------------------------------------------------


def test_a_program_that_does_not_share_uses_its_own_mentors_ready_or_already_mentoring(program, health):
    ready = ready_mentor(program)
    mentoring = ready_mentor(program, status=S.MATCHED)
    ready_mentor(program, status=S.ACCEPTED)
    ready_mentor(health)

    assert set(selectors.mentors_available_to(program)) == {ready, mentoring}


def test_a_sharing_program_also_uses_the_mentors_of_the_other_sharing_programs(program, health, organization):
    program.shares_mentors = True
    program.save()
    own = ready_mentor(program)
    lent = ready_mentor(health)
    ready_mentor(ProgramFactory(organization=organization, shares_mentors=False))
    ready_mentor(ProgramFactory(shares_mentors=True))  # another organization's

    assert set(selectors.mentors_available_to(program)) == {own, lent}


# --- The requested mentor ---------------------------------------------------------------------------


def test_the_requested_mentor_is_found_once_accepted_as_a_mentor(program):
    mentee = ready_mentee(program, requested_mentor_email="Grace.Ho@example.org")
    grace = PersonFactory(organization=program.organization, email="grace.ho@example.org")
    applied = ParticipationFactory(program=program, person=grace, role=Participation.Role.MENTOR)

    assert selectors.requested_mentor_for(mentee) is None

    Participation.objects.filter(pk=applied.pk).update(status=S.ACCEPTED)
    assert selectors.requested_mentor_for(mentee) == applied


def test_the_requested_mentor_prefers_the_participation_that_can_be_matched_now(program, health):
    mentee = ready_mentee(program, requested_mentor_email="grace.ho@example.org")
    grace = PersonFactory(organization=program.organization, email="grace.ho@example.org")
    ParticipationFactory(program=program, person=grace, role=Participation.Role.MENTOR, status=S.COMPLETED)
    ParticipationFactory(program=health, person=grace, role=Participation.Role.MENTOR, status=S.ACCEPTED)
    current = ParticipationFactory(
        program=program, person=grace, role=Participation.Role.MENTOR, status=S.MATCHED
    )

    assert selectors.requested_mentor_for(mentee) == current


def test_a_mentee_who_asked_for_nobody_has_no_requested_mentor(program):
    assert selectors.requested_mentor_for(ready_mentee(program)) is None


# --- Who sees which match ---------------------------------------------------------------------------


def test_staff_see_the_matches_of_their_programs_and_those_their_program_lent_a_mentor_to(
    program, health, organization, coordinator, other_coordinator
):
    program.shares_mentors = True
    program.save()
    engineering = MatchFactory(program=program)
    with_lent_mentor = MatchFactory(program=program, mentor=ready_mentor(health))
    in_health = MatchFactory(program=health)
    limited = StaffMembershipFactory(organization=organization, programs=[health]).user

    assert set(selectors.matches_visible_to(coordinator)) == {engineering, with_lent_mentor, in_health}
    assert set(selectors.matches_visible_to(limited)) == {with_lent_mentor, in_health}
    assert set(selectors.matches_visible_to(other_coordinator)) == set()
    assert selectors.get_match_for_user(coordinator, engineering.pk) == engineering


def test_another_organizations_staff_get_404(program, other_coordinator):
    match = MatchFactory(program=program)

    with pytest.raises(Http404):
        selectors.get_match_for_user(other_coordinator, match.pk)


def test_staff_limited_to_another_program_get_404(program, health, organization):
    match = MatchFactory(program=program)
    limited = StaffMembershipFactory(organization=organization, programs=[health]).user

    with pytest.raises(Http404):
        selectors.get_match_for_user(limited, match.pk)


def test_a_participant_reaches_their_introduced_match_on_their_side_only(program, participant_user):
    match = MatchFactory(program=program, status=M.INTRODUCED)
    mentee_person, mentor_person = match.mentee.person, match.mentor.person
    mentee_person.user = participant_user
    mentee_person.save()
    mentor_person.user = UserFactory()
    mentor_person.save()

    assert selectors.get_match_for_participant(participant_user, match.pk) == (match, "mentee")
    assert selectors.get_match_for_participant(mentor_person.user, match.pk) == (match, "mentor")
    with pytest.raises(Http404):
        selectors.get_match_for_participant(UserFactory(), match.pk)


def test_a_proposal_is_hidden_from_the_participants(program, participant_user):
    match = MatchFactory(program=program, status=M.PROPOSED)
    match.mentee.person.user = participant_user
    match.mentee.person.save()

    with pytest.raises(Http404):
        selectors.get_match_for_participant(participant_user, match.pk)


def _list_matches(user) -> list[str]:
    """What a list of matches shows: both names, the program and the organization."""
    return [
        f"{m.mentee.person.full_name} {m.mentor.person.full_name} "
        f"{m.program.name} {m.program.organization.name} {m.mentor.program.name}"
        for m in selectors.matches_visible_to(user)
    ]


def test_listing_visible_matches_takes_the_same_queries_at_any_size(program, coordinator):
    counts = []
    for size in (2, 8):
        for _ in range(size):
            MatchFactory(program=program)
        coordinator._staff_memberships_cache = None
        with CaptureQueriesContext(connection) as queries:
            rows = _list_matches(coordinator)
        assert len(rows) == Match.objects.count()
        counts.append(len(queries))
    # The user's memberships and the programs they are limited to, then the matches with their
    # people and programs in one query.
    assert counts == [3, 3]


def test_open_matches_of_a_participation_on_either_side(program):
    mentor = ready_mentor(program, max_mentees=3)
    proposed = MatchFactory(program=program, mentor=mentor, status=M.PROPOSED)
    active = MatchFactory(program=program, mentor=mentor, status=M.ACTIVE, started_on="2030-01-07")
    MatchFactory(program=program, mentor=mentor, status=M.COMPLETED)

    assert set(selectors.open_matches_for(mentor)) == {proposed, active}
    assert list(selectors.open_matches_for(proposed.mentee)) == [proposed]


def test_match_counts_by_status(program):
    MatchFactory(program=program, status=M.PROPOSED)
    MatchFactory(program=program, status=M.DECLINED)
    MatchFactory(program=program, status=M.DECLINED)

    counts = selectors.match_counts(program)

    assert counts["proposed"] == 1
    assert counts["declined"] == 2
    assert counts["active"] == 0
