import datetime

import factory

from accounts.tests.factories import UserFactory
from participants.models import Application, Interview, MenteeProfile, MentorProfile, Participation, Person
from programs.tests.factories import ProgramFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory("programs.tests.factories.OrganizationFactory")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@people.example")
    city = "Edmonton"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..program.organization"))
    role = Participation.Role.MENTEE
    status = Participation.Status.SUBMITTED


class MenteeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeProfile

    participation = factory.SubFactory(ParticipationFactory, role=Participation.Role.MENTEE)
    occupation_title = "Civil engineer"
    years_experience = 8
    credential_country = "Nigeria"
    goals = factory.LazyFunction(lambda: [MenteeProfile.Goal.EMPLOYMENT_IN_FIELD])


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    participation = factory.SubFactory(ParticipationFactory, role=Participation.Role.MENTOR)
    occupation_title = "Senior civil engineer"
    employer_name = "Prairie Infrastructure Ltd."
    designation = "P.Eng."
    years_experience = 20


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    participation = factory.SubFactory(ParticipationFactory)
    answers = factory.LazyAttribute(lambda a: {"email": a.participation.person.email})


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    participation = factory.SubFactory(ParticipationFactory)
    scheduled_at = factory.Faker("date_time_between", start_date="+1d", end_date="+14d", tzinfo=datetime.UTC)
    interviewer = factory.SubFactory(UserFactory)
