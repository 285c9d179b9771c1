"""The reminders whose data exists today: an interview tomorrow, orientation not finished, and
an introduction waiting for an answer. (The coordinators' weekly digest, which spans every app,
is in digest.py.)

Each kind's `due` reads participants and matching directly. They live here while this app is
new; each belongs in the `reminders.py` of the app it is about, which this app discovers on
start-up. The kinds added since are there already: matching/reminders.py (no meeting logged,
goal dates, check-ins, closing surveys, employment follow-ups) and participants/reminders.py
(the intake's emails sent at once: application received, interview invitation, welcome).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.models import Match
from participants.models import Interview, Participation
from programs.models import ProgramResource

from .models import SentReminder
from .registry import Due, Email, ReminderKind, Schedule, cadence_for, register

S = Participation.Status
SKIP = SentReminder.SkipReason
DAY = datetime.timedelta(days=1)


def _content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def _already_reminded(key: str, model, *, object_field: str, since_field: str) -> Exists:
    """A reminder of this kind was made for the object since the moment it became remindable:
    that occurrence is handled, even if the cadence changed since."""
    return Exists(
        SentReminder.objects.filter(
            kind=key,
            content_type_id=_content_type_id(model),
            object_id=OuterRef(object_field),
            created_at__gte=OuterRef(since_field),
        )
    )


def _portal_link() -> str:
    return f"{settings.SITE_URL}{reverse('portal:home')}"


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, timezone.get_default_timezone())


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


# --- The interview tomorrow ------------------------------------------------------------------


def interview_reminder_due(schedule: Schedule) -> Iterator[Due]:
    """Scheduled interviews still ahead whose day, less the cadence, falls in the sweep's window.
    An interview booked on its reminder's day or later is left out: its invitation is fresh."""
    content_type_id = _content_type_id(Interview)
    for days, program_ids in schedule.programs_by_days.items():
        start = schedule.midnight(schedule.earliest_due_on + datetime.timedelta(days=days))
        end = schedule.midnight(schedule.latest_due_on + datetime.timedelta(days=days + 1))
        rows = (
            Interview.objects.filter(
                status=Interview.Status.SCHEDULED,
                participation__program_id__in=program_ids,
                scheduled_at__gte=max(start, schedule.now),
                scheduled_at__lt=end,
            )
            .values_list(
                "pk",
                "scheduled_at",
                "created_at",
                "participation__program_id",
                "participation__program__organization_id",
            )
            .order_by("pk")
        )
        for pk, scheduled_at, created_at, program_id, organization_id in rows.iterator(
            chunk_size=settings.REMINDER_BATCH_SIZE
        ):
            due_on = schedule.local_date(scheduled_at) - datetime.timedelta(days=days)
            if created_at >= schedule.midnight(due_on):
                continue
            yield Due(INTERVIEW_REMINDER.key, content_type_id, pk, due_on, organization_id, program_id)


def interview_reminder_build(reminder: SentReminder) -> Email | str:
    interview = (
        Interview.objects.select_related(
            "participation__person", "participation__program__organization", "interviewer"
        )
        .filter(pk=reminder.object_id)
        .first()
    )
    if interview is None or interview.status != Interview.Status.SCHEDULED:
        return SKIP.NO_LONGER_DUE
    if interview.scheduled_at <= timezone.now():
        return SKIP.NO_LONGER_DUE
    program = interview.participation.program
    cadence = cadence_for(program.pk, INTERVIEW_REMINDER)
    if not cadence.enabled:
        return SKIP.DISABLED
    starts_at = _local(interview.scheduled_at)
    if starts_at.date() - datetime.timedelta(days=cadence.days) != reminder.due_on:
        return SKIP.NO_LONGER_DUE  # Moved to another day, which has a reminder of its own.
    person = interview.participation.person
    return Email(
        to=person.email,
        name=person.full_name,
        subject=_("Reminder: your interview for %(program)s on %(date)s")
        % {"program": program.name, "date": formats.date_format(starts_at, "DATE_FORMAT")},
        context={
            "person": person,
            "program": program,
            "organization": program.organization,
            "interview": interview,
            "starts_at": starts_at,
            "time_zone": settings.TIME_ZONE,
        },
        person_id=person.pk,
    )


