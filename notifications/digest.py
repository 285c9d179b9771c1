"""The coordinators' weekly digest: on Monday morning, one email to each staff member about the
programs they work in that have the digest turned on.

Per program: applications waiting for screening, interviews this week, mentees waiting for a
mentor longer than the program's number of days, and introductions still unanswered after the
answer reminder went out, and the matches at risk with their reasons (matching.health_selectors).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.health_selectors import at_risk_matches
from matching.models import OPEN_MATCH_STATUSES, Match
from participants.models import Interview, Participation
from programs.models import Program, StaffMembership

from .models import ProgramCadence, SentReminder
from .registry import Cadence, Due, Email, ReminderKind, Schedule, get_kind, register

S = Participation.Status
LISTED = 10  # people named per list; the rest are counted


@dataclass
class ProgramSection:
    program: Program
    waiting_days: int
    applications_waiting: int = 0
    oldest_application: datetime.datetime | None = None
    interviews: list[Interview] = field(default_factory=list)
    mentees_waiting: int = 0
    longest_waiting: list[tuple[str, int]] = field(default_factory=list)
    unanswered_introductions: int = 0
    at_risk: list[tuple[str, str]] = field(default_factory=list)  # (pair, reasons)

    @property
    def is_empty(self) -> bool:
        return not (
            self.applications_waiting
            or self.interviews
            or self.mentees_waiting
            or self.unanswered_introductions
            or self.at_risk
        )


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def digest_due(schedule: Schedule) -> Iterator[Due]:
    """Every active staff member of an organization with the digest on in at least one active
    program, once a week: the due date is the Monday."""
    monday = week_start(schedule.latest_due_on)
    if monday < schedule.earliest_due_on or not schedule.programs_by_days:
        return
    organization_ids = (
        Program.objects.filter(pk__in=schedule.enabled_program_ids).values("organization_id").distinct()
    )
    content_type_id = ContentType.objects.get_for_model(StaffMembership).pk
    rows = (
        StaffMembership.objects.filter(
            is_active=True, user__is_active=True, organization_id__in=organization_ids
        )
        .values_list("pk", "organization_id")
        .order_by("pk")
    )
    for pk, organization_id in rows.iterator(chunk_size=settings.REMINDER_BATCH_SIZE):
        yield Due(DIGEST.key, content_type_id, pk, monday, organization_id, None)


def digest_build(reminder: SentReminder) -> Email | str:
    membership = (
        StaffMembership.objects.select_related("user", "organization")
        .prefetch_related("programs")
        .filter(pk=reminder.object_id)
        .first()
    )
    if membership is None or not membership.is_active or not membership.user.is_active:
        return SentReminder.SkipReason.NO_LONGER_DUE
    programs = Program.objects.filter(organization_id=membership.organization_id, is_active=True)
    limited_to = [program.pk for program in membership.programs.all()]
    if limited_to:
        programs = programs.filter(pk__in=limited_to)
    programs = list(programs.order_by("name"))
    saved = {
        (row.program_id, row.kind): Cadence(enabled=row.enabled, days=row.days)
        for row in ProgramCadence.objects.filter(program__in=programs)
    }
    answer_kind = get_kind("match_answer_reminder")
    sections = []
    for program in programs:
        cadence = saved.get((program.pk, DIGEST.key), DIGEST.default)
        if cadence.enabled:
            answer_days = saved.get((program.pk, answer_kind.key), answer_kind.default).days
            sections.append(_section(program, cadence.days, answer_days, reminder.due_on))
    if not sections:
        return SentReminder.SkipReason.DISABLED
    if all(section.is_empty for section in sections):
        return SentReminder.SkipReason.NOTHING_TO_REPORT
    user = membership.user
    site = settings.SITE_URL
    return Email(
        to=user.email,
        name=user.get_full_name() or user.email,
        subject=_("Your weekly digest for the week of %(date)s")
        % {"date": formats.date_format(reminder.due_on, "DATE_FORMAT")},
        context={
            "user": user,
            "organization": membership.organization,
            "week_start": reminder.due_on,
            "sections": [section for section in sections if not section.is_empty],
            "quiet_programs": [section.program for section in sections if section.is_empty],
            "inbox_link": f"{site}{reverse('intake:inbox')}",
            "waiting_link": f"{site}{reverse('matching:waiting')}",
            "matches_link": f"{site}{reverse('matching:match_list')}",
            "at_risk_link": f"{site}{reverse('matching:at_risk')}",
        },
    )


def _section(program: Program, waiting_days: int, answer_days: int, monday: datetime.date) -> ProgramSection:
    now = timezone.now()
    tz = timezone.get_default_timezone()
    section = ProgramSection(program=program, waiting_days=waiting_days)
    applications = Participation.objects.filter(program=program, status__in=[S.SUBMITTED, S.SCREENING])
    totals = applications.aggregate(count=Count("pk"), oldest=Min("created_at"))
    section.applications_waiting, section.oldest_application = totals["count"], totals["oldest"]
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    section.interviews = list(
        Interview.objects.filter(
            participation__program=program,
            status=Interview.Status.SCHEDULED,
            scheduled_at__gte=start,
            scheduled_at__lt=start + datetime.timedelta(days=7),
        )
        .select_related("participation__person")
        .order_by("scheduled_at")[:20]
    )
    for interview in section.interviews:
        interview.starts_at = timezone.localtime(interview.scheduled_at, tz)
    open_match = Match.objects.filter(mentee=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
    waiting = (
        Participation.objects.filter(
            program=program,
            role=Participation.Role.MENTEE,
            status=S.READY_TO_MATCH,
            status_changed_at__lt=now - datetime.timedelta(days=waiting_days),
        )
        .exclude(Exists(open_match))
        .select_related("person")
        .order_by("status_changed_at", "pk")
    )
    section.mentees_waiting = waiting.count()
    section.longest_waiting = [
        (mentee.person.full_name, (now - mentee.status_changed_at).days) for mentee in waiting[:LISTED]
    ]
    pending = Match.Response.PENDING
    section.unanswered_introductions = (
        Match.objects.filter(
            program=program,
            status=Match.Status.INTRODUCED,
            introduced_at__lt=now - datetime.timedelta(days=answer_days),
        )
        .filter(Q(mentee_response=pending) | Q(mentor_response=pending))
        .count()
    )
    section.at_risk = [
        (str(health.match), "; ".join(health.reasons))
        for health in at_risk_matches([program], timezone.localdate())
    ]
    return section


DIGEST = register(
    ReminderKind(
        key="coordinator_digest",
        label=gettext_lazy("Weekly digest for staff"),
        description=gettext_lazy(
            "Every Monday, tells the program's staff what waits for them: applications, interviews "
            "this week, mentees waiting for a mentor, introductions nobody has answered, matches at risk."
        ),
        days_label=gettext_lazy("Count a mentee as waiting long after this many days"),
        essential=False,
        default_days=14,
        min_days=1,
        max_days=180,
        due=digest_due,
        build=digest_build,
        send_after=datetime.time(7, 0),
        for_staff=True,
    )
)
