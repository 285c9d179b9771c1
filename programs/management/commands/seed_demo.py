"""Fictional but true-to-life demo data. Running it again changes nothing."""

from __future__ import annotations

import random
import unicodedata

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from participants.models import Participation, Person
from participants.services import participation_create, person_create
from programs.models import Funder, FunderMembership, Funding, Organization, Program, StaffMembership
from programs.services import program_create

DEMO_PASSWORD = "mentorship-demo"

ORGANIZATIONS = [
    {
        "slug": "prairie-riec",
        "name": "Prairie Region Immigrant Employment Council",
        "region": "Central Alberta",
        "programs": [
            {
                "slug": "prairie-engineering",
                "name": "Engineering and Technology Mentorship",
                "focus": "Employment-ready internationally educated engineers and IT professionals",
                "region": "Red Deer and area",
                "description": "Four-month occupation-specific mentoring with practising engineers "
                "and technologists, including support toward APEGA registration.",
            },
            {
                "slug": "prairie-health",
                "name": "Healthcare Professionals Mentorship",
                "focus": "Internationally educated nurses, physicians and allied health professionals",
                "region": "Central Alberta",
                "description": "Mentoring toward licensure and first Canadian healthcare roles.",
            },
        ],
    },
    {
        "slug": "riverbend",
        "name": "Riverbend Family Services",
        "region": "Southern Alberta",
        "programs": [
            {
                "slug": "riverbend-careers",
                "name": "Newcomer Career Mentorship",
                "focus": "Newcomers at every stage, from language learning to employment-ready",
                "region": "Riverbend and surrounding towns",
                "description": "Mentoring with clear expectations for each newcomer's stage, "
                "alongside our settlement and language programs.",
            },
        ],
    },
]

FIRST_NAMES = [
    "Amina",
    "Oluwaseun",
    "Mei",
    "Rahul",
    "Farah",
    "Mateo",
    "Yusuf",
    "Ananya",
    "Tatiana",
    "Kwame",
    "Leila",
    "Diego",
    "Nguyen",
    "Priya",
    "Bogdan",
    "Fatima",
    "Hiroshi",
    "Chiamaka",
    "Omar",
    "Sofia",
    "Arjun",
    "Zainab",
    "Andrés",
    "Ji-woo",
    "Esther",
    "Karim",
    "Lucía",
    "Emeka",
    "Mariam",
    "Ravi",
]
LAST_NAMES = [
    "Okafor",
    "Haddad",
    "Zhang",
    "Sharma",
    "Rahimi",
    "Gutiérrez",
    "Demir",
    "Iyer",
    "Kovalenko",
    "Mensah",
    "Nasser",
    "Ramírez",
    "Tran",
    "Patel",
    "Popescu",
    "Abdi",
    "Tanaka",
    "Eze",
    "Farouk",
    "Santos",
    "Reddy",
    "Hussein",
    "Morales",
    "Park",
    "Adeyemi",
    "Khalil",
    "Fernández",
    "Nwosu",
    "Begum",
    "Menon",
]
CITIES = ["Red Deer", "Lacombe", "Sylvan Lake", "Innisfail", "Riverbend", "Taber", "Coaldale"]
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

User = get_user_model()


class Command(BaseCommand):
    help = "Create demo organizations, programs, staff, a funder and participants (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        admin = _user("admin@demo.example", "Avery", "Admin", superuser=True)
        programs: dict[str, Program] = {}
        organizations: dict[str, Organization] = {}
        for spec in ORGANIZATIONS:
            organization, _ = Organization.objects.get_or_create(
                slug=spec["slug"], defaults={"name": spec["name"], "region": spec["region"]}
            )
            organizations[spec["slug"]] = organization
            for program_spec in spec["programs"]:
                program = Program.objects.filter(slug=program_spec["slug"]).first()
                if program is None:
                    program = program_create(organization=organization, actor=admin, **program_spec)
                programs[program.slug] = program

        _staff("manager@demo.example", "Grace", "Mwangi", organizations["prairie-riec"], "admin")
        _staff("coordinator@demo.example", "Bao", "Nguyen", organizations["prairie-riec"], "coordinator")
        _staff("coordinator2@demo.example", "Tyler", "Ramsay", organizations["riverbend"], "admin")

        # Each organization keeps its own record of the same provincial funder; the funder's
        # officer reads both.
        funder_user = _user("funder@demo.example", "Jordan", "Whitelaw")
        for organization in organizations.values():
            funder, _ = Funder.objects.get_or_create(
                slug=f"prairie-labour-{organization.slug}",
                defaults={"organization": organization, "name": "Prairie Province Labour and Immigration"},
            )
            for program in organization.programs.all():
                Funding.objects.get_or_create(funder=funder, program=program)
            FunderMembership.objects.get_or_create(user=funder_user, funder=funder)

        rng = random.Random(2026)
        for index, program in enumerate(programs.values()):
            _participants(program, rng, offset=index * 7, actor=admin)

        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo login uses the password '{DEMO_PASSWORD}'.")
        )


def _user(email: str, first_name: str, last_name: str, *, superuser: bool = False):
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _staff(email: str, first_name: str, last_name: str, organization: Organization, role: str) -> None:
    user = _user(email, first_name, last_name)
    StaffMembership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})


def _participants(program: Program, rng: random.Random, *, offset: int, actor) -> None:
    plan = [(Participation.Role.MENTEE, s) for s in MENTEE_STATUSES] + [
        (Participation.Role.MENTOR, s) for s in MENTOR_STATUSES
    ]
    for number, (role, status) in enumerate(plan):
        first = FIRST_NAMES[(number + offset) % len(FIRST_NAMES)]
        last = LAST_NAMES[(number * 7 + offset) % len(LAST_NAMES)]
        email = _ascii(f"{first}.{last}.{program.slug}@people.example").lower()
        person = Person.objects.filter(organization=program.organization, email=email).first()
        if person is None:
            person = person_create(
                organization=program.organization,
                actor=actor,
                first_name=first,
                last_name=last,
                email=email,
                phone=f"403-555-{rng.randint(1000, 9999)}",
                city=rng.choice(CITIES),
            )
        if not person.participations.filter(program=program).exists():
            participation_create(person=person, program=program, role=role, status=status, actor=actor)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
