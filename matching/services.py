"""Matches, from the proposal to their end; cohort assignment runs; pairs not to match.

Every service is atomic, locks the match it changes, checks the move against
`MATCH_TRANSITIONS` (the one place that says which status may follow which), validates with
`full_clean()` before saving, and writes its activity entries on the match and on the mentee's
person, so that both timelines tell the story. Emails leave from Celery tasks once the
transaction has committed.

Participations move to "matched" only when a match starts (both sides accepted). Before that a
proposal or an introduction holds the mentee through the one-open-match rule, and the mentor
through their capacity, so a decline has nothing to undo in the pipeline.

The scores and their breakdowns come from the scoring engine (`scoring.py`); these services
take them as given.
"""

from __future__ import annotations

import datetime
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Participation, Person
from participants.pipeline import apply_status
from programs.activity import activity_record
from programs.models import Program

from .models import OPEN_MATCH_STATUSES, AssignmentRun, DoNotMatch, Match
from .selectors import mentor_remaining_capacity

S = Participation.Status
M = Match.Status
MENTEE, MENTOR = "mentee", "mentor"

# Where a match may go from each status. Declined, cancelled, completed and closed early are ends.
MATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    M.PROPOSED: frozenset({M.INTRODUCED, M.CANCELLED}),
    M.INTRODUCED: frozenset({M.ACTIVE, M.DECLINED}),
    M.ACTIVE: frozenset({M.COMPLETED, M.CLOSED_EARLY}),
}

_MATCH_REFUSALS = {
    M.INTRODUCED: gettext_lazy("A match that is “%(status)s” cannot be introduced."),
    M.CANCELLED: gettext_lazy("A match that is “%(status)s” cannot be cancelled; only proposals can."),
    M.ACTIVE: gettext_lazy("A match that is “%(status)s” cannot start."),
    M.DECLINED: gettext_lazy("A match that is “%(status)s” cannot be declined."),
    M.COMPLETED: gettext_lazy("A match that is “%(status)s” cannot be completed; only an active one can."),
    M.CLOSED_EARLY: gettext_lazy(
        "A match that is “%(status)s” cannot be closed early; only an active one can."
    ),
}

# A mentor who already mentors someone may take another mentee while capacity remains.
MENTOR_MATCHABLE = (S.READY_TO_MATCH, S.MATCHED)


def can_move_match(from_status: str, to_status: str) -> bool:
    return to_status in MATCH_TRANSITIONS.get(from_status, frozenset())


def _lock_and_check(match: Match, to_status: str) -> None:
    """Reloads the match under a row lock (so two clicks cannot both act) and checks the move."""
    match.refresh_from_db(from_queryset=Match.objects.select_for_update())
    if not can_move_match(match.status, to_status):
        raise ValidationError(str(_MATCH_REFUSALS[to_status]) % {"status": M(match.status).label})


def match_log(match: Match, verb: str, *, actor, data: dict[str, Any] | None = None) -> None:
    """On the match and on the mentee's person, so that both timelines tell the story."""
    data = data or {}
    for target in (match, match.mentee.person):
        activity_record(
            actor=actor,
            verb=verb,
            target=target,
            organization=match.program.organization,
            program=match.program,
            data={"match": match.pk, **data} if target is not match else data,
        )


def _move_participation(
    participation: Participation, to_status: str, *, actor, match: Match, reason: str
) -> None:
    from_status = apply_status(participation, to_status, reason=reason)
    activity_record(
        actor=actor,
        verb="participation.status_changed",
        target=participation,
        organization=participation.program.organization,
        program=participation.program,
        data={"from": from_status, "to": to_status, "match": match.pk},
    )