INTERVIEW_REMINDER = register(
    ReminderKind(
        key="interview_reminder",
        label=gettext_lazy("Interview reminder"),
        description=gettext_lazy(
            "Reminds the applicant of their screening interview, with its time and place."
        ),
        days_label=gettext_lazy("Days before the interview"),
        essential=True,
        default_days=1,
        min_days=1,
        max_days=14,
        due=interview_reminder_due,
        build=interview_reminder_build,
    )
)


# --- Orientation not finished ----------------------------------------------------------------


def orientation_reminder_due(schedule: Schedule) -> Iterator[Due]:
    """Accepted people who have not finished orientation, the cadence's number of days after
    they were accepted. Once reminded, the same acceptance is never reminded again."""
    content_type_id = _content_type_id(Participation)
    reminded = _already_reminded(
        ORIENTATION_REMINDER.key, Participation, object_field="pk", since_field="status_changed_at"
    )
    for days, program_ids in schedule.programs_by_days.items():
        start = schedule.midnight(schedule.earliest_due_on - datetime.timedelta(days=days))
        end = schedule.midnight(schedule.latest_due_on - datetime.timedelta(days=days) + DAY)
        rows = (
            Participation.objects.filter(
                status=S.ACCEPTED,
                program_id__in=program_ids,
                status_changed_at__gte=start,
                status_changed_at__lt=end,
            )
            .exclude(reminded)
            .values_list("pk", "status_changed_at", "program_id", "program__organization_id")
            .order_by("pk")
        )
        for pk, changed_at, program_id, organization_id in rows.iterator(
            chunk_size=settings.REMINDER_BATCH_SIZE
        ):
            due_on = schedule.local_date(changed_at) + datetime.timedelta(days=days)
            yield Due(ORIENTATION_REMINDER.key, content_type_id, pk, due_on, organization_id, program_id)


def orientation_reminder_build(reminder: SentReminder) -> Email | str:
    participation = (
        Participation.objects.select_related("person", "program__organization")
        .filter(pk=reminder.object_id)
        .first()
    )
    if participation is None or participation.status != S.ACCEPTED:
        return SKIP.NO_LONGER_DUE
    if _local(participation.status_changed_at).date() >= reminder.due_on:
        return SKIP.NO_LONGER_DUE  # Accepted again since: that acceptance has its own due date.
    program = participation.program
    if not cadence_for(program.pk, ORIENTATION_REMINDER).enabled:
        return SKIP.DISABLED
    resources = list(
        ProgramResource.objects.filter(
            program=program,
            is_required=True,
            audience__in=[ProgramResource.Audience.EVERYONE, participation.role],
        ).order_by("position", "title")
    )
    person = participation.person
    return Email(
        to=person.email,
        name=person.full_name,
        subject=_("Your orientation for %(program)s is waiting") % {"program": program.name},
        context={
            "person": person,
            "program": program,
            "organization": program.organization,
            "role": participation.get_role_display(),
            "resources": resources,
            "portal_link": _portal_link(),
        },
        person_id=person.pk,
    )


ORIENTATION_REMINDER = register(
    ReminderKind(
        key="orientation_reminder",
        label=gettext_lazy("Orientation not finished"),
        description=gettext_lazy(
            "Reminds an accepted mentor or mentee who has not finished orientation yet."
        ),
        days_label=gettext_lazy("Days after acceptance"),
        essential=False,
        default_days=7,
        min_days=1,
        max_days=90,
        due=orientation_reminder_due,
        build=orientation_reminder_build,
        send_after=datetime.time(9, 0),
    )
)


# --- An introduction waiting for an answer ---------------------------------------------------


