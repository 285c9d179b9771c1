"""Resumes: what is accepted, what is read from it, and who may open it."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.tests.factories import UserFactory
from participants.models import Resume
from participants.resumes import DOCX, ODT, PDF, document_kind, resume_add, resume_check, resume_text
from participants.tests.factories import ParticipationFactory
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .apply_data import docx_bytes, html_bytes, odt_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


@pytest.fixture
def participation(program):
    return ParticipationFactory(program=program, person__first_name="Amina")


@pytest.fixture
def resume(participation):
    return resume_add(
        person=participation.person,
        upload=upload("Amina Okafor – CV.pdf", pdf_bytes()),
        participation=participation,
        actor=None,
    )


def _url(resume, **query) -> str:
    url = reverse("resumes:download", args=[resume.pk])
    return url + ("?inline=1" if query.get("inline") else "")


# --- What is accepted --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [(pdf_bytes(), PDF), (docx_bytes(), DOCX), (odt_bytes(), ODT)],
    ids=["pdf", "docx", "odt"],
)
def test_document_kind_is_read_from_the_content_whatever_the_name(content, kind):
    assert document_kind(io.BytesIO(content)) is kind
    assert resume_check(upload("resume.txt", content, "text/plain")) is kind


def test_html_zip_and_empty_bytes_are_not_resumes():
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    for content in (html_bytes(), plain_zip.getvalue(), b"PK\x03\x04 broken", b"<%PDF-"):
        with pytest.raises(ValidationError, match="not a PDF, Word or OpenDocument document"):
            resume_check(upload("cv.pdf", content))


def test_file_larger_than_5_mb_is_refused_before_anything_else():
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        resume_check(upload("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)))


def test_text_is_extracted_from_each_kind():
    assert "civil engineer" in resume_text(io.BytesIO(pdf_bytes()), PDF)
    assert resume_text(io.BytesIO(docx_bytes()), DOCX) == "Mei Zhang\nSenior structural engineer"
    assert resume_text(io.BytesIO(odt_bytes()), ODT) == "Lucía Fernández\nRegistered nurse"


def test_extracted_text_is_capped():
    long = docx_bytes(tuple("word " * 2000 for _ in range(30)))
    assert 90_000 < len(resume_text(io.BytesIO(long), DOCX)) <= 100_000


def test_unreadable_pdf_is_accepted_with_empty_text(participation):
    resume = resume_add(
        person=participation.person, upload=upload("scan.pdf", b"%PDF-1.7\nnot really a pdf"), actor=None
    )
    assert resume.extracted_text == ""
    assert resume.content_type == "application/pdf"


def test_every_version_is_kept_and_the_newest_comes_first(participation, coordinator):
    first = resume_add(person=participation.person, upload=upload("v1.pdf", pdf_bytes("one")), actor=None)
    second = resume_add(
        person=participation.person, upload=upload("v2.docx", docx_bytes()), actor=coordinator
    )
    assert list(participation.person.resumes.all()) == [second, first]
    assert second.uploaded_by == coordinator and first.uploaded_by is None
    assert first.file.name != second.file.name
    assert ActivityEntry.objects.filter(verb="resume.uploaded").count() == 2


def test_folders_in_the_uploaded_name_are_dropped(participation):
    resume = resume_add(
        person=participation.person, upload=upload("C:\\Users\\amina\\cv.pdf", pdf_bytes()), actor=None
    )
    assert resume.original_filename == "cv.pdf"


# --- Who may open it ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, resume):
    response = client.get(_url(resume))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_coordinator_of_another_organization_gets_404(client, resume, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(_url(resume)).status_code == 404
    assert not ActivityEntry.objects.filter(verb="resume.downloaded").exists()


def test_coordinator_limited_to_another_program_gets_404(client, resume, organization):
    elsewhere = StaffMembershipFactory(
        organization=organization, programs=[ProgramFactory(organization=organization)]
    )
    client.force_login(elsewhere.user)
    assert client.get(_url(resume)).status_code == 404


def test_participant_is_refused(client, resume):
    client.force_login(UserFactory())
    assert client.get(_url(resume)).status_code == 403


def test_coordinator_downloads_with_safe_headers_and_each_opening_is_logged(client, resume, coordinator):
    client.force_login(coordinator)

    response = client.get(_url(resume))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == resume.file.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Amina%20Okafor%20%E2%80%93%20CV.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    entry = ActivityEntry.objects.get(verb="resume.downloaded")
    assert entry.actor == coordinator
    assert entry.data == {"resume": resume.pk, "filename": "Amina Okafor – CV.pdf"}
    assert entry.program == resume.participation.program

    client.get(_url(resume))
    assert ActivityEntry.objects.filter(verb="resume.downloaded").count() == 2


def test_pdf_can_be_viewed_inline_in_a_sandbox(client, resume, coordinator):
    client.force_login(coordinator)
    response = client.get(_url(resume, inline=True))
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"


def test_word_document_always_downloads(client, participation, coordinator):
    resume = resume_add(person=participation.person, upload=upload("cv.docx", docx_bytes()), actor=None)
    client.force_login(coordinator)
    response = client.get(_url(resume, inline=True))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == DOCX.content_type


def test_missing_file_gives_404(client, resume, coordinator):
    resume.file.delete(save=False)
    client.force_login(coordinator)
    assert client.get(_url(resume)).status_code == 404


def test_stored_files_have_no_public_address(client, resume, coordinator, settings):
    client.force_login(coordinator)
    for url in (
        f"/media/{resume.file.name}",
        f"{settings.MEDIA_URL}{resume.file.name}",
        f"/{resume.file.name}",
    ):
        assert client.get(url).status_code == 404, url


# --- The list on the person page ---------------------------------------------------------------


def test_resume_list_shows_versions_newest_first_with_links(participation, coordinator):
    old = resume_add(person=participation.person, upload=upload("old.docx", docx_bytes()), actor=None)
    new = resume_add(person=participation.person, upload=upload("new.pdf", pdf_bytes()), actor=coordinator)
    html = render_to_string(
        "participants/resumes/_resume_list.html",
        {"resumes": Resume.objects.filter(person=participation.person).select_related("uploaded_by")},
    )
    assert html.index("new.pdf") < html.index("old.docx")
    assert html.count("current") == 1
    assert f"{reverse('resumes:download', args=[new.pk])}?inline=1" in html
    assert f"{reverse('resumes:download', args=[old.pk])}?inline=1" not in html
    assert reverse("resumes:download", args=[old.pk]) in html
    assert "sent with the application" in html and "uploaded by" in html


def test_resume_list_says_when_there_is_none():
    assert "No resume yet." in render_to_string("participants/resumes/_resume_list.html", {"resumes": []})