def _jsonable(value: Any) -> Any:
    """Scores and breakdowns as JSON can store them: lazy labels as text, decimals as numbers."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, bool | str | None):
        return value
    if isinstance(value, Decimal):
        return float(value)
    # NumPy's numbers, from the scoring engine, register as numbers.
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def _score(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _require(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


# --- The rules every pair must meet ----------------------------------------------------------------


def match_refusals(
    *, mentee: Participation, mentor: Participation, for_introduction: bool = False
) -> list[str]:
    """Why this pair cannot be matched now, in plain words; empty when it can.

    The hard rules: a mentee and a mentor, two people of the same organization, the same
    program or two programs that both share mentors, both ready to match (a mentor may already
    be mentoring), not marked "do not match", no other open match for the mentee, and room left
    in the mentor's capacity. An introduction checks again what may have changed since the
    proposal (readiness and "do not match"); the proposal itself holds the rest.
    """
    names = {"mentee": mentee.person.full_name, "mentor": mentor.person.full_name}
    if mentee.role != Participation.Role.MENTEE:
        return [_("%(mentee)s is not a mentee.") % names]
    if mentor.role != Participation.Role.MENTOR:
        return [_("%(mentor)s is not a mentor.") % names]
    if mentee.person_id == mentor.person_id:
        return [_("A person cannot be their own mentor.")]
    if mentee.program.organization_id != mentor.program.organization_id:
        return [_("%(mentor)s belongs to another organization.") % names]
    refusals = []
    if mentor.program_id != mentee.program_id and not (
        mentee.program.shares_mentors and mentor.program.shares_mentors
    ):
        refusals.append(
            _(
                "%(mentor)s is a mentor in %(program)s. Mentors are shared only between programs "
                "that both opted in to sharing mentors."
            )
            % {**names, "program": mentor.program.name}
        )
    if mentee.status != S.READY_TO_MATCH:
        refusals.append(
            _("%(name)s is not ready to match (%(status)s).")
            % {"name": names["mentee"], "status": mentee.get_status_display()}
        )
    if mentor.status not in MENTOR_MATCHABLE:
        refusals.append(
            _("%(name)s is not ready to match (%(status)s).")
            % {"name": names["mentor"], "status": mentor.get_status_display()}
        )
    marked = DoNotMatch.objects.filter(mentee_id=mentee.person_id, mentor_id=mentor.person_id).first()
    if marked is not None:
        refusals.append(
            _("%(mentee)s and %(mentor)s are marked not to be matched: %(reason)s.")
            % {**names, "reason": marked.get_kind_display().lower()}
        )
    if for_introduction:
        return refusals
    if Match.objects.filter(mentee=mentee, status__in=OPEN_MATCH_STATUSES).exists():
        refusals.append(_("%(mentee)s already has an open match. Cancel or close it first.") % names)
    if mentor_remaining_capacity([mentor]).get(mentor.pk, 0) <= 0:
        refusals.append(_("%(mentor)s has no room for another mentee.") % names)
    return refusals


def override_needed(
    *, program: Program, score: float | Decimal, soft_rules_broken: Sequence[str] = ()
) -> str:
    """Why a reason is required to match this pair (empty when none is): a score below the
    program's threshold, or a soft rule the pair goes against."""
    reasons = []
    if _score(score) < program.min_match_score:
        reasons.append(
            _("This pair scores %(score)s, below the program's lowest score of %(threshold)s.")
            % {"score": _score(score).normalize(), "threshold": program.min_match_score}
        )
    if soft_rules_broken:
        reasons.append(
            _("This pair goes against: %(rules)s.") % {"rules": ", ".join(map(str, soft_rules_broken))}
        )
    return " ".join(reasons)


# --- Proposing, introducing, answering --------------------------------------------------------------


@transaction.atomic
def match_propose(
    *,
    mentee: Participation,
    mentor: Participation,
    score: float | Decimal,
    breakdown: Sequence[Any],
    actor,
    override_reason: str = "",
    soft_rules_broken: Sequence[str] = (),
    assignment_run: AssignmentRun | None = None,
) -> Match:
    """Proposes the pair, as the coordinator chose it or as a cohort assignment suggested it.

    Steps: lock both people (so two proposals cannot both take a mentor's last place); refuse the
    pair when a hard rule says no; when the score is below the program's threshold or the pair
    goes against a soft rule, require a reason and log it as an override; save the proposal.
    """
    _lock_people(mentee, mentor)
    refusals = match_refusals(mentee=mentee, mentor=mentor)
    if refusals:
        raise ValidationError(refusals)
    override = override_needed(program=mentee.program, score=score, soft_rules_broken=soft_rules_broken)
    override_reason = (override_reason or "").strip()
    if override and not override_reason:
        raise ValidationError({"override_reason": f"{override} {_('Give a reason to match them anyway.')}"})
    match = Match(
        program=mentee.program,
        mentee=mentee,
        mentor=mentor,
        score=_score(score),
        breakdown=_jsonable(list(breakdown)),
        proposed_by=actor if actor is not None and actor.is_authenticated else None,
        override_reason=override_reason,
        assignment_run=assignment_run,
    )
    match.full_clean()
    match.save()
    match_log(
        match,
        "match.proposed",
        actor=actor,
        data={
            "score": float(match.score),
            "mentor": mentor.person.full_name,
            "assignment_run": assignment_run.pk if assignment_run else None,
            "requested_mentor": _is_requested(mentee, mentor),
        },
    )
    if override:
        match_log(
            match,
            "match.override",
            actor=actor,
            data={
                "reason": override_reason,
                "score": float(match.score),
                "threshold": mentee.program.min_match_score,
                "soft_rules": [str(rule) for rule in soft_rules_broken],
            },
        )
    return match


