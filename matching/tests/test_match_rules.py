"""The rules a proposed pair must meet. Hard rules refuse the pair, each with its message; the
soft rule (the program's lowest score, or a rule the coordinator goes against) asks for a
reason, which is logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from matching import services
from matching.models import DoNotMatch, Match
from participants.models import Participation
from participants.tests.factories import ParticipationFactory
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory

from .factories import BREAKDOWN, DoNotMatchFactory, MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

S = Participation.Status
M = Match.Status


def _named(first: str, last: str) -> dict:
    return {"participation__person__first_name": first, "participation__person__last_name": last}


@pytest.fixture
def mentee(program):
    return ready_mentee(program, **_named("Amara", "Okafor"))


@pytest.fixture
def mentor(program):
    return ready_mentor(program, **_named("Grace", "Ho"))


def _propose(mentee, mentor, actor, score=72.5, **kwargs) -> Match:
    return services.match_propose(
        mentee=mentee, mentor=mentor, score=score, breakdown=BREAKDOWN, actor=actor, **kwargs
    )


def _refusals(mentee, mentor, actor, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        _propose(mentee, mentor, actor, **kwargs)
    assert not Match.objects.filter(mentee=mentee, mentor=mentor, status=M.PROPOSED).exists()
    return refused.value.messages


# --- Hard rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.ACCEPTED, S.ORIENTATION_DONE, S.MATCHED, S.WAITLISTED, S.WITHDRAWN])
def test_a_mentee_who_is_not_ready_to_match_is_refused(status, program, mentor, coordinator):
    mentee = ready_mentee(program, status=status, **_named("Amara", "Okafor"))

    assert _refusals(mentee, mentor, coordinator) == [
        f"Amara Okafor is not ready to match ({Participation.Status(status).label})."
    ]


@pytest.mark.parametrize("status", [S.ACCEPTED, S.ORIENTATION_DONE, S.COMPLETED, S.WITHDRAWN])
def test_a_mentor_who_is_not_ready_to_match_is_refused(status, program, mentee, coordinator):
    mentor = ready_mentor(program, status=status, **_named("Grace", "Ho"))

    assert _refusals(mentee, mentor, coordinator) == [
        f"Grace Ho is not ready to match ({Participation.Status(status).label})."
    ]


def test_a_mentor_already_mentoring_may_take_another_mentee_while_capacity_remains(
    program, mentee, coordinator
):
    mentor = ready_mentor(program, status=S.MATCHED, max_mentees=2)
    MatchFactory(program=program, mentor=mentor, status=M.ACTIVE, started_on="2030-01-07")

    assert _propose(mentee, mentor, coordinator).status == M.PROPOSED


def test_a_mentor_of_another_organization_is_refused(mentee, other_program, coordinator):
    stranger = ready_mentor(other_program, **_named("Li", "Wei"))

    assert _refusals(mentee, stranger, coordinator) == ["Li Wei belongs to another organization."]


@pytest.mark.parametrize(
    ("mentees_program_shares", "mentors_program_shares", "allowed"),
    [(False, False, False), (True, False, False), (False, True, False), (True, True, True)],
)
def test_a_mentor_of_another_program_only_when_both_programs_share_mentors(
    mentees_program_shares, mentors_program_shares, allowed, program, organization, mentee, coordinator
):
    program.shares_mentors = mentees_program_shares
    program.save()
    health = ProgramFactory(
        organization=organization, name="Health Mentorship", shares_mentors=mentors_program_shares
    )
    mentor = ready_mentor(health, **_named("Grace", "Ho"))

    if allowed:
        match = _propose(mentee, mentor, coordinator)
        assert match.program == program
    else:
        assert _refusals(mentee, mentor, coordinator) == [
            "Grace Ho is a mentor in Health Mentorship. Mentors are shared only between programs that "
            "both opted in to sharing mentors."
        ]


def test_a_mentor_with_no_room_left_is_refused_and_only_open_matches_count(program, mentor, coordinator):
    mentor.mentor_profile.max_mentees = 2
    mentor.mentor_profile.save()
    # Ended matches free their place.
    for status in (M.DECLINED, M.CANCELLED, M.COMPLETED, M.CLOSED_EARLY):
        MatchFactory(program=program, mentor=mentor, status=status, started_on="2030-01-07")
    first = _propose(ready_mentee(program), mentor, coordinator)
    _propose(ready_mentee(program), mentor, coordinator)
    third_mentee = ready_mentee(program)

    assert _refusals(third_mentee, mentor, coordinator) == ["Grace Ho has no room for another mentee."]

    services.match_cancel(match=first, actor=coordinator)
    assert _propose(third_mentee, mentor, coordinator).status == M.PROPOSED


def test_a_mentor_without_a_profile_takes_one_mentee(program, coordinator):
    mentor = ParticipationFactory(program=program, role=Participation.Role.MENTOR, status=S.READY_TO_MATCH)
    _propose(ready_mentee(program), mentor, coordinator)

    with pytest.raises(ValidationError, match="has no room for another mentee"):
        _propose(ready_mentee(program), mentor, coordinator)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (DoNotMatch.Kind.CONFLICT, "conflict of interest, such as the same employer"),
        (DoNotMatch.Kind.PREVIOUS_MATCH_FAILED, "a previous match did not work out"),
        (DoNotMatch.Kind.PARTICIPANT_REQUEST, "asked for by a participant"),
    ],
)
def test_a_pair_marked_not_to_match_is_refused(kind, words, mentee, mentor, coordinator):
    DoNotMatchFactory(mentee=mentee.person, mentor=mentor.person, kind=kind)

    assert _refusals(mentee, mentor, coordinator) == [
        f"Amara Okafor and Grace Ho are marked not to be matched: {words}."
    ]


def test_the_mark_is_one_way_between_the_two_people(program, mentee, mentor, coordinator):
    DoNotMatchFactory(mentee=mentor.person, mentor=mentee.person)

    assert _propose(mentee, mentor, coordinator).status == M.PROPOSED


def test_a_mentee_with_an_open_match_is_refused(program, mentee, mentor, coordinator):
    MatchFactory(program=program, mentee=mentee, status=M.INTRODUCED)

    assert _refusals(mentee, mentor, coordinator) == [
        "Amara Okafor already has an open match. Cancel or close it first."
    ]


def test_the_database_refuses_a_second_open_match_for_a_mentee(program, mentee):
    MatchFactory(program=program, mentee=mentee, status=M.PROPOSED)
    MatchFactory(program=program, mentee=mentee, status=M.DECLINED)

    with pytest.raises(IntegrityError), transaction.atomic():
        MatchFactory(program=program, mentee=mentee, status=M.ACTIVE, started_on="2030-01-07")


def test_roles_must_be_mentee_and_mentor(program, mentee, mentor, coordinator):
    assert _refusals(mentor, mentee, coordinator) == ["Grace Ho is not a mentee."]
    assert _refusals(mentee, ready_mentee(program, **_named("Omar", "Haddad")), coordinator) == [
        "Omar Haddad is not a mentor."
    ]


def test_a_person_cannot_be_their_own_mentor(program, organization, mentee, coordinator):
    """A mentee who also mentors in another program of the organization (a former mentee)."""
    program.shares_mentors = True
    program.save()
    other = ProgramFactory(organization=organization, shares_mentors=True)
    same_person = ParticipationFactory(
        program=other, person=mentee.person, role=Participation.Role.MENTOR, status=S.READY_TO_MATCH
    )

    assert _refusals(mentee, same_person, coordinator) == ["A person cannot be their own mentor."]


def test_every_broken_rule_is_listed_at_once(program, coordinator):
    mentee = ready_mentee(program, status=S.ACCEPTED, **_named("Amara", "Okafor"))
    mentor = ready_mentor(program, status=S.ACCEPTED, **_named("Grace", "Ho"))
    DoNotMatchFactory(mentee=mentee.person, mentor=mentor.person)

    assert _refusals(mentee, mentor, coordinator) == [
        "Amara Okafor is not ready to match (Accepted).",
        "Grace Ho is not ready to match (Accepted).",
        "Amara Okafor and Grace Ho are marked not to be matched: "
        "conflict of interest, such as the same employer.",
    ]


# --- The soft rule: a reason to go below the threshold or against a rule ---------------------------


def test_a_score_below_the_programs_threshold_needs_a_reason(program, mentee, mentor, coordinator):
    program.min_match_score = 50
    program.save()

    with pytest.raises(ValidationError) as refused:
        _propose(mentee, mentor, coordinator, score=42.5)

    assert refused.value.message_dict == {
        "override_reason": [
            "This pair scores 42.5, below the program's lowest score of 50. "
            "Give a reason to match them anyway."
        ]
    }
    assert not Match.objects.exists()


def test_a_reason_lets_the_coordinator_match_below_the_threshold_and_is_logged(
    program, mentee, mentor, coordinator
):
    program.min_match_score = 50
    program.save()

    match = _propose(
        mentee, mentor, coordinator, score=42.5, override_reason="  Same hometown; the mentee asked for her  "
    )

    assert match.override_reason == "Same hometown; the mentee asked for her"
    entry = ActivityEntry.objects.get(verb="match.override", target_type__model="match")
    assert entry.actor == coordinator
    assert entry.data == {
        "reason": "Same hometown; the mentee asked for her",
        "score": 42.5,
        "threshold": 50,
        "soft_rules": [],
    }
    assert ActivityEntry.objects.filter(
        verb="match.override", target_id=str(mentee.person.pk), target_type__model="person"
    ).exists()


def test_a_score_at_the_threshold_needs_no_reason(program, mentee, mentor, coordinator):
    program.min_match_score = 50
    program.save()

    _propose(mentee, mentor, coordinator, score=50)

    assert not ActivityEntry.objects.filter(verb="match.override").exists()


def test_going_against_a_soft_rule_needs_a_reason_whatever_the_score(mentee, mentor, coordinator):
    rules = ["Mentor works for the mentee's former employer"]

    with pytest.raises(ValidationError) as refused:
        _propose(mentee, mentor, coordinator, score=91, soft_rules_broken=rules)
    assert refused.value.message_dict["override_reason"] == [
        "This pair goes against: Mentor works for the mentee's former employer. "
        "Give a reason to match them anyway."
    ]

    _propose(
        mentee, mentor, coordinator, score=91, soft_rules_broken=rules, override_reason="Different divisions"
    )
    entry = ActivityEntry.objects.get(verb="match.override", target_type__model="match")
    assert entry.data["soft_rules"] == rules
    assert entry.data["reason"] == "Different divisions"


def test_the_default_threshold_is_forty(organization):
    assert ProgramFactory(organization=organization).min_match_score == 40


def test_a_proposal_of_the_requested_mentor_says_so(program, coordinator):
    mentor = ready_mentor(program, participation__person__email="grace.ho@example.org")
    mentee = ready_mentee(program, requested_mentor_email="Grace.Ho@example.org")

    match = _propose(mentee, mentor, coordinator)

    entry = ActivityEntry.objects.get(
        verb="match.proposed", target_id=str(match.pk), target_type__model="match"
    )
    assert entry.data["requested_mentor"] is True


# --- Marking pairs not to match ---------------------------------------------------------------------


def test_the_coordinator_marks_a_pair_not_to_match_and_it_is_logged(mentee, mentor, coordinator):
    mark = services.do_not_match_add(
        mentee=mentee.person,
        mentor=mentor.person,
        kind=DoNotMatch.Kind.CONFLICT,
        note=" Both work at Prairie Bridges Ltd. ",
        actor=coordinator,
    )

    assert mark.organization == mentee.program.organization
    assert mark.note == "Both work at Prairie Bridges Ltd."
    assert mark.created_by == coordinator
    entry = ActivityEntry.objects.get(verb="do_not_match.added")
    assert entry.target == mentee.person
    assert entry.data["kind"] == "conflict"
    assert entry.data["mentor"] == "Grace Ho"


def test_a_pair_is_marked_once(mentee, mentor, coordinator):
    DoNotMatchFactory(mentee=mentee.person, mentor=mentor.person)

    with pytest.raises(ValidationError) as refused:
        services.do_not_match_add(
            mentee=mentee.person, mentor=mentor.person, kind=DoNotMatch.Kind.OTHER, actor=coordinator
        )
    assert refused.value.messages == ["These two people are already marked not to be matched."]


def test_a_pair_is_marked_only_within_one_organization(mentee, other_program, coordinator):
    stranger = ready_mentor(other_program)

    with pytest.raises(ValidationError) as refused:
        services.do_not_match_add(
            mentee=mentee.person, mentor=stranger.person, kind=DoNotMatch.Kind.OTHER, actor=coordinator
        )
    assert refused.value.messages == ["Both people must belong to the organization."]
    assert not DoNotMatch.objects.exists()


def test_a_match_belongs_to_the_mentees_program(program, organization, mentee, mentor):
    match = MatchFactory.build(
        program=ProgramFactory(organization=organization), mentee=mentee, mentor=mentor
    )

    with pytest.raises(ValidationError) as refused:
        match.full_clean()
    assert refused.value.message_dict == {"program": ["A match belongs to the mentee's program."]}
