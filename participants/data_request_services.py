"""What a person asks about their own data, and what the coordinator does with it.

From the portal a person downloads their data, asks for a correction they cannot make
themselves, leaves a program, or asks for their data to be deleted. Leaving happens at once
when the pipeline allows it and nothing else depends on it; otherwise (an open match, a circle,
a status screening has no exit from) it becomes a request to the coordinator. A coordinator
handles each request with a note; a deletion is handled by erasing the data. Every step is
atomic and recorded on the person's timeline.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.activity import activity_record

from .erasure import person_erase
from .models import CLOSED_STATUSES, DataRequest, Participation, Person
from .pipeline import can_move, held_by_a_match_or_circle, participation_withdraw

MAX_MESSAGE_CHARS = 4000
K = DataRequest.Kind


def _log(person: Person, verb: str, *, actor, data: dict, program=None) -> None:
    activity_record(
        actor=actor, verb=verb, target=person, organization=person.organization, program=program, data=data
    )


def personal_data_exported(*, person: Person, export_format: str, actor) -> None:
    """Records that the person downloaded their data (JSON or PDF)."""
    _log(person, "personal_data.exported", actor=actor, data={"format": export_format})


@transaction.atomic
def data_request_send(
    *, person: Person, kind: str, message: str = "", participation: Participation | None = None, actor
) -> DataRequest:
    """Saves a request for the coordinators of the person's programs.

    1. Refuses a second open request of the same kind (about the same participation): the
       first one is still waiting. A correction needs a message saying what is wrong.
    2. Saves the request and records `data_request.sent` on the person.
    """
    person = Person.objects.select_for_update(of=("self",)).select_related("organization").get(pk=person.pk)
    message = (message or "").strip()[:MAX_MESSAGE_CHARS]
    if kind == K.CORRECTION and not message:
        raise ValidationError({"message": _("Please tell us what is wrong and what it should say.")})
    waiting = DataRequest.objects.filter(person=person, kind=kind, handled_at__isnull=True)
    if participation is not None:
        waiting = waiting.filter(participation=participation)
    if waiting.exists():
        raise ValidationError(_("You already sent this request. Your coordinator will get back to you."))
    data_request = DataRequest(person=person, kind=kind, message=message, participation=participation)
    data_request.full_clean()
    data_request.save()
    _log(
        person,
        "data_request.sent",
        actor=actor,
        program=participation.program if participation is not None else None,
        data={"data_request": data_request.pk, "kind": kind},
    )
    return data_request


def withdrawal_needs_coordinator(participation: Participation) -> bool:
    """Whether leaving goes through the coordinator: when the pipeline has no way out of the
    status, or a match or a circle depends on the person. Closing a match is a conversation
    with the other person, not a side effect of a button."""
    if not can_move(participation.status, Participation.Status.WITHDRAWN):
        return True
    return held_by_a_match_or_circle(participation)


def can_leave(participation: Participation) -> bool:
    return participation.status not in CLOSED_STATUSES


@transaction.atomic
def portal_withdraw(*, participation: Participation, reason: str = "", actor) -> DataRequest | None:
    """The person leaves a program. Returns None when they have left, or the request that went
    to the coordinator instead.

    1. Refuses a participation that is already over.
    2. When the coordinator has to act (`withdrawal_needs_coordinator`), saves a withdrawal
       request with the reason.
    3. Otherwise cancels the scheduled interviews (the applicant gets the calendar cancellation)
       and withdraws the participation through the pipeline, with the reason or a plain one.
    """
    participation = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("person", "program")
        .get(pk=participation.pk)
    )
    if not can_leave(participation):
        raise ValidationError(_("You have already left this program."))
    reason = (reason or "").strip()
    if withdrawal_needs_coordinator(participation):
        return data_request_send(
            person=participation.person,
            kind=K.WITHDRAWAL,
            message=reason,
            participation=participation,
            actor=actor,
        )
    participation_withdraw(
        participation=participation,
        reason=reason or _("Withdrew in the portal without giving a reason."),
        actor=actor,
    )
    return None


@transaction.atomic
def data_request_handle(*, data_request: DataRequest, note: str = "", actor) -> DataRequest:
    """Marks the request handled, with what was done, once. Closing a deletion request without
    erasing needs a note: the person is owed the reason their data is kept."""
    data_request = (
        DataRequest.objects.select_for_update(of=("self",))
        .select_related("person__organization", "participation__program")
        .get(pk=data_request.pk)
    )
    if data_request.handled_at is not None:
        raise ValidationError(_("This request has already been handled."))
    note = (note or "").strip()
    if data_request.kind == K.DELETION and not note:
        raise ValidationError({"note": _("Say why the data is kept, or erase it instead.")})
    return _mark_handled(data_request, note=note, actor=actor, erased=False)


def _mark_handled(data_request: DataRequest, *, note: str, actor, erased: bool) -> DataRequest:
    data_request.handled_at = timezone.now()
    data_request.handled_by = actor
    data_request.outcome_note = note
    data_request.full_clean()
    data_request.save(update_fields=["handled_at", "handled_by", "outcome_note"])
    participation = data_request.participation
    _log(
        data_request.person,
        "data_request.handled",
        actor=actor,
        program=participation.program if participation is not None else None,
        data={"data_request": data_request.pk, "kind": data_request.kind, "erased": erased, "note": note},
    )
    return data_request


@transaction.atomic
def data_request_erase(*, data_request: DataRequest, note: str = "", actor) -> dict[str, int]:
    """Handles a deletion request by erasing the person's data (`erasure.person_erase`), then
    marks the request handled. Returns the erasure's counts."""
    data_request = (
        DataRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=data_request.pk)
    )
    if data_request.kind != K.DELETION:
        raise ValidationError(_("Only a deletion request is handled by erasing the data."))
    if data_request.handled_at is not None:
        raise ValidationError(_("This request has already been handled."))
    counts = person_erase(person=data_request.person, actor=actor)
    data_request.refresh_from_db()
    _mark_handled(
        data_request,
        note=(note or "").strip() or _("The data was erased."),
        actor=actor,
        erased=True,
    )
    return counts
