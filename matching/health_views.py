"""How the current program's matches are doing: the at-risk list, each match with its reasons
and a link to act on it, and the match-health dashboard with its charts."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programs.access import current_program, staff_required
from programs.charts import grouped_bar_chart

from .health_charts import column_chart
from .health_selectors import AT_RISK_SORTS, DEFAULT_AT_RISK_SORT, at_risk_matches, match_health


def _sort_links() -> list[tuple[str, str]]:
    return [
        ("meeting", _("Longest without a meeting")),
        ("satisfaction", _("Lowest satisfaction")),
        ("start", _("Earliest start")),
        ("name", _("Mentee's name")),
    ]


@staff_required
def at_risk(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    sort = request.GET.get("sort", DEFAULT_AT_RISK_SORT)
    if sort not in AT_RISK_SORTS:
        sort = DEFAULT_AT_RISK_SORT
    rows = at_risk_matches([program], timezone.localdate(), sort=sort) if program is not None else []
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/health/at_risk.html",
        {"program": program, "page_obj": page, "sort": sort, "sorts": _sort_links()},
    )


@staff_required
def health(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    context = {"program": program}
    if program is not None:
        figures = match_health([program], timezone.localdate())
        week_labels = [date_format(week.starts_on, "M j") for week in figures.weeks]
        context |= {
            "figures": figures,
            "meetings_chart": column_chart(
                title=_("Meetings per week"),
                series=[(_("Meetings"), "mentee")],
                slots=[
                    (label, [week.meetings]) for label, week in zip(week_labels, figures.weeks, strict=True)
                ],
            ),
            "hours_chart": column_chart(
                title=_("Hours of mentoring per week"),
                series=[(_("Hours"), "mentor")],
                slots=[(label, [week.hours]) for label, week in zip(week_labels, figures.weeks, strict=True)],
            ),
            "goals_chart": grouped_bar_chart(
                title=_("Goals of the active matches, by status"),
                series=[(_("Goals"), "mentee")],
                rows=[(str(label), [count]) for _status, label, count in figures.goal_statuses],
            ),
            "satisfaction_chart": grouped_bar_chart(
                title=_("Satisfaction at the check-ins of the last 12 weeks"),
                series=[(_("Check-ins"), "mentor")],
                rows=[(f"{score}/5", [count]) for score, count in figures.satisfaction],
            ),
        }
    return render(request, "matching/health/dashboard.html", context)
