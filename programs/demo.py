"""Demo organizations: programs with their setup, staff, partners and funders. Idempotent."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    Cohort,
    Funder,
    FunderContact,
    FunderMembership,
    Funding,
    Organization,
    Partner,
    PrivacyNotice,
    Program,
    ProgramResource,
    ReportingPeriod,
    StaffMembership,
)
from .services import program_create

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
                "minimum_clb": 7,
                "employment_ready_only": True,
            },
            {
                "slug": "prairie-health",
                "name": "Healthcare Professionals Mentorship",
                "focus": "Internationally educated nurses, physicians and allied health professionals",
                "region": "Central Alberta",
                "description": "Mentoring toward licensure and first Canadian healthcare roles.",
                "minimum_clb": 7,
            },
        ],
        "partners": [
            ("Prairie Infrastructure Ltd.", Partner.Kind.EMPLOYER, True),
            ("Central Alberta Health Network", Partner.Kind.EMPLOYER, True),
            ("Red Deer Valley Chamber of Commerce", Partner.Kind.CHAMBER, False),
            ("Prairie Association of Professional Engineers", Partner.Kind.REGULATOR, False),
            ("Central Alberta Newcomer Centre", Partner.Kind.SETTLEMENT, False),
            ("Prairie Language Academy", Partner.Kind.LANGUAGE, False),
            ("Nigerian Canadian Association of Central Alberta", Partner.Kind.ETHNIC_FAITH, False),
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
        "partners": [
            ("City of Riverbend", Partner.Kind.MUNICIPALITY, False),
            ("Riverbend Chamber of Commerce", Partner.Kind.CHAMBER, True),
            ("Riverbend Public Library", Partner.Kind.LIBRARY, False),
            ("Southern Prairie Growers Co-operative", Partner.Kind.EMPLOYER, True),
            ("Riverbend Adult Learning Centre", Partner.Kind.LANGUAGE, False),
        ],
    },
]

PRIVACY_NOTICE = (
    "{organization} collects the information in this application to decide whether the program "
    "fits you, to match you with a {other_role}, and to support you during the program. Only our "
    "program staff see it. We share your name and contact details with your match only after you "
    "both accept. Funders receive totals, never your name. You may ask to see, correct or delete "
    "your information at any time."
)

RESOURCES = [
    ("Mentor orientation guide", ProgramResource.Kind.ORIENTATION, ProgramResource.Audience.MENTOR),
    ("Mentee welcome package", ProgramResource.Kind.WELCOME, ProgramResource.Audience.MENTEE),
    ("Roles and expectations", ProgramResource.Kind.EXPECTATIONS, ProgramResource.Audience.EVERYONE),
    ("Goal-setting worksheet", ProgramResource.Kind.TOOL, ProgramResource.Audience.EVERYONE),
]

User = get_user_model()


def demo_user(email: str, first_name: str, last_name: str, *, superuser: bool = False):
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed_organizations() -> dict[str, Program]:
    admin = demo_user("admin@demo.example", "Avery", "Admin", superuser=True)
    programs: dict[str, Program] = {}
    organizations: dict[str, Organization] = {}
    today = timezone.localdate()
    for spec in ORGANIZATIONS:
        organization, _ = Organization.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "region": spec["region"]}
        )
        organizations[spec["slug"]] = organization
        for name, kind, champion in spec["partners"]:
            Partner.objects.get_or_create(
                organization=organization, name=name, defaults={"kind": kind, "is_champion": champion}
            )
        for program_spec in spec["programs"]:
            program = Program.objects.filter(slug=program_spec["slug"]).first()
            if program is None:
                program = program_create(organization=organization, actor=admin, **program_spec)
            programs[program.slug] = program
            _program_setup(program, today)

    _staff(
        "manager@demo.example", "Grace", "Mwangi", organizations["prairie-riec"], StaffMembership.Role.ADMIN
    )
    _staff("coordinator@demo.example", "Bao", "Nguyen", organizations["prairie-riec"], "coordinator")
    _staff(
        "coordinator2@demo.example", "Tyler", "Ramsay", organizations["riverbend"], StaffMembership.Role.ADMIN
    )

    # Each organization keeps its own record of the same provincial funder; its officer reads both.
    funder_user = demo_user("funder@demo.example", "Jordan", "Whitelaw")
    for organization in organizations.values():
        funder, _ = Funder.objects.get_or_create(
            slug=f"prairie-labour-{organization.slug}",
            defaults={"organization": organization, "name": "Prairie Province Labour and Immigration"},
        )
        FunderContact.objects.get_or_create(
            funder=funder,
            name="Jordan Whitelaw",
            defaults={"title": "Program officer", "email": funder_user.email},
        )
        fiscal_start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
        for quarter in range(4):
            starts_on = _add_months(fiscal_start, 3 * quarter)
            ReportingPeriod.objects.get_or_create(
                funder=funder,
                name=f"Q{quarter + 1} {fiscal_start.year}-{str(fiscal_start.year + 1)[2:]}",
                defaults={
                    "starts_on": starts_on,
                    "ends_on": _add_months(starts_on, 3) - datetime.timedelta(days=1),
                    "report_due_on": _add_months(starts_on, 4) - datetime.timedelta(days=1),
                },
            )
        for program in organization.programs.all():
            Funding.objects.get_or_create(
                funder=funder, program=program, defaults={"starts_on": fiscal_start}
            )
        FunderMembership.objects.get_or_create(user=funder_user, funder=funder)
    return programs


def _program_setup(program: Program, today: datetime.date) -> None:
    spring = datetime.date(today.year, 3, 1) if today.month >= 3 else datetime.date(today.year - 1, 3, 1)
    for name, starts_on, is_open in (
        (f"Spring {spring.year}", spring, False),
        (f"Fall {spring.year}", datetime.date(spring.year, 9, 1), True),
    ):
        Cohort.objects.get_or_create(
            program=program,
            name=name,
            defaults={
                "starts_on": starts_on,
                "ends_on": starts_on + datetime.timedelta(weeks=program.match_length_weeks + 4),
                "target_mentors": 20,
                "target_mentees": 40,
                "is_open": is_open,
            },
        )
    if not program.privacy_notices.exists():
        PrivacyNotice.objects.create(
            program=program,
            version=1,
            text=PRIVACY_NOTICE.format(organization=program.organization.name, other_role="mentor or mentee"),
            published_at=timezone.now(),
        )
    for position, (title, kind, audience) in enumerate(RESOURCES):
        ProgramResource.objects.get_or_create(
            program=program,
            title=title,
            defaults={
                "kind": kind,
                "audience": audience,
                "url": f"https://resources.mentorship.example/{program.slug}/{position + 1}",
                "is_required": kind in (ProgramResource.Kind.ORIENTATION, ProgramResource.Kind.EXPECTATIONS),
                "position": position,
            },
        )


def _staff(email: str, first_name: str, last_name: str, organization: Organization, role: str) -> None:
    user = demo_user(email, first_name, last_name)
    StaffMembership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)
