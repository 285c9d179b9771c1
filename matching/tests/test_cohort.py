"""Cohort assignment on a program's real pool: who is in it, the rules it keeps, and how the
optimal assignment compares with first-come matching.

The program scores on two criteria only, languages and interests, 50 points each: everyone
shares two interests (50), and two shared languages add 50, one adds 25. The scores are then
easy to work out by hand."""

from __future__ import annotations

import datetime
from dataclasses import fields

import pytest
from django.utils import timezone

from matching import cohort
from matching.models import Match
from matching.scoring import Weights
from participants.models import Participation, PersonLanguage
from participants.tests.factories import ParticipationFactory
from programs.tests.factories import OrganizationFactory, ProgramFactory

from .factories import DoNotMatchFactory, MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

S = Participation.Status
LANGUAGES_AND_INTERESTS = {item.name: 0 for item in fields(Weights)} | {"languages": 1, "interests": 1}
INTERESTS = ["hiking", "chess"]


def scored_on_languages(program):
    program.matching_weights = LANGUAGES_AND_INTERESTS
    program.save()
    return program


@pytest.fixture
def pool_program(program):
    return scored_on_languages(program)


def _speaks(participation: Participation, languages: tuple[str, ...]) -> Participation:
    for language in languages:
        PersonLanguage.objects.create(person=participation.person, language=language, proficiency="fluent")
    return participation


def mentee(program, name: str, languages: tuple[str, ...], *, waited_days: int = 0) -> Participation:
    participation = ready_mentee(
        program,
        participation__person__first_name=name,
        participation__person__last_name="Mentee",
        participation__interests=INTERESTS,
    )
    Participation.objects.filter(pk=participation.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=waited_days)
    )
    return _speaks(participation, languages)


def mentor(program, name: str, languages: tuple[str, ...], *, max_mentees: int = 1) -> Participation:
    participation = ready_mentor(
        program,
        max_mentees=max_mentees,
        participation__person__first_name=name,
        participation__person__last_name="Mentor",
        participation__interests=INTERESTS,
    )
    return _speaks(participation, languages)


def _pairs(solved: cohort.Cohort) -> set[tuple[int, int, float]]:
    return {(p.mentee.participation_id, p.mentor.participation_id, round(p.score, 2)) for p in solved.pairs}


@pytest.fixture
def hand_worked(pool_program):
    """Amara has waited longest. Her best mentor is Xavier (100), Yusuf scores 75 with her.
    Bola speaks only Spanish: Xavier scores 75 with her and Yusuf 50, below the lowest score of
    60. First come: Amara takes Xavier and Bola gets nobody (1 pair, total 100). Optimal: Amara
    with Yusuf and Bola with Xavier (2 pairs, total 150)."""
    pool_program.min_match_score = 60
    pool_program.save()
    # Bola applied first, but Amara has waited longer since she became ready to match.
    bola = mentee(pool_program, "Bola", ("Spanish",), waited_days=3)
    amara = mentee(pool_program, "Amara", ("English", "French"), waited_days=10)
    xavier = mentor(pool_program, "Xavier", ("English", "French", "Spanish"))
    yusuf = mentor(pool_program, "Yusuf", ("English",))
    return amara, bola, xavier, yusuf


def test_the_optimal_assignment_beats_first_come_on_a_hand_worked_pool(pool_program, hand_worked):
    amara, bola, xavier, yusuf = hand_worked

    solved = cohort.solve(pool_program)

    assert solved.min_score == 60
    assert [m.participation_id for m in solved.mentees] == [amara.pk, bola.pk]  # longest wait first
    assert _pairs(solved) == {(amara.pk, yusuf.pk, 75.0), (bola.pk, xavier.pk, 75.0)}
    totals = solved.totals()
    assert totals["optimal"] == {"count": 2, "total": 150.0, "lowest": 75.0, "mean": 75.0}
    assert totals["greedy"] == {"count": 1, "total": 100.0, "lowest": 100.0, "mean": 100.0}
    assert totals["unmatched"] == []


def test_each_pair_comes_with_a_breakdown_that_adds_up_to_its_score(pool_program, hand_worked):
    solved = cohort.solve(pool_program)

    for pair in solved.pairs:
        assert sum(reason.points for reason in pair.reasons) == round(pair.score)
        assert {reason.criterion for reason in pair.reasons} == {"languages", "interests"}


