"""Mentorship agreements, goals and progress notes of a match; goal templates and the agreement
text of a program.

Every service is atomic, validates with `full_clean()` before saving and writes an activity
entry. Entries about an agreement or a goal are recorded on the match, so that the match's
timeline tells its whole story; entries about templates are recorded on the template or the
program.

The rules:
- a match gets its agreement when it starts (`matching.services._activate` calls
  `agreement_create` in the same transaction), or later from the goals page for a match that
  started before agreements existed;
- each side acknowledges the agreement once, in the portal or through the coordinator;
- goals are added, edited, moved and noted only while the match is active: an ended match is a
  record, and what became of its goals is told at closure;
- a goal's target date is never before the match started.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.activity import activity_record, field_changes
from programs.models import Program

from .models import Agreement, AgreementTemplate, Goal, GoalNote, GoalTemplate, Match
from .support_goal_models import DEFAULT_CONFIDENTIALITY, DEFAULT_ROLES_AND_EXPECTATIONS

MENTEE, MENTOR = "mentee", "mentor"
SIDES = (MENTEE, MENTOR)
Role = GoalNote.AuthorRole
# A change of status to one of these needs a note that says why.
STATUS_NEEDS_NOTE = (Goal.Status.CHANGED, Goal.Status.DROPPED)
GOAL_FIELDS = ("category", "title", "description", "target_date", "steps")
TEMPLATE_FIELDS = ("category", "title", "description", "suggested_steps")


def _log(match: Match, verb: str, *, actor, data: dict[str, Any]) -> None:
    activity_record(
        actor=actor,
        verb=verb,
        target=match,
        organization=match.program.organization,
        program=match.program,
        data=data,
    )


def _lock_match(match: Match) -> None:
    match.refresh_from_db(from_queryset=Match.objects.select_for_update())


def _require_active(match: Match, message: str) -> None:
    """`message` says what is refused, with %(status)s for the match's status."""
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(message % {"status": match.get_status_display()})


def _participant_side_check(match: Match, role: str, actor) -> None:
    """A mentor or mentee acts for themselves only: in the portal, as the signed-in person."""
    participation = match.mentee if role == MENTEE else match.mentor
    if actor is None or actor.pk is None or actor.pk != participation.person.user_id:
        raise ValidationError(
            _("Only the mentee can do this as the mentee.")
            if role == MENTEE
            else _("Only the mentor can do this as the mentor.")
        )


# --- The agreement -------------------------------------------------------------------------------


def agreement_texts(program: Program) -> tuple[str, str]:
    """The program's roles-and-expectations and confidentiality texts, or the defaults."""
    template = AgreementTemplate.objects.filter(program=program).first()
    if template is None:
        return str(DEFAULT_ROLES_AND_EXPECTATIONS), str(DEFAULT_CONFIDENTIALITY)
    return template.roles_and_expectations, template.confidentiality


