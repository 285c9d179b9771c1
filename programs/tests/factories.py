import datetime

import factory

from accounts.tests.factories import UserFactory
from programs.models import (
    Cohort,
    Funder,
    FunderMembership,
    Funding,
    Organization,
    Partner,
    PrivacyNotice,
    Program,
    StaffMembership,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Immigrant Employment Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    region = "Alberta"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Mentorship Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    focus = "Employment-ready internationally educated professionals"


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = StaffMembership.Role.COORDINATOR

    @factory.post_generation
    def programs(membership, create, extracted, **kwargs):
        if create and extracted:
            membership.programs.set(extracted)


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Foundation {n}")
    slug = factory.Sequence(lambda n: f"foundation-{n}")


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    program = factory.SubFactory(ProgramFactory)
    funder = factory.SubFactory(FunderFactory, organization=factory.SelfAttribute("..program.organization"))


class FunderMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunderMembership

    user = factory.SubFactory(UserFactory)
    funder = factory.SubFactory(FunderFactory)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.Faker("date_between", start_date="-60d", end_date="+60d")


class PrivacyNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyNotice

    program = factory.SubFactory(ProgramFactory)
    version = factory.Sequence(lambda n: n + 1)
    text = "We keep your information to match you with a mentor and to report totals to funders."
    published_at = factory.Faker("date_time_this_year", tzinfo=datetime.UTC)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = Partner.Kind.SETTLEMENT
