"""Program setup, partner and funder services: each change is logged, bad input is refused
with an error on the field at fault."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from participants.models import Consent
from participants.tests.factories import PersonFactory
from programs import partner_services, services, setup_services
from programs.activity import activity_for_object
from programs.intake_questions import HIDDEN, OPTIONAL, REQUIRED
from programs.models import ActivityEntry, Funding, ProgramResource
from programs.selectors import current_privacy_notice
from programs.tests.factories import (
    CohortFactory,
    FunderFactory,
    PartnerFactory,
    PrivacyNoticeFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
PPTX = zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def last_entry() -> ActivityEntry:
    return ActivityEntry.objects.order_by("-id").first()


def field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Eligibility and application questions ----------------------------------------------------


def test_eligibility_update_is_logged_with_what_changed(program, org_admin):
    services.program_update(program=program, actor=org_admin, minimum_clb=7, employment_ready_only=True)
    program.refresh_from_db()
    assert program.minimum_clb == 7
    entry = last_entry()
    assert entry.verb == "program.updated"
    assert entry.data["changed"]["minimum_clb"] == [None, 7]


def test_eligibility_refuses_a_language_level_above_twelve(program, org_admin):
    with pytest.raises(ValidationError) as excinfo:
        services.program_update(program=program, actor=org_admin, minimum_clb=13)
    assert "minimum_clb" in field_errors(excinfo)


def test_intake_questions_update_stores_every_question_and_logs_the_changes(program, org_admin):
    setup_services.intake_questions_update(
        program=program, states={"gender": HIDDEN, "phone": OPTIONAL}, actor=org_admin
    )
    program.refresh_from_db()
    assert program.intake_questions["gender"] == HIDDEN
    assert program.intake_questions["arrival"] == REQUIRED  # the default, now stored explicitly
    entry = last_entry()
    assert entry.verb == "intake_questions.updated"
    assert entry.data["changed"] == {"gender": [OPTIONAL, HIDDEN], "phone": [REQUIRED, OPTIONAL]}


def test_intake_questions_without_change_write_no_entry(program, org_admin):
    setup_services.intake_questions_update(program=program, states={"phone": REQUIRED}, actor=org_admin)
    assert not ActivityEntry.objects.filter(verb="intake_questions.updated").exists()


def test_intake_questions_refuse_an_unknown_question_or_state(program, org_admin):
    with pytest.raises(ValidationError) as excinfo:
        setup_services.intake_questions_update(
            program=program, states={"shoe_size": REQUIRED, "phone": "sometimes"}, actor=org_admin
        )
    assert set(field_errors(excinfo)) == {"shoe_size", "phone"}


# --- Cohorts ----------------------------------------------------------------------------------


def test_cohort_create_is_logged(program, coordinator):
    cohort = setup_services.cohort_create(
        program=program,
        actor=coordinator,
        name="Fall 2026",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 1, 31),
        target_mentors=10,
        target_mentees=20,
        is_open=True,
    )
    entry = last_entry()
    assert (entry.verb, entry.target, entry.program) == ("cohort.created", cohort, program)


def test_cohort_cannot_end_before_it_starts(program, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        setup_services.cohort_create(
            program=program,
            actor=coordinator,
            name="Backwards",
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 8, 1),
        )
    assert "ends_on" in field_errors(excinfo)


def test_cohort_name_is_unique_within_the_program_only(program, other_program, coordinator):
    CohortFactory(program=program, name="Fall 2026")
    CohortFactory(program=other_program, name="Spring 2027")
    with pytest.raises(ValidationError) as excinfo:
        setup_services.cohort_create(
            program=program, actor=coordinator, name="fall 2026", starts_on=datetime.date(2026, 9, 1)
        )
    assert "already has a cohort" in field_errors(excinfo)["name"][0]
    setup_services.cohort_create(
        program=program, actor=coordinator, name="Spring 2027", starts_on=datetime.date(2027, 3, 1)
    )


def test_cohort_update_logs_the_changes_and_keeps_its_own_name(program, coordinator):
    cohort = CohortFactory(program=program, name="Fall 2026", target_mentees=10)
    setup_services.cohort_update(cohort=cohort, actor=coordinator, name="Fall 2026", target_mentees=25)
    entry = last_entry()
    assert entry.verb == "cohort.updated"
    assert entry.data["changed"] == {"target_mentees": [10, 25]}


# --- Resources --------------------------------------------------------------------------------

RESOURCE = {
    "title": "Mentor orientation guide",
    "description": "",
    "audience": ProgramResource.Audience.MENTOR,
    "kind": ProgramResource.Kind.ORIENTATION,
    "url": "",
    "is_required": True,
    "position": 1,
}


@pytest.mark.parametrize(
    ("content", "suffix"),
    [
        (PDF, ".pdf"),
        (DOCX, ".docx"),
        (ODT, ".odt"),
        (PPTX, ".pptx"),
        (XLSX, ".xlsx"),
        (PNG, ".png"),
        (JPG, ".jpg"),
    ],
)
def test_resource_file_is_accepted_by_its_content(program, coordinator, content, suffix):
    upload = SimpleUploadedFile("Guide (final).bin", content)
    resource = setup_services.resource_add(program=program, actor=coordinator, file=upload, **RESOURCE)
    assert resource.file.name.endswith(suffix)
    assert "Guide" not in resource.file.name  # stored under a random name
    assert resource.original_filename == "Guide (final).bin"
    assert resource.file.read() == content
    assert last_entry().verb == "resource.added"


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 a Windows program", zipped({"evil.sh": b"rm -rf /"}), b"PK\x03\x04 not really a zip"],
)
def test_resource_file_of_another_kind_is_refused_whatever_its_name(program, coordinator, content):
    with pytest.raises(ValidationError) as excinfo:
        setup_services.resource_add(
            program=program, actor=coordinator, file=SimpleUploadedFile("guide.pdf", content), **RESOURCE
        )
    assert "content was checked" in field_errors(excinfo)["file"][0]
    assert not ProgramResource.objects.exists()


def test_resource_file_over_ten_megabytes_is_refused(program, coordinator):
    big = SimpleUploadedFile("guide.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        setup_services.resource_add(program=program, actor=coordinator, file=big, **RESOURCE)
    assert "at most 10 MB" in field_errors(excinfo)["file"][0]


def test_resource_needs_a_link_or_a_file(program, coordinator):
    with pytest.raises(ValidationError):
        setup_services.resource_add(program=program, actor=coordinator, **RESOURCE)


def test_resource_update_replaces_the_file_and_deletes_the_old_one(
    program, coordinator, django_capture_on_commit_callbacks
):
    resource = setup_services.resource_add(
        program=program, actor=coordinator, file=SimpleUploadedFile("old.pdf", PDF), **RESOURCE
    )
    storage, old_name = resource.file.storage, resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        setup_services.resource_update(
            resource=resource, actor=coordinator, file=SimpleUploadedFile("new.png", PNG), title="New guide"
        )
    assert resource.original_filename == "new.png"
    assert not storage.exists(old_name)
    entry = last_entry()
    assert entry.verb == "resource.updated"
    assert entry.data["changed"]["title"] == ["Mentor orientation guide", "New guide"]


def test_resource_remove_deletes_the_row_and_the_file(
    program, coordinator, django_capture_on_commit_callbacks
):
    resource = setup_services.resource_add(
        program=program, actor=coordinator, file=SimpleUploadedFile("guide.pdf", PDF), **RESOURCE
    )
    storage, name = resource.file.storage, resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        setup_services.resource_remove(resource=resource, actor=coordinator)
    assert not ProgramResource.objects.exists()
    assert not storage.exists(name)
    assert last_entry().verb == "resource.removed"


# --- Privacy notices --------------------------------------------------------------------------


def test_a_draft_gets_the_next_version_and_is_not_current_until_published(program, org_admin):
    first = PrivacyNoticeFactory(program=program, version=1)
    draft = setup_services.privacy_notice_draft(program=program, text="Version two.", actor=org_admin)
    assert draft.version == 2
    assert last_entry().verb == "privacy_notice.drafted"
    assert current_privacy_notice(program) == first

    setup_services.privacy_notice_publish(notice=draft, actor=org_admin)
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert last_entry().verb == "privacy_notice.published"
    assert current_privacy_notice(program) == draft


def test_program_without_published_notice_has_no_current_one(program, org_admin):
    setup_services.privacy_notice_draft(program=program, text="Draft only.", actor=org_admin)
    assert current_privacy_notice(program) is None


def test_published_notice_cannot_be_edited_or_published_again(program, org_admin):
    published = PrivacyNoticeFactory(program=program, version=1, text="Original text.")
    Consent.objects.create(
        person=PersonFactory(organization=program.organization),
        kind=Consent.Kind.PRIVACY_NOTICE,
        privacy_notice=published,
    )
    with pytest.raises(ValidationError, match="cannot change"):
        setup_services.privacy_notice_update(notice=published, text="Sneaky change.", actor=org_admin)
    with pytest.raises(ValidationError, match="cannot change"):
        setup_services.privacy_notice_publish(notice=published, actor=org_admin)
    published.refresh_from_db()
    assert published.text == "Original text."


def test_draft_can_be_edited_and_the_edit_is_logged(program, org_admin):
    draft = setup_services.privacy_notice_draft(program=program, text="First words.", actor=org_admin)
    setup_services.privacy_notice_update(notice=draft, text="Better words.", actor=org_admin)
    draft.refresh_from_db()
    assert draft.text == "Better words."
    assert last_entry().verb == "privacy_notice.updated"


def test_only_one_draft_at_a_time(program, org_admin):
    setup_services.privacy_notice_draft(program=program, text="One.", actor=org_admin)
    with pytest.raises(ValidationError, match="already a draft"):
        setup_services.privacy_notice_draft(program=program, text="Two.", actor=org_admin)


def test_empty_notice_is_refused_on_the_text_field(program, org_admin):
    with pytest.raises(ValidationError) as excinfo:
        setup_services.privacy_notice_draft(program=program, text="", actor=org_admin)
    assert "text" in field_errors(excinfo)


# --- Partners ---------------------------------------------------------------------------------

PARTNER = {
    "name": "Central Alberta Newcomer Centre",
    "kind": "settlement",
    "is_champion": False,
    "website": "",
    "services": "Language classes",
    "notes": "",
    "is_active": True,
}


def test_partner_create_and_update_are_logged(organization, org_admin):
    partner = partner_services.partner_create(organization=organization, actor=org_admin, **PARTNER)
    assert last_entry().verb == "partner.created"
    partner_services.partner_update(partner=partner, actor=org_admin, **{**PARTNER, "is_champion": True})
    entry = last_entry()
    assert entry.verb == "partner.updated"
    assert entry.data["changed"] == {"is_champion": [False, True]}


def test_partner_name_must_be_unique_in_the_organization(organization, other_organization, org_admin):
    PartnerFactory(organization=organization, name=PARTNER["name"])
    PartnerFactory(organization=other_organization, name="Riverbend Library")
    with pytest.raises(ValidationError) as excinfo:
        partner_services.partner_create(organization=organization, actor=org_admin, **PARTNER)
    assert "already have a partner" in field_errors(excinfo)["name"][0]
    partner_services.partner_create(
        organization=organization, actor=org_admin, **{**PARTNER, "name": "Riverbend Library"}
    )


def test_partner_kind_must_be_one_of_the_choices(organization, org_admin):
    with pytest.raises(ValidationError) as excinfo:
        partner_services.partner_create(
            organization=organization, actor=org_admin, **{**PARTNER, "kind": "pirate"}
        )
    assert "kind" in field_errors(excinfo)


def test_partner_contacts_are_added_changed_and_removed_on_the_partner_timeline(organization, org_admin):
    partner = PartnerFactory(organization=organization)
    contact = partner_services.partner_contact_save(
        partner=partner, actor=org_admin, name="Amina Yusuf", email=""
    )
    partner_services.partner_contact_save(
        partner=partner, contact=contact, actor=org_admin, name="Amina Yusuf", title="Lead"
    )
    partner_services.partner_contact_remove(contact=contact, actor=org_admin)
    verbs = [entry.verb for entry in reversed(activity_for_object(partner))]
    assert verbs == ["partner_contact.saved", "partner_contact.saved", "partner_contact.removed"]
    assert not partner.contacts.exists()


def test_partner_contact_email_must_be_valid(organization, org_admin):
    partner = PartnerFactory(organization=organization)
    with pytest.raises(ValidationError) as excinfo:
        partner_services.partner_contact_save(
            partner=partner, actor=org_admin, name="Amina", email="not-an-email"
        )
    assert "email" in field_errors(excinfo)


# --- Funders ----------------------------------------------------------------------------------


def test_funder_create_gets_a_unique_slug_per_organization(organization, other_organization, org_admin):
    first = partner_services.funder_create(
        organization=organization, actor=org_admin, name="Labour Department"
    )
    second = partner_services.funder_create(
        organization=other_organization, actor=org_admin, name="Labour Department"
    )
    again = partner_services.funder_create(
        organization=organization, actor=org_admin, name="Labour Department"
    )
    assert len({first.slug, second.slug, again.slug}) == 3
    assert last_entry().verb == "funder.created"


def test_funder_update_is_logged(organization, org_admin):
    funder = FunderFactory(organization=organization, name="Old name")
    partner_services.funder_update(funder=funder, actor=org_admin, name="New name")
    assert last_entry().data["changed"] == {"name": ["Old name", "New name"]}


def test_funding_only_for_the_organizations_own_programs(organization, program, other_program, org_admin):
    funder = FunderFactory(organization=organization)
    with pytest.raises(ValidationError) as excinfo:
        partner_services.funding_add(funder=funder, program=other_program, actor=org_admin)
    assert "program" in field_errors(excinfo)
    funding = partner_services.funding_add(
        funder=funder, program=program, starts_on=datetime.date(2026, 4, 1), actor=org_admin
    )
    assert last_entry().verb == "funding.added"
    with pytest.raises(ValidationError) as excinfo:
        partner_services.funding_add(funder=funder, program=program, actor=org_admin)
    assert "already funds" in field_errors(excinfo)["program"][0]
    partner_services.funding_remove(funding=funding, actor=org_admin)
    assert not Funding.objects.exists()
    assert last_entry().verb == "funding.removed"


def test_funding_cannot_end_before_it_starts(organization, program, org_admin):
    funder = FunderFactory(organization=organization)
    with pytest.raises(ValidationError) as excinfo:
        partner_services.funding_add(
            funder=funder,
            program=program,
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 3, 1),
            actor=org_admin,
        )
    assert "ends_on" in field_errors(excinfo)


def test_reporting_period_saved_and_removed(organization, org_admin):
    funder = FunderFactory(organization=organization)
    period = partner_services.reporting_period_save(
        funder=funder,
        actor=org_admin,
        name="Q1 2026-27",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        report_due_on=datetime.date(2026, 7, 31),
    )
    assert last_entry().verb == "reporting_period.saved"
    partner_services.reporting_period_remove(period=period, actor=org_admin)
    assert last_entry().verb == "reporting_period.removed"
    assert not funder.reporting_periods.exists()


def test_reporting_period_cannot_end_before_it_starts(organization, org_admin):
    funder = FunderFactory(organization=organization)
    with pytest.raises(ValidationError) as excinfo:
        partner_services.reporting_period_save(
            funder=funder,
            actor=org_admin,
            name="Backwards",
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 3, 31),
        )
    assert "ends_on" in field_errors(excinfo)


def test_funder_contacts_are_logged_on_the_funder(organization, org_admin):
    funder = FunderFactory(organization=organization)
    contact = partner_services.funder_contact_save(funder=funder, actor=org_admin, name="Jordan Whitelaw")
    partner_services.funder_contact_remove(contact=contact, actor=org_admin)
    verbs = [entry.verb for entry in reversed(activity_for_object(funder))]
    assert verbs == ["funder_contact.saved", "funder_contact.removed"]
