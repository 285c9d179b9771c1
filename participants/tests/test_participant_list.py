import pytest
from django.urls import reverse

from participants.models import Participation
from participants.tests.factories import ParticipationFactory, PersonFactory
from programs.tests.factories import (
    FunderMembershipFactory,
    FundingFactory,
    ProgramFactory,
    StaffMembershipFactory,
)

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [row.record.person.full_name for row in response.context["table"].paginated_rows]


def test_list_shows_only_people_of_my_organization(client, coordinator, program, other_program):
    mine = ParticipationFactory(program=program, person__first_name="Amina", person__last_name="Okafor")
    ParticipationFactory(program=other_program, person__first_name="Diego", person__last_name="Ramirez")
    client.force_login(coordinator)
    response = client.get(reverse("participants:participant_list"))
    assert _names(response) == [mine.person.full_name]
    assert "Ramirez" not in response.content.decode()


def test_coordinator_limited_to_a_program_sees_only_its_people(client, organization, program):
    other = ProgramFactory(organization=organization)
    ParticipationFactory(program=other, person__last_name="Elsewhere")
    here = ParticipationFactory(program=program, person__last_name="Here")
    limited = StaffMembershipFactory(organization=organization, programs=[program]).user
    client.force_login(limited)
    assert _names(client.get(reverse("participants:participant_list"))) == [here.person.full_name]


def test_search_and_filters_narrow_the_list(client, coordinator, program):
    ParticipationFactory(
        program=program, person__first_name="Mei", person__last_name="Zhang", role=Participation.Role.MENTOR
    )
    ParticipationFactory(program=program, person__first_name="Rahul", person__last_name="Sharma")
    client.force_login(coordinator)
    url = reverse("participants:participant_list")
    assert _names(client.get(url, {"q": "zhang"})) == ["Mei Zhang"]
    assert _names(client.get(url, {"role": "mentee"})) == ["Rahul Sharma"]


def test_htmx_request_gets_only_the_table(client, coordinator, program):
    ParticipationFactory(program=program)
    client.force_login(coordinator)
    response = client.get(reverse("participants:participant_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and '<nav class="navbar' not in html


def test_list_is_paginated(client, coordinator, program, settings):
    ParticipationFactory.create_batch(30, program=program)
    client.force_login(coordinator)
    response = client.get(reverse("participants:participant_list"))
    assert len(_names(response)) == settings.PAGE_SIZE
    assert len(_names(client.get(reverse("participants:participant_list"), {"page": 2}))) == 5


@pytest.mark.parametrize("people", [10, 300])
def test_list_query_count_does_not_grow(client, coordinator, program, people, django_assert_max_num_queries):
    ParticipationFactory.create_batch(people, program=program)
    client.force_login(coordinator)
    # Session, user, memberships (+ programs), switcher, filter's program choices, count, page.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("participants:participant_list")).status_code == 200


def test_person_page_shows_profile_and_timeline(client, coordinator, program):
    from participants.services import participation_create, person_create

    person = person_create(
        organization=program.organization,
        actor=coordinator,
        first_name="Yusuf",
        last_name="Demir",
        email="yusuf@example.org",
    )
    participation_create(person=person, program=program, role="mentee", actor=coordinator)
    client.force_login(coordinator)
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert "Yusuf Demir" in html and program.name in html
    assert [entry.verb for entry in response.context["timeline"]] == [
        "participation.created",
        "person.created",
    ]


def test_person_without_participation_in_my_programs_is_hidden(client, coordinator, organization):
    person = PersonFactory(organization=organization)
    client.force_login(coordinator)
    assert client.get(person.get_absolute_url()).status_code == 404


def test_funder_sees_totals_of_funded_programs_only(client, program, other_program):
    membership = FunderMembershipFactory()
    FundingFactory(funder=membership.funder, program=program)
    ParticipationFactory.create_batch(3, program=program, person__last_name="Privatename")
    ParticipationFactory(program=other_program)
    client.force_login(membership.user)
    response = client.get(reverse("funders:home"))
    html = response.content.decode()
    assert [p.name for p in response.context["page_obj"]] == [program.name]
    assert response.context["page_obj"][0].mentee_count == 3
    assert other_program.name not in html
    assert "Privatename" not in html
