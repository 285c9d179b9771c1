"""The person page: profile, application, resumes, interviews, referrals, consents, the status
buttons, notes, duplicates, the requested-mentor badge, and who may open it or act from it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from matching.models import Occupation
from participants import pipeline
from participants.models import Consent, Interview, Participation, PersonLanguage, Referral, Resume
from participants.tests.factories import (
    ApplicationFactory,
    InterviewFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    ParticipationFactory,
    PersonFactory,
)
from programs.models import ActivityEntry
from programs.tests.factories import (
    PartnerFactory,
    PrivacyNoticeFactory,
    ProgramFactory,
    StaffMembershipFactory,
)

pytestmark = pytest.mark.django_db

S = Participation.Status


@pytest.fixture
def amina(program):
    civil = Occupation.objects.create(code="21300", title="Civil engineers", level=5)
    profile = MenteeProfileFactory(
        participation__program=program,
        participation__person__first_name="Amina",
        participation__person__last_name="Okafor",
        participation__person__email="amina@example.org",
        participation__person__phone="780-555-0101",
        occupation=civil,
        occupation_title="Structural engineer",
        credential_country="Nigeria",
    )
    return profile.participation


def _page(client, user, participation):
    client.force_login(user)
    return client.get(participation.person.get_absolute_url())


def test_page_shows_profile_languages_role_profile_and_the_application(client, coordinator, amina):
    PersonLanguage.objects.create(person=amina.person, language="Yoruba", proficiency="fluent")
    ApplicationFactory(
        participation=amina,
        answers={
            "first_name": "Amina",
            "heard_via": "other",
            "open_to_other_regions": True,
            "languages": [{"language": "English", "proficiency": "professional"}],
            "goals": ["employment_in_field", "networking"],
        },
    )
    response = _page(client, coordinator, amina)
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Amina Okafor",
        "780-555-0101",
        "Yoruba (Fluent or native)",
        "Structural engineer",
        "Nigeria",
    ):
        assert text in html
    [card] = response.context["cards"]
    assert ("Profession before Canada (NOC)", "21300 Civil engineers") in card.profile_rows
    assert ("First name", "Amina") in card.answers
    assert ("Open to a match in another region", "Yes") in card.answers
    assert ("Languages and proficiency", "English (Professional working)") in card.answers
    assert ("Goals", "Employment in my field, Professional networking") in card.answers


def test_page_lists_resumes_interviews_referrals_and_consents(client, coordinator, amina, program):
    Resume.objects.create(
        person=amina.person,
        participation=amina,
        file="resume/a.pdf",
        original_filename="amina-cv-2026.pdf",
        content_type="application/pdf",
        size=2048,
        sha256="0" * 64,
    )
    InterviewFactory(
        participation=amina,
        interviewer=coordinator,
        scheduled_at=datetime.datetime(2030, 1, 15, 17, tzinfo=datetime.UTC),
        location="Library room 4",
    )
    Referral.objects.create(
        participation=amina,
        partner=PartnerFactory(organization=program.organization, name="Bridging Program Partner"),
        service="Engineering bridging",
    )
    notice = PrivacyNoticeFactory(program=program, version=3)
    Consent.objects.create(
        person=amina.person, participation=amina, kind="privacy_notice", privacy_notice=notice
    )
    html = _page(client, coordinator, amina).content.decode()
    for text in (
        "amina-cv-2026.pdf",
        "Library room 4",
        "Bridging Program Partner",
        "Engineering bridging",
        "version 3",
    ):
        assert text in html
    assert reverse("intake:interview_record", args=[amina.interviews.get().pk]) in html


def test_status_buttons_follow_the_allowed_transitions(client, coordinator, amina):
    labels = [a.label for a in _page(client, coordinator, amina).context["cards"][0].actions]
    assert labels == [
        "Move to screening",
        "Schedule an interview",
        "Put on the waitlist",
        "Decline",
        "Refer to a partner",
        "Record a withdrawal",
    ]
    amina.status = S.INTERVIEW_SCHEDULED
    amina.save()
    labels = [a.label for a in _page(client, coordinator, amina).context["cards"][0].actions]
    assert labels == ["Put on the waitlist", "Decline", "Refer to a partner", "Record a withdrawal"]
    amina.status = S.DECLINED
    amina.save()
    assert _page(client, coordinator, amina).context["cards"][0].actions == []


def test_buttons_move_the_application_and_the_timeline_tells_it(client, coordinator, amina):
    client.force_login(coordinator)
    response = client.post(reverse("intake:step", args=[amina.pk, "screening"]))
    assert response.url == amina.person.get_absolute_url()
    amina.refresh_from_db()
    assert amina.status == S.SCREENING
    page = client.get(amina.person.get_absolute_url())
    [entry] = [e for e in page.context["timeline"] if e.verb == "participation.status_changed"]
    assert entry.detail == "Submitted → Screening"
    assert "Submitted → Screening" in page.content.decode()


def test_a_refused_button_says_why(client, coordinator, amina):
    client.force_login(coordinator)
    response = client.post(reverse("intake:step", args=[amina.pk, "ready_to_match"]), follow=True)
    assert "cannot be marked ready to match" in response.content.decode()
    amina.refresh_from_db()
    assert amina.status == S.SUBMITTED


def test_waitlist_decline_refer_and_withdraw_forms(client, coordinator, program):
    partner = PartnerFactory(organization=program.organization, name="Language Centre")
    client.force_login(coordinator)
    a, b, c, d = (ParticipationFactory(program=program, status=S.SCREENING) for _ in range(4))

    empty = client.post(reverse("intake:waitlist", args=[a.pk]), {"reason": ""})
    assert empty.status_code == 200 and "reason" in empty.context["form"].errors
    client.post(reverse("intake:waitlist", args=[a.pk]), {"reason": "Cohort full"})
    client.post(reverse("intake:withdraw", args=[b.pk]), {"reason": "Found work"})
    client.post(
        reverse("intake:refer", args=[c.pk]),
        {"partner": partner.pk, "service": "LINC classes", "reason": "CLB 5"},
    )
    form_page = client.get(reverse("intake:decline", args=[d.pk]))
    draft = form_page.context["form"].initial["message"]
    assert d.person.first_name in draft
    client.post(reverse("intake:decline", args=[d.pk]), {"reason": "Outside region", "message": draft})
    for participation in (a, b, c, d):
        participation.refresh_from_db()
    assert [p.status for p in (a, b, c, d)] == [S.WAITLISTED, S.WITHDRAWN, S.REFERRED, S.DECLINED]
    assert a.waitlist_position == 1
    assert c.referrals.get().service == "LINC classes"
    assert mail.outbox == []


def test_the_decline_message_is_sent_from_the_person_page_only_when_asked(
    client, coordinator, amina, django_capture_on_commit_callbacks
):
    pipeline.participation_decline(
        participation=amina, reason="Full", message="Draft text", actor=coordinator
    )
    client.force_login(coordinator)
    page = client.get(amina.person.get_absolute_url()).content.decode()
    assert "Not sent yet" in page and "Draft text" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:decline_message", args=[amina.pk]), {"message": "Dear Amina, thank you."})
    [email] = mail.outbox
    assert email.body.strip() == "Dear Amina, thank you."
    page = client.get(amina.person.get_absolute_url()).content.decode()
    assert "Sent on" in page


def test_referral_outcome_form(client, coordinator, amina, program):
    referral = pipeline.participation_refer(
        participation=amina,
        partner=PartnerFactory(organization=program.organization),
        service="LINC",
        reason="CLB",
        actor=coordinator,
    )
    client.force_login(coordinator)
    form = client.get(reverse("intake:referral_outcome", args=[referral.pk])).context["form"]
    assert "pending" not in [value for value, _label in form.fields["outcome"].choices]
    client.post(
        reverse("intake:referral_outcome", args=[referral.pk]),
        {"outcome": "no_response", "outcome_notes": "Two calls"},
    )
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_notes) == ("no_response", "Two calls")


# --- Notes -------------------------------------------------------------------------------------


def test_a_note_goes_into_the_timeline_only(client, coordinator, amina, program):
    client.force_login(coordinator)
    response = client.post(
        reverse("intake:note_add", args=[amina.person.pk]),
        {"program": program.pk, "text": "Called her; prefers evenings.\nSpeaks French too."},
    )
    assert response.url == amina.person.get_absolute_url()
    entry = ActivityEntry.objects.get(verb="note.added")
    assert entry.data == {"text": "Called her; prefers evenings.\nSpeaks French too."}
    assert entry.program == program
    assert "Called her; prefers evenings." in client.get(amina.person.get_absolute_url()).content.decode()


def test_an_empty_note_comes_back_with_an_error(client, coordinator, amina, program):
    client.force_login(coordinator)
    response = client.post(
        reverse("intake:note_add", args=[amina.person.pk]), {"program": program.pk, "text": ""}
    )
    assert response.status_code == 200
    assert "text" in response.context["note_form"].errors
    assert not ActivityEntry.objects.filter(verb="note.added").exists()


def test_a_note_in_one_program_stays_out_of_another_programs_view(
    client, coordinator, organization, amina, program
):
    health = ProgramFactory(organization=organization)
    ParticipationFactory(program=health, person=amina.person, role=Participation.Role.MENTOR)
    pipeline.person_note_add(
        person=amina.person, program=program, text="Private to engineering", actor=coordinator
    )
    health_only = StaffMembershipFactory(organization=organization, programs=[health]).user
    client.force_login(health_only)
    page = client.get(amina.person.get_absolute_url())
    assert page.status_code == 200
    assert "Private to engineering" not in page.content.decode()
    response = client.post(
        reverse("intake:note_add", args=[amina.person.pk]), {"program": program.pk, "text": "Sneaky"}
    )
    assert "program" in response.context["note_form"].errors


# --- Duplicates and the requested mentor --------------------------------------------------------


def test_possible_duplicates_are_flagged_with_links(client, coordinator, amina, organization, other_program):
    twin = PersonFactory(organization=organization, email="AMINA@example.org", first_name="Aminat")
    ParticipationFactory(program=ProgramFactory(organization=organization), person=twin)
    same_phone = PersonFactory(
        organization=organization, first_name="amina", last_name="OKAFOR", phone="780-555-0101"
    )
    ParticipationFactory(program=amina.program, person=same_phone)
    ParticipationFactory(program=other_program, person__email="amina@example.org")  # another organization
    response = _page(client, coordinator, amina)
    assert set(response.context["duplicates"]) == {twin, same_phone}
    html = response.content.decode()
    assert "Possible duplicate" in html
    assert twin.get_absolute_url() in html and same_phone.get_absolute_url() in html


def test_requested_mentor_badges_on_both_pages(client, coordinator, program):
    mentee = MenteeProfileFactory(
        participation__program=program,
        participation__person__first_name="Amina",
        participation__person__last_name="Okafor",
        requested_mentor_name="Grace Ho",
        requested_mentor_email="grace@example.org",
    ).participation
    mentor = MentorProfileFactory(
        participation__program=program,
        participation__status=S.ACCEPTED,
        participation__person__first_name="Grace",
        participation__person__last_name="Ho",
        participation__person__email="grace@example.org",
    ).participation
    mentee_page = _page(client, coordinator, mentee).content.decode()
    assert "Requested Grace Ho, who is now an accepted mentor" in mentee_page
    assert mentor.person.get_absolute_url() in mentee_page
    mentor_page = _page(client, coordinator, mentor).content.decode()
    assert "Requested by Amina Okafor" in mentor_page
    assert mentee.person.get_absolute_url() in mentor_page


# --- Permissions ----------------------------------------------------------------------------------

POST_ACTIONS = [
    ("intake:step", lambda p: [p.pk, "screening"], {}),
    ("intake:accept", lambda p: [p.pk], {}),
    ("intake:waitlist", lambda p: [p.pk], {"reason": "x"}),
    ("intake:withdraw", lambda p: [p.pk], {"reason": "x"}),
    ("intake:decline", lambda p: [p.pk], {"reason": "x", "message": "x"}),
    ("intake:decline_message", lambda p: [p.pk], {"message": "x"}),
    ("intake:refer", lambda p: [p.pk], {"service": "x", "reason": "x"}),
    ("intake:interview_schedule", lambda p: [p.pk], {}),
    ("intake:note_add", lambda p: [p.person.pk], {"text": "x"}),
]


@pytest.mark.parametrize(("name", "args", "data"), POST_ACTIONS)
def test_anonymous_visitors_are_sent_to_sign_in(client, amina, name, args, data):
    response = client.post(reverse(name, args=args(amina)), data)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    amina.refresh_from_db()
    assert amina.status == S.SUBMITTED


@pytest.mark.parametrize(("name", "args", "data"), POST_ACTIONS)
def test_another_organizations_coordinator_gets_404_and_changes_nothing(
    client, amina, other_coordinator, name, args, data
):
    client.force_login(other_coordinator)
    assert client.post(reverse(name, args=args(amina)), data).status_code == 404
    amina.refresh_from_db()
    assert amina.status == S.SUBMITTED
    assert not ActivityEntry.objects.exists()


def test_person_page_permissions(client, amina, other_coordinator, organization):
    url = amina.person.get_absolute_url()
    assert client.get(url).url.startswith(reverse("account_login"))
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    limited = StaffMembershipFactory(
        organization=organization, programs=[ProgramFactory(organization=organization)]
    )
    client.force_login(limited.user)
    assert client.get(url).status_code == 404


def test_referral_outcome_of_another_organization_gets_404(
    client, amina, coordinator, other_coordinator, program
):
    referral = Referral.objects.create(
        participation=amina, partner=PartnerFactory(organization=program.organization), service="LINC"
    )
    client.force_login(other_coordinator)
    url = reverse("intake:referral_outcome", args=[referral.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "enrolled"}).status_code == 404
    referral.refresh_from_db()
    assert referral.outcome == "pending"


def test_person_page_query_count_is_bounded(client, coordinator, amina, django_assert_max_num_queries):
    for _ in range(5):
        InterviewFactory(participation=amina, interviewer=coordinator, status=Interview.Status.COMPLETED)
    client.force_login(coordinator)
    with django_assert_max_num_queries(30):
        assert client.get(amina.person.get_absolute_url()).status_code == 200