def _lock_people(*participations: Participation) -> None:
    """Locks the pair's rows (in id order) and reads their current status: a pair chosen a
    while ago, such as by a cohort assignment, may have moved on since."""
    current = dict(
        Participation.objects.select_for_update()
        .filter(pk__in=[participation.pk for participation in participations])
        .order_by("pk")
        .values_list("pk", "status")
    )
    for participation in participations:
        participation.status = current[participation.pk]


def _is_requested(mentee: Participation, mentor: Participation) -> bool:
    profile = getattr(mentee, "mentee_profile", None)
    email = profile.requested_mentor_email if profile is not None else ""
    return bool(email) and email.lower() == mentor.person.email.lower()


@transaction.atomic
def match_introduce(*, match: Match, actor) -> Match:
    """Introduces the pair: both are emailed and asked to accept or decline."""
    _lock_and_check(match, M.INTRODUCED)
    _lock_people(match.mentee, match.mentor)
    refusals = match_refusals(mentee=match.mentee, mentor=match.mentor, for_introduction=True)
    if refusals:
        raise ValidationError(refusals)
    match.status = M.INTRODUCED
    match.introduced_at = timezone.now()
    match.full_clean()
    match.save(update_fields=["status", "introduced_at"])
    match_log(match, "match.introduced", actor=actor)
    from .tasks import send_match_introduction

    send_match_introduction.delay_on_commit(match.pk)
    return match


@dataclass(frozen=True)
class MatchResponse:
    match: Match
    # Both sides accepted: the match has started.
    activated: bool
    # A side declined: the mentee is back in the pool and the next suggestion may be proposed.
    cascade: bool


@transaction.atomic
def match_respond(*, match: Match, side: str, accepted: bool, reason: str = "", actor) -> MatchResponse:
    """Records one side's answer to an introduction, given in the portal or to the coordinator.

    When both have accepted, the match starts: today, until the program's standard length
    later, and both participations move to "matched". When one declines, the match is declined
    and the pair is marked not to be matched, so that it is never suggested again.
    """
    if side not in (MENTEE, MENTOR):
        raise ValueError(f"side must be {MENTEE!r} or {MENTOR!r}, not {side!r}")
    match.refresh_from_db(from_queryset=Match.objects.select_for_update())
    if match.status != M.INTRODUCED:
        raise ValidationError(
            _("Only an introduced match waits for answers; this one is “%(status)s”.")
            % {"status": match.get_status_display()}
        )
    if getattr(match, f"{side}_response") != Match.Response.PENDING:
        raise ValidationError(
            _("The mentee has already answered.") if side == MENTEE else _("The mentor has already answered.")
        )
    participation = match.mentee if side == MENTEE else match.mentor
    via = "portal" if actor is not None and actor.pk == participation.person.user_id else "coordinator"
    if not accepted:
        reason = _require(reason, "reason", _("Give a reason for declining; it stays in the match's record."))
        match.status = M.DECLINED
        match.decline_reason = reason
    setattr(match, f"{side}_response", Match.Response.ACCEPTED if accepted else Match.Response.DECLINED)
    setattr(match, f"{side}_responded_at", timezone.now())
    match.full_clean()
    match.save(update_fields=["status", "decline_reason", f"{side}_response", f"{side}_responded_at"])
    match_log(
        match,
        "match.accepted" if accepted else "match.declined",
        actor=actor,
        data={"side": side, "via": via} | ({} if accepted else {"reason": reason}),
    )
    if not accepted:
        _do_not_match_ensure(
            mentee=match.mentee.person,
            mentor=match.mentor.person,
            kind=DoNotMatch.Kind.DECLINED,
            note=reason,
            actor=actor,
            program=match.program,
        )
        return MatchResponse(match=match, activated=False, cascade=True)
    activated = match.mentee_response == match.mentor_response == Match.Response.ACCEPTED
    if activated:
        _activate(match, actor=actor)
    return MatchResponse(match=match, activated=activated, cascade=False)


