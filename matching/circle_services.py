"""Group mentoring circles: one or two mentors with several mentees.

A circle forms, starts once it has its mentors and mentees, and, when its last mentor leaves,
carries on as a peer group until it is closed. Members keep their pipeline status: a circle
complements one-to-one matching rather than replacing it. Each service is atomic and writes
its activity entries on the circle and on the member's person.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participation
from programs.activity import activity_record
from programs.models import Program

from .models import Circle, CircleMembership
from .services import MENTOR_MATCHABLE

MAX_MENTORS = 2
MIN_MENTEES_TO_START = 2
C = Circle.Status


def _log(circle: Circle, verb: str, *, actor, data: dict, person=None) -> None:
    for target in (circle, person) if person is not None else (circle,):
        activity_record(
            actor=actor,
            verb=verb,
            target=target,
            organization=circle.program.organization,
            program=circle.program,
            data={"circle": circle.pk, **data} if target is not circle else data,
        )


def _lock(circle: Circle) -> None:
    circle.refresh_from_db(from_queryset=Circle.objects.select_for_update())


def _current(circle: Circle, role: str):
    return circle.memberships.filter(role=role, left_at__isnull=True)


@transaction.atomic
def circle_create(*, program: Program, name: str, focus: str = "", actor) -> Circle:
    circle = Circle(
        program=program,
        name=(name or "").strip(),
        focus=(focus or "").strip(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    circle.full_clean()
    circle.save()
    _log(circle, "circle.created", actor=actor, data={"name": circle.name, "focus": circle.focus})
    return circle


@transaction.atomic
def circle_add_member(*, circle: Circle, participation: Participation, actor) -> CircleMembership:
    """Adds a mentor or a mentee, in the role they have in the program.

    Mentees come from the circle's program. Mentors may also come from another program of the
    organization when both programs share mentors. A circle has at most two mentors; a peer
    group that gains a mentor becomes an active circle again.
    """
    _lock(circle)
    name = participation.person.full_name
    if circle.status == C.CLOSED:
        raise ValidationError(_("A closed circle takes no new members."))
    program = circle.program
    same_program = participation.program_id == program.pk
    shared = (
        participation.role == Participation.Role.MENTOR
        and participation.program.organization_id == program.organization_id
        and participation.program.shares_mentors
        and program.shares_mentors
    )
    if not (same_program or shared):
        raise ValidationError(
            _("%(name)s is not a participant of %(program)s.") % {"name": name, "program": program}
        )
    if participation.status not in MENTOR_MATCHABLE:
        raise ValidationError(
            _("%(name)s is not ready to match (%(status)s).")
            % {"name": name, "status": participation.get_status_display()}
        )
    if circle.memberships.filter(participation=participation, left_at__isnull=True).exists():
        raise ValidationError(_("%(name)s is already in the circle.") % {"name": name})
    role = participation.role
    if role == Participation.Role.MENTOR and _current(circle, role).count() >= MAX_MENTORS:
        raise ValidationError(_("A circle has at most two mentors."))
    membership = CircleMembership(circle=circle, participation=participation, role=role)
    membership.full_clean()
    membership.save()
    if role == Participation.Role.MENTOR and circle.status == C.PEER_GROUP:
        circle.status = C.ACTIVE
        circle.save(update_fields=["status"])
    _log(
        circle,
        "circle.member_added",
        actor=actor,
        person=participation.person,
        data={"name": name, "role": role, "participation": participation.pk, "circle_status": circle.status},
    )
    return membership


@transaction.atomic
def circle_start(*, circle: Circle, actor, started_on: datetime.date | None = None) -> Circle:
    """Starts a forming circle, which needs one or two mentors and at least two mentees. The
    planned end follows the program's standard match length."""
    _lock(circle)
    if circle.status != C.FORMING:
        raise ValidationError(_("Only a forming circle can start."))
    mentors = _current(circle, CircleMembership.Role.MENTOR).count()
    if not 1 <= mentors <= MAX_MENTORS:
        raise ValidationError(_("A circle needs one or two mentors to start."))
    if _current(circle, CircleMembership.Role.MENTEE).count() < MIN_MENTEES_TO_START:
        raise ValidationError(_("A circle needs at least two mentees to start."))
    circle.status = C.ACTIVE
    circle.started_on = started_on or timezone.localdate()
    circle.planned_end_on = circle.started_on + datetime.timedelta(weeks=circle.program.match_length_weeks)
    circle.full_clean()
    circle.save(update_fields=["status", "started_on", "planned_end_on"])
    _log(
        circle,
        "circle.started",
        actor=actor,
        data={"started_on": circle.started_on, "planned_end_on": circle.planned_end_on},
    )
    return circle


@transaction.atomic
def circle_member_leave(*, membership: CircleMembership, actor, reason: str = "") -> CircleMembership:
    """Records that a member left. When the last mentor leaves an active circle, its mentees
    stay together as a peer group."""
    circle = membership.circle
    _lock(circle)
    membership.refresh_from_db(fields=["left_at"])
    if membership.left_at is not None:
        raise ValidationError(_("This member has already left the circle."))
    membership.left_at = timezone.now()
    membership.full_clean()
    membership.save(update_fields=["left_at"])
    if (
        membership.role == CircleMembership.Role.MENTOR
        and circle.status == C.ACTIVE
        and not _current(circle, CircleMembership.Role.MENTOR).exists()
    ):
        circle.status = C.PEER_GROUP
        circle.save(update_fields=["status"])
    _log(
        circle,
        "circle.member_left",
        actor=actor,
        person=membership.participation.person,
        data={
            "name": membership.participation.person.full_name,
            "role": membership.role,
            "reason": (reason or "").strip(),
            "circle_status": circle.status,
        },
    )
    return membership


@transaction.atomic
def circle_close(*, circle: Circle, actor, reason: str = "") -> Circle:
    """Closes the circle (or the peer group); the members still in it leave with it."""
    _lock(circle)
    if circle.status == C.CLOSED:
        raise ValidationError(_("The circle is already closed."))
    now = timezone.now()
    left = circle.memberships.filter(left_at__isnull=True).update(left_at=now)
    circle.status = C.CLOSED
    circle.ended_on = timezone.localdate(now)
    circle.full_clean()
    circle.save(update_fields=["status", "ended_on"])
    _log(circle, "circle.closed", actor=actor, data={"reason": (reason or "").strip(), "members": left})
    return circle
