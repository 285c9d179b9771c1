"""Demo participants: about 60 mentors and 120 mentees at every stage of intake. Idempotent.

Each one applies through the public form's own form class and `application_submit`, with a
generated PDF resume, and is then moved along by the screening services a coordinator would
use, so the demo exercises the real code paths.
"""

from __future__ import annotations

import datetime
import random

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programs.models import Partner, Program, StaffMembership
from programs.selectors import current_privacy_notice

from .applications import application_submit
from .demo_people import demo_mentees, demo_mentors, resume_pdf
from .interviews import interview_record, interview_schedule
from .models import Interview, Participation
from .pipeline import (
    participation_accept,
    participation_decline,
    participation_move,
    participation_refer,
    participation_waitlist,
    participation_withdraw,
)
from .public_forms import MenteeApplicationForm, MentorApplicationForm

S = Participation.Status
DEMO_PASSWORD = "mentorship-demo"

# How many people reach each stage, per program.
MENTEE_PLAN = (
    [S.SUBMITTED] * 6 + [S.SCREENING] * 4 + [S.INTERVIEW_SCHEDULED] * 4 + [S.INTERVIEWED] * 3
    + [S.ACCEPTED] * 4 + [S.ORIENTATION_DONE] * 3 + [S.READY_TO_MATCH] * 22
    + [S.WAITLISTED] * 3 + [S.DECLINED, S.REFERRED, S.WITHDRAWN]
)  # fmt: skip
MENTOR_PLAN = (
    [S.SUBMITTED] * 3 + [S.SCREENING] + [S.INTERVIEW_SCHEDULED] * 2 + [S.INTERVIEWED]
    + [S.ACCEPTED] * 2 + [S.ORIENTATION_DONE] * 2 + [S.READY_TO_MATCH] * 15
)  # fmt: skip
# The order of steps to reach a status through the services.
PATH = [S.SCREENING, S.INTERVIEW_SCHEDULED, S.INTERVIEWED, S.ACCEPTED, S.ORIENTATION_DONE, S.READY_TO_MATCH]
# The portal logins of the demo, on the first program's people.
PORTAL_LOGINS = {"mentee": "mentee@demo.example", "mentor": "mentor@demo.example"}


def seed_people(programs: dict[str, Program]) -> None:
    rng = random.Random(2026)
    for index, program in enumerate(programs.values()):
        if program.participations.exists():
            continue
        coordinator = _coordinator(program)
        organization_slug = program.organization.slug
        mentees = demo_mentees(program.slug, organization_slug, len(MENTEE_PLAN), rng)
        mentors = demo_mentors(program.slug, organization_slug, len(MENTOR_PLAN), rng)
        if index == 0:
            # The portal logins are a ready-to-match mentee and mentor of the first program.
            mentees[MENTEE_PLAN.index(S.READY_TO_MATCH)]["email"] = PORTAL_LOGINS["mentee"]
            mentors[MENTOR_PLAN.index(S.READY_TO_MATCH)]["email"] = PORTAL_LOGINS["mentor"]
        for number, (person, status) in enumerate(zip(mentees, MENTEE_PLAN, strict=True)):
            participation = _apply(program, person, Participation.Role.MENTEE, rng)
            _advance(participation, status, coordinator, rng)
            _backdate(participation, days_ago=number * 2 + rng.randint(0, 2))
        for number, (person, status) in enumerate(zip(mentors, MENTOR_PLAN, strict=True)):
            participation = _apply(program, person, Participation.Role.MENTOR, rng)
            _advance(participation, status, coordinator, rng)
            _backdate(participation, days_ago=number * 3 + rng.randint(0, 3))
    _portal_passwords()