def _activate(match: Match, *, actor) -> None:
    _lock_and_check(match, M.ACTIVE)
    match.status = M.ACTIVE
    match.started_on = timezone.localdate()
    match.planned_end_on = match.started_on + datetime.timedelta(weeks=match.program.match_length_weeks)
    match.full_clean()
    match.save(update_fields=["status", "started_on", "planned_end_on"])
    reason = _("Matched with %(name)s.")
    match.mentor.refresh_from_db(fields=["status"])
    _move_participation(
        match.mentee,
        S.MATCHED,
        actor=actor,
        match=match,
        reason=reason % {"name": match.mentor.person.full_name},
    )
    if match.mentor.status != S.MATCHED:
        _move_participation(
            match.mentor,
            S.MATCHED,
            actor=actor,
            match=match,
            reason=reason % {"name": match.mentee.person.full_name},
        )
    match_log(
        match,
        "match.activated",
        actor=actor,
        data={"started_on": match.started_on, "planned_end_on": match.planned_end_on},
    )
    from .goal_services import agreement_create
    from .tasks import send_match_started

    agreement_create(match=match, actor=actor)  # every started match has its agreement
    send_match_started.delay_on_commit(match.pk)


# --- Ending ---------------------------------------------------------------------------------------


def _release_mentor(match: Match, *, actor, available_again: bool) -> str:
    """After a match ends: the mentor stays "matched" while they mentor someone else, and
    otherwise goes back to the pool, or completes when they will not mentor again."""
    mentor = match.mentor
    mentor.refresh_from_db(fields=["status"])
    still_mentoring = Match.objects.filter(mentor=mentor, status=M.ACTIVE).exclude(pk=match.pk).exists()
    if still_mentoring or mentor.status != S.MATCHED:
        return mentor.status
    to_status = S.READY_TO_MATCH if available_again else S.COMPLETED
    _move_participation(mentor, to_status, actor=actor, match=match, reason=_("A match ended."))
    return to_status


@transaction.atomic
def match_complete(*, match: Match, actor, note: str = "", mentor_available_again: bool = True) -> Match:
    """Records that the mentoring ran its course: the mentee completes the program."""
    _lock_and_check(match, M.COMPLETED)
    match.status = M.COMPLETED
    match.ended_on = timezone.localdate()
    match.end_reason = (note or "").strip()
    match.full_clean()
    match.save(update_fields=["status", "ended_on", "end_reason"])
    _move_participation(
        match.mentee, S.COMPLETED, actor=actor, match=match, reason=_("The match was completed.")
    )
    mentor_status = _release_mentor(match, actor=actor, available_again=mentor_available_again)
    match_log(
        match, "match.completed", actor=actor, data={"note": match.end_reason, "mentor_status": mentor_status}
    )
    return match


@transaction.atomic
def match_close_early(
    *,
    match: Match,
    reason: str,
    actor,
    mentee_returns_to_pool: bool = True,
    mentor_available_again: bool = True,
    do_not_match: bool = False,
) -> Match:
    """Ends an active match before its planned end.

    The mentee goes back to the pool to be matched again, or completes (for example, they
    found work in their field). With `do_not_match`, the pair is never suggested again.
    """
    reason = _require(reason, "reason", _("Give a reason; it stays in the match's record."))
    _lock_and_check(match, M.CLOSED_EARLY)
    match.status = M.CLOSED_EARLY
    match.ended_on = timezone.localdate()
    match.end_reason = reason
    match.full_clean()
    match.save(update_fields=["status", "ended_on", "end_reason"])
    mentee_status = S.READY_TO_MATCH if mentee_returns_to_pool else S.COMPLETED
    _move_participation(match.mentee, mentee_status, actor=actor, match=match, reason=reason)
    mentor_status = _release_mentor(match, actor=actor, available_again=mentor_available_again)
    match_log(
        match,
        "match.closed_early",
        actor=actor,
        data={"reason": reason, "mentee_status": mentee_status, "mentor_status": mentor_status},
    )
    if do_not_match:
        _do_not_match_ensure(
            mentee=match.mentee.person,
            mentor=match.mentor.person,
            kind=DoNotMatch.Kind.PREVIOUS_MATCH_FAILED,
            note=reason,
            actor=actor,
            program=match.program,
        )
    return match