@transaction.atomic
def agreement_create(*, match: Match, actor) -> Agreement:
    """Writes the agreement of a match that has started.

    1. Locks the match and checks that it is active and has no agreement yet.
    2. Copies the program's texts (its own or the defaults) and its expected meetings per month
       and meeting length; the planned end is the match's.
    3. Records `agreement.created` on the match.
    """
    _lock_match(match)
    _require_active(match, _("An agreement is written when a match starts; this match is “%(status)s”."))
    if Agreement.objects.filter(match=match).exists():
        raise ValidationError(_("This match already has its agreement."))
    program = match.program
    roles, confidentiality = agreement_texts(program)
    planned_end_on = match.planned_end_on or match.started_on + datetime.timedelta(
        weeks=program.match_length_weeks
    )
    agreement = Agreement(
        match=match,
        roles_and_expectations=roles,
        confidentiality=confidentiality,
        meetings_per_month=program.meetings_per_month,
        meeting_length_minutes=program.meeting_length_minutes,
        planned_end_on=planned_end_on,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    agreement.full_clean()
    agreement.save()
    _log(
        match,
        "agreement.created",
        actor=actor,
        data={
            "meetings_per_month": agreement.meetings_per_month,
            "meeting_length_minutes": agreement.meeting_length_minutes,
            "planned_end_on": agreement.planned_end_on,
        },
    )
    return agreement


@transaction.atomic
def agreement_acknowledge(
    *, agreement: Agreement, side: str, actor, recorded_by_coordinator: bool
) -> Agreement:
    """Records that one side has read and accepted the agreement, once.

    In the portal the participant acknowledges it themselves (`recorded_by_coordinator=False`,
    and the actor must be that participant). Otherwise the coordinator records that the person
    acknowledged it, for example on the phone or on paper, and is named as the one who did.
    """
    if side not in SIDES:
        raise ValueError(f"side must be {MENTEE!r} or {MENTOR!r}, not {side!r}")
    agreement.refresh_from_db(from_queryset=Agreement.objects.select_for_update())
    match = agreement.match
    _require_active(
        match, _("An agreement is acknowledged while the match is active; this match is “%(status)s”.")
    )
    if agreement.acknowledged_at(side) is not None:
        raise ValidationError(
            _("The mentee has already acknowledged the agreement.")
            if side == MENTEE
            else _("The mentor has already acknowledged the agreement.")
        )
    if not recorded_by_coordinator:
        _participant_side_check(match, side, actor)
    setattr(agreement, f"{side}_acknowledged_at", timezone.now())
    setattr(agreement, f"{side}_recorded_by", actor if recorded_by_coordinator else None)
    agreement.full_clean()
    agreement.save(update_fields=[f"{side}_acknowledged_at", f"{side}_recorded_by"])
    _log(
        match,
        "agreement.acknowledged",
        actor=actor,
        data={"side": side, "via": "coordinator" if recorded_by_coordinator else "portal"},
    )
    return agreement


@transaction.atomic
def agreement_text_save(
    *, program: Program, roles_and_expectations: str, confidentiality: str, actor
) -> AgreementTemplate:
    """Sets the program's agreement text. Agreements already written keep the text they have."""
    template = AgreementTemplate.objects.select_for_update().filter(program=program).first()
    template = template or AgreementTemplate(program=program)
    changed = field_changes(
        template,
        {
            "roles_and_expectations": (roles_and_expectations or "").strip(),
            "confidentiality": (confidentiality or "").strip(),
        },
    )
    if template.pk is not None and not changed:
        return template
    template.roles_and_expectations = (roles_and_expectations or "").strip()
    template.confidentiality = (confidentiality or "").strip()
    template.full_clean()
    template.save()
    activity_record(
        actor=actor,
        verb="agreement_text.updated",
        target=program,
        organization=program.organization,
        program=program,
        data={"changed": sorted(changed)},
    )
    return template


# --- Goals ----------------------------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *,
    match: Match,
    category: str,
    title: str,
    description: str,
    target_date: datetime.date,
    steps: str = "",
    template: GoalTemplate | None = None,
    actor,
) -> Goal:
    """Adds a goal to an active match, from scratch or from one of the program's templates
    (whose texts the caller has already offered for editing; the goal remembers the template)."""
    _lock_match(match)
    _require_active(match, _("Goals are added to active matches; this match is “%(status)s”."))
    if template is not None and (template.program_id != match.program_id or not template.is_active):
        raise ValidationError(_("Choose a goal template the match's program offers."))
    goal = Goal(
        match=match,
        category=category,
        title=(title or "").strip(),
        description=(description or "").strip(),
        target_date=target_date,
        steps=(steps or "").strip(),
        from_template=template,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    goal.full_clean()
    goal.save()
    _log(
        match,
        "goal.created",
        actor=actor,
        data={
            "goal": goal.pk,
            "title": goal.title,
            "category": goal.category,
            "target_date": goal.target_date,
            "template": template.pk if template else None,
        },
    )
    return goal


def _lock_goal(goal: Goal) -> None:
    goal.refresh_from_db(from_queryset=Goal.objects.select_for_update())


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    category: str,
    title: str,
    description: str,
    target_date: datetime.date,
    steps: str = "",
    actor,
) -> Goal:
    """Edits what a goal says. Its status moves through `goal_set_status` instead, so that each
    move is noted. Nothing is written when nothing changes."""
    _lock_goal(goal)
    match = goal.match
    _require_active(match, _("Goals are edited while the match is active; this match is “%(status)s”."))
    fields = {
        "category": category,
        "title": (title or "").strip(),
        "description": (description or "").strip(),
        "target_date": target_date,
        "steps": (steps or "").strip(),
    }
    changed = field_changes(goal, fields)
    if not changed:
        return goal
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save(update_fields=list(fields))
    _log(match, "goal.updated", actor=actor, data={"goal": goal.pk, "title": goal.title, "changed": changed})
    return goal


