"""The kinds of reminder, declared in code by the apps they belong to.

A kind says who it is for, whether the person may turn it off, its default cadence, which
templates write it, and two functions: `due(schedule)`, a database query that yields the sent-log
keys due now, and `build(reminder)`, which loads the object again at send time and returns the
email, or the reason it is no longer to be sent.

Most kinds are scheduled: the sweep asks their `due` what is due. An *immediate* kind is an email
that goes out because something just happened (an application received, an interview booked, an
acceptance); the service that made it happen claims its key with `services.reminder_send_now`,
and from there it travels the same way: sent-log, outbox, retries, resend.
"""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import SentReminder


@dataclass(frozen=True)
class Due:
    """One reminder that is due: its sent-log key and the program it belongs to."""

    kind: str
    content_type_id: int
    object_id: int
    due_on: datetime.date
    organization_id: int
    program_id: int | None = None
    # Part of the key: which occurrence of the object the email is about, when a date alone
    # cannot tell (each side of a match, one quiet spell, one version of an interview).
    revision: str = ""

    def as_message(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "content_type_id": self.content_type_id,
            "object_id": self.object_id,
            "due_on": self.due_on.isoformat(),
            "organization_id": self.organization_id,
            "program_id": self.program_id,
            "revision": self.revision,
        }

    @classmethod
    def from_message(cls, data: dict[str, Any]) -> Due:
        return cls(**{**data, "due_on": datetime.date.fromisoformat(data["due_on"])})


@dataclass
class Email:
    """What a kind's `build` returns: one email to one person."""

    to: str
    name: str
    subject: str
    context: dict[str, Any] = field(default_factory=dict)
    person_id: int | None = None
    # Another pair of templates than the kind's own (the same kind may word it two ways).
    template: str = ""
    reply_to: list[str] = field(default_factory=list)
    # (file name, content, MIME type), as EmailMessage.attach takes them: the interview's .ics.
    attachments: list[tuple[str, str | bytes, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Cadence:
    enabled: bool
    days: int


def nothing_due(schedule: Schedule) -> Iterator[Due]:
    """The `due` of an immediate kind: the sweep never finds one by itself."""
    return iter(())


@dataclass(frozen=True, kw_only=True)
class ReminderKind:
    key: str
    label: Promise
    description: Promise
    # Essential emails concern something the person asked for or booked (their application,
    # their interview, their acceptance); they carry no unsubscribe link.
    essential: bool
    # Returns the email, or a SentReminder.SkipReason when it is no longer to be sent.
    build: Callable[[SentReminder], Email | str]
    due: Callable[[Schedule], Iterator[Due]] = nothing_due
    days_label: Promise | str = ""
    default_days: int = 0
    min_days: int = 0
    max_days: int = 0
    default_enabled: bool = True
    # A reminder due today waits for this local time, so that nobody is emailed at midnight.
    send_after: datetime.time = datetime.time(8, 0)
    # Sent when something happens (services.reminder_send_now), never found by the sweep; such
    # kinds have no cadence for coordinators to change.
    immediate: bool = False
    # The staff's own emails (the weekly digest) are not among a participant's choices.
    for_staff: bool = False
    # Templates other than notifications/email/<key>: immediate kinds keep their app's own.
    template_name: str = ""
    # Called once the email is sent, for what the owning app records (its activity log).
    on_sent: Callable[[SentReminder, Email], None] | None = None

    @property
    def template(self) -> str:
        """<template>.txt and .html: notifications/email/<key> unless the kind names its own."""
        return self.template_name or f"notifications/email/{self.key}"

    @property
    def default(self) -> Cadence:
        return Cadence(enabled=self.default_enabled, days=self.default_days)


_KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"A reminder kind {kind.key!r} is already registered.")
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> ReminderKind:
    return _KINDS[key]


def all_kinds() -> list[ReminderKind]:
    return list(_KINDS.values())


def scheduled_kinds() -> list[ReminderKind]:
    """The kinds the sweep asks and coordinators set a cadence for."""
    return [kind for kind in _KINDS.values() if not kind.immediate]


def participant_choice_kinds() -> list[ReminderKind]:
    """The kinds a participant may turn off, in the order they were registered."""
    return [kind for kind in _KINDS.values() if not kind.essential and not kind.for_staff]


def always_sent_kinds() -> list[ReminderKind]:
    """What a participant receives whatever they choose."""
    return [kind for kind in _KINDS.values() if kind.essential and not kind.for_staff]


def kind_label(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind else key


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, str(kind.label)) for kind in _KINDS.values()]


