"""Erasing a person's data when they ask for it: `person_erase`, and `erasure_plan`, which the
coordinator reads before confirming.

What is erased and what is kept, and why:

- The person stays as a row, so that the records that must outlive them still point somewhere:
  their name becomes "Deleted person #id", their email address a placeholder that can never
  receive mail, and every other detail (phone, place, time zone, gender, background) is emptied.
  Their login is closed and emptied too, unless it also serves another organization, a staff
  role or a funder, in which case it is only unlinked.
- Gone entirely: resumes (the files as well, once the transaction has committed), languages,
  what the match partner may see, resources read, reminder opt-outs.
- Emptied of words, kept as numbers: applications (the answers), participations (reasons,
  preferences), profiles (job titles, employers, schools), interviews (notes), referrals,
  help and data requests (messages), matches (reasons and scoring explanations), the meetings,
  goals, notes and check-ins of one-to-one matches, closures. The numbers stay because funders
  are told how many people took part, for how long and with what result: dates, statuses,
  durations (the mentoring hours), occupation codes, satisfaction scores, employment outcomes.
- Kept as proof, emptied of personal text: consents (which notice version, when given; they
  are marked withdrawn now), story consent changes, and the activity log (who did what when).
  Log entries about the person keep their verb and status codes only; anywhere else in the
  organization's log, the person's name and email address are replaced.
- Other people's records stay theirs: a circle's meetings keep their notes with the person's
  name replaced; the match partner's own closing survey too.

Before erasing, the person's open participations are ended (withdrawn), scheduled interviews
cancelled (no email: the address is being erased) and circle memberships closed. A match still
open (proposed, introduced or active) stops the erasure: the coordinator closes it first,
because closing a match is a conversation with the other person, not a side effect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from matching.circle_services import circle_member_leave
from matching.models import OPEN_MATCH_STATUSES, CircleMembership, Match
from programs.activity import activity_record
from programs.models import ActivityEntry

from .erasure_rules import (
    Erasure,
    Rule,
    erased_email,
    erased_name,
    erasure_of,
    installed_rules,
    replace_names,
    replace_names_in,
)
from .models import CLOSED_STATUSES, Participation, Person
from .pipeline import can_move, participation_withdraw

__all__ = ["erased_email", "erased_name", "erasure_blockers", "erasure_plan", "person_erase"]

S = Participation.Status
# Log data kept on entries about the person: codes and numbers that name nobody.
SAFE_LOG_KEYS = frozenset(
    {
        "from",
        "to",
        "via",
        "kind",
        "role",
        "status",
        "side",
        "match",
        "circle",
        "meeting",
        "checkin",
        "goal",
        "invitation",
        "participation",
        "help_request",
        "data_request",
        "resume",
        "position",
        "occurred_on",
        "due_on",
        "duration_minutes",
        "mode",
        "logged_as",
        "outcome",
        "new_status",
        "with_whom",
        "circle_status",
        "size",
        "privacy_notice_version",
        "new_account",
    }
)
CODE = re.compile(r"^[\w.:+-]{0,40}$", re.ASCII)


# --- The plan, the blockers, and the erasure ------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    title: str
    count: int
    what: str


def erasure_blockers(person: Person) -> list[Match]:
    """Open matches: the coordinator closes or cancels them before the data can go."""
    return list(
        Match.objects.filter(
            Q(mentee__person=person) | Q(mentor__person=person), status__in=OPEN_MATCH_STATUSES
        )
        .select_related("program")
        .order_by("pk")
    )


def erasure_plan(person: Person) -> list[PlanLine]:
    """What the erasure would do, model by model, with how many rows each time."""
    erasure = erasure_of(person, actor=None)
    lines = []
    for rule in installed_rules():
        count = rule.rows(erasure).count()
        if count:
            lines.append(
                PlanLine(str(rule.model._meta.verbose_name_plural).capitalize(), count, str(rule.what))
            )
    lines.append(
        PlanLine(
            str(ActivityEntry._meta.verbose_name_plural).capitalize(),
            _log_entries(erasure).count(),
            _("Kept as proof of who did what and when; the person's name, address and notes removed."),
        )
    )
    return lines


def _end_open_participations(erasure: Erasure) -> None:
    reason = _("The person asked for their data to be deleted.")
    still_open = list(
        Participation.objects.filter(pk__in=erasure.participation_ids)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("program__organization")
    )
    for participation in still_open:
        if can_move(participation.status, S.WITHDRAWN):
            participation_withdraw(participation=participation, reason=reason, actor=erasure.actor)
            continue
        # Matched, with the match already closed elsewhere: the pipeline has no way out from
        # there, but a person who is being erased is no longer in the program either.
        from_status = participation.status
        Participation.objects.filter(pk=participation.pk).update(
            status=S.WITHDRAWN, status_changed_at=erasure.now, status_reason=reason, waitlist_position=None
        )
        activity_record(
            actor=erasure.actor,
            verb="participation.withdrawn",
            target=participation,
            organization=participation.program.organization,
            program=participation.program,
            data={"from": from_status, "to": S.WITHDRAWN, "via": "erasure"},
        )
    erasure.counts["participations_ended"] = len(still_open)


def _leave_circles(erasure: Erasure) -> None:
    current = CircleMembership.objects.filter(
        pk__in=erasure.membership_ids, left_at__isnull=True
    ).select_related("circle__program__organization", "participation__person")
    for membership in current:
        circle_member_leave(membership=membership, actor=erasure.actor)


# --- The activity log -------------------------------------------------------------------------------


def _log_targets(erasure: Erasure, rules: list[Rule]) -> dict[type[models.Model], list[int]]:
    """The rows whose log entries are about the person: all the rows the rules concern,
    except a circle's meetings, which belong to the group."""
    targets: dict[type[models.Model], list[int]] = {}
    for rule in rules:
        rows = rule.rows(erasure)
        if rule.model_label == "matching.meeting":
            rows = rows.filter(match__isnull=False)
        targets[rule.model] = list(rows.values_list("pk", flat=True))
    return targets


