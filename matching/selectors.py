"""Reads of matches, pairs not to match and circles, scoped to what the user may see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from participants.models import Participation
from participants.selectors import requested_mentor_matches
from programs.models import Program
from programs.selectors import programs_visible_to

from .models import OPEN_MATCH_STATUSES, AssignmentRun, Circle, DoNotMatch, Match

# A mentor without a profile (entered before profiles existed) takes one mentee.
DEFAULT_MAX_MENTEES = 1

MATCH_RELATED = (
    "program__organization",
    "mentee__person",
    "mentee__program",
    "mentor__person",
    "mentor__program",
)


def matches_visible_to(user) -> QuerySet[Match]:
    """Matches of the programs the user works in, on the mentee's side or on the mentor's
    (a mentor shared from the user's program shows in the program that lent them)."""
    visible = programs_visible_to(user)
    return Match.objects.filter(Q(program__in=visible) | Q(mentor__program__in=visible)).select_related(
        *MATCH_RELATED
    )


def get_match_for_user(user, match_id: int) -> Match:
    try:
        return matches_visible_to(user).get(pk=match_id)
    except Match.DoesNotExist:
        raise Http404 from None


def get_match_for_participant(user, match_id: int) -> tuple[Match, str]:
    """A match the signed-in participant is part of, with their side ("mentee" or "mentor").
    Matches not yet introduced stay with the coordinator; anything else gives 404."""
    if not user.is_authenticated:
        raise Http404
    match = (
        Match.objects.filter(Q(mentee__person__user=user) | Q(mentor__person__user=user))
        .exclude(status__in=[Match.Status.PROPOSED, Match.Status.CANCELLED])
        .select_related(*MATCH_RELATED)
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        raise Http404
    return match, "mentee" if match.mentee.person.user_id == user.pk else "mentor"


def open_matches_for(participation: Participation) -> QuerySet[Match]:
    """The proposed, introduced and active matches the participation is in, on either side."""
    return (
        Match.objects.filter(
            Q(mentee=participation) | Q(mentor=participation), status__in=OPEN_MATCH_STATUSES
        )
        .select_related(*MATCH_RELATED)
        .order_by("-proposed_at", "-id")
    )


def open_match_counts(organization_id: int) -> Counter[int]:
    """How many open matches each participation of the organization is in, in one query.

    Participation ids are unique across roles, so one counter serves mentees and mentors;
    it is the `taken` that `features.candidates_for_program` subtracts from capacity.
    """
    pairs = Match.objects.filter(
        program__organization_id=organization_id, status__in=OPEN_MATCH_STATUSES
    ).values_list("mentee_id", "mentor_id")
    taken: Counter[int] = Counter()
    for mentee_id, mentor_id in pairs:
        taken[mentee_id] += 1
        taken[mentor_id] += 1
    return taken


def mentor_remaining_capacity(mentors: Iterable[Participation] | QuerySet[Participation]) -> dict[int, int]:
    """How many more mentees each mentor may take, by participation id, in one query: the
    mentees at once they offered, less their proposed, introduced and active matches."""
    ids = mentors.values("pk") if isinstance(mentors, QuerySet) else [mentor.pk for mentor in mentors]
    rows = (
        Participation.objects.filter(pk__in=ids)
        .annotate(
            open_matches=Count(
                "matches_as_mentor", filter=Q(matches_as_mentor__status__in=OPEN_MATCH_STATUSES)
            )
        )
        .values_list("pk", "mentor_profile__max_mentees", "open_matches")
        .order_by()
    )
    return {
        pk: max((max_mentees or DEFAULT_MAX_MENTEES) - open_matches, 0)
        for pk, max_mentees, open_matches in rows
    }


def forbidden_pairs(program: Program) -> set[tuple[int, int]]:
    """(mentee participation id, mentor participation id) pairs the program must not propose,
    in one query: the pairs marked "do not match" (declines, failed matches, conflicts such as
    the same employer, requests), and the pairs already in an open match.

    Mentees of the program are paired with mentors of any program of the organization; which
    of those programs may lend mentors is for the caller to decide.
    """
    marked = DoNotMatch.objects.filter(
        organization_id=program.organization_id,
        mentee__participations__program=program,
        mentee__participations__role=Participation.Role.MENTEE,
        mentor__participations__role=Participation.Role.MENTOR,
        mentor__participations__program__organization_id=program.organization_id,
    ).values_list("mentee__participations__id", "mentor__participations__id")
    matched = Match.objects.filter(program=program, status__in=OPEN_MATCH_STATUSES).values_list(
        "mentee_id", "mentor_id"
    )
    # No ordering inside a UNION (SQLite refuses it, and the result is a set anyway).
    marked, matched = marked.order_by(), matched.order_by()
    return set(marked.union(matched))


def mentors_available_to(program: Program) -> QuerySet[Participation]:
    """Mentors a program's mentees may be matched with: its own, and, when it shares mentors,
    those of the organization's other programs that share them too. Only mentors ready to
    match, or already mentoring someone (capacity decides whether they take another)."""
    programs = Q(program=program)
    if program.shares_mentors:
        programs |= Q(program__organization_id=program.organization_id, program__shares_mentors=True)
    return Participation.objects.filter(
        programs,
        role=Participation.Role.MENTOR,
        status__in=[Participation.Status.READY_TO_MATCH, Participation.Status.MATCHED],
    )


def requested_mentor_for(mentee: Participation) -> Participation | None:
    """The mentor the mentee asked for (by email), once that person has been accepted as a
    mentor in the organization; reuses the intake's flag. When they took part more than once,
    the participation that can be matched now, in the mentee's own program, comes first."""
    matchable = (Participation.Status.READY_TO_MATCH, Participation.Status.MATCHED)
    candidates = requested_mentor_matches(mentee)
    return min(
        candidates,
        key=lambda mentor: (
            mentor.status not in matchable,
            mentor.program_id != mentee.program_id,
            -mentor.pk,
        ),
        default=None,
    )


def match_counts(program: Program) -> dict[str, int]:
    """How many of the program's matches are at each status, in one query."""
    rows = Match.objects.filter(program=program).values("status").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(Match.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- Cohort assignment and circles ---------------------------------------------------------------


def get_assignment_run(program: Program, run_id: int) -> AssignmentRun:
    """A run of a program the caller has already authorised; any other id gives 404."""
    try:
        return program.assignment_runs.get(pk=run_id)
    except AssignmentRun.DoesNotExist:
        raise Http404 from None


def assignment_run_proposals(run: AssignmentRun) -> QuerySet[Match]:
    """The run's proposals that still stand (replaced or cancelled ones left out), best first."""
    return (
        run.matches.exclude(status=Match.Status.CANCELLED)
        .select_related(*MATCH_RELATED)
        .order_by("-score", "id")
    )


def circles_visible_to(user) -> QuerySet[Circle]:
    return Circle.objects.filter(program__in=programs_visible_to(user)).select_related(
        "program__organization"
    )


def get_circle_for_user(user, circle_id: int) -> Circle:
    try:
        return circles_visible_to(user).get(pk=circle_id)
    except Circle.DoesNotExist:
        raise Http404 from None
