"""Reminders about matches, to the mentee and the mentor (the notifications app discovers this
module): no meeting logged for a while, a goal's target date close or passed, the check-in dates
of the program's schedule, the closing survey once a match has ended, and the employment
follow-ups 3 and 6 months later.

Each email goes to one side of a match, so the sent-log's revision names the side and, where the
same object comes round again, the occurrence: the quiet spell, the goal's target date, the
check-in date. Keyed so, an occurrence is reminded once even when the program's number of days
(and with it the due date) changes in between (`unlogged_revisions`). Each `due` reads one query
per number of days in use and one per batch; each `build` loads the object again at send time and
skips the email when what it was about has cleared: a meeting logged, the goal settled, the survey
answered, the follow-up recorded, the check-in done.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import DateField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import SentReminder
from notifications.registry import (
    Due,
    Email,
    ReminderKind,
    Schedule,
    cadence_for,
    content_type_id,
    register,
    site_link,
    unlogged_revisions,
)

from .checkin_services import HANDLED_STATUSES, checkins_due_for, schedule_dates
from .goal_selectors import overdue_goals
from .models import (
    GOAL_SETTLED_STATUSES,
    CheckIn,
    CheckInSchedule,
    ClosingSurvey,
    FollowUp,
    Goal,
    Match,
    Meeting,
)

SKIP = SentReminder.SkipReason
SIDES = ("mentee", "mentor")
ENDED = (Match.Status.COMPLETED, Match.Status.CLOSED_EARLY)
DAY = datetime.timedelta(days=1)
MATCH_PEOPLE = ("program__organization", "mentee__person", "mentor__person")


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def _revision(*parts: object) -> str:
    return ":".join(part.isoformat() if isinstance(part, datetime.date) else str(part) for part in parts)


def _side_email(match: Match, side: str, *, subject: str, context: dict) -> Email:
    """The email to one side of the match, with who they are and who the other side is."""
    person = getattr(match, side).person
    other = (match.mentor if side == "mentee" else match.mentee).person
    return Email(
        to=person.email,
        name=person.full_name,
        subject=subject,
        context={
            "person": person,
            "other": other,
            "is_mentee": side == "mentee",
            "match": match,
            "program": match.program,
            "organization": match.program.organization,
            **context,
        },
        person_id=person.pk,
    )


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# --- No meeting logged for a while ---------------------------------------------------------------


def _last_meeting(today: datetime.date) -> Subquery:
    rows = Meeting.objects.filter(match=OuterRef("pk"), occurred_on__lte=today).order_by("-occurred_on")
    return Subquery(rows.values("occurred_on")[:1], output_field=DateField())


def no_meeting_due(schedule: Schedule) -> Iterator[Due]:
    """Both sides of each active match whose last meeting (or, without one, its start) is the
    cadence's number of days old. The quiet spell is in the revision, so each spell is reminded
    once; a meeting logged starts a new one."""
    content_type = content_type_id(Match)
    for days, program_ids in schedule.programs_by_days.items():
        rows = (
            Match.objects.filter(status=Match.Status.ACTIVE, program_id__in=program_ids)
            .annotate(quiet_since=Coalesce(_last_meeting(schedule.today), "started_on"))
            .filter(
                quiet_since__gte=schedule.earliest_due_on - _days(days),
                quiet_since__lte=schedule.latest_due_on - _days(days),
            )
            .values_list("pk", "quiet_since", "program_id", "program__organization_id")
            .order_by("pk")
        )
        yield from unlogged_revisions(
            Due(
                NO_MEETING.key,
                content_type,
                pk,
                since + _days(days),
                organization_id,
                program_id,
                _revision(side, since),
            )
            for pk, since, program_id, organization_id in rows.iterator(
                chunk_size=settings.REMINDER_BATCH_SIZE
            )
            for side in SIDES
        )


def no_meeting_build(reminder: SentReminder) -> Email | str:
    side, since = reminder.revision.split(":")
    today = timezone.localdate()
    match = (
        Match.objects.select_related(*MATCH_PEOPLE)
        .annotate(last_met_on=_last_meeting(today))
        .filter(pk=reminder.object_id)
        .first()
    )
    if match is None or match.status != Match.Status.ACTIVE:
        return SKIP.NO_LONGER_DUE
    quiet_since = match.last_met_on or match.started_on
    if quiet_since.isoformat() != since:
        return SKIP.NO_LONGER_DUE  # A meeting was logged since: a new spell, reminded on its own day.
    if not cadence_for(match.program_id, NO_MEETING).enabled:
        return SKIP.DISABLED
    other = (match.mentor if side == "mentee" else match.mentee).person
    return _side_email(
        match,
        side,
        subject=_("Have you met %(name)s lately?") % {"name": other.first_name},
        context={
            "last_met_on": match.last_met_on,
            "started_on": match.started_on,
            "days": (today - quiet_since).days,
            "meetings_link": site_link("portal:match_meetings", match.pk),
        },
    )


NO_MEETING = register(
    ReminderKind(
        key="no_meeting_reminder",
        label=gettext_lazy("No meeting logged"),
        description=gettext_lazy(
            "Asks both sides of an active match to meet, or to log the meeting they had, when no "
            "meeting has been logged for a while. Sent once for each quiet spell."
        ),
        days_label=gettext_lazy("Days without a logged meeting"),
        essential=False,
        default_days=21,
        min_days=7,
        max_days=120,
        due=no_meeting_due,
        build=no_meeting_build,
        send_after=datetime.time(9, 0),
    )
)


# --- A goal's target date, close or passed ---------------------------------------------------------

SOON, PASSED = "soon", "passed"


def goal_due(schedule: Schedule) -> Iterator[Due]:
    """Both sides of an active match, about each of its open goals: the cadence's number of days
    before the target date ("soon"), and the day after it ("passed", as
    `goal_selectors.overdue_goals` counts it). A goal set less than that many days before its
    date gets no "soon" reminder; a new target date gets reminders of its own."""
    content_type = content_type_id(Goal)
    columns = ("pk", "target_date", "created_at", "match__program_id", "match__program__organization_id")
    open_goals = Goal.objects.filter(match__status=Match.Status.ACTIVE).exclude(
        status__in=GOAL_SETTLED_STATUSES
    )

    def dues(rows, moment: str, offset: int) -> Iterator[Due]:
        for pk, target, created_at, program_id, organization_id in rows.iterator(
            chunk_size=settings.REMINDER_BATCH_SIZE
        ):
            due_on = target + _days(offset)
            if moment == SOON and created_at >= schedule.midnight(due_on):
                continue
            for side in SIDES:
                yield Due(
                    GOAL.key,
                    content_type,
                    pk,
                    due_on,
                    organization_id,
                    program_id,
                    _revision(side, moment, target),
                )

    for days, program_ids in schedule.programs_by_days.items():
        soon = open_goals.filter(
            match__program_id__in=program_ids,
            target_date__gte=max(schedule.earliest_due_on + _days(days), schedule.today),
            target_date__lte=schedule.latest_due_on + _days(days),
        )
        yield from unlogged_revisions(dues(soon.values_list(*columns).order_by("pk"), SOON, -days))
    passed = overdue_goals(open_goals, schedule.today).filter(
        match__program_id__in=schedule.enabled_program_ids,
        target_date__gte=schedule.earliest_due_on - DAY,
        target_date__lte=schedule.latest_due_on - DAY,
    )
    yield from unlogged_revisions(dues(passed.values_list(*columns).order_by("pk"), PASSED, 1))


def goal_build(reminder: SentReminder) -> Email | str:
    side, moment, target = reminder.revision.split(":")
    goal = (
        Goal.objects.select_related(*(f"match__{name}" for name in MATCH_PEOPLE))
        .filter(pk=reminder.object_id)
        .first()
    )
    if goal is None or goal.is_settled or goal.match.status != Match.Status.ACTIVE:
        return SKIP.NO_LONGER_DUE
    if goal.target_date.isoformat() != target:
        return SKIP.NO_LONGER_DUE  # A new target date, with reminders of its own.
    today = timezone.localdate()
    if moment == SOON and goal.target_date < today:
        return SKIP.NO_LONGER_DUE  # Passed already: the "passed" reminder says so.
    if not cadence_for(goal.match.program_id, GOAL).enabled:
        return SKIP.DISABLED
    values = {"goal": goal.title, "date": _date(goal.target_date)}
    if moment == SOON:
        subject = _("A goal is due on %(date)s: %(goal)s") % values
    else:
        subject = _("The target date of a goal has passed: %(goal)s") % values
    return _side_email(
        goal.match,
        side,
        subject=subject,
        context={
            "goal": goal,
            "passed": moment == PASSED,
            "goals_link": site_link("portal:goals", goal.match_id),
        },
    )


GOAL = register(
    ReminderKind(
        key="goal_reminder",
        label=gettext_lazy("Goal date close or passed"),
        description=gettext_lazy(
            "Tells the mentee and the mentor that a goal's target date is close, and again the day "
            "after it passed if the goal is still open, so that they update it or set a new date."
        ),
        days_label=gettext_lazy("Days before the target date"),
        essential=False,
        default_days=7,
        min_days=1,
        max_days=60,
        due=goal_due,
        build=goal_build,
        send_after=datetime.time(9, 0),
    )
)


# --- Check-in dates ----------------------------------------------------------------------------


def _last_handled_checkin() -> Subquery:
    rows = CheckIn.objects.filter(match=OuterRef("pk"), status__in=HANDLED_STATUSES).order_by("-due_on")
    return Subquery(rows.values("due_on")[:1], output_field=DateField())


def checkin_due(schedule: Schedule) -> Iterator[Due]:
    """Both sides of each active match, on each check-in date of the program's schedule (or the
    cadence's number of days before it), unless the coordinator has already checked in on or
    after that date. The dates come from `checkin_services.schedule_dates`, the one place that
    computes them, so this reads every active match of the programs (one query, in chunks)."""
    schedules = {
        row.program_id: row
        for row in CheckInSchedule.objects.filter(program_id__in=schedule.enabled_program_ids)
    }
    for days, program_ids in schedule.programs_by_days.items():
        first, last = schedule.earliest_due_on + _days(days), schedule.latest_due_on + _days(days)
        rows = (
            Match.objects.filter(
                Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=first),
                status=Match.Status.ACTIVE,
                program_id__in=program_ids,
                started_on__lt=last,
            )
            .annotate(last_handled_on=_last_handled_checkin())
            .values_list(
                "pk",
                "started_on",
                "planned_end_on",
                "program_id",
                "program__organization_id",
                "last_handled_on",
            )
            .order_by("pk")
        )
        yield from unlogged_revisions(_checkin_dues(schedule, rows, schedules, days=days))


def _checkin_dues(schedule: Schedule, rows, schedules: dict, *, days: int) -> Iterator[Due]:
    content_type = content_type_id(Match)
    first, last = schedule.earliest_due_on + _days(days), schedule.latest_due_on + _days(days)
    for pk, started_on, planned_end_on, program_id, organization_id, handled_on in rows.iterator(
        chunk_size=settings.REMINDER_BATCH_SIZE
    ):
        dates = schedule_dates(
            started_on=started_on,
            planned_end_on=planned_end_on,
            schedule=schedules.get(program_id) or CheckInSchedule(program_id=program_id),
            today=last,
        )
        for checkin_on in dates:
            if not first <= checkin_on <= last or (handled_on is not None and checkin_on <= handled_on):
                continue
            # Never before the match started, when the days before exceed the first check-in's.
            due_on = max(checkin_on - _days(days), started_on)
            if due_on <= schedule.latest_due_on:
                for side in SIDES:
                    yield Due(
                        CHECKIN.key,
                        content_type,
                        pk,
                        due_on,
                        organization_id,
                        program_id,
                        _revision(side, checkin_on),
                    )


def checkin_build(reminder: SentReminder) -> Email | str:
    side, checkin_on = reminder.revision.split(":")
    checkin_on = datetime.date.fromisoformat(checkin_on)
    match = Match.objects.select_related(*MATCH_PEOPLE).filter(pk=reminder.object_id).first()
    if match is None or match.status != Match.Status.ACTIVE:
        return SKIP.NO_LONGER_DUE
    if checkin_on not in checkins_due_for(match, today=max(checkin_on, timezone.localdate())):
        return SKIP.NO_LONGER_DUE  # The start, the planned end or the schedule changed.
    if match.checkins.filter(status__in=HANDLED_STATUSES, due_on__gte=checkin_on).exists():
        return SKIP.NO_LONGER_DUE  # The coordinator has checked in already.
    if not cadence_for(match.program_id, CHECKIN).enabled:
        return SKIP.DISABLED
    return _side_email(
        match,
        side,
        subject=_("How is your mentorship going?"),
        context={"checkin_on": checkin_on, "checkin_link": site_link("portal:checkin", match.pk)},
    )


CHECKIN = register(
    ReminderKind(
        key="checkin_reminder",
        label=gettext_lazy("Check-in"),
        description=gettext_lazy(
            "On each check-in date of the program's schedule, invites the mentee and the mentor to "
            "tell their coordinator how the mentorship is going. Not sent when the coordinator has "
            "already checked in."
        ),
        days_label=gettext_lazy("Days before the check-in date (0: on the day)"),
        essential=False,
        default_days=0,
        min_days=0,
        max_days=14,
        due=checkin_due,
        build=checkin_build,
        send_after=datetime.time(9, 0),
    )
)


# --- The closing survey ----------------------------------------------------------------------------


def closing_survey_due(schedule: Schedule) -> Iterator[Due]:
    """Each side of a match that ended (completed or closed early) the cadence's number of days
    ago and has not answered its closing survey. Asked once per side."""
    content_type = content_type_id(Match)

    def answered(side: str) -> Exists:
        return Exists(ClosingSurvey.objects.filter(match=OuterRef("pk"), side=side))

    for days, program_ids in schedule.programs_by_days.items():
        rows = (
            Match.objects.filter(
                status__in=ENDED,
                program_id__in=program_ids,
                ended_on__gte=schedule.earliest_due_on - _days(days),
                ended_on__lte=schedule.latest_due_on - _days(days),
            )
            .annotate(mentee_answered=answered("mentee"), mentor_answered=answered("mentor"))
            .values_list(
                "pk",
                "ended_on",
                "program_id",
                "program__organization_id",
                "mentee_answered",
                "mentor_answered",
            )
            .order_by("pk")
        )
        yield from unlogged_revisions(
            Due(
                CLOSING_SURVEY.key,
                content_type,
                pk,
                ended_on + _days(days),
                organization_id,
                program_id,
                side,
            )
            for pk, ended_on, program_id, organization_id, *answers in rows.iterator(
                chunk_size=settings.REMINDER_BATCH_SIZE
            )
            for side, has_answered in zip(SIDES, answers, strict=True)
            if not has_answered
        )


def closing_survey_build(reminder: SentReminder) -> Email | str:
    side = reminder.revision
    match = Match.objects.select_related(*MATCH_PEOPLE).filter(pk=reminder.object_id).first()
    if match is None or match.status not in ENDED:
        return SKIP.NO_LONGER_DUE
    if ClosingSurvey.objects.filter(match=match, side=side).exists():
        return SKIP.NO_LONGER_DUE
    if not cadence_for(match.program_id, CLOSING_SURVEY).enabled:
        return SKIP.DISABLED
    return _side_email(
        match,
        side,
        subject=_("How did your mentorship go?"),
        context={"ended_on": match.ended_on, "survey_link": site_link("portal:closing_survey", match.pk)},
    )


CLOSING_SURVEY = register(
    ReminderKind(
        key="closing_survey_reminder",
        label=gettext_lazy("Closing survey"),
        description=gettext_lazy(
            "After a match ends, asks the mentee and the mentor each for their closing survey, "
            "unless they have answered it already."
        ),
        days_label=gettext_lazy("Days after the match ended"),
        essential=False,
        default_days=2,
        min_days=0,
        max_days=60,
        due=closing_survey_due,
        build=closing_survey_build,
        send_after=datetime.time(9, 0),
    )
)


# --- Employment follow-ups, 3 and 6 months after the end -------------------------------------------


def follow_up_due(schedule: Schedule) -> Iterator[Due]:
    """The mentee of each follow-up still due whose date, plus the cadence's number of days, has
    come. Asked once per follow-up."""
    content_type = content_type_id(FollowUp)
    for days, program_ids in schedule.programs_by_days.items():
        rows = (
            FollowUp.objects.filter(
                status=FollowUp.Status.DUE,
                match__program_id__in=program_ids,
                due_on__gte=schedule.earliest_due_on - _days(days),
                due_on__lte=schedule.latest_due_on - _days(days),
            )
            .values_list("pk", "due_on", "match__program_id", "match__program__organization_id")
            .order_by("pk")
        )
        yield from unlogged_revisions(
            Due(FOLLOW_UP.key, content_type, pk, due_on + _days(days), organization_id, program_id)
            for pk, due_on, program_id, organization_id in rows.iterator(
                chunk_size=settings.REMINDER_BATCH_SIZE
            )
        )


def follow_up_build(reminder: SentReminder) -> Email | str:
    follow_up = (
        FollowUp.objects.select_related(*(f"match__{name}" for name in MATCH_PEOPLE))
        .filter(pk=reminder.object_id)
        .first()
    )
    if follow_up is None or follow_up.status != FollowUp.Status.DUE:
        return SKIP.NO_LONGER_DUE
    match = follow_up.match
    if not cadence_for(match.program_id, FOLLOW_UP).enabled:
        return SKIP.DISABLED
    return _side_email(
        match,
        "mentee",
        subject=_("How is work going? A short question from %(program)s") % {"program": match.program.name},
        context={
            "follow_up": follow_up,
            "ended_on": match.ended_on,
            "follow_up_link": site_link("portal:follow_up", follow_up.pk),
        },
    )


FOLLOW_UP = register(
    ReminderKind(
        key="follow_up_reminder",
        label=gettext_lazy("Employment follow-up"),
        description=gettext_lazy(
            "Three and six months after a match ended, asks the mentee how work is going, with a "
            "link to answer in the portal."
        ),
        days_label=gettext_lazy("Days after the follow-up date (0: on the day)"),
        essential=False,
        default_days=0,
        min_days=0,
        max_days=30,
        due=follow_up_due,
        build=follow_up_build,
        send_after=datetime.time(9, 0),
    )
)