def match_answer_reminder_due(schedule: Schedule) -> Iterator[Due]:
    """Each side of an introduced match that has not answered, the cadence's number of days after
    the introduction. The reminder is about the person's participation, so a mentor with two
    introductions from the same day gets one email naming both."""
    content_type_id = _content_type_id(Participation)
    key = MATCH_ANSWER_REMINDER.key
    pending = Match.Response.PENDING
    for days, program_ids in schedule.programs_by_days.items():
        start = schedule.midnight(schedule.earliest_due_on - datetime.timedelta(days=days))
        end = schedule.midnight(schedule.latest_due_on - datetime.timedelta(days=days) + DAY)
        rows = (
            Match.objects.filter(
                status=Match.Status.INTRODUCED,
                program_id__in=program_ids,
                introduced_at__gte=start,
                introduced_at__lt=end,
            )
            .filter(Q(mentee_response=pending) | Q(mentor_response=pending))
            .annotate(
                mentee_reminded=_already_reminded(
                    key, Participation, object_field="mentee_id", since_field="introduced_at"
                ),
                mentor_reminded=_already_reminded(
                    key, Participation, object_field="mentor_id", since_field="introduced_at"
                ),
            )
            .values_list(
                "introduced_at",
                "program_id",
                "program__organization_id",
                "mentee_id",
                "mentee_response",
                "mentee_reminded",
                "mentor_id",
                "mentor_response",
                "mentor_reminded",
            )
            .order_by("pk")
        )
        for introduced_at, program_id, organization_id, *sides in rows.iterator(
            chunk_size=settings.REMINDER_BATCH_SIZE
        ):
            due_on = schedule.local_date(introduced_at) + datetime.timedelta(days=days)
            for participation_id, response, reminded in (sides[:3], sides[3:]):
                if response == pending and not reminded:
                    yield Due(key, content_type_id, participation_id, due_on, organization_id, program_id)


def match_answer_reminder_build(reminder: SentReminder) -> Email | str:
    participation = (
        Participation.objects.select_related("person", "program__organization")
        .filter(pk=reminder.object_id)
        .first()
    )
    if participation is None:
        return SKIP.NO_LONGER_DUE
    pending = Match.Response.PENDING
    waiting = list(
        Match.objects.filter(status=Match.Status.INTRODUCED)
        .filter(
            Q(mentee=participation, mentee_response=pending)
            | Q(mentor=participation, mentor_response=pending)
        )
        .filter(introduced_at__lt=_midnight(reminder.due_on))
        .select_related("program__organization", "mentee__person", "mentor__person")
        .order_by("introduced_at", "pk")
    )
    if not waiting:
        return SKIP.NO_LONGER_DUE
    program = waiting[0].program
    if not cadence_for(program.pk, MATCH_ANSWER_REMINDER).enabled:
        return SKIP.DISABLED
    is_mentee = participation.role == Participation.Role.MENTEE
    others = [(match.mentor if is_mentee else match.mentee).person for match in waiting]
    person = participation.person
    return Email(
        to=person.email,
        name=person.full_name,
        subject=_("An introduction is waiting for your answer"),
        context={
            "person": person,
            "program": program,
            "organization": program.organization,
            "is_mentee": is_mentee,
            "others": others,
            "login_link": f"{settings.SITE_URL}{reverse('account_login')}",
        },
        person_id=person.pk,
    )


MATCH_ANSWER_REMINDER = register(
    ReminderKind(
        key="match_answer_reminder",
        label=gettext_lazy("Introduction waiting for an answer"),
        description=gettext_lazy(
            "Asks a mentor or mentee who was introduced and has not answered yet to accept or decline."
            " The weekly digest then tells coordinators about introductions still unanswered."
        ),
        days_label=gettext_lazy("Days after the introduction"),
        essential=False,
        default_days=5,
        min_days=1,
        max_days=60,
        due=match_answer_reminder_due,
        build=match_answer_reminder_build,
        send_after=datetime.time(9, 0),
    )
)
