"""Cohort assignment for one program: the engine (`assignment.py`) run on the program's real pool.

The pool is what the suggestions page sees, for every waiting mentee at once: the program's
mentees ready to match with no open match, in the order they have waited (`status_changed_at`,
then id); its mentors and, when both programs opted in, those shared by the organization's
other programs; each mentor's places left; and the pairs the hard rules forbid (do not match,
the same person, programs that do not share). `solve` runs the optimal assignment and, for
comparison, first-come greedy matching in waiting order, and says why each mentee it leaves
out got nobody. Loading takes a fixed number of queries whatever the size of the pool.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from participants.models import Participation
from programs.models import Program

from . import assignment, scoring
from .features import Candidate, candidates_for_program
from .selectors import forbidden_pairs, open_match_counts

# Why a waiting mentee got no mentor in a run (stored in the run's totals, shown in words).
NO_MENTOR = "no_mentor"  # no mentor with room scores at least the lowest score with them
NO_ROOM = "no_room"  # some did, but their places went to other mentees
NO_PROFILE = "no_profile"  # without a mentee profile nobody can be scored for them


@dataclass(frozen=True)
class Pair:
    mentee: Candidate
    mentor: Candidate
    score: float
    reasons: list[scoring.Reason]


@dataclass(frozen=True)
class LeftOut:
    mentee_id: int  # participation id
    reason: str  # NO_MENTOR, NO_ROOM or NO_PROFILE
    # The best score among the mentors with room the rules allow, whatever the lowest score.
    best_score: float | None


@dataclass
class Cohort:
    program: Program
    weights: scoring.Weights
    min_score: int
    mentees: list[Candidate]
    mentors: list[Candidate]
    pairs: list[Pair]
    left_out: list[LeftOut]
    optimal: assignment.Summary
    greedy: assignment.Summary

    def totals(self) -> dict[str, Any]:
        """What the run keeps: both summaries, and who was left out and why."""
        return {
            "optimal": _rounded(self.optimal),
            "greedy": _rounded(self.greedy),
            "unmatched": [
                {
                    "mentee": item.mentee_id,
                    "reason": item.reason,
                    "best_score": None if item.best_score is None else round(item.best_score, 2),
                }
                for item in self.left_out
            ],
        }


def _rounded(summary: assignment.Summary) -> dict[str, float | int]:
    return {
        "count": summary.count,
        "total": round(summary.total, 2),
        "lowest": round(summary.lowest, 2),
        "mean": round(summary.mean, 2),
    }


@dataclass
class _Pool:
    program: Program
    weights: scoring.Weights
    mentees: list[Candidate]
    mentors: list[Candidate]
    do_not_match: set[tuple[int, int]]
    taken: Mapping[int, int]

    @property
    def sharing(self) -> set[int] | tuple[()]:
        if not self.program.shares_mentors:
            return ()
        return {self.program.pk, *(mentor.program_id for mentor in self.mentors)}


def _load(program: Program) -> _Pool:
    """The program's candidates with their places left: open matches, candidates (three
    queries), pairs not to match."""
    taken = open_match_counts(program.organization_id)
    mentees, mentors = candidates_for_program(program, include_shared=True, taken=taken)
    return _Pool(
        program=program,
        weights=scoring.Weights.from_dict(program.matching_weights),
        mentees=mentees,
        mentors=mentors,
        do_not_match=forbidden_pairs(program),
        taken=taken,
    )


def _waiting_order(program: Program) -> dict[int, int]:
    """Position of each ready mentee of the program in the queue: longest wait first."""
    ids = (
        Participation.objects.filter(
            program=program, role=Participation.Role.MENTEE, status=Participation.Status.READY_TO_MATCH
        )
        .order_by("status_changed_at", "pk")
        .values_list("pk", flat=True)
    )
    return {pk: position for position, pk in enumerate(ids)}


def solve(program: Program, *, min_score: int | None = None) -> Cohort:
    """The program's cohort assignment: the best total score under the mentors' places and the
    hard rules, never below `min_score` (the program's lowest score when None), with the
    first-come greedy assignment of the same pool to compare."""
    min_score = program.min_match_score if min_score is None else min_score
    pool = _load(program)
    order = _waiting_order(program)
    # A mentee with an open match has no capacity left: they are not waiting.
    mentees = sorted(
        (mentee for mentee in pool.mentees if mentee.capacity > 0),
        key=lambda mentee: order.get(mentee.participation_id, len(order)),
    )
    scored = {mentee.participation_id for mentee in pool.mentees}
    left_out = [LeftOut(pk, NO_PROFILE, None) for pk in order if pk not in scored and not pool.taken.get(pk)]
    empty = assignment.summary([], np.zeros((0, 0), dtype=np.float32))
    cohort = Cohort(
        program=program,
        weights=pool.weights,
        min_score=min_score,
        mentees=mentees,
        mentors=pool.mentors,
        pairs=[],
        left_out=left_out,
        optimal=empty,
        greedy=empty,
    )
    if mentees and not pool.mentors:
        left_out += [LeftOut(mentee.participation_id, NO_MENTOR, None) for mentee in mentees]
    elif mentees:
        _assign(cohort, pool)
    left_out.sort(key=lambda item: order.get(item.mentee_id, len(order)))
    return cohort


def _assign(cohort: Cohort, pool: _Pool) -> None:
    mentees, mentors = cohort.mentees, cohort.mentors
    engine_pool = scoring.MentorPool(mentors)
    scores = scoring.score_matrix(mentees, engine_pool, pool.weights)
    forbidden = scoring.forbidden_mask(
        mentees, engine_pool, do_not_match=pool.do_not_match, sharing_program_ids=pool.sharing
    )
    capacities = np.asarray([mentor.capacity for mentor in mentors], dtype=np.int64)
    optimal = assignment.assign(scores, capacities, forbidden, cohort.min_score)
    # Rows are in waiting order, so greedy serves the longest wait first.
    greedy = assignment.greedy(scores, capacities, forbidden, cohort.min_score)
    cohort.optimal = assignment.summary(optimal, scores)
    cohort.greedy = assignment.summary(greedy, scores)
    cohort.pairs = [
        Pair(
            mentee=mentees[row],
            mentor=mentors[column],
            score=float(scores[row, column]),
            reasons=scoring.explain(mentees[row], mentors[column], pool.weights),
        )
        for row, column in optimal
    ]
    cohort.left_out += _left_out(mentees, scores, capacities, forbidden, cohort.min_score, optimal)


def _left_out(mentees, scores, capacities, forbidden, min_score, pairs) -> Iterator[LeftOut]:
    allowed = assignment.allowed_mask(scores, capacities, forbidden, min_score)
    possible = ~forbidden & (capacities[None, :] > 0)
    best = np.where(possible, scores, np.float32(-np.inf)).max(axis=1)
    matched = {row for row, _column in pairs}
    for row, mentee in enumerate(mentees):
        if row in matched:
            continue
        yield LeftOut(
            mentee_id=mentee.participation_id,
            reason=NO_ROOM if allowed[row].any() else NO_MENTOR,
            best_score=float(best[row]) if np.isfinite(best[row]) else None,
        )


def pairs_for_run(cohort: Cohort) -> list[tuple[Participation, Participation, float, list[scoring.Reason]]]:
    """The cohort's pairs as `assignment_run_create` takes them, with the participations loaded in
    two queries: the mentees from the program, the mentors from its organization. Whoever has
    moved on since the pool was loaded is still passed on: the service refuses the pair and
    says why."""
    mentee_ids = [pair.mentee.participation_id for pair in cohort.pairs]
    mentor_ids = {pair.mentor.participation_id for pair in cohort.pairs}
    mentees = Participation.objects.filter(
        program=cohort.program, role=Participation.Role.MENTEE, pk__in=mentee_ids
    ).select_related("person", "program__organization", "mentee_profile")
    mentors = Participation.objects.filter(
        program__organization_id=cohort.program.organization_id,
        role=Participation.Role.MENTOR,
        pk__in=mentor_ids,
    ).select_related("person", "program__organization")
    mentees_by_id = {participation.pk: participation for participation in mentees}
    mentors_by_id = {participation.pk: participation for participation in mentors}
    return [
        (
            mentees_by_id[pair.mentee.participation_id],
            mentors_by_id[pair.mentor.participation_id],
            pair.score,
            pair.reasons,
        )
        for pair in cohort.pairs
        if pair.mentee.participation_id in mentees_by_id and pair.mentor.participation_id in mentors_by_id
    ]


# --- Another mentor for one proposal -----------------------------------------------------------


@dataclass(frozen=True)
class Option:
    mentor: Candidate
    score: float


@dataclass
class MentorOptions:
    """The mentors a proposed mentee could have instead, best score first."""

    program: Program
    weights: scoring.Weights
    mentee: Candidate | None
    options: list[Option]

    def position(self, mentor_id: int) -> int | None:
        ids = (option.mentor.participation_id for option in self.options)
        return next((index for index, found in enumerate(ids) if found == mentor_id), None)

    def get(self, mentor_id: int) -> Option | None:
        index = self.position(mentor_id)
        return None if index is None else self.options[index]

    def explain(self, option: Option) -> list[scoring.Reason]:
        return scoring.explain(self.mentee, option.mentor, self.weights)


def mentor_options(program: Program, mentee_id: int) -> MentorOptions:
    """Every mentor with room whom the rules allow for this mentee, other than the one in their
    current proposal, best score first (ties in application order); none is left out for a low
    score, since a coordinator may choose one with a reason. Fixed number of queries."""
    pool = _load(program)
    mentee = next((c for c in pool.mentees if c.participation_id == mentee_id), None)
    if mentee is None or not pool.mentors:
        return MentorOptions(program=program, weights=pool.weights, mentee=mentee, options=[])
    # Their current proposal holds the mentee's one place; the choice is about replacing it.
    mentee = dataclasses.replace(mentee, capacity=1)
    engine_pool = scoring.MentorPool(pool.mentors)
    row = scoring.score_matrix([mentee], engine_pool, pool.weights)[0]
    forbidden = scoring.forbidden_mask(
        [mentee], engine_pool, do_not_match=pool.do_not_match, sharing_program_ids=pool.sharing
    )[0]
    columns = scoring.top_k(row, len(pool.mentors), forbidden)
    return MentorOptions(
        program=program,
        weights=pool.weights,
        mentee=mentee,
        options=[Option(mentor=pool.mentors[column], score=float(row[column])) for column in columns],
    )


def unmatched_entries(totals: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The mentees a run left out, as its totals keep them (older runs kept none)."""
    entries = totals.get("unmatched") if isinstance(totals, Mapping) else None
    return [entry for entry in entries or [] if isinstance(entry, Mapping) and "mentee" in entry]
