import pytest
from django.urls import reverse

from participants.models import Participation
from participants.tests.factories import ParticipationFactory
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db
Status, Role = Participation.Status, Participation.Role


def test_dashboard_counts_the_current_programs_people(client, coordinator, program):
    ParticipationFactory.create_batch(3, program=program, role=Role.MENTEE, status=Status.READY_TO_MATCH)
    ParticipationFactory.create_batch(2, program=program, role=Role.MENTEE, status=Status.SUBMITTED)
    ParticipationFactory(program=program, role=Role.MENTOR, status=Status.READY_TO_MATCH)
    ParticipationFactory.create_batch(4, role=Role.MENTEE, status=Status.READY_TO_MATCH)  # elsewhere

    client.force_login(coordinator)
    response = client.get(reverse("programs:dashboard"))

    assert response.status_code == 200
    assert response.context["waiting_mentees"] == 3
    assert response.context["new_applications"] == 2
    assert response.context["available_mentors"] == 1
    assert response.context["mentee_total"] == 5
    assert program.organization.name in response.content.decode()


def test_dashboard_follows_the_program_switcher(client, coordinator, program, organization):
    second = ProgramFactory(organization=organization, name="Healthcare Mentorship")
    ParticipationFactory.create_batch(2, program=second, role=Role.MENTOR)
    client.force_login(coordinator)

    response = client.post(
        reverse("programs:program_switch"), {"program": second.slug, "next": reverse("programs:dashboard")}
    )
    assert response.status_code == 302
    response = client.get(reverse("programs:dashboard"))
    assert response.context["program"] == second
    assert response.context["mentor_total"] == 2


def test_switcher_ignores_a_next_address_on_another_site(client, coordinator, program):
    client.force_login(coordinator)
    response = client.post(
        reverse("programs:program_switch"), {"program": program.slug, "next": "https://evil.example/"}
    )
    assert response.url == reverse("programs:dashboard")


def test_empty_program_explains_in_plain_language(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("programs:dashboard"))
    assert "Nobody has applied to this program yet" in response.content.decode()


@pytest.mark.parametrize("people", [5, 120])
def test_dashboard_query_count_does_not_grow_with_data(
    client, coordinator, program, people, django_assert_max_num_queries
):
    for index in range(people):
        ParticipationFactory(program=program, status=list(Status)[index % len(Status)])
    client.force_login(coordinator)
    # Session, user, memberships (+ programs), switchable programs, counts, activity.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("programs:dashboard")).status_code == 200


def test_home_sends_each_person_to_their_front_door(client, coordinator, participant_user):
    client.force_login(coordinator)
    assert client.get(reverse("home")).url == reverse("programs:dashboard")
    client.force_login(participant_user)
    assert client.get(reverse("home")).url == reverse("portal:home")
