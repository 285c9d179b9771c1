"""My profile in the portal: what a participant may change, what stays with the coordinator,
resume versions, and what a match partner may see."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.models import Occupation
from participants.models import PartnerSharing, PersonLanguage, Resume
from participants.portal_services import portal_contact_update, portal_participation_update
from participants.resumes import MAX_RESUME_BYTES
from programs.models import ActivityEntry

from .apply_data import docx_bytes, html_bytes, pdf_bytes, upload
from .portal_helpers import S, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def amina(program):
    return mentee(program, status=S.READY_TO_MATCH)


def _contact_data(**overrides) -> dict:
    data = {
        "phone": "780-555-0199",
        "city": "Red Deer",
        "region": "Alberta",
        "country": "Canada",
        "time_zone": "America/Edmonton",
        "gender": "",
        "cultural_background": "",
        "language_1": "English",
        "proficiency_1": "professional",
        "language_2": "Yoruba",
        "proficiency_2": "fluent",
    }
    return data | overrides


def test_profile_shows_locked_fields_with_whom_to_ask(client, amina):
    client.force_login(amina.person.user)
    body = client.get(reverse("portal:profile")).content.decode()
    assert "Ready to match" in body
    assert "Ask your coordinator to change these." in body
    assert "To change your name or your email address, ask your coordinator." in body


def test_participant_updates_contact_details_and_languages(client, amina):
    PersonLanguage.objects.create(person=amina.person, language="French", proficiency="basic")
    client.force_login(amina.person.user)
    response = client.post(reverse("portal:contact", args=[amina.person.pk]), _contact_data())
    assert response.status_code == 302
    amina.person.refresh_from_db()
    assert (amina.person.city, amina.person.phone, amina.person.time_zone) == (
        "Red Deer",
        "780-555-0199",
        "America/Edmonton",
    )
    assert sorted(amina.person.languages.values_list("language", "proficiency")) == [
        ("English", "professional"),
        ("Yoruba", "fluent"),
    ]
    entry = ActivityEntry.objects.get(verb="person.updated")
    assert entry.actor == amina.person.user
    assert entry.data["via"] == "portal"
    assert entry.data["changed"]["city"] == ["Edmonton", "Red Deer"]
    assert entry.data["changed"]["languages"][0] == ["French (basic)"]


def test_the_contact_form_cannot_change_name_or_email(client, amina):
    client.force_login(amina.person.user)
    client.post(
        reverse("portal:contact", args=[amina.person.pk]),
        _contact_data(first_name="Someone", email="else@example.org"),
    )
    amina.person.refresh_from_db()
    assert (amina.person.first_name, amina.person.email) != ("Someone", "else@example.org")


def test_bad_language_rows_come_back_with_errors_and_what_was_typed(client, amina):
    client.force_login(amina.person.user)
    response = client.post(
        reverse("portal:contact", args=[amina.person.pk]), _contact_data(proficiency_2="", city="Leduc")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please choose how well you speak this language." in body
    assert 'value="Leduc"' in body
    amina.person.refresh_from_db()
    assert amina.person.city == "Edmonton"


def test_the_service_refuses_fields_participants_may_not_change(amina):
    with pytest.raises(ValueError):
        portal_contact_update(
            person=amina.person, fields={"email": "x@example.org"}, languages=[], actor=None
        )
    with pytest.raises(ValueError):
        portal_participation_update(
            participation=amina, fields={"status": S.MATCHED}, profile_fields={}, actor=None
        )


def _details_data(**overrides) -> dict:
    data = {
        "interests": "hiking, chess, hiking",
        "style_agenda": "structured",
        "style_feedback": "direct",
        "availability": ["weekday_evenings"],
        "meeting_modes": ["video", "phone"],
        "open_to_other_regions": "on",
        "occupation_title": "Structural engineer",
        "years_experience": "9",
        "education": "MSc civil engineering",
        "credential_country": "Nigeria",
        "credential_assessment": "completed",
        "licensing_status": "Applied to APEGA",
        "employment": "survival",
        "goals": ["certification", "networking"],
    }
    return data | overrides


def test_participant_updates_their_experience_and_preferences(client, amina):
    client.force_login(amina.person.user)
    response = client.post(reverse("portal:participation", args=[amina.pk]), _details_data())
    assert response.status_code == 302
    amina.refresh_from_db()
    amina.mentee_profile.refresh_from_db()
    assert amina.interests == ["hiking", "chess"]
    assert amina.communication_style == {"agenda": "structured", "feedback": "direct"}
    assert amina.meeting_modes == ["video", "phone"]
    assert amina.open_to_other_regions is True
    assert amina.mentee_profile.licensing_status == "Applied to APEGA"
    assert amina.mentee_profile.goals == ["certification", "networking"]
    assert amina.status == S.READY_TO_MATCH
    entry = ActivityEntry.objects.get(verb="participation.updated")
    assert entry.data["changed"]["years_experience"] == [8, 9]


def test_the_noc_code_is_locked_once_screened(client, amina):
    occupation = Occupation.objects.create(code="21300", title="Civil engineers", level=5)
    client.force_login(amina.person.user)
    page = client.get(reverse("portal:participation", args=[amina.pk])).content.decode()
    assert 'name="occupation"' not in page
    client.post(reverse("portal:participation", args=[amina.pk]), _details_data(occupation=occupation.pk))
    amina.mentee_profile.refresh_from_db()
    assert amina.mentee_profile.occupation is None
    with pytest.raises(ValidationError):
        portal_participation_update(
            participation=amina, fields={}, profile_fields={"occupation": occupation}, actor=None
        )


def test_the_noc_code_can_be_chosen_before_screening(client, program):
    occupation = Occupation.objects.create(code="21300", title="Civil engineers", level=5)
    participation = mentee(program, status=S.SUBMITTED)
    client.force_login(participation.person.user)
    response = client.post(
        reverse("portal:participation", args=[participation.pk]), _details_data(occupation=occupation.pk)
    )
    assert response.status_code == 302
    participation.mentee_profile.refresh_from_db()
    assert participation.mentee_profile.occupation == occupation


def test_a_mentor_edits_their_work_but_not_their_capacity(client, program):
    participation = mentor(program)
    client.force_login(participation.person.user)
    page = client.get(reverse("portal:participation", args=[participation.pk])).content.decode()
    assert "Mentees at once" in page  # read-only
    assert 'name="max_mentees"' not in page
    data = {
        "occupation_title": "Principal engineer",
        "employer_name": "Bow River Engineering",
        "designation": "P.Eng.",
        "years_experience": "22",
        "is_retired": "",
        "open_to_remote": "on",
        "max_mentees": "5",
    }
    assert client.post(reverse("portal:participation", args=[participation.pk]), data).status_code == 302
    profile = participation.mentor_profile
    profile.refresh_from_db()
    assert (profile.employer_name, profile.open_to_remote, profile.max_mentees) == (
        "Bow River Engineering",
        True,
        1,
    )


def test_an_ended_participation_is_read_only(client, program):
    participation = mentee(program, status=S.WITHDRAWN)
    client.force_login(participation.person.user)
    response = client.post(reverse("portal:participation", args=[participation.pk]), _details_data())
    assert response.status_code == 302
    participation.mentee_profile.refresh_from_db()
    assert participation.mentee_profile.licensing_status == ""


def test_invalid_details_come_back_with_errors(client, amina):
    client.force_login(amina.person.user)
    response = client.post(
        reverse("portal:participation", args=[amina.pk]), _details_data(years_experience="lots", goals=[])
    )
    assert response.status_code == 200
    assert "Please choose at least one goal." in response.content.decode()


# --- Resume ---------------------------------------------------------------------------------------


def test_participant_uploads_a_new_resume_version(client, amina):
    client.force_login(amina.person.user)
    url = reverse("portal:resume", args=[amina.person.pk])
    client.post(url, {"file": upload("cv-2025.pdf", pdf_bytes())})
    response = client.post(url, {"file": upload("cv-2026.docx", docx_bytes(), "application/octet-stream")})
    assert response.status_code == 302
    versions = list(Resume.objects.filter(person=amina.person).values_list("original_filename", flat=True))
    assert versions == ["cv-2026.docx", "cv-2025.pdf"]
    assert Resume.objects.filter(participation=amina).count() == 2
    page = client.get(url).content.decode()
    assert "cv-2026.docx" in page and "current" in page


def test_a_file_that_is_not_a_resume_is_refused_with_the_reason(client, amina):
    client.force_login(amina.person.user)
    response = client.post(
        reverse("portal:resume", args=[amina.person.pk]), {"file": upload("cv.pdf", html_bytes())}
    )
    assert response.status_code == 200
    assert "This file is not a PDF, Word or OpenDocument document." in response.content.decode()
    assert not Resume.objects.exists()


def test_a_file_too_large_is_refused_with_the_reason(client, amina):
    client.force_login(amina.person.user)
    big = pdf_bytes() + b"%" * MAX_RESUME_BYTES
    response = client.post(reverse("portal:resume", args=[amina.person.pk]), {"file": upload("cv.pdf", big)})
    assert response.status_code == 200
    assert "This file is larger than 5 MB." in response.content.decode()
    assert not Resume.objects.exists()


def test_participant_downloads_their_own_resume(client, amina):
    client.force_login(amina.person.user)
    client.post(reverse("portal:resume", args=[amina.person.pk]), {"file": upload("cv.pdf", pdf_bytes())})
    resume = Resume.objects.get()
    response = client.get(reverse("portal:resume_download", args=[resume.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


# --- What a match partner may see -----------------------------------------------------------------


def test_participant_chooses_what_their_match_partner_may_see(client, amina):
    client.force_login(amina.person.user)
    response = client.post(
        reverse("portal:sharing", args=[amina.person.pk]), {"phone": "on", "languages": "on"}
    )
    assert response.status_code == 302
    sharing = PartnerSharing.objects.get(person=amina.person)
    assert (sharing.phone, sharing.location, sharing.languages, sharing.interests, sharing.background) == (
        True,
        False,
        True,
        False,
        False,
    )
    assert ActivityEntry.objects.filter(verb="partner_sharing.updated").count() == 1
    assert "your phone number" in client.get(reverse("portal:profile")).content.decode()
