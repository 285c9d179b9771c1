"""Supply and demand: mentees waiting for a mentor against the places mentors still offer, by
NOC broad category, by region and by program, so coordinators see which mentors to recruit.

A mentee waits when they are ready to match and no proposal or match holds them. A mentor's
free places are what they offered less their open matches. Mentors lent between programs are
counted once, in their own program.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from participants.models import Participation
from programs.models import Program

from .models import OPEN_MATCH_STATUSES, Match, Occupation
from .selectors import DEFAULT_MAX_MENTEES, open_match_counts
from .services import MENTOR_MATCHABLE

S = Participation.Status


@dataclass(frozen=True)
class Line:
    label: str
    waiting: int
    places: int

    @property
    def gap(self) -> int:
        """Mentees who would still wait if every free place were taken; negative when places are left."""
        return self.waiting - self.places


@dataclass
class SupplyAndDemand:
    by_category: list[Line]
    by_region: list[Line]
    by_program: list[Line]

    @property
    def waiting(self) -> int:
        return sum(line.waiting for line in self.by_program)

    @property
    def places(self) -> int:
        return sum(line.places for line in self.by_program)


def _region(region: str, country: str) -> str:
    if country and country.strip().lower() != "canada":
        return _("Outside Canada (%(country)s)") % {"country": country.strip()}
    return region.strip() or _("Region not given")


def _lines(waiting: Counter, places: Counter, order: Iterable[str] | None = None) -> list[Line]:
    keys = list(order) if order is not None else sorted(set(waiting) | set(places), key=str.lower)
    return [Line(key, waiting[key], places[key]) for key in keys if waiting[key] or places[key]]


def supply_and_demand(programs: Iterable[Program]) -> SupplyAndDemand:
    """The figures for these programs (all of one organization) in four queries, however many
    people there are: waiting mentees, mentors, open matches, broad category titles."""
    programs = list(programs)
    if not programs:
        return SupplyAndDemand([], [], [])
    open_match = Match.objects.filter(mentee=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
    mentees = (
        Participation.objects.filter(
            program__in=programs, role=Participation.Role.MENTEE, status=S.READY_TO_MATCH
        )
        .exclude(Exists(open_match))
        .values_list("program_id", "person__region", "person__country", "mentee_profile__occupation_id")
    )
    mentors = Participation.objects.filter(
        program__in=programs, role=Participation.Role.MENTOR, status__in=MENTOR_MATCHABLE
    ).values_list(
        "pk",
        "program_id",
        "person__region",
        "person__country",
        "mentor_profile__occupation_id",
        "mentor_profile__max_mentees",
    )
    taken = open_match_counts(programs[0].organization_id)
    categories = dict(
        Occupation.objects.filter(level=Occupation.Level.BROAD_CATEGORY).values_list("code", "title")
    )
    names = {program.pk: program.name for program in programs}
    not_coded = _("Profession not coded")

    def category(code: str | None) -> str:
        return categories.get((code or "")[:1], not_coded) if code else not_coded

    waiting = {"category": Counter(), "region": Counter(), "program": Counter()}
    places = {"category": Counter(), "region": Counter(), "program": Counter()}
    for program_id, region, country, code in mentees:
        waiting["category"][category(code)] += 1
        waiting["region"][_region(region, country)] += 1
        waiting["program"][names[program_id]] += 1
    for pk, program_id, region, country, code, max_mentees in mentors:
        free = max((max_mentees or DEFAULT_MAX_MENTEES) - taken[pk], 0)
        if free:
            places["category"][category(code)] += free
            places["region"][_region(region, country)] += free
            places["program"][names[program_id]] += free
    return SupplyAndDemand(
        by_category=sorted(
            _lines(waiting["category"], places["category"]), key=lambda line: (-line.gap, line.label)
        ),
        by_region=sorted(
            _lines(waiting["region"], places["region"]), key=lambda line: (-line.gap, line.label)
        ),
        by_program=_lines(
            waiting["program"], places["program"], order=[program.name for program in programs]
        ),
    )
