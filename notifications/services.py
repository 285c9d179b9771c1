"""What people do with reminders: an action sends an email at once; coordinators change a
program's cadences and resend a failed reminder; a recipient turns a kind of reminder off, by its
link or on their portal page."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Person
from programs.activity import activity_record
from programs.models import Program

from .models import ProgramCadence, SentReminder, Unsubscribe
from .registry import (
    Cadence,
    Due,
    ReminderKind,
    all_kinds,
    cadences_for_program,
    content_type_id,
    get_kind,
    participant_choice_kinds,
)
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
        if kind.immediate:
            raise ValidationError(_("“%(kind)s” is sent at once and has no cadence.") % {"kind": kind.label})
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
            revision=reminder.revision,
        )
    )
    return reminder


# --- Emails sent at once ----------------------------------------------------------------------


def reminder_send_now(
    *,
    kind: ReminderKind,
    obj: models.Model,
    organization_id: int,
    program_id: int | None,
    due_on: datetime.date | None = None,
    revision: str = "",
    language: str = "",
    recipient: str = "",
    recipient_name: str = "",
) -> SentReminder | None:
    """Claims the sent-log key of an immediate email and hands the send over once the caller's
    transaction commits; returns None, and sends nothing, when the key was already claimed.

    The row is written "pending" inside the caller's transaction: an action that rolls back
    leaves no row and sends nothing, and when the broker does not take the message the sweep
    finds the pending row and hands it out again. The key is (kind, object, due date, revision):
    the due date is today unless the caller gives the object's own date, and the revision tells
    apart two emails about the same object on one day (a changed interview). The recipient, when
    given, shows on the outbox until the email is built.
    """
    if not kind.immediate:
        raise ValueError(f"{kind.key!r} is a scheduled kind: the sweep sends it.")
    due = Due(
        kind=kind.key,
        content_type_id=content_type_id(type(obj)),
        object_id=obj.pk,
        due_on=due_on or timezone.localdate(),
        organization_id=organization_id,
        program_id=program_id,
        revision=revision,
    )
    try:
        with transaction.atomic():
            reminder = SentReminder.objects.create(
                kind=due.kind,
                content_type_id=due.content_type_id,
                object_id=due.object_id,
                due_on=due.due_on,
                revision=due.revision,
                organization_id=due.organization_id,
                program_id=due.program_id,
                language=language or "",
                recipient=recipient,
                recipient_name=recipient_name[:250],
                status=SentReminder.Status.PENDING,
            )
    except IntegrityError:
        return None  # The same email was already asked for: it goes out once.
    enqueue_on_commit(due)
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


@transaction.atomic
def notification_choices_save(*, person: Person, enabled: Collection[str], actor) -> dict[str, list[str]]:
    """Saves which of the reminders a participant may turn off go to the person's address: those
    in `enabled` on, the others off. Returns what changed, {"on": [...], "off": [...]}, and logs
    `reminder.choices_updated` on the person when anything did.

    Someone who had turned everything off with an unsubscribe link and now turns one kind back
    on keeps every other kind off, the staff's own included.
    """
    email = person.email.lower()
    choosable = [kind.key for kind in participant_choice_kinds()]
    unknown = set(enabled) - set(choosable)
    if unknown:
        raise ValidationError(_("Unknown kind of reminder: %(key)s.") % {"key": ", ".join(sorted(unknown))})
    rows = set(Unsubscribe.objects.select_for_update().filter(email=email).values_list("kind", flat=True))
    everything_off = Unsubscribe.ALL in rows
    before_off = set(choosable) if everything_off else rows & set(choosable)
    after_off = set(choosable) - set(enabled)
    if before_off == after_off:
        return {}
    wanted = set(after_off)
    if everything_off:
        # The kinds outside the participant's list stay off, as the link turned them off.
        wanted |= {kind.key for kind in all_kinds() if not kind.essential} - set(choosable)
        rows.discard(Unsubscribe.ALL)
        Unsubscribe.objects.filter(email=email, kind=Unsubscribe.ALL).delete()
    Unsubscribe.objects.filter(email=email, kind__in=(rows & set(choosable)) - wanted).delete()
    Unsubscribe.objects.bulk_create(
        [Unsubscribe(email=email, kind=kind, person=person) for kind in sorted(wanted - rows)],
        ignore_conflicts=True,
    )
    changed = {"on": sorted(before_off - after_off), "off": sorted(after_off - before_off)}
    activity_record(
        actor=actor,
        verb="reminder.choices_updated",
        target=person,
        organization=person.organization,
        data=changed,
    )
    return changed
