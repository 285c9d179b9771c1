"""Coordinator check-ins with active matches, on the program's schedule.

The schedule is arithmetic on the match's start date: the first check-in `first_after_days`
after it, then one every `then_every_days` until the planned end. The dates are computed here
and nowhere else; the check-in page and the at-risk list both ask `checkins_due_for`.

A later check-in covers the dates before it: a coordinator who missed a date catches up with
one check-in, not with one per missed date. A date is missed (overdue) once it is
`unanswered_after_days` old and no check-in (recorded or without reply) is on or after it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.activity import activity_record, logged_update
from programs.models import Program

from .models import CheckIn, CheckInSchedule, Match

# A schedule never runs longer than this many dates, whatever the planned end says.
MAX_SCHEDULED_CHECKINS = 60
HANDLED_STATUSES = (CheckIn.Status.DONE, CheckIn.Status.UNANSWERED)


def schedule_dates(
    *,
    started_on: datetime.date | None,
    planned_end_on: datetime.date | None,
    schedule: CheckInSchedule,
    today: datetime.date,
) -> list[datetime.date]:
    """The check-in dates from the start to the planned end, both included. Without a planned
    end, the dates run to the first one after `today`, so that the next one is always known."""
    if started_on is None:
        return []
    dates = []
    due_on = started_on + datetime.timedelta(days=schedule.first_after_days)
    step = datetime.timedelta(days=schedule.then_every_days)
    while len(dates) < MAX_SCHEDULED_CHECKINS:
        if planned_end_on is not None and due_on > planned_end_on:
            break
        dates.append(due_on)
        if planned_end_on is None and due_on > today:
            break
        due_on += step
    return dates


def checkins_due_for(
    match: Match, *, today: datetime.date | None = None, schedule: CheckInSchedule | None = None
) -> list[datetime.date]:
    """The match's check-in dates on its program's schedule."""
    return schedule_dates(
        started_on=match.started_on,
        planned_end_on=match.planned_end_on,
        schedule=schedule or CheckInSchedule.for_program(match.program),
        today=today or timezone.localdate(),
    )


def missed_checkin_dates(
    dates: list[datetime.date],
    *,
    last_handled_on: datetime.date | None,
    today: datetime.date,
    schedule: CheckInSchedule,
) -> list[datetime.date]:
    """The dates at least `unanswered_after_days` old with no check-in on or after them."""
    grace = datetime.timedelta(days=schedule.unanswered_after_days)
    return [
        due_on
        for due_on in dates
        if due_on + grace <= today and (last_handled_on is None or due_on > last_handled_on)
    ]


def next_checkin_date(
    dates: list[datetime.date], *, last_handled_on: datetime.date | None, today: datetime.date
) -> datetime.date:
    """The date the next check-in answers for: the latest date already passed and not covered
    (which covers any missed before it), else the next one to come, else today."""
    open_dates = [d for d in dates if last_handled_on is None or d > last_handled_on]
    passed = [d for d in open_dates if d <= today]
    if passed:
        return passed[-1]
    return open_dates[0] if open_dates else today


# --- Writes --------------------------------------------------------------------------------------


@transaction.atomic
def checkin_schedule_update(
    *,
    program: Program,
    first_after_days: int,
    then_every_days: int,
    at_risk_no_meeting_days: int,
    low_satisfaction_at_most: int,
    unanswered_after_days: int,
    actor,
) -> CheckInSchedule:
    """Saves the program's schedule and logs `checkin_schedule.updated` with what changed
    (nothing is written when nothing changes, not even a row with the defaults)."""
    schedule = CheckInSchedule.objects.select_for_update().filter(program=program).first()
    schedule = schedule or CheckInSchedule(program=program)
    logged_update(
        schedule,
        fields={
            "first_after_days": first_after_days,
            "then_every_days": then_every_days,
            "at_risk_no_meeting_days": at_risk_no_meeting_days,
            "low_satisfaction_at_most": low_satisfaction_at_most,
            "unanswered_after_days": unanswered_after_days,
        },
        actor=actor,
        verb="checkin_schedule.updated",
        organization=program.organization,
        program=program,
    )
    return schedule


def _lock_checkin(match: Match, due_on: datetime.date) -> CheckIn:
    """Locks the match, checks it takes check-ins, and returns the row for the date (new or not)."""
    match.refresh_from_db(from_queryset=Match.objects.select_for_update())
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(
            _("Check-ins are for active matches; this match is “%(status)s”.")
            % {"status": match.get_status_display()}
        )
    if due_on is None or due_on < match.started_on:
        raise ValidationError({"due_on": _("A check-in cannot be dated before the match started.")})
    # The coordinator's own row for the date; the mentee's and mentor's portal answers stand beside it.
    checkin = match.checkins.select_for_update().filter(due_on=due_on, answered_by_side="").first()
    if checkin is not None and checkin.status == CheckIn.Status.DONE:
        raise ValidationError(
            {"due_on": _("A check-in is already recorded for %(date)s.") % {"date": due_on}}
        )
    return checkin or CheckIn(match=match, due_on=due_on)


@transaction.atomic
def checkin_record(
    *,
    match: Match,
    due_on: datetime.date,
    with_whom: str,
    how_it_is_going: str,
    concerns: str = "",
    satisfaction: int | None = None,
    follow_up_actions: str = "",
    actor,
) -> CheckIn:
    """Records a check-in with an active match.

    1. Locks the match and checks it is active and the date is not before its start.
    2. Takes the row for the date: one marked without reply becomes done; one already done is
       refused.
    3. Saves what the coordinator heard, with the time and who recorded it.
    4. Records `checkin.recorded` on the match, for its timeline.
    """
    checkin = _lock_checkin(match, due_on)
    if not (how_it_is_going or "").strip():
        raise ValidationError({"how_it_is_going": _("Say in a few words how it is going.")})
    checkin.status = CheckIn.Status.DONE
    checkin.with_whom = with_whom
    checkin.how_it_is_going = how_it_is_going.strip()
    checkin.concerns = (concerns or "").strip()
    checkin.satisfaction = satisfaction
    checkin.follow_up_actions = (follow_up_actions or "").strip()
    checkin.follow_up_done = False
    checkin.done_at = timezone.now()
    checkin.done_by = actor if actor is not None and actor.is_authenticated else None
    checkin.full_clean()
    checkin.save()
    activity_record(
        actor=actor,
        verb="checkin.recorded",
        target=match,
        organization=match.program.organization,
        program=match.program,
        data={
            "checkin": checkin.pk,
            "due_on": checkin.due_on,
            "with_whom": checkin.with_whom,
            "satisfaction": checkin.satisfaction,
        },
    )
    return checkin


@transaction.atomic
def checkin_mark_unanswered(*, match: Match, due_on: datetime.date, with_whom: str, actor) -> CheckIn:
    """Notes that the coordinator reached out for the date and nobody replied.

    The date then counts as handled (it is no longer overdue) but the match shows as at risk
    until a later check-in is recorded, or this one is when the reply comes.
    """
    checkin = _lock_checkin(match, due_on)
    if checkin.status == CheckIn.Status.UNANSWERED:
        raise ValidationError(
            {"due_on": _("The check-in of %(date)s is already marked without reply.") % {"date": due_on}}
        )
    checkin.status = CheckIn.Status.UNANSWERED
    checkin.with_whom = with_whom
    checkin.done_at = timezone.now()
    checkin.done_by = actor if actor is not None and actor.is_authenticated else None
    checkin.full_clean()
    checkin.save()
    activity_record(
        actor=actor,
        verb="checkin.unanswered",
        target=match,
        organization=match.program.organization,
        program=match.program,
        data={"checkin": checkin.pk, "due_on": checkin.due_on, "with_whom": checkin.with_whom},
    )
    return checkin


@transaction.atomic
def checkin_follow_up_done(*, checkin: CheckIn, actor) -> CheckIn:
    """Ticks off the follow-up actions of a recorded check-in."""
    checkin.refresh_from_db(from_queryset=CheckIn.objects.select_for_update())
    if checkin.status != CheckIn.Status.DONE or not checkin.follow_up_actions:
        raise ValidationError(_("This check-in has no follow-up actions to tick off."))
    if checkin.follow_up_done:
        raise ValidationError(_("The follow-up of this check-in is already done."))
    checkin.follow_up_done = True
    checkin.save(update_fields=["follow_up_done"])
    match = checkin.match
    activity_record(
        actor=actor,
        verb="checkin.follow_up_done",
        target=match,
        organization=match.program.organization,
        program=match.program,
        data={"checkin": checkin.pk, "due_on": checkin.due_on},
    )
    return checkin


# --- A participant's own answer in the portal ----------------------------------------------------


def participant_checkin_date(
    match: Match, *, today: datetime.date | None = None, schedule: CheckInSchedule | None = None
) -> datetime.date | None:
    """The schedule date a mentee's or mentor's answer in the portal is for: the latest date on
    or before today, so that one answer covers the time until the next date. None before the
    first date. The coordinator's own check-ins keep their dates (`next_checkin_date`)."""
    today = today or timezone.localdate()
    passed = [due_on for due_on in checkins_due_for(match, today=today, schedule=schedule) if due_on <= today]
    return passed[-1] if passed else None


