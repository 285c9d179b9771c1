"""Who may enter the portal, sign-in by emailed code, and that every id in a portal URL is
checked against the signed-in person: someone else's id gives 404."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.tests.factories import UserFactory
from matching.models import Meeting
from participants.models import Resume
from participants.resumes import resume_add
from programs.models import ProgramResource
from programs.tests.factories import FunderMembershipFactory, ProgramFactory, StaffMembershipFactory

from .apply_data import pdf_bytes, upload
from .portal_helpers import active_match, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


def _portal_urls(*, person, participation, match, resume, resource, year) -> list[str]:
    return [
        reverse("portal:contact", args=[person.pk]),
        reverse("portal:resume", args=[person.pk]),
        reverse("portal:sharing", args=[person.pk]),
        reverse("portal:participation", args=[participation.pk]),
        reverse("portal:resume_download", args=[resume.pk]),
        reverse("portal:match", args=[match.pk]),
        reverse("portal:match_meetings", args=[match.pk]),
        reverse("portal:agreement", args=[match.pk]),
        reverse("portal:match_help", args=[match.pk]),
        reverse("portal:hours_certificate", args=[person.pk, year]),
        reverse("portal:resource_download", args=[resource.pk]),
    ]


@pytest.fixture
def two_pairs(program):
    """Two active matches of the same program, each with a meeting, a resume and a resource."""
    pairs = []
    for suffix in ("a", "b"):
        match = active_match(
            program,
            mentee(program, last_name=f"Mentee-{suffix}", email=f"mentee-{suffix}@example.org"),
            mentor(program, last_name=f"Mentor-{suffix}", email=f"mentor-{suffix}@example.org"),
        )
        Meeting.objects.create(
            match=match, occurred_on=match.started_on, duration_minutes=60, topics="Hello", logged_as="mentee"
        )
        pairs.append(match)
    resource = ProgramResource.objects.create(
        program=program,
        title="Welcome",
        file=upload("welcome.pdf", pdf_bytes()),
        original_filename="welcome.pdf",
    )
    return pairs, resource


def _urls_of(match, side: str, resource) -> list[str]:
    participation = match.mentee if side == "mentee" else match.mentor
    person = participation.person
    resume = Resume.objects.filter(person=person).first() or resume_add(
        person=person, upload=upload("cv.pdf", pdf_bytes()), participation=participation, actor=None
    )
    return _portal_urls(
        person=person,
        participation=participation,
        match=match,
        resume=resume,
        resource=resource,
        year=match.started_on.year,
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, two_pairs):
    (match, _other), resource = two_pairs
    for url in [reverse("portal:home"), reverse("portal:profile"), *_urls_of(match, "mentor", resource)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_a_participant_reaches_every_page_of_their_own(client, two_pairs):
    (match, _other), resource = two_pairs
    client.force_login(match.mentor.person.user)
    for url in _urls_of(match, "mentor", resource):
        assert client.get(url).status_code == 200, url


def test_someone_elses_id_in_any_portal_url_gives_404(client, two_pairs):
    (mine, theirs), resource = two_pairs
    other_program_resource = ProgramResource.objects.create(
        program=ProgramFactory(organization=mine.program.organization),
        title="Other",
        url="https://example.org/",
    )
    client.force_login(mine.mentor.person.user)
    for side in ("mentee", "mentor"):
        for url in _urls_of(theirs, side, resource)[:-1]:
            assert client.get(url).status_code == 404, url
    assert (
        client.get(reverse("portal:resource_download", args=[other_program_resource.pk])).status_code == 404
    )
    assert client.post(reverse("portal:resource_read", args=[other_program_resource.pk])).status_code == 404
    assert (
        client.post(reverse("portal:match_answer", args=[theirs.pk]), {"answer": "accept"}).status_code == 404
    )


def test_a_participant_never_reaches_another_participants_data(client, two_pairs):
    (mine, theirs), _resource = two_pairs
    client.force_login(mine.mentee.person.user)
    pages = [reverse("portal:home"), reverse("portal:profile"), reverse("portal:matches")]
    for url in pages:
        body = client.get(url).content.decode()
        assert theirs.mentee.person.last_name not in body
        assert theirs.mentee.person.email not in body
        assert theirs.mentor.person.email not in body


def test_staff_who_are_not_participants_get_a_friendly_refusal(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 403
    assert "This space is for mentors and mentees" in response.content.decode()


def test_funders_who_are_not_participants_get_a_friendly_refusal(client, program):
    user = FunderMembershipFactory(funder__organization=program.organization).user
    client.force_login(user)
    assert client.get(reverse("portal:profile")).status_code == 403


def test_a_staff_member_who_is_also_a_mentor_reaches_their_portal(client, program, organization):
    participation = mentor(program)
    StaffMembershipFactory(user=participation.person.user, organization=organization)
    client.force_login(participation.person.user)
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_login_without_a_program_sees_what_comes_next(client):
    client.force_login(UserFactory())
    body = client.get(reverse("portal:home")).content.decode()
    assert "You are not part of a program yet" in body
    assert "You are not part of a program yet" in client.get(reverse("portal:profile")).content.decode()


def test_staff_pages_refuse_participants(client, program):
    participation = mentee(program)
    client.force_login(participation.person.user)
    for url in [
        reverse("programs:dashboard"),
        reverse("participants:participant_list"),
        reverse("participants:person_detail", args=[participation.person.pk]),
        reverse("matching:match_list"),
        reverse("help_requests:list"),
    ]:
        assert client.get(url).status_code == 403, url


def test_a_one_time_code_by_email_signs_a_participant_in(client, program):
    cache.clear()  # allauth's rate limits live in the cache
    participation = mentee(program, email="amina.okafor@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "amina.okafor@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina.okafor@example.org"]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[0].body, re.MULTILINE).group(1)

    response = client.post(response.url, {"code": code}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == participation.person.user_id
    assert "Welcome, Amina" in response.content.decode()


def test_a_wrong_code_does_not_sign_in(client, program):
    cache.clear()
    mentee(program, email="amina.okafor@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "amina.okafor@example.org"})
    response = client.post(response.url, {"code": "WRONG1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
