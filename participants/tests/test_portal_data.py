"""My data in the portal: downloads (private, never cached), asking for a correction, leaving a
program (at once, or through the coordinator when a match depends on it), asking for deletion,
and that nobody reaches another person's data."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from participants.models import DataRequest, Interview, Participation
from programs.models import ActivityEntry

from .factories import InterviewFactory
from .portal_helpers import active_match, mentee, mentor

pytestmark = pytest.mark.django_db
S = Participation.Status
K = DataRequest.Kind


@pytest.fixture
def amina(program):
    return mentee(program)


def _urls(participation: Participation) -> list[str]:
    person = participation.person
    return [
        reverse("portal:data_json", args=[person.pk]),
        reverse("portal:data_pdf", args=[person.pk]),
        reverse("portal:data_correction", args=[person.pk]),
        reverse("portal:data_deletion", args=[person.pk]),
        reverse("portal:data_withdraw", args=[participation.pk]),
    ]


# --- Who may come in ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, amina):
    for url in [reverse("portal:data"), *_urls(amina)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_someone_elses_ids_give_404(client, program, amina):
    other = mentee(program, first_name="Li", email="li@example.org")
    client.force_login(amina.person.user)
    for url in _urls(other):
        assert client.get(url).status_code == 404, url
    for url in _urls(other)[2:]:  # the downloads answer GET only
        assert client.post(url, {"message": "x", "confirm": "on"}).status_code == 404, url
    assert not DataRequest.objects.exists()


def test_staff_are_refused(client, coordinator, amina):
    client.force_login(coordinator)
    assert client.get(reverse("portal:data")).status_code == 403
    assert client.get(reverse("portal:data_json", args=[amina.person.pk])).status_code == 403


def test_a_login_without_a_program_sees_a_plain_empty_state(client):
    client.force_login(UserFactory())
    response = client.get(reverse("portal:data"))
    assert response.status_code == 200
    assert "We do not hold any data about you yet." in response.content.decode()


# --- Downloads ------------------------------------------------------------------------------------


def test_the_page_offers_both_downloads(client, amina):
    client.force_login(amina.person.user)
    body = client.get(reverse("portal:data")).content.decode()
    assert reverse("portal:data_json", args=[amina.person.pk]) in body
    assert reverse("portal:data_pdf", args=[amina.person.pk]) in body
    assert reverse("portal:profile") in body


@pytest.mark.parametrize(
    ("name", "content_type", "extension"),
    [("portal:data_json", "application/json", "json"), ("portal:data_pdf", "application/pdf", "pdf")],
)
def test_downloads_are_private_attachments_and_logged(client, amina, name, content_type, extension):
    client.force_login(amina.person.user)
    response = client.get(reverse(name, args=[amina.person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    entry = ActivityEntry.objects.get(verb="personal_data.exported")
    assert (entry.target_id, entry.data, entry.actor) == (
        str(amina.person.pk),
        {"format": extension},
        amina.person.user,
    )


def test_the_json_download_is_my_export(client, amina):
    client.force_login(amina.person.user)
    document = json.loads(client.get(reverse("portal:data_json", args=[amina.person.pk])).content)
    (person,) = next(s["rows"] for s in document["sections"] if s["model"] == "participants.person")
    assert person["email"] == amina.person.email


def test_downloads_are_get_only(client, amina):
    client.force_login(amina.person.user)
    assert client.post(reverse("portal:data_json", args=[amina.person.pk])).status_code == 405


# --- Correction ----------------------------------------------------------------------------------


def test_a_correction_needs_a_message(client, amina):
    client.force_login(amina.person.user)
    response = client.post(reverse("portal:data_correction", args=[amina.person.pk]), {"message": " "})
    assert response.status_code == 200
    assert "Please tell us what is wrong and what it should say." in response.content.decode()
    assert not DataRequest.objects.exists()


def test_a_correction_reaches_the_coordinator_once(client, amina):
    client.force_login(amina.person.user)
    url = reverse("portal:data_correction", args=[amina.person.pk])
    response = client.post(url, {"message": "My last name is Okafor-Bello."}, follow=True)
    assert "Your request is on its way." in response.content.decode()
    request = DataRequest.objects.get()
    assert (request.kind, request.message, request.person) == (
        K.CORRECTION,
        "My last name is Okafor-Bello.",
        amina.person,
    )
    entry = ActivityEntry.objects.get(verb="data_request.sent")
    assert entry.data == {"data_request": request.pk, "kind": K.CORRECTION}
    again = client.post(url, {"message": "Again"})
    assert again.status_code == 200
    assert "You already sent this request." in again.content.decode()
    assert DataRequest.objects.count() == 1


# --- Leaving a program ---------------------------------------------------------------------------


def test_leaving_during_screening_withdraws_at_once_and_cancels_the_interview(client, program):
    participation = mentee(program, status=S.SCREENING)
    interview = InterviewFactory(participation=participation)
    participation.status = S.INTERVIEW_SCHEDULED
    participation.save()
    client.force_login(participation.person.user)
    url = reverse("portal:data_withdraw", args=[participation.pk])
    page = client.get(url).content.decode()
    assert "If an interview is booked, it will be cancelled." in page
    response = client.post(url, {"reason": ""}, follow=True)
    assert "You have left" in response.content.decode()
    participation.refresh_from_db()
    interview.refresh_from_db()
    assert participation.status == S.WITHDRAWN
    assert participation.status_reason == "Withdrew in the portal without giving a reason."
    assert interview.status == Interview.Status.CANCELLED
    assert not DataRequest.objects.exists()
    entry = ActivityEntry.objects.get(verb="participation.withdrawn")
    assert entry.actor == participation.person.user


def test_leaving_keeps_my_reason(client, program):
    participation = mentee(program, status=S.WAITLISTED)
    client.force_login(participation.person.user)
    client.post(reverse("portal:data_withdraw", args=[participation.pk]), {"reason": "I found a job."})
    participation.refresh_from_db()
    assert (participation.status, participation.status_reason) == (S.WITHDRAWN, "I found a job.")


def test_leaving_an_active_match_goes_to_the_coordinator(client, program):
    match = active_match(program, mentee(program), mentor(program))
    participation = match.mentee
    client.force_login(participation.person.user)
    url = reverse("portal:data_withdraw", args=[participation.pk])
    assert 'data-testid="through-coordinator"' in client.get(url).content.decode()
    response = client.post(url, {"reason": "Moving to Halifax"}, follow=True)
    assert "Your coordinator has your request" in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == S.MATCHED
    request = DataRequest.objects.get()
    assert (request.kind, request.participation, request.message) == (
        K.WITHDRAWAL,
        participation,
        "Moving to Halifax",
    )
    body = client.get(reverse("portal:data")).content.decode()
    assert "Your request to leave is with your coordinator." in body


def test_a_closed_participation_cannot_be_left_again(client, program):
    participation = mentee(program, status=S.WITHDRAWN)
    client.force_login(participation.person.user)
    response = client.post(reverse("portal:data_withdraw", args=[participation.pk]), follow=True)
    assert "You have already left this program." in response.content.decode()
    assert not DataRequest.objects.exists()


# --- Deletion ------------------------------------------------------------------------------------


def test_asking_for_deletion_needs_the_box_ticked(client, amina):
    client.force_login(amina.person.user)
    url = reverse("portal:data_deletion", args=[amina.person.pk])
    response = client.post(url, {"message": "Please"})
    assert response.status_code == 200
    assert "Tick the box to confirm." in response.content.decode()
    assert not DataRequest.objects.exists()


def test_asking_for_deletion_sends_one_request(client, amina):
    client.force_login(amina.person.user)
    url = reverse("portal:data_deletion", args=[amina.person.pk])
    client.post(url, {"message": "Please delete everything.", "confirm": "on"})
    request = DataRequest.objects.get()
    assert (request.kind, request.message, request.handled_at) == (
        K.DELETION,
        "Please delete everything.",
        None,
    )
    home = client.get(reverse("portal:data")).content.decode()
    assert 'data-testid="deletion-waiting"' in home
    assert f'data-testid="my-request-{request.pk}"' in home
    response = client.get(url, follow=True)
    assert "Your request to delete your data is with your coordinator." in response.content.decode()
    assert DataRequest.objects.count() == 1


def test_my_requests_show_what_was_done(client, amina, coordinator):
    from participants.data_request_services import data_request_handle, data_request_send

    request = data_request_send(person=amina.person, kind=K.CORRECTION, message="Wrong city", actor=None)
    data_request_handle(data_request=request, note="Corrected to Red Deer.", actor=coordinator)
    client.force_login(amina.person.user)
    body = client.get(reverse("portal:data")).content.decode()
    assert "Corrected to Red Deer." in body
    assert "Waiting for your coordinator." not in body