@transaction.atomic
def checkin_participant_answer(
    *,
    match: Match,
    side: str,
    how_it_is_going: str,
    satisfaction: int,
    concerns: str = "",
    actor,
    today: datetime.date | None = None,
) -> CheckIn:
    """Records a mentee's or mentor's own answer to "how is it going?", given in the portal.

    1. Locks the match and checks that it is active and that a check-in date has come.
    2. Refuses a second answer from the same side for the same date: answers are kept as given.
    3. Saves the answer as a done check-in of its own, beside any coordinator's check-in of the
       date, so that the at-risk list and the dashboard count it (a low satisfaction flags the
       match) and the coordinator reads it on the match's Check-ins tab.
    4. Records `checkin.answered` on the match.
    """
    if side not in (CheckIn.WithWhom.MENTEE, CheckIn.WithWhom.MENTOR):
        raise ValidationError(_("Only the mentee or the mentor answers a check-in in the portal."))
    match.refresh_from_db(from_queryset=Match.objects.select_for_update())
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(_("Check-ins are for mentoring that is under way."))
    due_on = participant_checkin_date(match, today=today)
    if due_on is None:
        raise ValidationError(_("Your first check-in has not come yet."))
    if match.checkins.filter(due_on=due_on, answered_by_side=side).exists():
        raise ValidationError(_("You have already answered this check-in. Thank you!"))
    if not (how_it_is_going or "").strip():
        raise ValidationError({"how_it_is_going": _("Please say in a few words how it is going.")})
    checkin = CheckIn(
        match=match,
        due_on=due_on,
        status=CheckIn.Status.DONE,
        with_whom=side,
        answered_by_side=side,
        how_it_is_going=how_it_is_going.strip(),
        concerns=(concerns or "").strip(),
        satisfaction=satisfaction,
        done_at=timezone.now(),
        done_by=actor if actor is not None and actor.is_authenticated else None,
    )
    checkin.full_clean()
    checkin.save()
    activity_record(
        actor=actor,
        verb="checkin.answered",
        target=match,
        organization=match.program.organization,
        program=match.program,
        data={"checkin": checkin.pk, "due_on": checkin.due_on, "side": side, "satisfaction": satisfaction},
    )
    return checkin
