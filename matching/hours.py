"""Mentoring hours: summed from logged meetings, per match and per mentor and year, and the
certificate a mentor hands to their regulator for professional-development reporting
(APEGA, CPA and others accept volunteer mentoring as continuing professional development).

The certificate names no mentee: it goes to a third party, and mentees' participation is
theirs to disclose.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from participants.models import Person
from programs.models import Program

from .models import CircleMembership, Meeting

FONTS = Path(__file__).resolve().parent.parent / "mentorship" / "fonts"


def hours(minutes: int) -> Decimal:
    """Minutes as hours with one decimal, rounded half up: 90 → 1.5, 50 → 0.8."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def meetings_of_mentor(person: Person, programs: Iterable[Program] | None = None) -> QuerySet[Meeting]:
    """Meetings a person took part in as a mentor: those of their one-to-one matches, and
    circle meetings where they are among the attendees; in `programs` if given, else in any
    program of their organization."""
    attended = CircleMembership.objects.filter(
        participation__person=person, role=CircleMembership.Role.MENTOR
    ).values("pk")
    meetings = Meeting.objects.filter(Q(match__mentor__person=person) | Q(attendees__in=attended))
    if programs is not None:
        meetings = meetings.filter(Q(match__program__in=programs) | Q(circle__program__in=programs))
    return meetings.distinct()


@dataclass(frozen=True)
class ProgramHours:
    program: str
    meetings: int
    mentees: int
    minutes: int

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)


@dataclass(frozen=True)
class YearOfMentoring:
    person: Person
    year: int
    programs: list[ProgramHours]

    @property
    def minutes(self) -> int:
        return sum(line.minutes for line in self.programs)

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def meetings(self) -> int:
        return sum(line.meetings for line in self.programs)


def year_of_mentoring(
    person: Person, year: int, programs: Iterable[Program] | None = None
) -> YearOfMentoring:
    """The person's mentoring in a calendar year, by program, in two queries."""
    meetings = meetings_of_mentor(person, programs).filter(occurred_on__year=year)
    ids = list(meetings.values_list("pk", flat=True))
    rows = (
        Meeting.objects.filter(pk__in=ids)
        .values("match__program__name", "circle__program__name")
        .annotate(
            minutes=Sum("duration_minutes"),
            meetings=Count("pk"),
            mentees=Count("match__mentee", distinct=True),
        )
        .order_by()
    )
    by_program: dict[str, ProgramHours] = {}
    for row in rows:
        name = row["match__program__name"] or row["circle__program__name"]
        before = by_program.get(name, ProgramHours(name, 0, 0, 0))
        by_program[name] = ProgramHours(
            name,
            before.meetings + row["meetings"],
            before.mentees + row["mentees"],
            before.minutes + row["minutes"],
        )
    return YearOfMentoring(
        person=person, year=year, programs=sorted(by_program.values(), key=lambda p: p.program)
    )


def mentoring_years(person: Person, programs: Iterable[Program] | None = None) -> list[int]:
    """Years in which the person logged mentoring, newest first."""
    dates = meetings_of_mentor(person, programs).dates("occurred_on", "year", order="DESC")
    return [day.year for day in dates]


def hours_certificate_pdf(summary: YearOfMentoring, *, issued_on: datetime.date | None = None) -> bytes:
    """A one-page certificate of the year's mentoring hours, as PDF bytes."""
    issued_on = issued_on or timezone.localdate()
    organization = summary.person.organization.name
    pdf = FPDF(format="Letter")
    pdf.set_title(_("Certificate of mentoring hours"))
    pdf.set_author(organization)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_margins(25, 25, 25)
    pdf.set_y(35)
    pdf.set_font("DejaVu", "B", 22)
    pdf.cell(0, 14, _("Certificate of mentoring hours"), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(0, 8, organization, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(12)
    pdf.set_font("DejaVu", "", 13)
    pdf.multi_cell(
        0,
        8,
        _(
            "This certifies that %(name)s volunteered as a mentor of newcomers to Canada with "
            "%(organization)s in %(year)s, for %(hours)s hours of mentoring."
        )
        % {
            "name": summary.person.full_name,
            "organization": organization,
            "year": summary.year,
            "hours": summary.hours,
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.set_font("DejaVu", "B", 11)
    widths = (80, 30, 30, 25)
    for width, heading in zip(widths, (_("Program"), _("Mentees"), _("Meetings"), _("Hours")), strict=True):
        pdf.cell(width, 8, heading, border="B")
    pdf.ln()
    pdf.set_font("DejaVu", "", 11)
    for line in summary.programs:
        pdf.cell(widths[0], 8, line.program)
        pdf.cell(widths[1], 8, str(line.mentees) if line.mentees else "—")
        pdf.cell(widths[2], 8, str(line.meetings))
        pdf.cell(widths[3], 8, str(line.hours), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(sum(widths[:3]), 8, _("Total"), border="T")
    pdf.cell(widths[3], 8, str(summary.hours), border="T", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        6,
        ngettext(
            "Hours are the total length of the %(count)d meeting logged in %(year)s.",
            "Hours are the total length of the %(count)d meetings logged in %(year)s.",
            summary.meetings,
        )
        % {"count": summary.meetings, "year": summary.year}
        + " "
        + _("Issued on %(date)s.") % {"date": date_format(issued_on, "DATE_FORMAT")},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