# --- Cadences ---------------------------------------------------------------------------------


def cadences_for_program(program) -> dict[str, Cadence]:
    """Every kind's cadence in the program: its saved choice, or the kind's default."""
    from .models import ProgramCadence

    saved = {
        row.kind: Cadence(enabled=row.enabled, days=row.days)
        for row in ProgramCadence.objects.filter(program=program)
    }
    return {kind.key: saved.get(kind.key, kind.default) for kind in scheduled_kinds()}


def cadence_for(program_id: int, kind: ReminderKind) -> Cadence:
    from .models import ProgramCadence

    row = ProgramCadence.objects.filter(program_id=program_id, kind=kind.key).first()
    return Cadence(enabled=row.enabled, days=row.days) if row else kind.default


class Schedule:
    """What one sweep needs to know about one kind: the time, the days in which a due date is
    still worth sending, and which active programs have the kind turned on with which number of
    days."""

    def __init__(self, kind: ReminderKind, *, now: datetime.datetime | None = None) -> None:
        from programs.models import Program

        from .models import ProgramCadence

        self.kind = kind
        self.now = now or timezone.now()
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        local = self.now.astimezone(self.tz)
        self.today = local.date()
        # The latest day whose reminders may go out now: today once the kind's hour has come.
        self.latest_due_on = self.today - datetime.timedelta(days=0 if local.time() >= kind.send_after else 1)
        self.earliest_due_on = self.today - datetime.timedelta(days=settings.REMINDER_CATCH_UP_DAYS)
        saved = {
            program_id: Cadence(enabled=enabled, days=days)
            for program_id, enabled, days in ProgramCadence.objects.filter(kind=kind.key).values_list(
                "program_id", "enabled", "days"
            )
        }
        self.programs_by_days: dict[int, list[int]] = {}
        for program_id in Program.objects.filter(is_active=True).values_list("pk", flat=True).order_by("pk"):
            cadence = saved.get(program_id, kind.default)
            if cadence.enabled:
                self.programs_by_days.setdefault(cadence.days, []).append(program_id)

    @property
    def enabled_program_ids(self) -> list[int]:
        return [pk for ids in self.programs_by_days.values() for pk in ids]

    def midnight(self, day: datetime.date) -> datetime.datetime:
        """The start of a local day, as an aware datetime."""
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz)

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(self.tz).date()


# --- Helpers for writing kinds ---------------------------------------------------------------


def content_type_id(model) -> int:
    """Cached by Django after the first call for each model."""
    return ContentType.objects.get_for_model(model).pk


def site_link(url_name: str, *args) -> str:
    """An absolute link for an email, reversed when the email is built (so at send time)."""
    return f"{settings.SITE_URL}{reverse(url_name, args=args)}"


def unlogged_revisions(dues: Iterable[Due]) -> Iterator[Due]:
    """Leaves out the dues whose object already has a row of the same kind and revision in the
    sent-log, whatever its due date: one email per (object, revision) even when the cadence,
    and with it the due date, changed since. One query per REMINDER_BATCH_SIZE dues."""
    from .models import SentReminder

    iterator = iter(dues)
    while batch := list(itertools.islice(iterator, settings.REMINDER_BATCH_SIZE)):
        logged: set[tuple] = set()
        for (kind, content_type), group in itertools.groupby(
            sorted(batch, key=lambda due: (due.kind, due.content_type_id)),
            key=lambda due: (due.kind, due.content_type_id),
        ):
            rows = SentReminder.objects.filter(
                kind=kind, content_type_id=content_type, object_id__in={due.object_id for due in group}
            ).values_list("object_id", "revision")
            logged.update((kind, content_type, object_id, revision) for object_id, revision in rows)
        for due in batch:
            if (due.kind, due.content_type_id, due.object_id, due.revision) not in logged:
                yield due
