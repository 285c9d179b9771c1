"""Every staff page: anonymous visitors are sent to sign in, other organizations get 404,
participants and funders are refused."""

import pytest
from django.urls import reverse

from participants.tests.factories import ParticipationFactory
from programs.models import StaffMembership
from programs.tests.factories import FunderMembershipFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(program, org_admin):
    participation = ParticipationFactory(program=program)
    membership = StaffMembership.objects.get(user=org_admin)
    return {"program": program, "person": participation.person, "membership": membership}


def _object_urls(objects):
    return [
        reverse("programs:program_detail", args=[objects["program"].slug]),
        reverse("programs:program_edit", args=[objects["program"].slug]),
        reverse("participants:person_detail", args=[objects["person"].pk]),
        reverse("programs:staff_edit", args=[objects["membership"].pk]),
    ]


def _area_urls():
    return [
        reverse("programs:dashboard"),
        reverse("programs:programs_overview"),
        reverse("participants:participant_list"),
        reverse("programs:program_list"),
        reverse("programs:program_create"),
        reverse("programs:staff_list"),
        reverse("programs:staff_invite"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, objects):
    for url in _object_urls(objects) + _area_urls() + [reverse("funders:home"), reverse("portal:home")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_staff_of_another_organization_get_404_on_every_object(client, objects, other_coordinator):
    client.force_login(other_coordinator)
    for url in _object_urls(objects):
        assert client.get(url).status_code == 404, url


def test_staff_of_another_organization_cannot_post_to_objects(client, objects, other_coordinator):
    client.force_login(other_coordinator)
    response = client.post(
        reverse("programs:staff_set_active", args=[objects["membership"].pk]), {"active": "0"}
    )
    assert response.status_code == 404
    objects["membership"].refresh_from_db()
    assert objects["membership"].is_active


def test_switching_to_another_organizations_program_gets_404(client, objects, other_coordinator):
    client.force_login(other_coordinator)
    response = client.post(reverse("programs:program_switch"), {"program": objects["program"].slug})
    assert response.status_code == 404


def test_participants_and_funders_are_refused_staff_pages(client, objects, participant_user):
    funder_user = FunderMembershipFactory().user
    for user in (participant_user, funder_user):
        client.force_login(user)
        for url in _area_urls():
            assert client.get(url).status_code == 403, (user, url)
        for url in _object_urls(objects):
            assert client.get(url).status_code in (403, 404), (user, url)


def test_coordinators_are_refused_organization_settings(client, objects, coordinator):
    client.force_login(coordinator)
    for name in (
        "programs:program_list",
        "programs:program_create",
        "programs:staff_list",
        "programs:staff_invite",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("programs:program_edit", args=[objects["program"].slug])).status_code == 403
    assert client.get(reverse("programs:staff_edit", args=[objects["membership"].pk])).status_code == 403


def test_coordinator_limited_to_one_program_gets_404_on_the_other(client, organization, program):
    second = type(program).objects.create(organization=organization, name="Health", slug="health")
    person_elsewhere = ParticipationFactory(program=second).person
    limited = StaffMembershipFactory(organization=organization, programs=[program]).user
    client.force_login(limited)
    assert client.get(reverse("programs:program_detail", args=[program.slug])).status_code == 200
    assert client.get(reverse("programs:program_detail", args=[second.slug])).status_code == 404
    assert client.get(reverse("participants:person_detail", args=[person_elsewhere.pk])).status_code == 404


def test_staff_pages_open_for_their_own_staff(client, objects, org_admin):
    client.force_login(org_admin)
    for url in _object_urls(objects) + _area_urls():
        assert client.get(url).status_code == 200, url


def test_funder_area_is_only_for_funders(client, coordinator, participant_user):
    for user in (coordinator, participant_user):
        client.force_login(user)
        assert client.get(reverse("funders:home")).status_code == 403
