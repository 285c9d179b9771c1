"""What people do with reminders: coordinators change a program's cadences and resend a failed
reminder; a recipient turns a kind of reminder off."""

from __future__ import annotations

from collections.abc import Mapping

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from participants.models import Person
from programs.activity import activity_record
from programs.models import Program

from .models import ProgramCadence, SentReminder, Unsubscribe
from .registry import Cadence, Due, cadences_for_program, get_kind
from .sending import UNSUBSCRIBE_SALT
from .sweep import enqueue_on_commit


@transaction.atomic
def cadence_update(*, program: Program, cadences: Mapping[str, Cadence], actor) -> dict[str, dict]:
    """Saves the program's choice for each kind given and logs what changed, as
    {kind: {"enabled": [old, new], "days": [old, new]}}; nothing is written when nothing changed."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    current = cadences_for_program(program)
    changed: dict[str, dict] = {}
    for key, cadence in cadences.items():
        try:
            kind = get_kind(key)
        except KeyError:
            raise ValidationError(_("Unknown kind of reminder: %(key)s.") % {"key": key}) from None
        before = current[kind.key]
        if cadence == before:
            continue
        row = ProgramCadence.objects.filter(program=program, kind=key).first() or ProgramCadence(
            program=program, kind=key
        )
        row.enabled, row.days, row.updated_by = cadence.enabled, cadence.days, actor
        try:
            row.full_clean(exclude=["program"])
        except ValidationError as error:
            errors = {f"{key}-{name}": messages for name, messages in error.message_dict.items()}
            raise ValidationError(errors) from error
        row.save()
        changed[key] = {
            name: [getattr(before, name), getattr(cadence, name)]
            for name in ("enabled", "days")
            if getattr(before, name) != getattr(cadence, name)
        }
    if changed:
        activity_record(
            actor=actor,
            verb="reminder_cadence.updated",
            target=program,
            organization=program.organization,
            program=program,
            data={"changed": changed},
        )
    return changed


@transaction.atomic
def reminder_resend(*, reminder: SentReminder, actor) -> SentReminder:
    """Puts a failed reminder back in line: it waits as "pending" and is handed to the broker once
    this commits. When the broker is away the request still succeeds, and the next sweep sends it."""
    reminder = SentReminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.status != SentReminder.Status.FAILED:
        raise ValidationError(_("Only a reminder that failed can be sent again."))
    reminder.status = SentReminder.Status.PENDING
    reminder.claimed_by = ""
    reminder.claimed_at = None
    reminder.attempts = 0
    reminder.save(update_fields=["status", "claimed_by", "claimed_at", "attempts"])
    activity_record(
        actor=actor,
        verb="reminder.resent",
        target=reminder,
        organization=reminder.organization,
        program=reminder.program,
        data={"kind": reminder.kind, "to": reminder.recipient, "last_error": reminder.last_error},
    )
    enqueue_on_commit(
        Due(
            kind=reminder.kind,
            content_type_id=reminder.content_type_id,
            object_id=reminder.object_id,
            due_on=reminder.due_on,
            organization_id=reminder.organization_id,
            program_id=reminder.program_id,
        )
    )
    return reminder


# --- Unsubscribing ----------------------------------------------------------------------------


class InvalidUnsubscribeLink(Exception):
    pass


def unsubscribe_link_read(token: str) -> tuple[str, str, int | None]:
    """(email, kind, person id) from a signed link; InvalidUnsubscribeLink when it was altered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        email, key, person_id = data["e"], data["k"], data.get("p")
        kind = get_kind(key)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidUnsubscribeLink from None
    if kind.essential or not isinstance(email, str) or not email:
        raise InvalidUnsubscribeLink
    return email, key, person_id


@transaction.atomic
def unsubscribe_record(*, email: str, kind: str, person_id: int | None = None) -> bool:
    """Turns off one kind (or, with kind="", every reminder that can be turned off) for the
    address. Returns False when it was already off. The person's organization logs it, so that
    coordinators see why reminders stopped; a staff address has no person and no entry."""
    email = email.lower()
    if kind != Unsubscribe.ALL:
        get_kind(kind)
    if Unsubscribe.objects.filter(email=email, kind__in={kind, Unsubscribe.ALL}).exists():
        return False
    person = Person.objects.select_related("organization").filter(pk=person_id).first() if person_id else None
    try:
        with transaction.atomic():
            Unsubscribe.objects.create(email=email, kind=kind, person=person)
    except IntegrityError:
        return False  # The same link, clicked twice at once.
    if person is not None:
        activity_record(
            actor=None,
            verb="reminder.unsubscribed",
            target=person,
            organization=person.organization,
            data={"kind": kind or "all"},
        )
    return True
