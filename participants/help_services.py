""" "Need help" messages: a participant writes from the portal, a coordinator handles it.

Both are atomic and logged on the person, so that the person's timeline shows the request and
what became of it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Match
from programs.activity import activity_record
from programs.models import Program

from .models import HelpRequest, Person

MAX_MESSAGE_CHARS = 4000


@transaction.atomic
def help_request_send(
    *, person: Person, program: Program, match: Match | None = None, message: str, actor
) -> HelpRequest:
    """Saves the person's message for the program's coordinators.

    1. Checks that the person takes part in the program and, when a match is named, is in it.
    2. Saves the request, open until a coordinator handles it.
    3. Records `help_request.sent` on the person.
    """
    message = (message or "").strip()
    if not message:
        raise ValidationError(
            {"message": _("Please write a few words so that your coordinator knows how to help.")}
        )
    if not person.participations.filter(program=program).exists() and not (
        match is not None and match.program_id == program.pk
    ):
        raise ValidationError(_("You can only write to the coordinators of your own programs."))
    if match is not None:
        in_match = Match.objects.filter(
            Q(mentee__person=person) | Q(mentor__person=person), pk=match.pk
        ).exists()
        if not in_match:
            raise ValidationError(_("You can only ask for help about your own match."))
    help_request = HelpRequest(
        person=person, program=program, match=match, message=message[:MAX_MESSAGE_CHARS]
    )
    help_request.full_clean()
    help_request.save()
    activity_record(
        actor=actor,
        verb="help_request.sent",
        target=person,
        organization=program.organization,
        program=program,
        data={"help_request": help_request.pk, "match": match.pk if match is not None else None},
    )
    return help_request


@transaction.atomic
def help_request_handle(*, help_request: HelpRequest, note: str = "", actor) -> HelpRequest:
    """Marks the request handled by the coordinator, with what they did, once."""
    help_request = (
        HelpRequest.objects.select_for_update()
        .select_related("program__organization")
        .get(pk=help_request.pk)
    )
    if help_request.handled_at is not None:
        raise ValidationError(_("This request has already been handled."))
    help_request.handled_at = timezone.now()
    help_request.handled_by = actor
    help_request.handled_note = (note or "").strip()
    help_request.full_clean()
    help_request.save(update_fields=["handled_at", "handled_by", "handled_note"])
    activity_record(
        actor=actor,
        verb="help_request.handled",
        target=help_request.person,
        organization=help_request.program.organization,
        program=help_request.program,
        data={"help_request": help_request.pk, "note": help_request.handled_note},
    )
    return help_request
