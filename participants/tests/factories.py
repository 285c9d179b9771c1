import factory

from participants.models import Participation, Person
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