def test_first_come_serves_mentees_in_the_order_they_have_waited(pool_program, hand_worked):
    amara, bola, *_ = hand_worked
    # Bola now has waited longest: she takes Xavier first, and Amara still gets Yusuf.
    Participation.objects.filter(pk=bola.pk).update(status_changed_at=timezone.now() - datetime.timedelta(30))

    solved = cohort.solve(pool_program)

    assert [m.participation_id for m in solved.mentees] == [bola.pk, amara.pk]
    assert solved.totals()["greedy"] == {"count": 2, "total": 150.0, "lowest": 75.0, "mean": 75.0}


def test_a_mentor_takes_no_more_mentees_than_the_places_they_have_left(pool_program):
    mentees = [mentee(pool_program, name, ("English", "French")) for name in ("Amara", "Bola", "Chidi")]
    roomy = mentor(pool_program, "Xavier", ("English", "French"), max_mentees=3)
    # One of Xavier's three places is taken by a proposal in another program of the organization.
    elsewhere = ProgramFactory(organization=pool_program.organization)
    MatchFactory(program=elsewhere, mentor=roomy)

    solved = cohort.solve(pool_program)

    assert [pair.mentor.participation_id for pair in solved.pairs] == [roomy.pk, roomy.pk]
    assert len(solved.left_out) == 1
    left_out = solved.left_out[0]
    assert left_out.mentee_id in {m.pk for m in mentees}
    assert left_out.reason == cohort.NO_ROOM
    assert left_out.best_score == pytest.approx(100)


def test_mentees_with_an_open_match_and_full_mentors_are_left_out_of_the_pool(pool_program):
    waiting = mentee(pool_program, "Amara", ("English",))
    proposed = mentee(pool_program, "Bola", ("English",))
    free = mentor(pool_program, "Xavier", ("English",))
    full = mentor(pool_program, "Yusuf", ("English",))
    MatchFactory(program=pool_program, mentee=proposed, mentor=full)

    solved = cohort.solve(pool_program)

    assert [m.participation_id for m in solved.mentees] == [waiting.pk]
    assert _pairs(solved) == {(waiting.pk, free.pk, 75.0)}


def test_pairs_not_to_match_are_never_proposed(pool_program):
    amara = mentee(pool_program, "Amara", ("English", "French"))
    bola = mentee(pool_program, "Bola", ("English", "French"))
    xavier = mentor(pool_program, "Xavier", ("English", "French"))
    DoNotMatchFactory(mentee=amara.person, mentor=xavier.person)
    DoNotMatchFactory(mentee=bola.person, mentor=xavier.person)

    solved = cohort.solve(pool_program, min_score=0)

    assert solved.pairs == []
    assert solved.totals()["optimal"]["count"] == 0
    assert solved.totals()["greedy"]["count"] == 0
    assert {(item.mentee_id, item.reason, item.best_score) for item in solved.left_out} == {
        (amara.pk, cohort.NO_MENTOR, None),
        (bola.pk, cohort.NO_MENTOR, None),
    }


def test_a_pair_not_to_match_sends_the_mentee_to_their_next_best_mentor(pool_program):
    amara = mentee(pool_program, "Amara", ("English", "French"))
    xavier = mentor(pool_program, "Xavier", ("English", "French"))
    yusuf = mentor(pool_program, "Yusuf", ("English",))
    DoNotMatchFactory(mentee=amara.person, mentor=xavier.person)

    assert _pairs(cohort.solve(pool_program)) == {(amara.pk, yusuf.pk, 75.0)}


def test_no_pair_below_the_lowest_score_is_proposed(pool_program):
    amara = mentee(pool_program, "Amara", ("Tagalog",))
    xavier = mentor(pool_program, "Xavier", ("English",))  # interests only: 50
    pool_program.min_match_score = 60
    pool_program.save()

    by_default = cohort.solve(pool_program)
    assert by_default.min_score == 60
    assert by_default.pairs == []
    assert [(item.reason, item.best_score) for item in by_default.left_out] == [(cohort.NO_MENTOR, 50.0)]
    assert by_default.totals()["unmatched"] == [
        {"mentee": amara.pk, "reason": cohort.NO_MENTOR, "best_score": 50.0}
    ]

    lowered = cohort.solve(pool_program, min_score=50)
    assert lowered.min_score == 50
    assert _pairs(lowered) == {(amara.pk, xavier.pk, 50.0)}


