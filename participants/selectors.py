"""Reads of people and participations, scoped to what the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.http import Http404

from programs.models import ActivityEntry, Program
from programs.selectors import programs_visible_to

from .models import Interview, Participation, Person, Referral


def participations_visible_to(user) -> QuerySet[Participation]:
    return Participation.objects.filter(program__in=programs_visible_to(user)).select_related(
        "person", "program"
    )


def people_visible_to(user) -> QuerySet[Person]:
    """People with at least one participation in a program the user works in."""
    return Person.objects.filter(
        pk__in=Participation.objects.filter(program__in=programs_visible_to(user)).values("person_id")
    )


def get_person_for_user(user, person_id: int) -> Person:
    try:
        return people_visible_to(user).select_related("organization").get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None


def participation_counts(program: Program) -> dict[str, dict[str, int]]:
    """How many mentors and mentees the program has at each status, in one query."""
    counts: dict[str, dict[str, int]] = {role: {} for role in Participation.Role.values}
    rows = (
        Participation.objects.filter(program=program)
        .values("role", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["role"]][row["status"]] = row["n"]
    return counts


def program_totals(programs: QuerySet[Program]) -> QuerySet[Program]:
    """Programs annotated with their numbers of mentors and mentees, for overviews."""
    return programs.annotate(
        mentor_count=Count("participations", filter=Q(participations__role=Participation.Role.MENTOR)),
        mentee_count=Count("participations", filter=Q(participations__role=Participation.Role.MENTEE)),
    )


# --- Screening: the applications inbox, the person page, interviews ----------------------------

S = Participation.Status

# Applications still being decided. The inbox shows these unless asked for another status.
OPEN_STATUSES = (
    S.SUBMITTED,
    S.SCREENING,
    S.INTERVIEW_SCHEDULED,
    S.INTERVIEWED,
    S.ACCEPTED,
    S.ORIENTATION_DONE,
    S.WAITLISTED,
)


def get_participation_for_user(user, participation_id: int) -> Participation:
    try:
        return (
            participations_visible_to(user).select_related("program__organization").get(pk=participation_id)
        )
    except Participation.DoesNotExist:
        raise Http404 from None


def get_interview_for_user(user, interview_id: int) -> Interview:
    try:
        return Interview.objects.select_related(
            "participation__person", "participation__program__organization", "interviewer"
        ).get(pk=interview_id, participation__program__in=programs_visible_to(user))
    except Interview.DoesNotExist:
        raise Http404 from None


def get_referral_for_user(user, referral_id: int) -> Referral:
    try:
        return Referral.objects.select_related(
            "participation__person", "participation__program__organization", "partner"
        ).get(pk=referral_id, participation__program__in=programs_visible_to(user))
    except Referral.DoesNotExist:
        raise Http404 from None


def interviewers_for(program: Program) -> QuerySet:
    """Active staff of the program's organization who work in the program."""
    # One filter() call, so that both conditions apply to the same membership.
    return (
        get_user_model()
        .objects.filter(
            Q(staff_memberships__organization_id=program.organization_id, staff_memberships__is_active=True)
            & (Q(staff_memberships__programs__isnull=True) | Q(staff_memberships__programs=program))
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def inbox_participations(user) -> QuerySet[Participation]:
    """Every application the user may see, with what the inbox shows, in a single query:
    the submission date, and whether the organization has another application that looks
    like the same person (same email, or same name and phone)."""
    visible = programs_visible_to(user)
    lookalikes = (
        Participation.objects.filter(
            program__in=visible, program__organization_id=OuterRef("program__organization_id")
        )
        .exclude(pk=OuterRef("pk"))
        .annotate(
            _email=Lower("person__email"),
            _first=Lower("person__first_name"),
            _last=Lower("person__last_name"),
        )
        .filter(
            Q(_email=OuterRef("_email"))
            | (
                Q(_first=OuterRef("_first"), _last=OuterRef("_last"), person__phone=OuterRef("person__phone"))
                & ~Q(person__phone="")
            )
        )
    )
    return (
        Participation.objects.filter(program__in=visible)
        .select_related("person", "program", "mentee_profile", "mentor_profile", "source_partner")
        .annotate(
            _email=Lower("person__email"),
            _first=Lower("person__first_name"),
            _last=Lower("person__last_name"),
            submitted_on=Coalesce("application__submitted_at", "created_at"),
            possible_duplicate=Exists(lookalikes),
        )
    )


def possible_duplicates(person: Person, user) -> QuerySet[Person]:
    """Other records of the organization that may be the same person."""
    same = Q(email__iexact=person.email)
    if person.phone:
        same |= Q(
            first_name__iexact=person.first_name, last_name__iexact=person.last_name, phone=person.phone
        )
    return (
        people_visible_to(user)
        .filter(same, organization_id=person.organization_id)
        .exclude(pk=person.pk)
        .order_by("last_name", "first_name")
    )


def requested_mentor_matches(
    participation: Participation, *, visible_programs: QuerySet[Program] | None = None
) -> list[Participation]:
    """A mentee's requested mentor who has been accepted as a mentor in the organization, or,
    for an accepted mentor, the mentees who asked for them by email."""
    from .pipeline import ACCEPTED_OR_LATER

    organization_id = participation.program.organization_id
    if participation.role == Participation.Role.MENTEE:
        profile = getattr(participation, "mentee_profile", None)
        if profile is None or not profile.requested_mentor_email:
            return []
        matches = Participation.objects.filter(
            role=Participation.Role.MENTOR,
            status__in=ACCEPTED_OR_LATER,
            program__organization_id=organization_id,
            person__email__iexact=profile.requested_mentor_email,
        )
    else:
        if participation.status not in ACCEPTED_OR_LATER:
            return []
        matches = Participation.objects.filter(
            role=Participation.Role.MENTEE,
            program__organization_id=organization_id,
            mentee_profile__requested_mentor_email__iexact=participation.person.email,
        )
    if visible_programs is not None:
        matches = matches.filter(program__in=visible_programs)
    return list(
        matches.select_related("person", "program").order_by("person__last_name", "person__first_name")
    )


def decline_message_sent_at(participation: Participation):
    entry = (
        ActivityEntry.objects.filter(
            verb="participation.decline_message_sent",
            target_type=ContentType.objects.get_for_model(Participation),
            target_id=str(participation.pk),
        )
        .order_by("created_at")
        .first()
    )
    return entry.created_at if entry else None


def person_timeline(
    person: Person, *, related: Iterable[models.Model], visible_programs: QuerySet[Program], limit: int = 50
) -> list[ActivityEntry]:
    """The newest entries about the person and the things that belong to them (participations,
    interviews, referrals, resumes...), leaving out what happened in programs the user does not
    work in."""
    condition = Q(target_type=ContentType.objects.get_for_model(Person), target_id=str(person.pk))
    ids_by_model: dict[type, list[str]] = defaultdict(list)
    for obj in related:
        ids_by_model[type(obj)].append(str(obj.pk))
    for model, ids in ids_by_model.items():
        condition |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    entries = ActivityEntry.objects.filter(condition).filter(
        Q(program__isnull=True) | Q(program__in=visible_programs)
    )
    return list(entries.select_related("actor", "program").order_by("-created_at", "-id")[:limit])
