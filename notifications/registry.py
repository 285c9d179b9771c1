"""The kinds of reminder, declared in code by the apps they belong to.

A kind says who it is for, whether the person may turn it off, its default cadence, which
templates write it, and two functions: `due(schedule)`, a database query that yields the sent-log
keys due now, and `build(reminder)`, which loads the object again at send time and returns the
email, or the reason it is no longer to be sent.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
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

    def as_message(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "content_type_id": self.content_type_id,
            "object_id": self.object_id,
            "due_on": self.due_on.isoformat(),
            "organization_id": self.organization_id,
            "program_id": self.program_id,
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


@dataclass(frozen=True)
class Cadence:
    enabled: bool
    days: int


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: Promise
    description: Promise
    days_label: Promise
    # Essential reminders concern something the person booked; they carry no unsubscribe link.
    essential: bool
    default_days: int
    min_days: int
    max_days: int
    due: Callable[[Schedule], Iterator[Due]]
    # Returns the email, or a SentReminder.SkipReason when it is no longer to be sent.
    build: Callable[[SentReminder], Email | str]
    default_enabled: bool = True
    # A reminder due today waits for this local time, so that nobody is emailed at midnight.
    send_after: datetime.time = datetime.time(8, 0)

    @property
    def template(self) -> str:
        """notifications/email/<key>.txt and .html."""
        return f"notifications/email/{self.key}"

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
    return {kind.key: saved.get(kind.key, kind.default) for kind in _KINDS.values()}


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
