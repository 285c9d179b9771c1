"""Meetings of a one-to-one match or of a circle, logged after they happened.

A meeting is logged for an active match, or for an active circle or a peer group: a forming
circle has not met yet, and a closed one or an ended match has no more meetings to log. The
mentoring hours reported to funders are summed from these rows (`Meeting.objects`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.activity import activity_record

from .models import Circle, CircleMembership, Match, Meeting

CIRCLE_MEETING_STATUSES = (Circle.Status.ACTIVE, Circle.Status.PEER_GROUP)


def circle_takes_meetings(circle: Circle) -> bool:
    return circle.status in CIRCLE_MEETING_STATUSES


def _check_circle(circle: Circle, attendees: list[CircleMembership]) -> None:
    circle.refresh_from_db(from_queryset=Circle.objects.select_for_update())
    if not circle_takes_meetings(circle):
        raise ValidationError(
            _("Meetings are logged for active circles and peer groups; this circle is “%(status)s”.")
            % {"status": circle.get_status_display()}
        )
    current = set(circle.memberships.filter(left_at__isnull=True).values_list("pk", flat=True))
    if any(member.pk not in current for member in attendees):
        raise ValidationError(
            {"attendees": _("Only the circle's current members can be recorded as attending.")}
        )


def _check_match(match: Match, attendees: list[CircleMembership]) -> None:
    match.refresh_from_db(from_queryset=Match.objects.select_for_update())
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(
            _("Meetings are logged for active matches; this match is “%(status)s”.")
            % {"status": match.get_status_display()}
        )
    if attendees:
        raise ValidationError({"attendees": _("Attendance is recorded for circle meetings only.")})


@transaction.atomic
def meeting_log(
    *,
    match: Match | None = None,
    circle: Circle | None = None,
    occurred_on: datetime.date,
    duration_minutes: int,
    mode: str,
    topics: str,
    next_steps: str = "",
    attendees: Iterable[CircleMembership] = (),
    logged_as: str = Meeting.LoggedAs.COORDINATOR,
    actor,
) -> Meeting:
    """Logs a meeting of a match or of a circle.

    1. Locks the match or the circle and checks that it meets now (active match; active circle
       or peer group), and that the attendees are the circle's current members.
    2. Validates the meeting (a past or today's date, 1 to 600 minutes) and saves it.
    3. Records `meeting.logged` on the match or the circle, for its timeline.
    """
    if (match is None) == (circle is None):
        raise ValidationError(_("A meeting belongs to either a match or a circle."))
    attendees = list(attendees)
    if circle is not None:
        _check_circle(circle, attendees)
    else:
        _check_match(match, attendees)
    meeting = Meeting(
        match=match,
        circle=circle,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        mode=mode,
        topics=(topics or "").strip(),
        next_steps=(next_steps or "").strip(),
        logged_by=actor if actor is not None and actor.is_authenticated else None,
        logged_as=logged_as,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    group = circle if circle is not None else match
    activity_record(
        actor=actor,
        verb="meeting.logged",
        target=group,
        organization=group.program.organization,
        program=group.program,
        data={
            "meeting": meeting.pk,
            "occurred_on": meeting.occurred_on,
            "duration_minutes": meeting.duration_minutes,
            "mode": meeting.mode,
            "logged_as": meeting.logged_as,
            "attendees": len(attendees),
        },
    )
    return meeting
