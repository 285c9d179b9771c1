"""Resources in the portal: the person's programs' materials for their role, downloaded only
through the portal, and marked read for the checklist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participants.models import ResourceRead
from programs.models import ActivityEntry, ProgramResource
from programs.tests.factories import ProgramFactory

from .apply_data import pdf_bytes, upload
from .portal_helpers import S, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


def _resource(program, title: str, **fields) -> ProgramResource:
    if "url" not in fields:
        fields |= {"file": upload(f"{title}.pdf", pdf_bytes()), "original_filename": f"{title}.pdf"}
    return ProgramResource.objects.create(program=program, title=title, **fields)


def test_a_mentee_sees_resources_for_everyone_and_for_mentees(client, program):
    participation = mentee(program, status=S.ACCEPTED)
    _resource(program, "Welcome package", audience="everyone")
    _resource(program, "Mentee orientation", audience="mentee", url="https://example.org/mentee")
    _resource(program, "Mentor guide", audience="mentor")
    _resource(ProgramFactory(organization=program.organization), "Another program's guide")
    client.force_login(participation.person.user)
    body = client.get(reverse("portal:resources")).content.decode()
    assert "Welcome package" in body and "Mentee orientation" in body
    assert "Mentor guide" not in body
    assert "Another program&#x27;s guide" not in body and "Another program's guide" not in body


def test_applicants_not_yet_accepted_see_no_resources(client, program):
    participation = mentee(program, status=S.INTERVIEWED)
    _resource(program, "Welcome package")
    client.force_login(participation.person.user)
    body = client.get(reverse("portal:resources")).content.decode()
    assert "There are no resources for you yet." in body


def test_a_participant_downloads_a_resource_of_their_program(client, program):
    participation = mentor(program)
    resource = _resource(program, "Mentor guide", audience="mentor")
    client.force_login(participation.person.user)
    response = client.get(reverse("portal:resource_download", args=[resource.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="Mentor guide.pdf"' in response["Content-Disposition"]


def test_resources_for_the_other_role_are_not_downloadable(client, program):
    participation = mentee(program)
    resource = _resource(program, "Mentor guide", audience="mentor")
    client.force_login(participation.person.user)
    assert client.get(reverse("portal:resource_download", args=[resource.pk])).status_code == 404
    assert client.post(reverse("portal:resource_read", args=[resource.pk])).status_code == 404


def test_a_link_has_nothing_to_download(client, program):
    participation = mentee(program)
    resource = _resource(program, "Video", url="https://example.org/video")
    client.force_login(participation.person.user)
    assert client.get(reverse("portal:resource_download", args=[resource.pk])).status_code == 404


def test_marking_a_resource_read_is_kept_once(client, program):
    participation = mentee(program)
    resource = _resource(program, "Welcome package", is_required=True)
    client.force_login(participation.person.user)
    for _ in range(2):
        assert client.post(reverse("portal:resource_read", args=[resource.pk])).status_code == 302
    assert ResourceRead.objects.filter(person=participation.person, resource=resource).count() == 1
    assert ActivityEntry.objects.filter(verb="resource.read").count() == 1
    assert 'data-testid="read"' in client.get(reverse("portal:resources")).content.decode()


def test_marking_read_needs_a_post(client, program):
    participation = mentee(program)
    resource = _resource(program, "Welcome package")
    client.force_login(participation.person.user)
    assert client.get(reverse("portal:resource_read", args=[resource.pk])).status_code == 405


@pytest.mark.parametrize("resources", [2, 30])
def test_resources_page_query_count_does_not_grow(client, program, resources, django_assert_max_num_queries):
    participation = mentee(program)
    for number in range(resources):
        _resource(program, f"Guide {number}", url="https://example.org/")
    client.force_login(participation.person.user)
    # Session, user, staff memberships and funders (navigation), people, the count and a page.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("portal:resources"))
    assert response.status_code == 200
