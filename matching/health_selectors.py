"""How the active matches are doing: the at-risk list with each match's reasons, and the
figures of the match-health dashboard.

Both read a fixed number of queries however many matches there are. The facts come from the
database as annotations (last meeting, overdue goals, last satisfaction, last check-in); the
thresholds and the check-in dates are applied in Python, because each program has its own
schedule and the dates are computed by `checkin_services.schedule_dates`, in one place only.
The active matches of a program number in the hundreds, so holding them in memory is cheap.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncWeek
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.models import Program

from .checkin_services import HANDLED_STATUSES, missed_checkin_dates, next_checkin_date, schedule_dates
from .goal_selectors import overdue_goals
from .models import CheckIn, CheckInSchedule, Goal, Match, Meeting
from .selectors import MATCH_RELATED

WEEKS_SHOWN = 12
SATISFACTION_SCALE = (1, 2, 3, 4, 5)


def _latest_checkin(field_name: str, **conditions) -> Subquery:
    rows = CheckIn.objects.filter(match=OuterRef("pk"), **conditions).order_by("-due_on", "-id")
    return Subquery(rows.values(field_name)[:1])


def active_matches_with_facts(programs: Iterable[Program] | QuerySet[Program], today: datetime.date):
    """The programs' active matches, each with its facts as annotations, in one query."""
    overdue = (
        overdue_goals(Goal.objects.filter(match=OuterRef("pk")), today)
        .order_by()
        .values("match")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_meeting = (
        Meeting.objects.filter(match=OuterRef("pk"), occurred_on__lte=today)
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    return (
        Match.objects.filter(program__in=programs, status=Match.Status.ACTIVE)
        .select_related(*MATCH_RELATED, "program__checkin_schedule")
        .annotate(
            last_met_on=Subquery(last_meeting),
            overdue_goal_count=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
            last_handled_on=_latest_checkin("due_on", status__in=HANDLED_STATUSES),
            last_handled_status=_latest_checkin("status", status__in=HANDLED_STATUSES),
            last_satisfaction=_latest_checkin("satisfaction", status=CheckIn.Status.DONE),
        )
    )


@dataclass
class MatchHealth:
    """One active match as the at-risk list shows it."""

    match: Match
    days_without_meeting: int
    last_met_on: datetime.date | None
    overdue_goals: int
    satisfaction: int | None
    missed_checkins: list[datetime.date]
    last_checkin_unanswered: bool
    next_checkin_on: datetime.date
    reasons: list[str] = field(default_factory=list)

    @property
    def is_at_risk(self) -> bool:
        return bool(self.reasons)


def match_health_of(match: Match, today: datetime.date) -> MatchHealth:
    """The risk reasons of a match loaded by `active_matches_with_facts`."""
    schedule = CheckInSchedule.for_program(match.program)
    since = match.last_met_on or match.started_on
    days = (today - since).days
    dates = schedule_dates(
        started_on=match.started_on, planned_end_on=match.planned_end_on, schedule=schedule, today=today
    )
    health = MatchHealth(
        match=match,
        days_without_meeting=days,
        last_met_on=match.last_met_on,
        overdue_goals=match.overdue_goal_count,
        satisfaction=match.last_satisfaction,
        missed_checkins=missed_checkin_dates(
            dates, last_handled_on=match.last_handled_on, today=today, schedule=schedule
        ),
        last_checkin_unanswered=match.last_handled_status == CheckIn.Status.UNANSWERED,
        next_checkin_on=next_checkin_date(dates, last_handled_on=match.last_handled_on, today=today),
    )
    if days >= schedule.at_risk_no_meeting_days:
        if match.last_met_on is None:
            health.reasons.append(
                ngettext(
                    "never met since the start %(days)d day ago",
                    "never met since the start %(days)d days ago",
                    days,
                )
                % {"days": days}
            )
        else:
            health.reasons.append(
                ngettext("no meeting in %(days)d day", "no meeting in %(days)d days", days) % {"days": days}
            )
    if health.overdue_goals:
        health.reasons.append(
            ngettext("%(count)d goal overdue", "%(count)d goals overdue", health.overdue_goals)
            % {"count": health.overdue_goals}
        )
    if health.satisfaction is not None and health.satisfaction <= schedule.low_satisfaction_at_most:
        health.reasons.append(
            _("satisfaction %(score)d/5 at the last check-in") % {"score": health.satisfaction}
        )
    if health.missed_checkins:
        health.reasons.append(
            _("check-in overdue since %(date)s") % {"date": _date(health.missed_checkins[0])}
        )
    if health.last_checkin_unanswered:
        health.reasons.append(_("check-in unanswered"))
    return health


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _name_key(health: MatchHealth) -> tuple[str, str, int]:
    person = health.match.mentee.person
    return (person.last_name.casefold(), person.first_name.casefold(), health.match.pk)


# Each sort puts the matches most in need of attention first.
AT_RISK_SORTS = {
    "meeting": lambda h: (-h.days_without_meeting, h.match.pk),
    "satisfaction": lambda h: (
        h.satisfaction is None,
        h.satisfaction or 0,
        -h.days_without_meeting,
        h.match.pk,
    ),
    "start": lambda h: (h.match.started_on, h.match.pk),
    "name": _name_key,
}
DEFAULT_AT_RISK_SORT = "meeting"


def at_risk_matches(
    programs: Iterable[Program] | QuerySet[Program], today: datetime.date, *, sort: str = DEFAULT_AT_RISK_SORT
) -> list[MatchHealth]:
    """The programs' active matches with at least one reason for concern, in one query.

    Reasons: no meeting for the program's number of days (or never met since a start that
    long ago), goals overdue, a low satisfaction at the last recorded check-in, a check-in
    date missed, or the last check-in without reply. `sort` is a key of `AT_RISK_SORTS`.
    """
    rows = [match_health_of(match, today) for match in active_matches_with_facts(programs, today)]
    at_risk = [row for row in rows if row.is_at_risk]
    at_risk.sort(key=AT_RISK_SORTS.get(sort, AT_RISK_SORTS[DEFAULT_AT_RISK_SORT]))
    return at_risk


# --- The dashboard -------------------------------------------------------------------------------


@dataclass
class Week:
    starts_on: datetime.date
    meetings: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class HealthFigures:
    active_matches: int
    at_risk: int
    weeks: list[Week]
    goal_statuses: list[tuple[str, str, int]]  # (status, label, count)
    satisfaction: list[tuple[int, int]]  # (score 1..5, check-ins)

    @property
    def meetings(self) -> int:
        return sum(week.meetings for week in self.weeks)

    @property
    def hours(self) -> float:
        return round(sum(week.minutes for week in self.weeks) / 60, 1)

    @property
    def goals(self) -> int:
        return sum(count for _status, _label, count in self.goal_statuses)

    @property
    def checkins(self) -> int:
        return sum(count for _score, count in self.satisfaction)


def week_starts(today: datetime.date, weeks: int = WEEKS_SHOWN) -> list[datetime.date]:
    """The Mondays of the last `weeks` weeks, the current one last."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    return [this_monday - datetime.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def match_health(programs: Iterable[Program] | QuerySet[Program], today: datetime.date) -> HealthFigures:
    """The dashboard's figures for the programs, in five queries: active matches and those at
    risk (one), meetings and hours of the last 12 weeks, week by week (one), the status mix of
    the active matches' goals (one), satisfaction at the check-ins of the same 12 weeks (one),
    and the count of active matches (one)."""
    starts = week_starts(today)
    first_day = starts[0]
    weeks = {monday: Week(starts_on=monday) for monday in starts}
    per_week = (
        Meeting.objects.filter(
            match__program__in=programs, occurred_on__gte=first_day, occurred_on__lte=today
        )
        .annotate(week=TruncWeek("occurred_on"))
        .values("week")
        .annotate(meetings=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("week")
    )
    for row in per_week:
        week = weeks[_as_date(row["week"])]
        week.meetings, week.minutes = row["meetings"], row["minutes"] or 0
    goal_counts = dict(
        Goal.objects.filter(match__program__in=programs, match__status=Match.Status.ACTIVE)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    satisfaction_counts = dict(
        CheckIn.objects.filter(
            match__program__in=programs,
            status=CheckIn.Status.DONE,
            satisfaction__isnull=False,
            due_on__gte=first_day,
            due_on__lte=today,
        )
        .values("satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("satisfaction", "n")
    )
    return HealthFigures(
        active_matches=Match.objects.filter(program__in=programs, status=Match.Status.ACTIVE).count(),
        at_risk=len(at_risk_matches(programs, today)),
        weeks=list(weeks.values()),
        goal_statuses=[(status, label, goal_counts.get(status, 0)) for status, label in Goal.Status.choices],
        satisfaction=[(score, satisfaction_counts.get(score, 0)) for score in SATISFACTION_SCALE],
    )


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- One match's check-ins -----------------------------------------------------------------------


@dataclass
class PlannedCheckIn:
    """A date of the match's schedule and where it stands: done, unanswered, covered (by a later
    check-in), overdue, due (passed, still within the days allowed) or upcoming."""

    due_on: datetime.date
    state: str
    checkin: CheckIn | None = None


@dataclass
class CheckInPlan:
    schedule: CheckInSchedule
    dates: list[PlannedCheckIn]
    next_on: datetime.date
    missed: list[datetime.date]


def _what_the_date_shows(first: CheckIn | None, second: CheckIn) -> CheckIn:
    """Of two check-ins of one date, the one a schedule shows: a done one over one without a
    reply (a portal answer after the coordinator heard nothing), then the coordinator's own."""
    if first is None:
        return second

    def rank(checkin: CheckIn) -> tuple[bool, bool]:
        return (checkin.status == CheckIn.Status.DONE, checkin.answered_by_side == "")

    return max(first, second, key=rank)


def checkin_plan(match: Match, today: datetime.date) -> CheckInPlan:
    """The match's schedule with the state of each date, in two queries (schedule, check-ins)."""
    schedule = CheckInSchedule.for_program(match.program)
    checkins: dict[datetime.date, CheckIn] = {}
    for checkin in match.checkins.all():
        checkins[checkin.due_on] = _what_the_date_shows(checkins.get(checkin.due_on), checkin)
    handled = [due_on for due_on, c in checkins.items() if c.status in HANDLED_STATUSES]
    last_handled_on = max(handled, default=None)
    dates = schedule_dates(
        started_on=match.started_on, planned_end_on=match.planned_end_on, schedule=schedule, today=today
    )
    missed = missed_checkin_dates(dates, last_handled_on=last_handled_on, today=today, schedule=schedule)
    planned = []
    for due_on in dates:
        checkin = checkins.get(due_on)
        if checkin is not None and checkin.status in HANDLED_STATUSES:
            state = checkin.status
        elif due_on in missed:
            state = "overdue"
        elif last_handled_on is not None and due_on < last_handled_on:
            state = "covered"
        elif due_on <= today:
            state = "due"
        else:
            state = "upcoming"
        planned.append(PlannedCheckIn(due_on=due_on, state=state, checkin=checkin))
    return CheckInPlan(
        schedule=schedule,
        dates=planned,
        next_on=next_checkin_date(dates, last_handled_on=last_handled_on, today=today),
        missed=missed,
    )