def _coordinator(program: Program):
    membership = (
        StaffMembership.objects.filter(organization=program.organization, is_active=True)
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user


def _apply(program: Program, person: dict, role: str, rng: random.Random) -> Participation:
    form_class = MenteeApplicationForm if role == Participation.Role.MENTEE else MentorApplicationForm
    data = _form_data(program, person, role, rng)
    files = {}
    if role == Participation.Role.MENTEE or rng.random() < 0.5:
        name = f"{person['first_name']}-{person['last_name']}-resume.pdf".replace(" ", "-")
        files["resume"] = SimpleUploadedFile(name, resume_pdf(person), content_type="application/pdf")
    form = form_class(data, files, program=program)
    if not form.is_valid():
        raise ValueError(f"Demo application for {person['email']} is invalid: {form.errors.as_json()}")
    return application_submit(
        program=program,
        role=role,
        cleaned=form.cleaned_data,
        answers=form.answers(),
        communication_style=form.communication_style(),
        privacy_notice=current_privacy_notice(program),
        resume=form.cleaned_data.get("resume"),
    )


def _form_data(program: Program, person: dict, role: str, rng: random.Random) -> dict:
    data = {
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "email": person["email"],
        "phone": person["phone"],
        "city": person["city"] or "Lagos",
        "region": person["region"] or person["country"],
        "interests": ", ".join(person["interests"]),
        "style_agenda": rng.choice(["structured", "open"]),
        "style_feedback": rng.choice(["direct", "diplomatic"]),
        "style_frequency": rng.choice(["weekly", "biweekly", "monthly"]),
        "availability": rng.sample(["weekday_daytime", "weekday_evenings", "weekends"], 2),
        "meeting_modes": rng.sample(["in_person", "video", "phone"], 2),
        "open_to_other_regions": rng.choice(["yes", "no"]),
        "occupation": person["occupation_code"],
        "occupation_title": person["occupation_title"],
        "years_experience": str(person["years_experience"]),
        "privacy_consent": "on",
        "story_consent": rng.choice(["yes", "no"]),
    }
    for number, (language, level) in enumerate(person["languages"], start=1):
        data[f"language_{number}"] = language
        data[f"proficiency_{number}"] = level
    partners = list(program.organization.partners.filter(is_active=True).order_by("pk"))
    if partners and rng.random() < 0.6:
        data["heard_via"] = str(rng.choice(partners).pk)
    else:
        data["heard_via"] = "other"
        data["heard_via_other"] = rng.choice(["A friend", "Social media", "A job fair"])
    if role == Participation.Role.MENTEE:
        arrived = timezone.localdate() - datetime.timedelta(days=365 * person["arrival_years_ago"] + 40)
        data.update(
            education=rng.choice(["Bachelor's degree", "Master's degree", "Diploma"]),
            credential_country=person["credential_country"],
            credential_assessment=rng.choice(["not_started", "in_progress", "completed"]),
            regulated_profession="yes" if person["regulated"] else "no",
            licensing_status=person["licensing_status"],
            language_clb=str(person["language_clb"]),
            employment=rng.choice(["not_employed", "survival", "related"]),
            goals=rng.sample(["employment_in_field", "certification", "networking", "workplace_culture"], 2),
        )
        if person["not_yet_arrived"]:
            data["not_yet_arrived"] = "on"
            data["residence_country"] = person["country"]
        else:
            data["arrived_on"] = arrived.isoformat()
    else:
        data.update(
            employer_name=rng.choice(
                [p.name for p in partners if p.kind == Partner.Kind.EMPLOYER] or ["Prairie Consulting Group"]
            ),
            designation=person["designation"],
            max_mentees=str(person["max_mentees"]),
            is_retired="yes" if person["is_retired"] else "no",
            open_to_group="on" if rng.random() < 0.4 else "",
            open_to_remote="on" if rng.random() < 0.5 else "",
            wants_hours_record=rng.choice(["yes", "no"]),
        )
    return data


def _advance(participation: Participation, status: str, coordinator, rng: random.Random) -> None:
    """Moves the application to `status` through the services, step by step."""
    if status == S.SUBMITTED:
        return
    exits = {
        S.WAITLISTED: lambda: participation_waitlist(
            participation=participation, reason="Cohort full; strong candidate for the next intake.",
            actor=coordinator,
        ),
        S.DECLINED: lambda: participation_decline(
            participation=participation, reason="Outside the program's focus.",
            message="Thank you for applying. This program is not the right fit at this time.",
            actor=coordinator,
        ),
        S.WITHDRAWN: lambda: participation_withdraw(
            participation=participation, reason="Found work in their field.", actor=coordinator
        ),
        S.REFERRED: lambda: participation_refer(
            participation=participation,
            partner=participation.program.organization.partners.filter(is_active=True).order_by("pk").last(),
            service="English for the workplace",
            reason="Language level below the program's minimum; will reapply after the course.",
            actor=coordinator,
        ),
    }  # fmt: skip
    if status in exits:
        if status != S.WAITLISTED:
            participation_move(participation=participation, to_status=S.SCREENING, actor=coordinator)
        exits[status]()
        return
    interview = None
    for step in PATH[: PATH.index(status) + 1]:
        if step == S.INTERVIEW_SCHEDULED:
            days = rng.randint(1, 12) if status == S.INTERVIEW_SCHEDULED else -rng.randint(5, 40)
            interview = interview_schedule(
                participation=participation,
                scheduled_at=(timezone.now() + datetime.timedelta(days=days)).replace(
                    hour=16, minute=0, second=0, microsecond=0
                ),
                duration_minutes=45,
                mode=rng.choice(Interview.Mode.values),
                location="https://meet.mentorship.example/intake",
                interviewer=coordinator,
                actor=coordinator,
            )
        elif step == S.INTERVIEWED:
            interview_record(
                interview=interview,
                actor=coordinator,
                observed_clb=rng.randint(6, 10),
                readiness=rng.choice(Interview.Readiness.values),
                background_notes=_background(participation),
                personality_notes="Motivated and open; expects help with the Canadian job search.",
                recommended_focus="Networking in the field and preparing for licensing.",
                outcome=Interview.Outcome.ACCEPT,
            )
        elif step == S.ACCEPTED:
            participation_accept(participation=participation, actor=coordinator)
        else:
            participation_move(participation=participation, to_status=step, actor=coordinator)


def _backdate(participation: Participation, *, days_ago: int) -> None:
    # Spread the demo over the last months so the inbox and dashboard look lived in.
    moment = timezone.now() - datetime.timedelta(days=days_ago, hours=days_ago % 7)
    Participation.objects.filter(pk=participation.pk).update(created_at=moment)
    participation.application.__class__.objects.filter(participation=participation).update(
        submitted_at=moment
    )


def _portal_passwords() -> None:
    from django.contrib.auth import get_user_model

    for email in PORTAL_LOGINS.values():
        user = get_user_model().objects.filter(email=email).first()
        if user is not None and not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if user is not None:
            EmailAddress.objects.filter(user=user, email=email).update(verified=True, primary=True)


def _background(participation: Participation) -> str:
    profile = getattr(participation, "mentee_profile", None) or getattr(participation, "mentor_profile", None)
    return f"{profile.years_experience} years as {profile.occupation_title.lower()}." if profile else ""
