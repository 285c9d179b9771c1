"""Data requests on the staff side: who sees and handles them, handling with a note, and erasing a
person's data: nothing personal is left anywhere, the program's numbers are kept."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils import timezone

from matching.circle_services import circle_add_member, circle_start
from matching.closure_services import match_close
from matching.meeting_services import meeting_log
from matching.models import CircleMembership, ClosingSurvey, DoNotMatch, GoalNote, Match, Meeting
from matching.services import do_not_match_add
from matching.tests.factories import CircleFactory, GoalFactory
from notifications.models import SentReminder, Unsubscribe
from participants.data_request_services import data_request_send
from participants.erasure import erased_email, person_erase
from participants.models import (
    Application,
    Consent,
    DataRequest,
    HelpRequest,
    Participation,
    PartnerSharing,
    Person,
    PersonLanguage,
    Resume,
)
from participants.pipeline import person_note_add
from participants.resumes import resume_add
from programs.models import ActivityEntry, StaffMembership
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .apply_data import pdf_bytes, upload
from .factories import InterviewFactory
from .portal_helpers import active_match, mentee, mentor

pytestmark = pytest.mark.django_db
K = DataRequest.Kind
S = Participation.Status


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def correction(program):
    participation = mentee(program)
    return data_request_send(
        person=participation.person, kind=K.CORRECTION, message="My name is misspelled.", actor=None
    )


@pytest.fixture
def deletion(program):
    participation = mentee(program, status=S.SCREENING)
    return data_request_send(person=participation.person, kind=K.DELETION, message="Please.", actor=None)


# --- Who sees and handles requests --------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, deletion):
    urls = [
        reverse("participants:data_requests"),
        reverse("participants:data_request_handle", args=[deletion.pk]),
        reverse("participants:data_request_erase", args=[deletion.pk]),
    ]
    for url in urls:
        response = client.post(url) if "handle" in url else client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_participants_are_refused(client, deletion):
    client.force_login(deletion.person.user)
    assert client.get(reverse("participants:data_requests")).status_code == 403
    assert client.post(reverse("participants:data_request_handle", args=[deletion.pk])).status_code == 403
    assert client.get(reverse("participants:data_request_erase", args=[deletion.pk])).status_code == 403


def test_coordinators_of_another_organization_get_404(client, other_coordinator, deletion):
    client.force_login(other_coordinator)
    assert deletion.person.full_name not in client.get(reverse("participants:data_requests")).content.decode()
    assert client.post(reverse("participants:data_request_handle", args=[deletion.pk])).status_code == 404
    assert client.get(reverse("participants:data_request_erase", args=[deletion.pk])).status_code == 404
    erase = client.post(reverse("participants:data_request_erase", args=[deletion.pk]), {"confirm": "on"})
    assert erase.status_code == 404
    deletion.refresh_from_db()
    assert deletion.is_open


def test_a_coordinator_limited_to_another_program_gets_404(client, organization, deletion):
    user = StaffMembershipFactory(
        organization=organization, programs=[ProgramFactory(organization=organization)]
    ).user
    client.force_login(user)
    assert deletion.person.full_name not in client.get(reverse("participants:data_requests")).content.decode()
    assert client.post(reverse("participants:data_request_handle", args=[deletion.pk])).status_code == 404
    assert client.get(reverse("participants:data_request_erase", args=[deletion.pk])).status_code == 404


def test_the_coordinator_sees_open_requests_and_the_dashboard_counts_them(
    client, coordinator, correction, deletion
):
    client.force_login(coordinator)
    page = client.get(reverse("participants:data_requests")).content.decode()
    assert "My name is misspelled." in page and deletion.person.full_name in page
    assert reverse("participants:data_request_erase", args=[deletion.pk]) in page
    dashboard = client.get(reverse("programs:dashboard")).content.decode()
    assert 'data-testid="count-data-requests">2<' in dashboard
    assert reverse("participants:data_requests") in dashboard


def test_handling_a_correction_records_the_note(client, coordinator, correction):
    client.force_login(coordinator)
    response = client.post(
        reverse("participants:data_request_handle", args=[correction.pk]), {"note": "Spelling fixed."}
    )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert (correction.handled_by, correction.outcome_note) == (coordinator, "Spelling fixed.")
    entry = ActivityEntry.objects.get(verb="data_request.handled")
    assert entry.data == {
        "data_request": correction.pk,
        "kind": K.CORRECTION,
        "erased": False,
        "note": "Spelling fixed.",
    }
    assert entry.actor == coordinator
    handled = client.get(reverse("participants:data_requests") + "?status=handled").content.decode()
    assert "Spelling fixed." in handled
    again = client.post(reverse("participants:data_request_handle", args=[correction.pk]), follow=True)
    assert "This request has already been handled." in again.content.decode()


def test_closing_a_deletion_without_erasing_needs_a_reason(client, coordinator, deletion):
    client.force_login(coordinator)
    url = reverse("participants:data_request_handle", args=[deletion.pk])
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "Say why the data is kept, or erase it instead." in response.content.decode()
    deletion.refresh_from_db()
    assert deletion.is_open
    client.post(url, {"note": "An open legal claim requires us to keep the file."})
    deletion.refresh_from_db()
    assert not deletion.is_open
    assert deletion.person.first_name == "Amina"


def test_a_note_too_long_comes_back_with_the_error(client, coordinator, correction):
    client.force_login(coordinator)
    response = client.post(
        reverse("participants:data_request_handle", args=[correction.pk]), {"note": "x" * 2001}
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()


@pytest.mark.parametrize("people", [2, 30])
def test_list_query_count_does_not_grow(client, coordinator, program, people, django_assert_max_num_queries):
    for number in range(people):
        participation = mentee(program, email=f"p{number}@example.org", login=False)
        data_request_send(person=participation.person, kind=K.CORRECTION, message=f"Fix {number}", actor=None)
        data_request_send(
            person=participation.person,
            kind=K.WITHDRAWAL,
            participation=participation,
            message="Bye",
            actor=None,
        )
    client.force_login(coordinator)
    # Session, user, memberships (+ their programs), the count and the page of requests.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("participants:data_requests"))
    assert response.status_code == 200


# --- Erasing ---------------------------------------------------------------------------------------


@pytest.fixture
def amina_everywhere(program, coordinator):
    """A mentee with everything a person can leave behind, a completed match with Daniel, a circle,
    and a waiting deletion request."""
    match = active_match(program, mentee(program), mentor(program, email="daniel@mentors.example"))
    participation, person = match.mentee, match.mentee.person
    PersonLanguage.objects.create(person=person, language="Yoruba", proficiency="fluent")
    PartnerSharing.objects.create(person=person, phone=True)
    resume = resume_add(
        person=person, upload=upload("amina-cv.pdf", pdf_bytes()), participation=participation, actor=None
    )
    Application.objects.create(
        participation=participation, answers={"first_name": "Amina", "email": person.email}
    )
    Consent.objects.create(person=person, participation=participation, kind=Consent.Kind.PRIVACY_NOTICE)
    InterviewFactory(
        participation=participation,
        status="completed",
        background_notes="Amina Okafor was a site engineer in Lagos.",
        location="https://meet.example/amina",
    )
    HelpRequest.objects.create(
        person=person, program=program, match=match, message="Amina here, I need help."
    )
    person_note_add(person=person, program=program, text="Amina Okafor prefers mornings.", actor=coordinator)
    for minutes in (90, 60):
        Meeting.objects.create(
            match=match,
            occurred_on=match.started_on,
            duration_minutes=minutes,
            topics="Amina's resume",
            logged_as="mentee",
        )
    goal = GoalFactory(match=match, title="Amina: licence with APEGA", description="Amina wants the P.Eng.")
    GoalNote.objects.create(goal=goal, text="Amina sent her transcripts.", author_role="mentee")
    match_close(
        match=match, early=False, reason="goals_met", note="Amina Okafor got a job.", actor=coordinator
    )
    ClosingSurvey.objects.create(
        match=match, side="mentee", satisfaction=5, would_take_part_again="yes", comments="My own words."
    )
    ClosingSurvey.objects.create(
        match=match,
        side="mentor",
        satisfaction=4,
        would_take_part_again="yes",
        comments="Amina Okafor worked hard.",
    )
    do_not_match_add(
        mentee=person,
        mentor=mentor(program, first_name="Zed", email="zed@example.org").person,
        kind=DoNotMatch.Kind.CONFLICT,
        note="Amina's former boss",
        actor=coordinator,
    )
    # A circle, still meeting: she is a current member.
    circle = CircleFactory(program=program)
    for member in (
        mentor(program, first_name="Grace", email="grace@example.org"),
        mentee(program, first_name="Li", last_name="Wei", phone="587-555-0123", email="li@example.org"),
    ):
        circle_add_member(circle=circle, participation=member, actor=coordinator)
    # Her first participation has completed; she came back, and joined the circle.
    ready = Participation.objects.create(
        person=person, program=program, role="mentee", status=S.READY_TO_MATCH
    )
    circle_add_member(circle=circle, participation=ready, actor=coordinator)
    circle_start(circle=circle, actor=coordinator)
    meeting_log(
        circle=circle,
        occurred_on=timezone.localdate(),
        duration_minutes=60,
        mode="video",
        topics="Amina presented her portfolio.",
        actor=coordinator,
    )
    SentReminder.objects.create(
        kind="orientation",
        content_type=ContentType.objects.get_for_model(Participation),
        object_id=participation.pk,
        due_on=timezone.localdate(),
        organization=program.organization,
        recipient=person.email,
        recipient_name=person.full_name,
        subject="Amina, your orientation",
    )
    Unsubscribe.objects.create(email=person.email, person=person)
    request = data_request_send(
        person=person, kind=K.DELETION, message="Delete Amina Okafor", actor=person.user
    )
    return request, resume


NEEDLES = ("Amina", "Okafor", "780-555-0101")


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def _personal_text_left(needles: tuple[str, ...]) -> list[str]:
    """Every text of every row of every model that still contains one of the needles."""
    found = []
    for model in apps.get_models():
        names = _text_fields(model)
        if not names:
            continue
        for row in model._default_manager.values("pk", *names):
            for name in names:
                text = (
                    json.dumps(row[name], ensure_ascii=False) if not isinstance(row[name], str) else row[name]
                )
                if any(needle.lower() in (text or "").lower() for needle in needles):
                    found.append(f"{model._meta.label}.{name} #{row['pk']}: {text[:80]}")
    return found


def test_erasing_leaves_no_personal_text_and_keeps_the_numbers(
    client, coordinator, amina_everywhere, django_capture_on_commit_callbacks
):
    request, resume = amina_everywhere
    person = request.person
    user = person.user
    email = person.email
    file_name = resume.file.name
    assert default_storage.exists(file_name)
    match = Match.objects.get(mentee__person=person)
    minutes_before = sum(Meeting.objects.filter(match=match).values_list("duration_minutes", flat=True))
    assert _personal_text_left(NEEDLES)  # the test would prove nothing otherwise

    client.force_login(coordinator)
    url = reverse("participants:data_request_erase", args=[request.pk])
    plan = client.get(url).content.decode()
    assert 'data-testid="erasure-plan"' in plan and "Deleted, with their files." in plan
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on", "note": ""})
    assert response.status_code == 302

    left = _personal_text_left((*NEEDLES, email))
    assert not left, left
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Deleted person", f"#{person.pk}")
    assert person.email == erased_email(person)
    assert (person.phone, person.city, person.user_id) == ("", "", None)
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@erased.invalid")
    assert not Resume.objects.filter(person=person).exists()
    assert not default_storage.exists(file_name)
    assert not PersonLanguage.objects.filter(person=person).exists()
    assert not Unsubscribe.objects.exists()
    consent = Consent.objects.get(person=person)
    assert consent.withdrawn_at is not None
    # The numbers stay: the match, its hours, how it ended, the scores.
    match.refresh_from_db()
    assert match.status == Match.Status.COMPLETED
    assert (
        sum(Meeting.objects.filter(match=match).values_list("duration_minutes", flat=True)) == minutes_before
    )
    assert match.closure.reason == "goals_met"
    assert sorted(ClosingSurvey.objects.filter(match=match).values_list("satisfaction", flat=True)) == [4, 5]
    assert list(match.goals.values_list("title", flat=True)) == ["Employment in the field"]
    assert all(item.keys() == {"criterion", "points"} for item in match.breakdown)
    # Everything the person was in has ended; the partner keeps their name.
    assert set(person.participations.values_list("status", flat=True)) <= {S.COMPLETED, S.WITHDRAWN}
    assert not CircleMembership.objects.filter(participation__person=person, left_at__isnull=True).exists()
    assert match.mentor.person.last_name == "Tremblay"
    assert "Deleted person" in ClosingSurvey.objects.get(match=match, side="mentor").comments
    request.refresh_from_db()
    assert (request.handled_by, request.outcome_note, request.message) == (
        coordinator,
        "The data was erased.",
        "",
    )
    erased = ActivityEntry.objects.get(verb="person.erased")
    assert erased.target_repr == f"Deleted person #{person.pk}"
    assert erased.data["counts"]["participants.resume"] == 1


def test_a_login_that_also_serves_as_staff_is_only_unlinked(program, organization, coordinator):
    participation = mentee(program)
    user = participation.person.user
    StaffMembership.objects.create(user=user, organization=organization)
    person_erase(person=participation.person, actor=coordinator)
    user.refresh_from_db()
    participation.person.refresh_from_db()
    assert participation.person.user_id is None
    assert user.is_active and user.first_name == "Amina"


def test_an_open_match_stops_the_erasure(client, coordinator, program):
    match = active_match(program, mentee(program), mentor(program))
    request = data_request_send(person=match.mentee.person, kind=K.DELETION, actor=None)
    client.force_login(coordinator)
    url = reverse("participants:data_request_erase", args=[request.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="erasure-blockers"' in page
    assert "Erase the data</button>" not in page
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert 'data-testid="erasure-blockers"' in response.content.decode()
    match.mentee.person.refresh_from_db()
    assert match.mentee.person.first_name == "Amina"
    with pytest.raises(ValidationError):
        person_erase(person=match.mentee.person, actor=coordinator)


def test_erasing_needs_the_box_ticked(client, coordinator, deletion):
    client.force_login(coordinator)
    response = client.post(reverse("participants:data_request_erase", args=[deletion.pk]), {})
    assert response.status_code == 200
    assert "Tick the box to confirm." in response.content.decode()
    deletion.person.refresh_from_db()
    assert deletion.person.first_name == "Amina"


def test_erasing_withdraws_an_application_still_in_screening(client, coordinator, deletion):
    client.force_login(coordinator)
    client.post(reverse("participants:data_request_erase", args=[deletion.pk]), {"confirm": "on"})
    participation = Person.objects.get(pk=deletion.person_id).participations.get()
    assert participation.status == S.WITHDRAWN
    assert participation.status_reason == ""


def test_only_someone_working_in_all_the_persons_programs_may_erase(client, organization, program, deletion):
    other_program = ProgramFactory(organization=organization)
    Participation.objects.create(person=deletion.person, program=other_program, role="mentor")
    limited = StaffMembershipFactory(organization=organization, programs=[program]).user
    client.force_login(limited)
    url = reverse("participants:data_request_erase", args=[deletion.pk])
    assert "An organization admin, or a coordinator of all their programs" in client.get(url).content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 403
    deletion.person.refresh_from_db()
    assert deletion.person.first_name == "Amina"


def test_an_organization_admin_may_erase(client, org_admin, deletion):
    client.force_login(org_admin)
    response = client.post(reverse("participants:data_request_erase", args=[deletion.pk]), {"confirm": "on"})
    assert response.status_code == 302
    deletion.refresh_from_db()
    assert not deletion.is_open
    assert deletion.person.first_name == "Deleted person"


def test_only_an_open_deletion_request_leads_to_the_erase_page(client, coordinator, correction):
    client.force_login(coordinator)
    response = client.get(reverse("participants:data_request_erase", args=[correction.pk]), follow=True)
    assert "This request is not an open deletion request." in response.content.decode()