@pytest.mark.parametrize(
    ("ours_shares", "theirs_shares", "shared"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_mentors_of_another_program_are_used_only_when_both_programs_share(
    pool_program, ours_shares, theirs_shares, shared
):
    pool_program.shares_mentors = ours_shares
    pool_program.save()
    health = scored_on_languages(
        ProgramFactory(organization=pool_program.organization, shares_mentors=theirs_shares)
    )
    amara = mentee(pool_program, "Amara", ("English", "French"))
    lent = mentor(health, "Xavier", ("English", "French"))

    solved = cohort.solve(pool_program)

    assert _pairs(solved) == ({(amara.pk, lent.pk, 100.0)} if shared else set())


def test_mentors_of_another_organization_are_never_used(pool_program):
    pool_program.shares_mentors = True
    pool_program.save()
    outside = ProgramFactory(organization=OrganizationFactory(), shares_mentors=True)
    mentee(pool_program, "Amara", ("English", "French"))
    mentor(outside, "Xavier", ("English", "French"))

    solved = cohort.solve(pool_program)

    assert solved.mentors == []
    assert solved.pairs == []


def test_a_waiting_mentee_without_a_profile_is_left_out_with_that_reason(pool_program):
    amara = mentee(pool_program, "Amara", ("English",), waited_days=1)
    unprofiled = ParticipationFactory(program=pool_program, status=S.READY_TO_MATCH)
    Participation.objects.filter(pk=unprofiled.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=5)
    )

    solved = cohort.solve(pool_program)

    assert [(item.mentee_id, item.reason) for item in solved.left_out] == [
        (unprofiled.pk, cohort.NO_PROFILE),
        (amara.pk, cohort.NO_MENTOR),  # and no mentor at all
    ]


def test_mentees_of_other_programs_are_not_in_the_pool(pool_program):
    mentee(ProgramFactory(organization=pool_program.organization), "Amara", ("English",))
    mentor(pool_program, "Xavier", ("English",))

    assert cohort.solve(pool_program).mentees == []


def _grow(program, count: int) -> None:
    for index in range(count):
        mentee(program, f"Mentee{index}", ("English", "French"), waited_days=index % 7)
        mentor(program, f"Mentor{index}", ("English",) if index % 2 else ("French", "Spanish"))


def test_solving_takes_the_same_number_of_queries_for_small_and_larger_pools(
    pool_program, django_assert_max_num_queries
):
    for total in (3, 40):
        _grow(pool_program, total - Participation.objects.filter(role="mentee").count())
        DoNotMatchFactory(
            mentee=Participation.objects.filter(role="mentee").first().person,
            mentor=Participation.objects.filter(role="mentor").last().person,
        )
        # Open matches, candidates (participations, languages; no occupation to title here),
        # the waiting order, pairs not to match.
        with django_assert_max_num_queries(5):
            solved = cohort.solve(pool_program)
        assert len(solved.mentees) == total


# --- Another mentor for one proposal -----------------------------------------------------------


def test_mentor_options_list_every_other_mentor_with_room_best_first(pool_program):
    amara = mentee(pool_program, "Amara", ("English", "French"))
    current = mentor(pool_program, "Xavier", ("English", "French"))
    MatchFactory(program=pool_program, mentee=amara, mentor=current)
    best = mentor(pool_program, "Yusuf", ("English", "French"), max_mentees=2)
    low = mentor(pool_program, "Zora", ("Tagalog",))
    full = mentor(pool_program, "Wen", ("English", "French"))
    MatchFactory(program=pool_program, mentor=full)
    barred = mentor(pool_program, "Vic", ("English", "French"))
    DoNotMatchFactory(mentee=amara.person, mentor=barred.person)

    options = cohort.mentor_options(pool_program, amara.pk)

    assert [(o.mentor.participation_id, round(o.score)) for o in options.options] == [
        (best.pk, 100),
        (low.pk, 50),
    ]
    assert options.get(best.pk).mentor.capacity == 2
    assert options.get(current.pk) is None
    assert sum(reason.points for reason in options.explain(options.get(low.pk))) == 50


def test_mentor_options_are_empty_for_a_mentee_who_is_no_longer_ready(pool_program):
    amara = mentee(pool_program, "Amara", ("English",))
    mentor(pool_program, "Xavier", ("English",))
    Participation.objects.filter(pk=amara.pk).update(status=S.WITHDRAWN)

    options = cohort.mentor_options(pool_program, amara.pk)

    assert options.mentee is None
    assert options.options == []


def test_pairs_for_a_run_load_the_participations_the_service_needs(pool_program, hand_worked):
    amara, bola, xavier, yusuf = hand_worked
    solved = cohort.solve(pool_program)

    pairs = cohort.pairs_for_run(solved)

    assert {(e.pk, r.pk, round(score)) for e, r, score, _reasons in pairs} == {
        (amara.pk, yusuf.pk, 75),
        (bola.pk, xavier.pk, 75),
    }
    assert not Match.objects.exists()