def _targets_condition(targets: dict[type[models.Model], list[int]]) -> Q:
    condition = Q(pk__in=[])
    types = ContentType.objects.get_for_models(*targets)
    for model, ids in targets.items():
        if ids:
            condition |= Q(target_type=types[model], target_id__in=[str(pk) for pk in ids])
    return condition


def _about_condition(erasure: Erasure, targets: dict[type[models.Model], list[int]]) -> Q:
    """Entries about the person: on their rows, or on someone else's naming their match,
    participation or person in the data (a partner's timeline, a "do not match" pair)."""
    return (
        _targets_condition(targets)
        | Q(data__match__in=erasure.match_ids)
        | Q(data__participation__in=erasure.participation_ids)
        | Q(data__mentor_person=erasure.person.pk)
        | Q(data__person=erasure.person.pk)
    )


def _log_entries(erasure: Erasure) -> QuerySet[ActivityEntry]:
    targets = _log_targets(erasure, installed_rules())
    return ActivityEntry.objects.filter(
        _about_condition(erasure, targets), organization_id=erasure.person.organization_id
    )


def _safe_log_data(data: Any) -> dict:
    if not isinstance(data, dict):
        return {}
    return {
        key: value
        for key, value in data.items()
        if key in SAFE_LOG_KEYS
        and (
            value is None
            or isinstance(value, bool | int | float)
            or (isinstance(value, str) and CODE.match(value))
        )
    }


def _scrub_log(erasure: Erasure, targets: dict[type[models.Model], list[int]]) -> int:
    """Entries about the person keep their codes only and get the anonymised names; elsewhere in
    the organization, the person's name and address are replaced wherever they appear."""
    about = list(
        ActivityEntry.objects.filter(
            _about_condition(erasure, targets), organization_id=erasure.person.organization_id
        )
    )
    names: dict[tuple[int, str], str] = {}
    types = ContentType.objects.get_for_models(*targets)
    for model, ids in targets.items():
        existing = model._default_manager.in_bulk(ids)
        for pk in ids:
            obj = existing.get(pk)
            name = str(obj) if obj is not None else f"{model._meta.verbose_name} #{pk}"
            names[(types[model].pk, str(pk))] = name[:250]
    for entry in about:
        entry.data = _safe_log_data(entry.data)
        key = (entry.target_type_id, entry.target_id)
        if key in names:
            entry.target_repr = names[key]
        else:  # someone else's row: keep its name, without the person's
            entry.target_repr = replace_names(entry.target_repr, erasure.needles, erasure.placeholder)[:250]
    ActivityEntry.objects.bulk_update(about, ["data", "target_repr"], batch_size=500)

    mentions = Q()
    for needle in erasure.needles:
        # JSON text holds non-ASCII letters either as they are or escaped (SQLite): look for both.
        escaped = needle.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
        mentions |= Q(target_repr__icontains=needle) | Q(data__icontains=needle) | Q(data__icontains=escaped)
    elsewhere = list(
        ActivityEntry.objects.filter(mentions, organization_id=erasure.person.organization_id).exclude(
            pk__in=[entry.pk for entry in about]
        )
    )
    for entry in elsewhere:
        entry.data = replace_names_in(entry.data, erasure.needles, erasure.placeholder)
        entry.target_repr = replace_names(entry.target_repr, erasure.needles, erasure.placeholder)[:250]
    ActivityEntry.objects.bulk_update(elsewhere, ["data", "target_repr"], batch_size=500)
    return len(about) + len(elsewhere)


@transaction.atomic
def person_erase(*, person: Person, actor) -> dict[str, int]:
    """Erases the person's data as the module docstring describes; returns counts per model.

    1. Locks the person; refuses while a match of theirs is open.
    2. Ends what is still going on: open participations are withdrawn, scheduled interviews
       cancelled (by the interview rule), circle memberships ended.
    3. Applies each model's rule, the person and their login last.
    4. Cleans the activity log, then records `person.erased` with the counts only.
    """
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user", "organization")
        .get(pk=person.pk)
    )
    blockers = erasure_blockers(person)
    if blockers:
        raise ValidationError(
            _("Close or cancel the person's open matches first: %(matches)s.")
            % {"matches": ", ".join(f"#{match.pk} ({match.get_status_display()})" for match in blockers)}
        )
    erasure = erasure_of(person, actor)
    # Circles first: a participation a circle counts on cannot be withdrawn.
    _leave_circles(erasure)
    _end_open_participations(erasure)
    rules = installed_rules()
    targets = _log_targets(erasure, rules)
    for rule in rules:
        if rule.apply is not None:
            erasure.counts[rule.model_label] = rule.apply(erasure, rule.rows(erasure))
    erasure.counts["programs.activityentry"] = _scrub_log(erasure, targets)
    person.refresh_from_db()
    activity_record(
        actor=actor,
        verb="person.erased",
        target=person,
        organization=person.organization,
        data={"counts": erasure.counts},
    )
    return erasure.counts
