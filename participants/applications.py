"""Applications from the public forms: taking them in, and telling the applicant we have them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.registry import Email
from programs.activity import activity_record
from programs.models import Cohort, Partner, PrivacyNotice, Program

from .alumni import alumni_invitation_convert
from .models import (
    CLOSED_STATUSES,
    Application,
    Consent,
    MenteeProfile,
    MentorProfile,
    Participation,
    Person,
    PersonLanguage,
)
from .resumes import resume_add

# Contact details an application may fill in on a person we already know. It never
# overwrites them: anyone can type anyone's email address into a public form.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "city",
    "region",
    "country",
    "gender",
    "cultural_background",
)


class ApplicationAlreadyOpen(Exception):
    """The person already has an application or participation under way in this program and role."""


def has_open_application(*, program: Program, role: str, email: str) -> bool:
    return (
        Participation.objects.filter(
            program=program,
            role=role,
            person__organization_id=program.organization_id,
            person__email__iexact=email,
        )
        .exclude(status__in=CLOSED_STATUSES)
        .exists()
    )


@transaction.atomic
def application_submit(
    *,
    program: Program,
    role: str,
    cleaned: Mapping[str, Any],
    answers: dict[str, Any],
    communication_style: dict[str, str],
    privacy_notice: PrivacyNotice,
    resume: File | None = None,
    actor=None,
) -> Participation:
    """Take in an application from the public form.

    Steps: refuse a second open application for the same program and role; find the person
    in the program's organization by email, or create them; link the new participation to
    their latest earlier one (alumni coming back, a mentee returning as mentor); create the
    participation in the open cohort that starts first, the role's profile, the languages,
    the application with the answers as submitted, the consents and the resume; confirm to
    the applicant by email once the transaction has committed.
    """
    organization = program.organization
    if privacy_notice.program_id != program.pk or not privacy_notice.is_published:
        raise ValidationError(_("This privacy notice is not the program's published notice."))
    email = cleaned["email"].strip().lower()
    if has_open_application(program=program, role=role, email=email):
        raise ApplicationAlreadyOpen

    person = _person_find_or_create(program=program, email=email, cleaned=cleaned, actor=actor)
    previous = person.participations.order_by("-created_at", "-pk").first()
    participation = Participation(
        person=person,
        program=program,
        role=role,
        status=Participation.Status.SUBMITTED,
        cohort=Cohort.objects.filter(program=program, is_open=True).order_by("starts_on", "pk").first(),
        previous_participation=previous,
        heard_via=_heard_via(cleaned),
        source_partner=cleaned.get("source_partner"),
        source_detail=cleaned.get("heard_via_other", "") if cleaned.get("heard_via") == "other" else "",
        interests=cleaned.get("interests") or [],
        communication_style=communication_style,
        availability=cleaned.get("availability") or [],
        meeting_modes=cleaned.get("meeting_modes") or [],
        open_to_other_regions=bool(cleaned.get("open_to_other_regions")),
    )
    participation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError:
        # Another submission of the same form won the race between our check and this save.
        raise ApplicationAlreadyOpen from None
    if previous is not None:
        activity_record(
            actor=actor,
            verb="participation.linked",
            target=person,
            organization=organization,
            program=program,
            data={
                "participation": participation.pk,
                "previous_participation": previous.pk,
                "previous_program": previous.program.name,
                "previous_role": previous.role,
                "previous_status": previous.status,
            },
        )
    if role == Participation.Role.MENTEE:
        _mentee_profile_create(participation=participation, cleaned=cleaned)
    else:
        _mentor_profile_create(participation=participation, cleaned=cleaned)
        alumni_invitation_convert(participation=participation, actor=actor)
    _languages_add(person=person, rows=cleaned.get("languages") or [])

    application = Application(participation=participation, answers=answers, privacy_notice=privacy_notice)
    application.full_clean()
    application.save()
    activity_record(
        actor=actor,
        verb="application.submitted",
        target=person,
        organization=organization,
        program=program,
        data={
            "participation": participation.pk,
            "role": role,
            "cohort": participation.cohort.name if participation.cohort else None,
        },
    )
    _consent_record(
        person=person,
        participation=participation,
        kind=Consent.Kind.PRIVACY_NOTICE,
        notice=privacy_notice,
        actor=actor,
    )
    if cleaned.get("story_consent"):
        _consent_record(
            person=person, participation=participation, kind=Consent.Kind.STORY_CONTACT, actor=actor
        )
    if resume is not None:
        resume_add(person=person, upload=resume, participation=participation, actor=actor)

    from .reminders import application_receipt_queue

    application_receipt_queue(participation=participation, language=translation.get_language() or "")
    return participation


def _person_find_or_create(*, program: Program, email: str, cleaned: Mapping[str, Any], actor) -> Person:
    details = {name: (cleaned.get(name) or "").strip() for name in PERSON_FIELDS}
    if cleaned.get("not_yet_arrived"):
        details["country"] = (cleaned.get("residence_country") or "").strip()
    elif cleaned.get("arrived_on"):
        details["country"] = "Canada"
    person = (
        Person.objects.filter(organization_id=program.organization_id, email__iexact=email)
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person(organization=program.organization, email=email, **details)
        person.full_clean()
        person.save()
        activity_record(
            actor=actor,
            verb="person.created",
            target=person,
            organization=program.organization,
            program=program,
            data={"via": "application"},
        )
        return person
    filled = {name: value for name, value in details.items() if value and not getattr(person, name)}
    if filled:
        for name, value in filled.items():
            setattr(person, name, value)
        person.full_clean()
        person.save()
        activity_record(
            actor=actor,
            verb="person.updated",
            target=person,
            organization=program.organization,
            program=program,
            data={"filled_in": sorted(filled), "via": "application"},
        )
    return person


def _heard_via(cleaned: Mapping[str, Any]) -> str:
    if cleaned.get("source_partner"):
        return "partner"
    return "other" if cleaned.get("heard_via") == "other" else ""


def _mentee_profile_create(*, participation: Participation, cleaned: Mapping[str, Any]) -> MenteeProfile:
    profile = MenteeProfile(
        participation=participation,
        occupation=cleaned.get("occupation"),
        occupation_title=cleaned["occupation_title"],
        years_experience=cleaned["years_experience"],
        education=cleaned.get("education", ""),
        credential_country=cleaned.get("credential_country", ""),
        credential_assessment=cleaned.get("credential_assessment")
        or MenteeProfile.CredentialAssessment.NOT_STARTED,
        regulated_profession=bool(cleaned.get("regulated_profession")),
        licensing_status=cleaned.get("licensing_status", ""),
        arrived_on=cleaned.get("arrived_on"),
        not_yet_arrived=bool(cleaned.get("not_yet_arrived")),
        language_clb=cleaned.get("language_clb"),
        employment=cleaned["employment"],
        goals=list(cleaned["goals"]),
        requested_mentor_name=cleaned.get("requested_mentor_name", ""),
        requested_mentor_email=cleaned.get("requested_mentor_email", ""),
        wants_same_gender_mentor=bool(cleaned.get("wants_same_gender_mentor")),
    )
    profile.full_clean()
    profile.save()
    return profile


def _mentor_profile_create(*, participation: Participation, cleaned: Mapping[str, Any]) -> MentorProfile:
    employer_name = " ".join((cleaned.get("employer_name") or "").split())
    employer_partner = None
    if employer_name:
        employer_partner = Partner.objects.filter(
            organization_id=participation.program.organization_id,
            kind=Partner.Kind.EMPLOYER,
            is_active=True,
            name__iexact=employer_name,
        ).first()
    profile = MentorProfile(
        participation=participation,
        occupation=cleaned.get("occupation"),
        occupation_title=cleaned["occupation_title"],
        employer_name=employer_name,
        employer_partner=employer_partner,
        designation=cleaned.get("designation", ""),
        years_experience=cleaned["years_experience"],
        is_retired=bool(cleaned.get("is_retired")),
        max_mentees=cleaned["max_mentees"],
        open_to_group=bool(cleaned.get("open_to_group")),
        open_to_remote=bool(cleaned.get("open_to_remote")),
        wants_hours_record=bool(cleaned.get("wants_hours_record")),
    )
    profile.full_clean()
    profile.save()
    return profile


def _languages_add(*, person: Person, rows: list[dict[str, str]]) -> None:
    """Adds the languages the person has not told us about before; known ones stay as they are."""
    known = {language.lower() for language in person.languages.values_list("language", flat=True)}
    for row in rows:
        if row["language"].lower() in known:
            continue
        language = PersonLanguage(person=person, language=row["language"], proficiency=row["proficiency"])
        language.full_clean()
        language.save()
        known.add(row["language"].lower())


def _consent_record(
    *, person: Person, participation: Participation, kind: str, notice: PrivacyNotice | None = None, actor
) -> Consent:
    consent = Consent(person=person, participation=participation, kind=kind, privacy_notice=notice)
    consent.full_clean()
    consent.save()
    activity_record(
        actor=actor,
        verb="consent.given",
        target=person,
        organization=person.organization,
        program=participation.program,
        data={"kind": kind, "privacy_notice_version": notice.version if notice else None},
    )
    return consent


def application_receipt_email(*, participation: Participation) -> Email:
    """The email that tells the applicant the program has their application and what happens
    next. It goes out through the reminders' sent-log (participants/reminders.py), once, in the
    language of the form they filled in, and logs `application.receipt_sent` once sent."""
    person = participation.person
    program = participation.program
    return Email(
        to=person.email,
        name=person.full_name,
        subject=_("We received your application to %(program)s") % {"program": program.name},
        context={
            "person": person,
            "program": program,
            "organization": program.organization,
            "participation": participation,
            "is_mentor": participation.role == Participation.Role.MENTOR,
        },
        person_id=person.pk,
    )


def application_already_open_notice_send(
    *, program: Program, role: str, email: str, language: str | None = None
) -> None:
    """Tell the owner of an address that their application is already with us.

    The page shows the usual thank-you instead, so that nobody who types someone else's
    address into the form learns whether that person applied.
    """
    person = Person.objects.filter(organization=program.organization, email__iexact=email).first()
    if person is None:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "program": program,
            "organization": program.organization,
            "is_mentor": role == Participation.Role.MENTOR,
        }
        message = EmailMultiAlternatives(
            subject=_("Your application to %(program)s is already with us") % {"program": program.name},
            body=render_to_string("participants/email/application_already_open.txt", context),
            to=[person.email],
        )
        message.attach_alternative(
            render_to_string("participants/email/application_already_open.html", context), "text/html"
        )
    message.send()
