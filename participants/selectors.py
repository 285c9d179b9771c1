"""Reads of people and participations, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from programs.models import Program
from programs.selectors import programs_visible_to

from .models import Participation, Person


def participations_visible_to(user) -> QuerySet[Participation]:
    return Participation.objects.filter(program__in=programs_visible_to(user)).select_related(
        "person", "program"
    )


def people_visible_to(user) -> QuerySet[Person]:
    """People with at least one participation in a program the user works in."""
    return Person.objects.filter(
        pk__in=Participation.objects.filter(program__in=programs_visible_to(user)).values("person_id")
    )


def get_person_for_user(user, person_id: int) -> Person:
    try:
        return people_visible_to(user).select_related("organization").get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None


def participation_counts(program: Program) -> dict[str, dict[str, int]]:
    """How many mentors and mentees the program has at each status, in one query."""
    counts: dict[str, dict[str, int]] = {role: {} for role in Participation.Role.values}
    rows = (
        Participation.objects.filter(program=program)
        .values("role", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["role"]][row["status"]] = row["n"]
    return counts


def program_totals(programs: QuerySet[Program]) -> QuerySet[Program]:
    """Programs annotated with their numbers of mentors and mentees, for overviews."""
    return programs.annotate(
        mentor_count=Count("participations", filter=Q(participations__role=Participation.Role.MENTOR)),
        mentee_count=Count("participations", filter=Q(participations__role=Participation.Role.MENTEE)),
    )
