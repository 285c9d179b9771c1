"""The public application forms: what they ask, what they store, and what they refuse."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from participants.models import (
    Application,
    Consent,
    MenteeProfile,
    MentorProfile,
    Participation,
    Person,
    PersonLanguage,
    Resume,
)
from participants.tests.factories import ParticipationFactory, PersonFactory
from programs.models import ActivityEntry, Partner
from programs.tests.factories import CohortFactory, PartnerFactory, PrivacyNoticeFactory, ProgramFactory

from .apply_data import (
    docx_bytes,
    html_bytes,
    mentee_answers,
    mentor_answers,
    occupations,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def notice(program):
    PrivacyNoticeFactory(program=program, version=1, text="Version one.")
    current = PrivacyNoticeFactory(
        program=program, version=2, text="We keep your answers to find you a mentor."
    )
    PrivacyNoticeFactory(program=program, version=3, text="A draft nobody has agreed to.", published_at=None)
    return current


@pytest.fixture
def nocs(db):
    return occupations()


@pytest.fixture
def mentee_url(program, notice, nocs):
    return reverse("apply:mentee", args=[program.slug])


@pytest.fixture
def mentor_url(program, notice, nocs):
    return reverse("apply:mentor", args=[program.slug])


def _post_mentee(client, url, *, resume=None, remote_addr="127.0.0.1", **overrides):
    data = mentee_answers(**overrides)
    data["resume"] = resume if resume is not None else upload("Amina CV.pdf", pdf_bytes())
    return client.post(url, data, REMOTE_ADDR=remote_addr)


def _verbs() -> list[str]:
    return list(ActivityEntry.objects.order_by("id").values_list("verb", flat=True))


# --- What the form shows ---------------------------------------------------------------------


def test_form_introduces_the_program_and_its_eligibility(client, program, mentee_url):
    program.focus = "Employment-ready engineers"
    program.minimum_clb = 7
    program.employment_ready_only = True
    program.eligibility_notes = "Permanent residents and protected persons."
    program.save()
    response = client.get(mentee_url)
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        program.name,
        "Employment-ready engineers",
        "(CLB) 7 or higher",
        "Ready to work in your profession",
    ):
        assert text in page
    assert "Permanent residents and protected persons." in page
    assert "We keep your answers to find you a mentor." in page
    assert "version 2" in page
    assert "A draft nobody has agreed to." not in page
    assert "<legend" in page and "<details" in page
    assert 'enctype="multipart/form-data"' in page and "novalidate" in page


def test_honeypot_is_hidden_by_a_css_class_not_an_inline_style(client, mentee_url):
    page = client.get(mentee_url).content.decode()
    assert 'class="apply-hp"' in page
    assert "style=" not in page


def test_partners_of_the_organization_are_offered_by_kind(client, program, mentee_url, other_organization):
    PartnerFactory(
        organization=program.organization, name="Edmonton Public Library", kind=Partner.Kind.LIBRARY
    )
    PartnerFactory(organization=program.organization, name="Closed Agency", is_active=False)
    PartnerFactory(organization=other_organization, name="Someone Else's Partner")
    page = client.get(mentee_url).content.decode()
    assert '<optgroup label="Library">' in page
    assert "Edmonton Public Library" in page
    assert "Closed Agency" not in page
    assert "Someone Else&#x27;s Partner" not in page and "Someone Else's Partner" not in page


def test_mentor_form_asks_mentor_questions_only(client, mentor_url):
    page = client.get(mentor_url).content.decode()
    assert 'name="max_mentees"' in page and 'name="employer_name"' in page
    assert 'name="goals"' not in page and 'name="arrived_on"' not in page


def test_occupation_search_returns_matching_unit_groups(client, nocs):
    response = client.get(reverse("apply:occupation_options"), {"q": "engin", "occupation": "31301"})
    page = response.content.decode()
    assert "Civil engineers (21300)" in page and "Mechanical engineers (21301)" in page
    assert '<option value="31301" selected>' in page  # the current choice stays
    assert "Natural and applied sciences" not in page  # not a unit group


# --- Happy paths -----------------------------------------------------------------------------


def test_mentee_application_is_stored_with_answers_consent_and_private_resume(
    client, program, mentee_url, notice, nocs, private_media, django_capture_on_commit_callbacks
):
    early = CohortFactory(program=program, name="Spring", starts_on="2026-04-01")
    CohortFactory(program=program, name="Autumn", starts_on="2026-09-01")
    CohortFactory(program=program, name="Closed", starts_on="2026-01-01", is_open=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_mentee(client, mentee_url)

    assert response.status_code == 302
    assert response.url == reverse("apply:mentee_thanks", args=[program.slug])
    person = Person.objects.get()
    assert (person.email, person.first_name, person.city, person.country) == (
        "amina.okafor@example.com",
        "Amina",
        "Edmonton",
        "Canada",
    )
    assert person.organization == program.organization
    participation = Participation.objects.get()
    assert participation.role == Participation.Role.MENTEE
    assert participation.status == Participation.Status.SUBMITTED
    assert participation.cohort == early
    assert participation.interests == ["bridges", "project management"]
    assert participation.communication_style == {"agenda": "structured", "feedback": "direct"}
    assert participation.availability == ["weekday_evenings", "weekends"]
    assert participation.meeting_modes == ["video", "in_person"]
    assert participation.open_to_other_regions is True
    profile = MenteeProfile.objects.get()
    assert profile.occupation == nocs["civil"]
    assert profile.language_clb == 8
    assert profile.goals == ["employment_in_field", "certification"]
    assert profile.regulated_profession is True
    assert str(profile.arrived_on) == "2024-03-15"
    assert sorted(PersonLanguage.objects.values_list("language", "proficiency")) == [
        ("English", "professional"),
        ("Yoruba", "fluent"),
    ]

    answers = Application.objects.get().answers
    assert answers["email"] == "amina.okafor@example.com"
    assert answers["occupation"] == "21300"
    assert answers["arrived_on"] == "2024-03-15"
    assert answers["language_clb"] == 8
    assert answers["goals"] == ["employment_in_field", "certification"]
    assert answers["story_consent"] is True and answers["privacy_consent"] is True
    assert answers["languages"] == [
        {"language": "English", "proficiency": "professional"},
        {"language": "Yoruba", "proficiency": "fluent"},
    ]
    assert answers["resume"] == "Amina CV.pdf"
    assert "website" not in answers and "language_1" not in answers
    assert Application.objects.get().privacy_notice == notice

    consents = {consent.kind: consent for consent in Consent.objects.all()}
    assert consents[Consent.Kind.PRIVACY_NOTICE].privacy_notice.version == 2
    assert Consent.Kind.STORY_CONTACT in consents

    resume = Resume.objects.get()
    stored = Path(resume.file.path)
    assert stored.is_relative_to(private_media)
    assert stored.parent.name == "resume" and stored.suffix == ".pdf"
    assert "Amina" not in stored.name and len(stored.stem) == 32
    assert stored.read_bytes()[:5] == b"%PDF-"
    assert resume.original_filename == "Amina CV.pdf"
    assert resume.size == stored.stat().st_size and len(resume.sha256) == 64
    assert "civil engineer" in resume.extracted_text
    assert resume.participation == participation

    assert _verbs() == [
        "person.created",
        "application.submitted",
        "consent.given",
        "consent.given",
        "resume.uploaded",
        "application.receipt_sent",
    ]
    assert len(mail.outbox) == 1


def test_mentor_application_with_a_word_resume_links_the_employer_partner(
    client, program, mentor_url, nocs, other_organization
):
    employer = PartnerFactory(
        organization=program.organization, name="Prairie Infrastructure Ltd.", kind="employer"
    )
    PartnerFactory(organization=other_organization, name="Prairie Infrastructure Ltd.", kind="employer")
    data = mentor_answers(resume=upload("cv.docx", docx_bytes(), "application/octet-stream"))

    response = client.post(mentor_url, data)

    assert response.status_code == 302
    assert response.url == reverse("apply:mentor_thanks", args=[program.slug])
    profile = MentorProfile.objects.get()
    assert profile.employer_partner == employer
    assert profile.employer_name == "prairie infrastructure ltd."
    assert (profile.max_mentees, profile.open_to_group, profile.open_to_remote) == (2, True, False)
    assert profile.wants_hours_record is True and profile.designation == "P.Eng."
    assert profile.participation.role == Participation.Role.MENTOR
    assert profile.participation.cohort is None
    resume = Resume.objects.get()
    assert resume.file.name.endswith(".docx")
    assert resume.content_type.endswith("wordprocessingml.document")
    assert "Senior structural engineer" in resume.extracted_text


def test_mentor_may_apply_without_a_resume(client, mentor_url):
    assert client.post(mentor_url, mentor_answers()).status_code == 302
    assert MentorProfile.objects.count() == 1
    assert not Resume.objects.exists()


def test_partner_who_referred_the_applicant_is_recorded(client, program, mentee_url):
    library = PartnerFactory(organization=program.organization, name="Library", kind=Partner.Kind.LIBRARY)
    _post_mentee(client, mentee_url, heard_via=str(library.pk))
    participation = Participation.objects.get()
    assert (participation.heard_via, participation.source_partner) == ("partner", library)


def test_somewhere_else_needs_a_word_on_where(client, mentee_url):
    response = _post_mentee(client, mentee_url, heard_via="other")
    assert "Please tell us where you heard about the program." in response.content.decode()
    _post_mentee(client, mentee_url, heard_via="other", heard_via_other="A friend at church")
    participation = Participation.objects.get()
    assert (participation.heard_via, participation.source_detail) == ("other", "A friend at church")


def test_not_yet_arrived_needs_the_country_of_residence(client, mentee_url):
    response = _post_mentee(client, mentee_url, arrived_on="", not_yet_arrived="on")
    assert "Please tell us which country you live in now." in response.content.decode()
    assert not Person.objects.exists()
    _post_mentee(client, mentee_url, arrived_on="", not_yet_arrived="on", residence_country="Kenya")
    assert Person.objects.get().country == "Kenya"
    assert MenteeProfile.objects.get().not_yet_arrived is True


def test_receipt_email_is_sent_only_after_the_commit(
    client, program, mentee_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post_mentee(client, mentee_url)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["amina.okafor@example.com"]
    assert message.subject == f"We received your application to {program.name}"
    assert "Hello Amina," in message.body
    assert "short interview" in message.body
    assert message.alternatives[0].mimetype == "text/html"


# --- Refused input keeps what was typed --------------------------------------------------------


def _assert_refused_keeping_answers(response, field: str, message: str) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert f"id_{field}_error" in page.split(f'name="{field}"')[1].split(">")[0]  # aria-describedby
    assert 'value="Amina"' in page and 'value="Amina.Okafor@Example.com"' in page
    assert 'value="Structural engineer"' in page
    assert not Participation.objects.exists() and not Resume.objects.exists()


def test_file_over_5_mb_is_refused(client, mentee_url):
    big = upload("cv.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    response = _post_mentee(client, mentee_url, resume=big)
    _assert_refused_keeping_answers(response, "resume", "This file is larger than 5 MB.")


def test_html_renamed_to_pdf_is_refused(client, mentee_url):
    response = _post_mentee(client, mentee_url, resume=upload("cv.pdf", html_bytes()))
    _assert_refused_keeping_answers(
        response, "resume", "This file is not a PDF, Word or OpenDocument document."
    )


def test_mentee_resume_is_required(client, mentee_url):
    data = mentee_answers()
    response = client.post(mentee_url, data)
    _assert_refused_keeping_answers(response, "resume", "Please add your resume")


def test_missing_privacy_consent_is_refused(client, mentee_url):
    response = _post_mentee(client, mentee_url, privacy_consent="")
    _assert_refused_keeping_answers(
        response, "privacy_consent", "Please read the privacy notice and tick this box."
    )


def test_other_errors_ask_for_the_resume_file_again(client, mentee_url):
    response = _post_mentee(client, mentee_url, privacy_consent="")
    _assert_refused_keeping_answers(response, "resume", "Please choose your resume file again.")


def test_error_messages_are_linked_to_their_fields(client, mentee_url):
    page = _post_mentee(client, mentee_url, email="not an email").content.decode()
    assert 'aria-describedby="id_email_helptext id_email_error"' in page
    assert 'id="id_email_error"' in page
    assert 'aria-invalid="true"' in page
    assert '<a href="#id_email">Email</a>' in page  # the summary at the top


def test_question_the_program_requires_must_be_answered(client, program, mentee_url):
    program.intake_questions = {"gender": "required", "communication_style": "required"}
    program.save()
    response = _post_mentee(client, mentee_url)
    page = response.content.decode()
    assert response.context["form"].errors.keys() >= {"gender", "style_frequency", "style_contact"}
    assert 'value="Amina"' in page
    assert not Participation.objects.exists()
    _post_mentee(client, mentee_url, gender="Woman", style_frequency="weekly", style_contact="email")
    assert Person.objects.get().gender == "Woman"


def test_required_languages_need_a_complete_row(client, mentee_url):
    response = _post_mentee(
        client, mentee_url, language_1="", proficiency_1="", language_2="Yoruba", proficiency_2=""
    )
    errors = response.context["form"].errors
    assert "Please tell us at least one language you speak." in errors["language_1"]
    assert "Please choose how well you speak this language." in errors["proficiency_2"]


def test_question_the_program_does_not_ask_is_neither_shown_nor_stored(client, program, mentee_url):
    program.intake_questions = {"phone": "hidden", "story_consent": "hidden", "languages": "optional"}
    program.save()
    page = client.get(mentee_url).content.decode()
    assert 'name="phone"' not in page and 'name="story_consent"' not in page

    response = _post_mentee(
        client, mentee_url, language_1="", proficiency_1="", language_2="", proficiency_2=""
    )

    assert response.status_code == 302
    assert Person.objects.get().phone == ""
    assert "phone" not in Application.objects.get().answers
    assert not Consent.objects.filter(kind=Consent.Kind.STORY_CONTACT).exists()
    assert not PersonLanguage.objects.exists()


def test_request_far_over_the_limit_is_refused_before_it_is_read(client, mentee_url):
    response = client.post(mentee_url, mentee_answers(), CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert "The form was too large to send" in response.content.decode()
    assert not Person.objects.exists()


def test_form_is_protected_against_cross_site_posts(mentee_url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(mentee_url, mentee_answers(resume=upload("cv.pdf", pdf_bytes())))
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_arrival_date_cannot_be_in_the_future(client, mentee_url):
    response = _post_mentee(client, mentee_url, arrived_on="2999-01-01")
    assert "This date is in the future." in response.content.decode()


# --- Spam protection ---------------------------------------------------------------------------


def test_bot_filling_the_hidden_field_is_thanked_and_nothing_is_stored(client, program, mentee_url):
    response = _post_mentee(client, mentee_url, website="http://spam.example")
    assert response.status_code == 302
    assert response.url == reverse("apply:mentee_thanks", args=[program.slug])
    assert not Person.objects.exists() and not Resume.objects.exists() and not ActivityEntry.objects.exists()
    assert mail.outbox == []


def test_sixth_application_from_one_address_in_ten_minutes_is_refused(client, mentee_url):
    for n in range(5):
        assert _post_mentee(client, mentee_url, email=f"person{n}@example.com").status_code == 302
    response = _post_mentee(client, mentee_url, email="person5@example.com")
    assert response.status_code == 429
    assert "Too many applications from this connection" in response.content.decode()
    assert 'value="person5@example.com"' in response.content.decode()
    assert Person.objects.count() == 5
    other_address = _post_mentee(client, mentee_url, email="person6@example.com", remote_addr="203.0.113.9")
    assert other_address.status_code == 302


def test_corrections_do_not_count_toward_the_limit(client, mentee_url):
    for _ in range(6):
        _post_mentee(client, mentee_url, privacy_consent="")
    assert _post_mentee(client, mentee_url).status_code == 302


# --- Returning people and duplicates ------------------------------------------------------------


def test_second_open_application_in_the_same_program_and_role_is_not_duplicated(client, program, mentee_url):
    person = PersonFactory(organization=program.organization, email="amina.okafor@example.com")
    ParticipationFactory(program=program, person=person, status=Participation.Status.SCREENING)
    response = _post_mentee(client, mentee_url, email="AMINA.OKAFOR@example.com")
    # The page says what it says to everyone, so typing someone's address reveals nothing;
    # the address's owner is told by email.
    assert response.status_code == 302
    assert response.url == reverse("apply:mentee_thanks", args=[program.slug])
    assert Participation.objects.count() == 1 and not Resume.objects.exists()
    [notice] = mail.outbox
    assert notice.to == ["amina.okafor@example.com"]
    assert "already with us" in notice.subject


def test_the_database_refuses_a_second_open_participation_in_the_same_role(program):
    from django.db import IntegrityError, transaction

    person = PersonFactory(organization=program.organization)
    ParticipationFactory(program=program, person=person, status=Participation.Status.SCREENING)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(program=program, person=person, status=Participation.Status.SUBMITTED)
    ParticipationFactory(program=program, person=person, role=Participation.Role.MENTOR)  # another role


def test_someone_referred_elsewhere_may_apply_again(client, program, mentee_url):
    person = PersonFactory(organization=program.organization, email="amina.okafor@example.com")
    ParticipationFactory(program=program, person=person, status=Participation.Status.REFERRED)
    assert _post_mentee(client, mentee_url).status_code == 302
    assert Participation.objects.filter(person=person, status=Participation.Status.SUBMITTED).exists()


def test_former_mentee_applying_as_mentor_is_linked_to_their_participation(client, program, mentor_url):
    person = PersonFactory(
        organization=program.organization, email="mei.zhang@example.com", phone="", first_name="Mei"
    )
    earlier = ParticipationFactory(program=program, person=person, status=Participation.Status.ALUMNI)

    assert client.post(mentor_url, mentor_answers(email="Mei.Zhang@example.com")).status_code == 302

    new = Participation.objects.exclude(pk=earlier.pk).get()
    assert new.person == person and new.role == Participation.Role.MENTOR
    assert new.previous_participation == earlier
    assert Person.objects.count() == 1
    person.refresh_from_db()
    assert person.phone == "780-555-0199"  # filled in because it was empty
    linked = ActivityEntry.objects.get(verb="participation.linked")
    assert linked.data["previous_participation"] == earlier.pk


def test_application_never_overwrites_what_the_organization_knows(client, program, mentee_url):
    person = PersonFactory(
        organization=program.organization, email="amina.okafor@example.com", first_name="Aminat"
    )
    PersonLanguage.objects.create(person=person, language="english", proficiency="basic")
    ParticipationFactory(program=program, person=person, status=Participation.Status.WITHDRAWN)

    _post_mentee(client, mentee_url)

    person.refresh_from_db()
    assert person.first_name == "Aminat"
    assert Application.objects.get().answers["first_name"] == "Amina"
    assert sorted(person.languages.values_list("language", "proficiency")) == [
        ("Yoruba", "fluent"),
        ("english", "basic"),
    ]


def test_same_email_in_another_organization_is_another_person(client, program, mentee_url, other_program):
    PersonFactory(organization=other_program.organization, email="amina.okafor@example.com")
    _post_mentee(client, mentee_url)
    assert Person.objects.filter(organization=program.organization).count() == 1
    assert Participation.objects.get().previous_participation is None


# --- Programs that do not take applications ------------------------------------------------------


def test_unknown_or_inactive_program_gets_a_friendly_404(client, organization):
    inactive = ProgramFactory(organization=organization, is_active=False)
    PrivacyNoticeFactory(program=inactive)
    for url in (
        reverse("apply:mentee", args=[inactive.slug]),
        reverse("apply:mentor", args=["no-such-program"]),
        reverse("apply:start", args=[inactive.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We could not find this application form" in response.content.decode()


def test_program_without_a_published_notice_is_not_open_yet(client, program):
    PrivacyNoticeFactory(program=program, published_at=None)
    url = reverse("apply:mentee", args=[program.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert "Applications are not open yet" in response.content.decode()
    assert "<form" not in response.content.decode().split("</nav>")[1]
    client.post(url, mentee_answers(resume=upload("cv.pdf", pdf_bytes())))
    assert not Person.objects.exists()


def test_start_page_offers_both_forms(client, program, notice):
    page = client.get(reverse("apply:start", args=[program.slug])).content.decode()
    assert reverse("apply:mentee", args=[program.slug]) in page
    assert reverse("apply:mentor", args=[program.slug]) in page


def test_thank_you_page_says_what_happens_next(client, program):
    page = client.get(reverse("apply:mentee_thanks", args=[program.slug])).content.decode()
    assert "What happens next" in page and "short interview" in page


def test_mentee_may_ask_for_a_mentor_of_the_same_gender(client, program, mentee_url):
    response = _post_mentee(client, mentee_url, gender="Woman", wants_same_gender_mentor="on")
    assert response.status_code == 302
    profile = MenteeProfile.objects.get()
    assert (profile.participation.person.gender, profile.wants_same_gender_mentor) == ("Woman", True)


def test_the_same_gender_wish_is_not_asked_when_the_program_leaves_out_gender(client, program, mentee_url):
    program.intake_questions = {**program.intake_questions, "gender": "hidden"}
    program.save()
    response = client.get(mentee_url)
    assert "wants_same_gender_mentor" not in response.content.decode()
