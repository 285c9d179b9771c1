""" "Need help" messages: sent from the portal, waiting on the coordinator's dashboard, handled
on the help requests page of the program."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.help_services import help_request_handle, help_request_send
from participants.models import HelpRequest
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .portal_helpers import active_match, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_request(program):
    participation = mentee(program)
    return help_request_send(
        person=participation.person,
        program=program,
        message="My mentor has not answered for three weeks.",
        actor=participation.person.user,
    )


def test_sending_records_the_request_and_its_activity(help_request):
    assert help_request.is_open
    entry = ActivityEntry.objects.get(verb="help_request.sent")
    assert entry.target_id == str(help_request.person.pk)
    assert entry.data == {"help_request": help_request.pk, "match": None}


def test_a_person_can_only_write_to_their_own_programs(program, organization):
    participation = mentee(program)
    with pytest.raises(ValidationError):
        help_request_send(
            person=participation.person,
            program=ProgramFactory(organization=organization),
            message="Hello",
            actor=participation.person.user,
        )


def test_a_person_can_only_ask_about_their_own_match(program):
    match = active_match(program, mentee(program), mentor(program))
    stranger = mentee(program, first_name="Li", email="li@example.org")
    with pytest.raises(ValidationError):
        help_request_send(
            person=stranger.person, program=program, match=match, message="Hi", actor=stranger.person.user
        )


def test_an_empty_message_is_refused(program):
    participation = mentee(program)
    with pytest.raises(ValidationError):
        help_request_send(person=participation.person, program=program, message="  ", actor=None)


def test_handling_records_who_when_and_what_once(help_request, coordinator):
    help_request_handle(help_request=help_request, note="Called both; meeting on Friday.", actor=coordinator)
    help_request.refresh_from_db()
    assert not help_request.is_open
    assert (help_request.handled_by, help_request.handled_note) == (
        coordinator,
        "Called both; meeting on Friday.",
    )
    assert ActivityEntry.objects.filter(verb="help_request.handled", actor=coordinator).count() == 1
    with pytest.raises(ValidationError):
        help_request_handle(help_request=help_request, actor=coordinator)


# --- Pages -----------------------------------------------------------------------------------------


def test_the_dashboard_counts_waiting_requests(client, coordinator, help_request):
    client.force_login(coordinator)
    body = client.get(reverse("programs:dashboard")).content.decode()
    assert 'data-testid="count-help-requests">1<' in body
    assert reverse("help_requests:list") in body


def test_coordinator_sees_and_handles_a_request(client, coordinator, help_request):
    client.force_login(coordinator)
    page = client.get(reverse("help_requests:list")).content.decode()
    assert "My mentor has not answered for three weeks." in page
    assert help_request.person.full_name in page
    response = client.post(
        reverse("help_requests:handle", args=[help_request.pk]), {"note": "Called the mentor."}
    )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.handled_by == coordinator
    assert "My mentor has not answered" not in client.get(reverse("help_requests:list")).content.decode()
    handled = client.get(reverse("help_requests:list") + "?status=handled").content.decode()
    assert "Called the mentor." in handled
    assert (
        'data-testid="count-help-requests">0<' in client.get(reverse("programs:dashboard")).content.decode()
    )


def test_handling_twice_says_so(client, coordinator, help_request):
    client.force_login(coordinator)
    url = reverse("help_requests:handle", args=[help_request.pk])
    client.post(url, {"note": ""})
    response = client.post(url, {"note": ""}, follow=True)
    assert "This request has already been handled." in response.content.decode()


def test_a_note_too_long_comes_back_with_the_error(client, coordinator, help_request):
    client.force_login(coordinator)
    response = client.post(reverse("help_requests:handle", args=[help_request.pk]), {"note": "x" * 2001})
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.is_open


def test_anonymous_visitors_are_sent_to_sign_in(client, help_request):
    for url in (reverse("help_requests:list"), reverse("help_requests:handle", args=[help_request.pk])):
        response = client.get(url) if url.endswith("requests/") else client.post(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_coordinators_of_another_organization_get_404(client, other_coordinator, help_request):
    client.force_login(other_coordinator)
    assert help_request.message not in client.get(reverse("help_requests:list")).content.decode()
    assert client.post(reverse("help_requests:handle", args=[help_request.pk])).status_code == 404
    help_request.refresh_from_db()
    assert help_request.is_open


def test_a_coordinator_limited_to_another_program_gets_404(client, organization, help_request):
    other = ProgramFactory(organization=organization)
    user = StaffMembershipFactory(organization=organization, programs=[other]).user
    client.force_login(user)
    assert help_request.message not in client.get(reverse("help_requests:list")).content.decode()
    assert client.post(reverse("help_requests:handle", args=[help_request.pk])).status_code == 404


def test_participants_are_refused(client, help_request):
    client.force_login(help_request.person.user)
    assert client.get(reverse("help_requests:list")).status_code == 403
    assert client.post(reverse("help_requests:handle", args=[help_request.pk])).status_code == 403


@pytest.mark.parametrize("requests", [2, 40])
def test_list_query_count_does_not_grow(
    client, coordinator, program, requests, django_assert_max_num_queries
):
    participation = mentee(program)
    match = active_match(program, participation, mentor(program))
    for number in range(requests):
        help_request_send(
            person=participation.person,
            program=program,
            match=match if number % 2 else None,
            message=f"Question {number}",
            actor=None,
        )
    client.force_login(coordinator)
    # Session, user, memberships (+ programs), switchable programs, the count and a page.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("help_requests:list"))
    assert response.status_code == 200


def test_the_dashboard_query_count_stays_pinned(
    client, coordinator, help_request, django_assert_max_num_queries
):
    client.force_login(coordinator)
    # As programs/tests/test_dashboard.py, plus the one count of waiting requests.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("programs:dashboard")).status_code == 200
    assert HelpRequest.objects.count() == 1
