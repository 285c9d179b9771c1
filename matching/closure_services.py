"""Closing a match with its outcomes, the closing surveys of both sides, and the employment
follow-ups 3 and 6 months after the end.

Ending the match itself (statuses, the people going back to the pool or completing, "do not
match" for a failed pair) stays with `services.match_complete` and `services.match_close_early`;
this module records what a funder and the next coordinator want to know about how it ended.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ClosingSurvey, Closure, EmploymentStatus, FollowUp, Match
from .services import match_close_early, match_complete, match_log

ENDED = (Match.Status.COMPLETED, Match.Status.CLOSED_EARLY)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 3 → 30 Nov)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def match_close(
    *,
    match: Match,
    early: bool,
    reason: str,
    note: str = "",
    mentee_returns_to_pool: bool = False,
    mentor_available_again: bool = True,
    do_not_match_again: bool = False,
    goal_outcomes: Mapping[int, str] | None = None,
    actor,
) -> Closure:
    """Ends an active match and records how it ended.

    1. Each goal of the match takes its final status from `goal_outcomes` (goal id → status).
    2. The match completes, or closes early (the mentee back in the pool if asked, the pair
       marked "do not match" if asked).
    3. The closure is saved, and the mentee's employment follow-ups are scheduled 3 and 6
       months after the end.
    """
    note = (note or "").strip()
    if reason not in Closure.Reason.values:
        raise ValidationError({"reason": _("Choose why the match ended.")})
    if early and not note:
        raise ValidationError({"note": _("Say what happened; it stays in the match's record.")})
    if do_not_match_again and not early:
        raise ValidationError(
            {"do_not_match_again": _("Only a match that ended early is marked not to be repeated.")}
        )
    _apply_goal_outcomes(match, goal_outcomes or {}, actor=actor)
    if early:
        match_close_early(
            match=match,
            reason=note,
            actor=actor,
            mentee_returns_to_pool=mentee_returns_to_pool,
            mentor_available_again=mentor_available_again,
            do_not_match=do_not_match_again,
        )
    else:
        match_complete(match=match, actor=actor, note=note, mentor_available_again=mentor_available_again)
    closure = Closure(
        match=match,
        early=early,
        reason=reason,
        note=note,
        do_not_match_again=do_not_match_again,
        closed_by=actor if actor is not None and actor.is_authenticated else None,
    )
    closure.full_clean()
    closure.save()
    for months in FollowUp.MONTHS:
        FollowUp.objects.create(match=match, months_after=months, due_on=add_months(match.ended_on, months))
    match_log(
        match,
        "match.closure_recorded",
        actor=actor,
        data={"reason": closure.reason, "early": early, "goal_outcomes": len(goal_outcomes or {})},
    )
    return closure


def _apply_goal_outcomes(match: Match, outcomes: Mapping[int, str], *, actor) -> None:
    if not outcomes:
        return
    from . import goal_services
    from .models import Goal

    goals = {goal.pk: goal for goal in Goal.objects.filter(match=match, pk__in=list(outcomes))}
    if set(goals) != set(outcomes):
        raise ValidationError(_("A goal given for the closure does not belong to this match."))
    for goal_id, status in outcomes.items():
        if goals[goal_id].status != status:
            goal_services.goal_set_status(
                goal=goals[goal_id], status=status, note=_("Outcome at the end of the match."), actor=actor
            )


@transaction.atomic
def closing_survey_record(
    *,
    match: Match,
    side: str,
    satisfaction: int,
    would_take_part_again: str,
    employment_status: str = "",
    comments: str = "",
    by_coordinator: bool,
    actor,
) -> ClosingSurvey:
    """One side's closing survey, once the match has ended; each side answers once."""
    if match.status not in ENDED:
        raise ValidationError(_("The closing survey is for matches that have ended."))
    if side == ClosingSurvey.Side.MENTOR:
        employment_status = ""
    survey = ClosingSurvey(
        match=match,
        side=side,
        satisfaction=satisfaction,
        would_take_part_again=would_take_part_again,
        employment_status=employment_status,
        comments=(comments or "").strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        by_coordinator=by_coordinator,
    )
    survey.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:
        raise ValidationError(
            _("The %(side)s's closing survey is already recorded.")
            % {"side": survey.get_side_display().lower()}
        ) from None
    match_log(
        match,
        "match.closing_survey_recorded",
        actor=actor,
        data={"side": side, "satisfaction": satisfaction, "by_coordinator": by_coordinator},
    )
    return survey


@transaction.atomic
def follow_up_record(
    *, follow_up: FollowUp, employment_status: str, still_in_region: bool | None, notes: str = "", actor
) -> FollowUp:
    """What the mentee said at a follow-up. Recording it again corrects the answer."""
    follow_up.refresh_from_db(from_queryset=FollowUp.objects.select_for_update())
    if employment_status not in EmploymentStatus.values:
        raise ValidationError({"employment_status": _("Choose where the mentee stands with work.")})
    follow_up.status = FollowUp.Status.DONE
    follow_up.employment_status = employment_status
    follow_up.still_in_region = still_in_region
    follow_up.notes = (notes or "").strip()
    follow_up.recorded_at = timezone.now()
    follow_up.recorded_by = actor if actor is not None and actor.is_authenticated else None
    follow_up.full_clean()
    follow_up.save()
    match_log(
        follow_up.match,
        "match.follow_up_recorded",
        actor=actor,
        data={
            "months_after": follow_up.months_after,
            "employment_status": employment_status,
            "still_in_region": still_in_region,
        },
    )
    return follow_up


@transaction.atomic
def follow_up_no_answer(*, follow_up: FollowUp, actor) -> FollowUp:
    """The mentee could not be reached for this follow-up."""
    follow_up.refresh_from_db(from_queryset=FollowUp.objects.select_for_update())
    if follow_up.status == FollowUp.Status.DONE:
        raise ValidationError(_("This follow-up already has an answer."))
    follow_up.status = FollowUp.Status.NO_ANSWER
    follow_up.recorded_at = timezone.now()
    follow_up.recorded_by = actor if actor is not None and actor.is_authenticated else None
    follow_up.save(update_fields=["status", "recorded_at", "recorded_by"])
    match_log(
        follow_up.match,
        "match.follow_up_no_answer",
        actor=actor,
        data={"months_after": follow_up.months_after},
    )
    return follow_up