@transaction.atomic
def match_cancel(*, match: Match, actor, reason: str = "") -> Match:
    """Withdraws a proposal before the pair hears of it."""
    return _cancel(match, actor=actor, data={"reason": (reason or "").strip()})


def _cancel(match: Match, *, actor, data: dict[str, Any]) -> Match:
    _lock_and_check(match, M.CANCELLED)
    match.status = M.CANCELLED
    match.full_clean()
    match.save(update_fields=["status"])
    match_log(match, "match.cancelled", actor=actor, data=data)
    return match


# --- Pairs not to match ----------------------------------------------------------------------------


@transaction.atomic
def do_not_match_add(*, mentee: Person, mentor: Person, kind: str, note: str = "", actor) -> DoNotMatch:
    """Marks a pair as never to be suggested or matched, for example a conflict of interest."""
    if DoNotMatch.objects.filter(mentee=mentee, mentor=mentor).exists():
        raise ValidationError(_("These two people are already marked not to be matched."))
    return _do_not_match_ensure(mentee=mentee, mentor=mentor, kind=kind, note=note, actor=actor, program=None)


def _do_not_match_ensure(
    *, mentee: Person, mentor: Person, kind: str, note: str, actor, program: Program | None
) -> DoNotMatch:
    """The pair's mark, created (and logged) unless it already exists: the first reason stays."""
    existing = DoNotMatch.objects.filter(mentee=mentee, mentor=mentor).first()
    if existing is not None:
        return existing
    mark = DoNotMatch(
        organization_id=mentee.organization_id,
        mentee=mentee,
        mentor=mentor,
        kind=kind,
        note=(note or "").strip(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    mark.full_clean()
    mark.save()
    activity_record(
        actor=actor,
        verb="do_not_match.added",
        target=mentee,
        organization=mentee.organization,
        program=program,
        data={"mentor": mentor.full_name, "mentor_person": mentor.pk, "kind": kind, "note": mark.note},
    )
    return mark


# --- Cohort assignment --------------------------------------------------------------------------


@transaction.atomic
def assignment_run_create(
    *,
    program: Program,
    pairs_with_scores: Iterable[tuple[Participation, Participation, float | Decimal, Sequence[Any]]],
    totals: Mapping[str, Any],
    actor,
    min_score: int | None = None,
    override_reason: str = "",
) -> AssignmentRun:
    """Saves a cohort assignment as a draft: each (mentee, mentor, score, breakdown) becomes a
    proposal for the coordinator to review, change and publish. `totals` describes the optimal
    and the greedy assignment the engine compared. `override_reason` is needed only when the
    run went below the program's lowest score."""
    if AssignmentRun.objects.filter(program=program, status=AssignmentRun.Status.DRAFT).exists():
        raise ValidationError(
            _("This program already has a draft cohort assignment. Publish or discard it first.")
        )
    run = AssignmentRun(
        program=program,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        min_score=program.min_match_score if min_score is None else min_score,
        totals=_jsonable(dict(totals)),
    )
    run.full_clean()
    run.save()
    count = 0
    for mentee, mentor, score, breakdown in pairs_with_scores:
        if mentee.program_id != program.id:
            raise ValidationError(
                _("%(name)s is not a mentee of this program.") % {"name": mentee.person.full_name}
            )
        try:
            match_propose(
                mentee=mentee,
                mentor=mentor,
                score=score,
                breakdown=breakdown,
                actor=actor,
                override_reason=override_reason,
                assignment_run=run,
            )
        except ValidationError as error:
            raise _about_pair(error, mentee, mentor) from error
        count += 1
    activity_record(
        actor=actor,
        verb="assignment_run.created",
        target=run,
        organization=program.organization,
        program=program,
        data={"proposals": count, "min_score": run.min_score, "totals": run.totals},
    )
    return run


def _about_pair(error: ValidationError, mentee: Participation, mentor: Participation) -> ValidationError:
    """The error of one pair among many, saying which pair it is about."""
    pair = _("%(mentee)s with %(mentor)s:") % {
        "mentee": mentee.person.full_name,
        "mentor": mentor.person.full_name,
    }
    return ValidationError([f"{pair} {message}" for message in error.messages])


def _lock_draft(run: AssignmentRun, action: str) -> None:
    run.refresh_from_db(from_queryset=AssignmentRun.objects.select_for_update())
    if run.status != AssignmentRun.Status.DRAFT:
        raise ValidationError(
            {
                "publish": _("Only a draft can be published; this one is “%(status)s”."),
                "discard": _("Only a draft can be discarded; this one is “%(status)s”."),
            }[action]
            % {"status": run.get_status_display()}
        )


@transaction.atomic
def assignment_run_publish(*, run: AssignmentRun, actor) -> AssignmentRun:
    """Introduces every proposal of the draft at once; each pair gets its introduction email."""
    _lock_draft(run, "publish")
    proposals = list(
        run.matches.filter(status=M.PROPOSED)
        .select_related("mentee__person", "mentor__person")
        .order_by("id")
    )
    if not proposals:
        raise ValidationError(_("The draft has no proposals left to publish."))
    for match in proposals:
        try:
            match_introduce(match=match, actor=actor)
        except ValidationError as error:
            raise _about_pair(error, match.mentee, match.mentor) from error
    run.status = AssignmentRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.full_clean()
    run.save(update_fields=["status", "published_at"])
    activity_record(
        actor=actor,
        verb="assignment_run.published",
        target=run,
        organization=run.program.organization,
        program=run.program,
        data={"introduced": len(proposals)},
    )
    return run


@transaction.atomic
def assignment_run_discard(*, run: AssignmentRun, actor) -> AssignmentRun:
    """Drops the draft: its proposals are cancelled and their mentees free again."""
    _lock_draft(run, "discard")
    proposals = list(run.matches.filter(status=M.PROPOSED).order_by("id"))
    for match in proposals:
        _cancel(match, actor=actor, data={"assignment_run_discarded": run.pk})
    run.status = AssignmentRun.Status.DISCARDED
    run.full_clean()
    run.save(update_fields=["status"])
    activity_record(
        actor=actor,
        verb="assignment_run.discarded",
        target=run,
        organization=run.program.organization,
        program=run.program,
        data={"cancelled": len(proposals)},
    )
    return run


@transaction.atomic
def proposal_replace(
    *,
    match: Match,
    mentor: Participation,
    score: float | Decimal,
    breakdown: Sequence[Any],
    actor,
    override_reason: str = "",
    soft_rules_broken: Sequence[str] = (),
) -> Match:
    """Gives a proposed mentee another mentor: the proposal is cancelled and a new one, in the
    same draft assignment if any, takes its place. The new pair meets the same rules."""
    run = match.assignment_run
    if run is not None and run.status != AssignmentRun.Status.DRAFT:
        raise ValidationError(_("Only the proposals of a draft cohort assignment can be changed."))
    _cancel(match, actor=actor, data={"replaced_by_mentor": mentor.person.full_name})
    return match_propose(
        mentee=match.mentee,
        mentor=mentor,
        score=score,
        breakdown=breakdown,
        actor=actor,
        override_reason=override_reason,
        soft_rules_broken=soft_rules_broken,
        assignment_run=run,
    )


# --- Emails ---------------------------------------------------------------------------------------


def _describe(participation: Participation) -> str:
    """What the other side reads about a person: their profession, and for a mentor their employer."""
    if participation.role == Participation.Role.MENTOR:
        profile = getattr(participation, "mentor_profile", None)
        if profile is None:
            return ""
        return ", ".join(part for part in (profile.occupation_title, profile.employer_name) if part)
    profile = getattr(participation, "mentee_profile", None)
    return profile.occupation_title if profile is not None else ""


def _send_to_both(match: Match, template: str, subject: str) -> None:
    login_link = f"{settings.SITE_URL}{reverse('portal:home')}"
    for participation, other in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
        context = {
            "person": participation.person,
            "other": other.person,
            "other_description": _describe(other),
            "is_mentee": participation.role == Participation.Role.MENTEE,
            "match": match,
            "program": match.program,
            "organization": match.program.organization,
            "login_link": login_link,
        }
        email = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"matching/email/{template}.txt", context),
            to=[participation.person.email],
        )
        email.attach_alternative(render_to_string(f"matching/email/{template}.html", context), "text/html")
        email.send()


def match_introduction_send(*, match: Match) -> None:
    """Emails both sides whom they are introduced to, and asks them to answer in the portal."""
    _send_to_both(
        match, "match_introduction", _("An introduction from %(program)s") % {"program": match.program.name}
    )


def match_started_send(*, match: Match) -> None:
    """Emails both sides that the match has started, with each other's email address."""
    _send_to_both(
        match,
        "match_started",
        _("Your mentoring in %(program)s has started") % {"program": match.program.name},
    )
