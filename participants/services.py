"""Domain operations on people and participations. Each is atomic and logged."""

from __future__ import annotations

from django.db import transaction

from programs.activity import activity_record
from programs.models import Program

from .models import Participation, Person


@transaction.atomic
def person_create(*, organization, actor, **fields) -> Person:
    person = Person(organization=organization, **fields)
    person.full_clean()
    person.save()
    activity_record(actor=actor, verb="person.created", target=person, organization=organization)
    return person


@transaction.atomic
def participation_create(
    *, person: Person, program: Program, role: str, status: str = Participation.Status.SUBMITTED, actor
) -> Participation:
    participation = Participation(person=person, program=program, role=role, status=status)
    participation.full_clean()
    participation.save()
    activity_record(
        actor=actor,
        verb="participation.created",
        target=person,
        organization=program.organization,
        program=program,
        data={"role": role, "status": status},
    )
    return participation
