"""What participants change about themselves in the portal. Each service is atomic and logged.

The services, not the forms, say what a participant may change: the lists below. Anything
else (the status, the name, the email address they sign in with, the capacity of a mentor, the
NOC code once the application has been screened) is the coordinator's to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils.translation import gettext as _

from programs.activity import activity_record
from programs.models import ProgramResource

from .models import (
    CLOSED_STATUSES,
    MenteeProfile,
    MentorProfile,
    Participation,
    PartnerSharing,
    Person,
    PersonLanguage,
    ResourceRead,
    Resume,
)
from .portal_selectors import is_editable
from .resumes import resume_add

PERSON_FIELDS = ("phone", "city", "region", "country", "time_zone", "gender", "cultural_background")
PARTICIPATION_FIELDS = (
    "interests",
    "availability",
    "meeting_modes",
    "communication_style",
    "open_to_other_regions",
)
MENTEE_PROFILE_FIELDS = (
    "occupation",
    "occupation_title",
    "years_experience",
    "education",
    "credential_country",
    "credential_assessment",
    "regulated_profession",
    "licensing_status",
    "arrived_on",
    "not_yet_arrived",
    "employment",
    "goals",
    "wants_same_gender_mentor",
)
MENTOR_PROFILE_FIELDS = (
    "occupation",
    "occupation_title",
    "employer_name",
    "designation",
    "years_experience",
    "is_retired",
    "open_to_group",
    "open_to_remote",
    "wants_hours_record",
)
SHARING_FIELDS = ("phone", "location", "languages", "interests", "background")


def occupation_is_locked(participation: Participation) -> bool:
    """The NOC code is what screening and matching rely on: once the coordinator has screened
    the application, only they change it."""
    return participation.status != Participation.Status.SUBMITTED


def _refuse_unknown(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        # A programming error, not the participant's: the view offered a field it must not.
        raise ValueError(f"Participants cannot change {sorted(unknown)}")


def _jsonable(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _changes(obj: models.Model, fields: Mapping[str, Any]) -> dict[str, list]:
    return {
        name: [_jsonable(getattr(obj, name)), _jsonable(value)]
        for name, value in fields.items()
        if getattr(obj, name) != value
    }


def _apply(obj: models.Model, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()


@transaction.atomic
def portal_contact_update(
    *, person: Person, fields: Mapping[str, Any], languages: list[dict[str, str]], actor
) -> bool:
    """Saves the person's contact details and languages; returns whether anything changed.

    1. Refuses fields participants may not change.
    2. Saves the changed details, then the languages: the rows given replace the person's.
    3. Records `person.updated` with {field: [old, new]}, the languages before and after.
    """
    _refuse_unknown(fields, PERSON_FIELDS)
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = _changes(person, fields)
    before = sorted((row.language, row.proficiency) for row in person.languages.all())
    after = sorted((row["language"], row["proficiency"]) for row in languages)
    if changed:
        _apply(person, fields)
    if before != after:
        _languages_replace(person, languages)
        changed["languages"] = [[f"{lang} ({level})" for lang, level in rows] for rows in (before, after)]
    if not changed:
        return False
    activity_record(
        actor=actor,
        verb="person.updated",
        target=person,
        organization=person.organization,
        data={"changed": changed, "via": "portal"},
    )
    return True


def _languages_replace(person: Person, rows: list[dict[str, str]]) -> None:
    wanted = {row["language"].lower(): row for row in rows}
    for existing in person.languages.all():
        row = wanted.pop(existing.language.lower(), None)
        if row is None:
            existing.delete()
        elif (existing.language, existing.proficiency) != (row["language"], row["proficiency"]):
            _apply(existing, {"language": row["language"], "proficiency": row["proficiency"]})
    for row in wanted.values():
        _apply(
            PersonLanguage(person=person), {"language": row["language"], "proficiency": row["proficiency"]}
        )


@transaction.atomic
def portal_participation_update(
    *, participation: Participation, fields: Mapping[str, Any], profile_fields: Mapping[str, Any], actor
) -> bool:
    """Saves what the participant tells us about how they take part; returns whether anything
    changed.

    1. Refuses a participation that has ended, and fields participants may not change; refuses
       a new NOC code once the application has been screened.
    2. Saves the participation's and the role profile's changed fields.
    3. Records `participation.updated` with {field: [old, new]}.
    """
    _refuse_unknown(fields, PARTICIPATION_FIELDS)
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if not is_editable(participation):
        raise ValidationError(
            _("This participation has ended, so its details can no longer be changed here.")
        )
    profile = _profile_of(participation)
    if profile is None:
        profile_fields = {}
    else:
        _refuse_unknown(
            profile_fields,
            MENTOR_PROFILE_FIELDS if isinstance(profile, MentorProfile) else MENTEE_PROFILE_FIELDS,
        )
    profile_changed = _changes(profile, profile_fields) if profile is not None else {}
    if "occupation" in profile_changed and occupation_is_locked(participation):
        raise ValidationError(
            {"occupation": _("Your coordinator has screened your application: ask them to change this.")}
        )
    changed = _changes(participation, fields)
    if changed:
        _apply(participation, fields)
    if profile_changed:
        _apply(profile, profile_fields)
    changed |= profile_changed
    if not changed:
        return False
    activity_record(
        actor=actor,
        verb="participation.updated",
        target=participation,
        organization=participation.program.organization,
        program=participation.program,
        data={"changed": changed, "via": "portal"},
    )
    return True


def _profile_of(participation: Participation) -> MenteeProfile | MentorProfile | None:
    model = MentorProfile if participation.role == Participation.Role.MENTOR else MenteeProfile
    return model.objects.select_for_update().filter(participation=participation).first()


@transaction.atomic
def partner_sharing_save(*, person: Person, choices: Mapping[str, bool], actor) -> PartnerSharing:
    """Saves what the person's match partners may see, and records `partner_sharing.updated`."""
    _refuse_unknown(choices, SHARING_FIELDS)
    sharing, _created = PartnerSharing.objects.select_for_update().get_or_create(person=person)
    changed = _changes(sharing, choices)
    if changed:
        _apply(sharing, choices)
        activity_record(
            actor=actor,
            verb="partner_sharing.updated",
            target=person,
            organization=person.organization,
            data={"changed": changed},
        )
    return sharing


@transaction.atomic
def resource_mark_read(*, person: Person, resource: ProgramResource, actor) -> ResourceRead:
    """Records that the person has read the resource, once; marking it again changes nothing."""
    if resource.program.organization_id != person.organization_id:
        raise ValueError("The resource belongs to another organization than the person.")
    read, created = ResourceRead.objects.get_or_create(person=person, resource=resource)
    if created:
        activity_record(
            actor=actor,
            verb="resource.read",
            target=person,
            organization=person.organization,
            program=resource.program,
            data={"resource": resource.pk, "title": resource.title},
        )
    return read


def portal_resume_add(*, person: Person, upload: File, actor) -> Resume:
    """A new version of the person's resume, attached to their newest open participation."""
    participation = (
        person.participations.select_related("program")
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("-created_at", "-pk")
        .first()
    )
    return resume_add(person=person, upload=upload, participation=participation, actor=actor)
