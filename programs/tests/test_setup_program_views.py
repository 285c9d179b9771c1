"""Program setup pages: who may see and change what, forms that come back with the user's data,
files that only an authorised view hands out, and list pages whose query count does not grow."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import Consent, Participation
from participants.tests.factories import ParticipationFactory, PersonFactory
from programs.intake_questions import HIDDEN, QUESTIONS
from programs.models import Cohort, PrivacyNotice, ProgramResource
from programs.tests.factories import CohortFactory, PrivacyNoticeFactory, StaffMembershipFactory

from .test_setup_services import DOCX, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def setup_objects(program):
    cohort = CohortFactory(program=program, name="Fall 2026")
    notice = PrivacyNoticeFactory(program=program, version=1)
    resource = ProgramResource.objects.create(
        program=program,
        title="Guide",
        file=SimpleUploadedFile("guide.pdf", PDF),
        original_filename="Mentor guide 2026.pdf",
    )
    return {"program": program, "cohort": cohort, "notice": notice, "resource": resource}


def _staff_urls(o) -> list[str]:
    """Pages every staff member of the program opens (coordinators included)."""
    slug = o["program"].slug
    return [
        reverse("setup:program_setup", args=[slug]),
        reverse("setup:intake_questions", args=[slug]),
        reverse("setup:cohort_list", args=[slug]),
        reverse("setup:cohort_create", args=[slug]),
        reverse("setup:cohort_edit", args=[slug, o["cohort"].pk]),
        reverse("setup:resource_list", args=[slug]),
        reverse("setup:resource_create", args=[slug]),
        reverse("setup:resource_edit", args=[slug, o["resource"].pk]),
        reverse("setup:resource_remove", args=[slug, o["resource"].pk]),
        reverse("setup:resource_download", args=[o["resource"].pk]),
        reverse("setup:privacy_notice_list", args=[slug]),
        reverse("setup:privacy_notice_detail", args=[slug, o["notice"].pk]),
    ]


def _admin_urls(o) -> list[str]:
    slug = o["program"].slug
    return [
        reverse("setup:eligibility_edit", args=[slug]),
        reverse("setup:privacy_notice_create", args=[slug]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, setup_objects):
    for url in _staff_urls(setup_objects) + _admin_urls(setup_objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_staff_of_another_organization_get_404(client, setup_objects, other_coordinator):
    client.force_login(other_coordinator)  # an admin of the other organization
    for url in _staff_urls(setup_objects) + _admin_urls(setup_objects):
        assert client.get(url).status_code == 404, url
    publish = reverse(
        "setup:privacy_notice_publish", args=[setup_objects["program"].slug, setup_objects["notice"].pk]
    )
    assert client.post(publish).status_code == 404


def test_coordinator_limited_to_another_program_gets_404(client, organization, setup_objects):
    elsewhere = type(setup_objects["program"]).objects.create(
        organization=organization, name="Health", slug="health"
    )
    client.force_login(StaffMembershipFactory(organization=organization, programs=[elsewhere]).user)
    for url in _staff_urls(setup_objects):
        assert client.get(url).status_code == 404, url


def test_admin_opens_every_setup_page(client, setup_objects, org_admin):
    client.force_login(org_admin)
    for url in _staff_urls(setup_objects) + _admin_urls(setup_objects):
        assert client.get(url).status_code == 200, url


def test_coordinator_sees_setup_but_cannot_change_what_admins_decide(client, setup_objects, coordinator):
    client.force_login(coordinator)
    for url in _staff_urls(setup_objects):
        assert client.get(url).status_code == 200, url
    for url in _admin_urls(setup_objects):
        assert client.get(url).status_code == 403, url
    slug = setup_objects["program"].slug
    assert client.post(reverse("setup:intake_questions", args=[slug]), {"phone": HIDDEN}).status_code == 403
    publish = reverse("setup:privacy_notice_publish", args=[slug, setup_objects["notice"].pk])
    assert client.post(publish).status_code == 403
    setup_page = client.get(reverse("setup:program_setup", args=[slug])).content.decode()
    assert reverse("setup:eligibility_edit", args=[slug]) not in setup_page


def test_program_page_links_to_its_setup(client, program, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("programs:program_detail", args=[program.slug]))
    assert reverse("setup:program_setup", args=[program.slug]) in response.content.decode()


# --- Eligibility and questions ----------------------------------------------------------------


def test_admin_edits_eligibility_and_expectations(client, program, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("setup:eligibility_edit", args=[program.slug]),
        {
            "minimum_clb": "6",
            "employment_ready_only": "on",
            "eligibility_notes": "Engineering degree",
            "match_length_weeks": "20",
            "meetings_per_month": "2",
            "meeting_length_minutes": "60",
        },
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.minimum_clb, program.employment_ready_only, program.match_length_weeks) == (6, True, 20)


def test_invalid_eligibility_comes_back_with_what_was_typed(client, program, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("setup:eligibility_edit", args=[program.slug]),
        {
            "minimum_clb": "15",
            "eligibility_notes": "Nurses with a licence in progress",
            "match_length_weeks": "20",
            "meetings_per_month": "2",
            "meeting_length_minutes": "60",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nurses with a licence in progress" in html
    assert "less than or equal to 12" in html


def test_questions_page_lists_every_question_with_who_it_is_for(client, program, org_admin):
    client.force_login(org_admin)
    html = client.get(reverse("setup:intake_questions", args=[program.slug])).content.decode()
    for question in QUESTIONS:
        assert str(question.label) in html
    assert "Mentees" in html and "Mentors" in html


def test_admin_saves_the_application_questions(client, program, org_admin):
    client.force_login(org_admin)
    data = {question.key: question.default for question in QUESTIONS} | {"gender": HIDDEN}
    response = client.post(reverse("setup:intake_questions", args=[program.slug]), data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.intake_questions["gender"] == HIDDEN


# --- Cohorts ----------------------------------------------------------------------------------

COHORT = {
    "name": "Winter 2027",
    "starts_on": "2027-01-10",
    "ends_on": "2027-05-30",
    "target_mentors": "12",
    "target_mentees": "24",
    "is_open": "on",
}


def test_coordinator_creates_and_edits_a_cohort(client, program, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("setup:cohort_create", args=[program.slug]), COHORT)
    assert response.status_code == 302
    cohort = Cohort.objects.get(program=program, name="Winter 2027")
    response = client.post(
        reverse("setup:cohort_edit", args=[program.slug, cohort.pk]), {**COHORT, "target_mentees": "30"}
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.target_mentees == 30


def test_cohort_ending_before_it_starts_is_refused_on_the_end_date(client, program, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("setup:cohort_create", args=[program.slug]), {**COHORT, "ends_on": "2026-12-01"}
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.context["form"].errors["ends_on"][0]
    assert 'value="Winter 2027"' in response.content.decode()


def test_duplicate_cohort_name_shows_a_field_error(client, program, coordinator):
    CohortFactory(program=program, name="Winter 2027")
    client.force_login(coordinator)
    response = client.post(reverse("setup:cohort_create", args=[program.slug]), COHORT)
    assert response.status_code == 200
    assert "already has a cohort called" in response.context["form"].errors["name"][0]


def test_cohort_list_shows_targets_and_who_joined(client, program, coordinator):
    cohort = CohortFactory(program=program, name="Fall 2026", target_mentors=5, target_mentees=9)
    ParticipationFactory(program=program, cohort=cohort, role=Participation.Role.MENTOR)
    ParticipationFactory.create_batch(2, program=program, cohort=cohort, role=Participation.Role.MENTEE)
    client.force_login(coordinator)
    response = client.get(reverse("setup:cohort_list", args=[program.slug]))
    row = response.context["page_obj"][0]
    assert (row.mentor_count, row.mentee_count) == (1, 2)
    assert "1 / 5" in response.content.decode()
    assert "2 / 9" in response.content.decode()


@pytest.mark.parametrize("cohorts", [2, 30])
def test_cohort_list_query_count_does_not_grow(
    client, program, coordinator, cohorts, django_assert_max_num_queries
):
    for number in range(cohorts):
        cohort = CohortFactory(program=program, name=f"Cohort {number}")
        ParticipationFactory(program=program, cohort=cohort)
    client.force_login(coordinator)
    # Session, user, memberships and their programs, the program, the program switcher, then
    # the count and one page of cohorts with their mentor and mentee numbers.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("setup:cohort_list", args=[program.slug]))
    assert response.status_code == 200


# --- Resources --------------------------------------------------------------------------------

RESOURCE = {
    "title": "Welcome package",
    "description": "Everything for the first week",
    "audience": "mentee",
    "kind": "welcome",
    "url": "",
    "position": "2",
}


def test_coordinator_uploads_a_file_and_downloads_it_with_its_name(client, program, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("Welcome package 2026.docx", DOCX)
    response = client.post(
        reverse("setup:resource_create", args=[program.slug]), {**RESOURCE, "file": upload}
    )
    assert response.status_code == 302
    resource = ProgramResource.objects.get(program=program)
    assert resource.original_filename == "Welcome package 2026.docx"

    download = client.get(reverse("setup:resource_download", args=[resource.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == DOCX
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Welcome%20package%202026.docx" in download["Content-Disposition"] or (
        'filename="Welcome package 2026.docx"' in download["Content-Disposition"]
    )


def test_coordinator_adds_a_link(client, program, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("setup:resource_create", args=[program.slug]),
        {**RESOURCE, "url": "https://example.org/welcome", "is_required": "on"},
    )
    assert response.status_code == 302
    resource = ProgramResource.objects.get(program=program)
    assert resource.url == "https://example.org/welcome"
    assert resource.is_required


def test_wrong_file_type_is_refused_with_the_reason_and_the_form_kept(client, program, coordinator):
    client.force_login(coordinator)
    fake = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00 this is a program, not a PDF")
    response = client.post(reverse("setup:resource_create", args=[program.slug]), {**RESOURCE, "file": fake})
    assert response.status_code == 200
    assert "content was checked" in response.context["form"].errors["file"][0]
    html = response.content.decode()
    assert 'value="Welcome package"' in html
    assert "Everything for the first week" in html
    assert not ProgramResource.objects.exists()


def test_oversized_file_is_refused_with_the_reason_and_the_form_kept(client, program, coordinator):
    client.force_login(coordinator)
    big = SimpleUploadedFile("guide.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = client.post(reverse("setup:resource_create", args=[program.slug]), {**RESOURCE, "file": big})
    assert response.status_code == 200
    assert "at most 10 MB" in response.context["form"].errors["file"][0]
    assert 'value="Welcome package"' in response.content.decode()


def test_resource_needs_a_link_or_a_file(client, program, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("setup:resource_create", args=[program.slug]), RESOURCE)
    assert response.status_code == 200
    assert "Give a link or upload a file." in response.context["form"].errors["url"]


def test_coordinator_edits_and_removes_a_resource(client, setup_objects, coordinator):
    program, resource = setup_objects["program"], setup_objects["resource"]
    client.force_login(coordinator)
    response = client.post(
        reverse("setup:resource_edit", args=[program.slug, resource.pk]),
        {**RESOURCE, "title": "Mentor guide", "audience": "mentor", "kind": "orientation"},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Mentor guide"
    assert resource.original_filename == "Mentor guide 2026.pdf"  # the file is kept
    response = client.post(reverse("setup:resource_remove", args=[program.slug, resource.pk]))
    assert response.status_code == 302
    assert not ProgramResource.objects.exists()


def test_resource_files_are_never_served_from_a_guessed_address(client, setup_objects, org_admin, settings):
    client.force_login(org_admin)
    name = setup_objects["resource"].file.name
    for url in (f"/media/{name}", f"{settings.MEDIA_URL}{name}", f"/private-media/{name}"):
        assert client.get(url).status_code == 404, url


def test_participants_cannot_download_staff_resources(client, setup_objects, participant_user):
    client.force_login(participant_user)
    response = client.get(reverse("setup:resource_download", args=[setup_objects["resource"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("resources", [2, 30])
def test_resource_list_query_count_does_not_grow(
    client, program, coordinator, resources, django_assert_max_num_queries
):
    for number in range(resources):
        ProgramResource.objects.create(program=program, title=f"Link {number}", url="https://example.org/")
    client.force_login(coordinator)
    # As for cohorts: six for the request and navigation, the count and one page.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("setup:resource_list", args=[program.slug]))
    assert response.status_code == 200


# --- Privacy notices --------------------------------------------------------------------------


def test_admin_drafts_edits_and_publishes_a_new_version(client, program, org_admin):
    first = PrivacyNoticeFactory(program=program, version=1, text="First text.")
    client.force_login(org_admin)
    create_page = client.get(reverse("setup:privacy_notice_create", args=[program.slug]))
    assert "First text." in create_page.content.decode()  # the draft starts from the current text

    client.post(reverse("setup:privacy_notice_create", args=[program.slug]), {"text": "Second text."})
    draft = PrivacyNotice.objects.get(program=program, version=2)
    client.post(
        reverse("setup:privacy_notice_detail", args=[program.slug, draft.pk]), {"text": "Second, better."}
    )
    response = client.post(reverse("setup:privacy_notice_publish", args=[program.slug, draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "Second, better."
    assert draft.is_published

    listing = client.get(reverse("setup:privacy_notice_list", args=[program.slug]))
    assert listing.context["current"] == draft
    first_row = listing.content.decode().split('data-testid="notice-1"')[1].split("</tr>")[0]
    assert "Earlier version" in first_row
    assert first.pk != draft.pk


def test_editing_a_published_version_is_refused(client, program, org_admin):
    published = PrivacyNoticeFactory(program=program, version=1, text="Agreed text.")
    client.force_login(org_admin)
    response = client.post(
        reverse("setup:privacy_notice_detail", args=[program.slug, published.pk]),
        {"text": "Changed."},
        follow=True,
    )
    assert "cannot change" in response.content.decode()
    published.refresh_from_db()
    assert published.text == "Agreed text."


def test_notice_list_shows_how_many_consents_point_at_each_version(client, program, coordinator):
    notice = PrivacyNoticeFactory(program=program, version=1)
    for _ in range(3):
        Consent.objects.create(
            person=PersonFactory(organization=program.organization),
            kind=Consent.Kind.PRIVACY_NOTICE,
            privacy_notice=notice,
        )
    client.force_login(coordinator)
    response = client.get(reverse("setup:privacy_notice_list", args=[program.slug]))
    assert response.context["notices"][0].consent_count == 3


def test_second_draft_is_refused_with_a_message(client, program, org_admin):
    PrivacyNotice.objects.create(program=program, version=1, text="Draft one.")
    client.force_login(org_admin)
    response = client.post(
        reverse("setup:privacy_notice_create", args=[program.slug]), {"text": "Draft two."}
    )
    assert response.status_code == 200
    assert "already a draft" in response.content.decode()
    listing = client.get(reverse("setup:privacy_notice_list", args=[program.slug])).content.decode()
    assert "Continue the draft of version 1" in listing


def test_cohort_dates_render_in_the_edit_form(client, program, coordinator):
    cohort = CohortFactory(program=program, starts_on=datetime.date(2026, 9, 1))
    client.force_login(coordinator)
    response = client.get(reverse("setup:cohort_edit", args=[program.slug, cohort.pk]))
    assert 'value="2026-09-01"' in response.content.decode()