def _note(goal: Goal, *, text: str, author_role: str, actor, new_status: str = "") -> GoalNote:
    if author_role not in Role.values:
        raise ValidationError({"author_role": _("Choose who writes the note.")})
    if author_role != Role.COORDINATOR:
        _participant_side_check(goal.match, author_role, actor)
    note = GoalNote(
        goal=goal,
        text=text,
        author=actor if actor is not None and actor.is_authenticated else None,
        author_role=author_role,
        new_status=new_status,
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def goal_set_status(
    *, goal: Goal, status: str, note: str = "", author_role: str = Role.COORDINATOR, actor
) -> Goal:
    """Moves a goal to another status, with a note that is kept with the goal's progress.

    Any status may follow any other (a dropped goal can be taken up again), but not itself.
    Marking a goal changed or dropped needs a note saying why. The move is kept as a progress
    note carrying the new status, with or without text, so the goal's history is in one place.
    """
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    _lock_goal(goal)
    match = goal.match
    _require_active(
        match, _("A goal's status changes while the match is active; this match is “%(status)s”.")
    )
    if goal.status == status:
        raise ValidationError(
            {"status": _("The goal is already “%(status)s”.") % {"status": goal.get_status_display()}}
        )
    note = (note or "").strip()
    if status in STATUS_NEEDS_NOTE and not note:
        raise ValidationError({"note": _("Say why the goal changed or was dropped; it stays with the goal.")})
    from_status = goal.status
    goal.status = status
    goal.status_changed_at = timezone.now()
    goal.full_clean()
    goal.save(update_fields=["status", "status_changed_at"])
    _note(goal, text=note, author_role=author_role, actor=actor, new_status=status)
    _log(
        match,
        "goal.status_changed",
        actor=actor,
        data={"goal": goal.pk, "title": goal.title, "from": from_status, "to": status, "note": note},
    )
    return goal


@transaction.atomic
def goal_note_add(*, goal: Goal, text: str, author_role: str = Role.COORDINATOR, actor) -> GoalNote:
    """Adds a progress note, by the mentor or the mentee (as themselves) or by the coordinator."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    _lock_goal(goal)
    match = goal.match
    _require_active(match, _("Notes are added while the match is active; this match is “%(status)s”."))
    note = _note(goal, text=text, author_role=author_role, actor=actor)
    _log(
        match,
        "goal.note_added",
        actor=actor,
        data={"goal": goal.pk, "title": goal.title, "note": note.pk, "as": author_role},
    )
    return note


# --- Goal templates -------------------------------------------------------------------------------


def _log_template(template: GoalTemplate, verb: str, *, actor, data: dict[str, Any] | None = None) -> None:
    activity_record(
        actor=actor,
        verb=verb,
        target=template,
        organization=template.program.organization,
        program=template.program,
        data=data or {},
    )


def _template_fields(category: str, title: str, description: str, suggested_steps: str) -> dict[str, str]:
    return {
        "category": category,
        "title": (title or "").strip(),
        "description": (description or "").strip(),
        "suggested_steps": (suggested_steps or "").strip(),
    }


@transaction.atomic
def goal_template_create(
    *, program: Program, category: str, title: str, description: str, suggested_steps: str = "", actor
) -> GoalTemplate:
    template = GoalTemplate(
        program=program, **_template_fields(category, title, description, suggested_steps)
    )
    template.full_clean()
    template.save()
    _log_template(template, "goal_template.created", actor=actor, data={"title": template.title})
    return template


@transaction.atomic
def goal_template_update(
    *,
    template: GoalTemplate,
    category: str,
    title: str,
    description: str,
    suggested_steps: str = "",
    actor,
) -> GoalTemplate:
    """Edits a template. Goals already started from it keep their own texts."""
    template.refresh_from_db(from_queryset=GoalTemplate.objects.select_for_update())
    fields = _template_fields(category, title, description, suggested_steps)
    changed = field_changes(template, fields)
    if not changed:
        return template
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save(update_fields=list(fields))
    _log_template(template, "goal_template.updated", actor=actor, data={"changed": changed})
    return template


@transaction.atomic
def goal_template_set_active(*, template: GoalTemplate, is_active: bool, actor) -> GoalTemplate:
    """Stops offering a template for new goals, or offers it again. Templates are never deleted,
    because goals remember which template they started from."""
    template.refresh_from_db(from_queryset=GoalTemplate.objects.select_for_update())
    if template.is_active == is_active:
        raise ValidationError(
            _("This template is already offered.")
            if is_active
            else _("This template is already not offered.")
        )
    template.is_active = is_active
    template.save(update_fields=["is_active"])
    _log_template(
        template, "goal_template.reactivated" if is_active else "goal_template.deactivated", actor=actor
    )
    return template
