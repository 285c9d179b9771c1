"""Demo participants: mentees and mentors at every stage of intake. Idempotent."""

from __future__ import annotations

import random

from programs.models import Program

from .models import Participation, Person
from .services import participation_create, person_create

MENTEE_STATUSES = [
    Participation.Status.SUBMITTED,
    Participation.Status.SUBMITTED,
    Participation.Status.SCREENING,
    Participation.Status.INTERVIEW_SCHEDULED,
    Participation.Status.ACCEPTED,
    Participation.Status.READY_TO_MATCH,
    Participation.Status.READY_TO_MATCH,
    Participation.Status.READY_TO_MATCH,
    Participation.Status.MATCHED,
    Participation.Status.MATCHED,
    Participation.Status.WAITLISTED,
    Participation.Status.COMPLETED,
]
MENTOR_STATUSES = [
    Participation.Status.SUBMITTED,
    Participation.Status.READY_TO_MATCH,
    Participation.Status.READY_TO_MATCH,
    Participation.Status.MATCHED,
    Participation.Status.MATCHED,
    Participation.Status.ALUMNI,
]


def seed_people(programs: dict[str, Program]) -> None:
    from .demo_people import demo_mentees, demo_mentors

    rng = random.Random(2026)
    for program in programs.values():
        if program.participations.exists():
            continue
        organization_slug = program.organization.slug
        for person, status in zip(
            demo_mentees(program.slug, organization_slug, len(MENTEE_STATUSES), rng),
            MENTEE_STATUSES,
            strict=True,
        ):
            _add(program, person, Participation.Role.MENTEE, status)
        for person, status in zip(
            demo_mentors(program.slug, organization_slug, len(MENTOR_STATUSES), rng),
            MENTOR_STATUSES,
            strict=True,
        ):
            _add(program, person, Participation.Role.MENTOR, status)


def _add(program: Program, data: dict, role: str, status: str) -> None:
    person = Person.objects.filter(organization=program.organization, email=data["email"]).first()
    if person is None:
        person = person_create(
            organization=program.organization,
            actor=None,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            city=data["city"],
        )
    participation_create(person=person, program=program, role=role, status=status, actor=None)
