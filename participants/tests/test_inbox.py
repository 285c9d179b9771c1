"""The applications inbox: what it lists, its filters and search, bulk actions, the CSV export,
the duplicate flag, who may see what, and how many queries it takes."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from matching.models import Occupation
from participants.models import Application, Participation, Resume
from participants.tests.factories import (
    ApplicationFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    ParticipationFactory,
    PersonFactory,
)
from programs.tests.factories import PartnerFactory, ProgramFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

S = Participation.Status
INBOX = reverse("intake:inbox")


def _names(response) -> list[str]:
    return [row.record.person.full_name for row in response.context["table"].paginated_rows]


def _submitted(participation: Participation, day: int) -> Participation:
    ApplicationFactory(
        participation=participation, submitted_at=datetime.datetime(2026, 3, day, 18, tzinfo=datetime.UTC)
    )
    return participation


def _person(program, first, last, **extra) -> Participation:
    return ParticipationFactory(program=program, person__first_name=first, person__last_name=last, **extra)


@pytest.fixture
def staffed(client, coordinator):
    client.force_login(coordinator)
    return client


def test_inbox_lists_open_applications_newest_first(staffed, program):
    _submitted(_person(program, "Amina", "Okafor"), 1)
    _submitted(_person(program, "Diego", "Ramirez", status=S.INTERVIEWED), 3)
    _submitted(_person(program, "Mei", "Zhang", status=S.WAITLISTED), 2)
    _submitted(_person(program, "Old", "Declined", status=S.DECLINED), 4)
    _submitted(_person(program, "Ready", "Tomatch", status=S.READY_TO_MATCH), 5)
    assert _names(staffed.get(INBOX)) == ["Diego Ramirez", "Mei Zhang", "Amina Okafor"]


def test_a_chosen_status_shows_that_status_and_all_shows_every_one(staffed, program):
    _submitted(_person(program, "Amina", "Okafor"), 1)
    _submitted(_person(program, "Old", "Declined", status=S.DECLINED), 4)
    assert _names(staffed.get(INBOX, {"status": "declined"})) == ["Old Declined"]
    assert _names(staffed.get(INBOX, {"status": "all"})) == ["Old Declined", "Amina Okafor"]


def test_program_role_and_date_filters(staffed, program, organization):
    other = ProgramFactory(organization=organization, name="Health Mentorship")
    _submitted(_person(program, "Amina", "Okafor"), 1)
    _submitted(_person(other, "Mei", "Zhang"), 10)
    _submitted(_person(program, "Grace", "Ho", role=Participation.Role.MENTOR), 20)
    assert _names(staffed.get(INBOX, {"program": other.pk})) == ["Mei Zhang"]
    assert _names(staffed.get(INBOX, {"role": "mentor"})) == ["Grace Ho"]
    assert _names(staffed.get(INBOX, {"submitted_from": "2026-03-05", "submitted_to": "2026-03-15"})) == [
        "Mei Zhang"
    ]
    assert _names(staffed.get(INBOX, {"submitted_to": "2026-03-01"})) == ["Amina Okafor"]


def test_profession_filter_by_broad_category_or_unit_group(staffed, program):
    Occupation.objects.create(code="2", title="Natural and applied sciences", level=1)
    Occupation.objects.create(code="3", title="Health occupations", level=1)
    civil = Occupation.objects.create(code="21300", title="Civil engineers", level=5)
    mechanical = Occupation.objects.create(code="21301", title="Mechanical engineers", level=5)
    nurse = Occupation.objects.create(code="31301", title="Registered nurses", level=5)
    MenteeProfileFactory(
        participation__program=program, participation__person__first_name="Civil", occupation=civil
    )
    MentorProfileFactory(
        participation__program=program, participation__person__first_name="Mech", occupation=mechanical
    )
    MenteeProfileFactory(
        participation__program=program, participation__person__first_name="Nurse", occupation=nurse
    )

    def firsts(params):
        return sorted(
            row.record.person.first_name for row in staffed.get(INBOX, params).context["table"].rows
        )

    assert firsts({"profession": "2"}) == ["Civil", "Mech"]
    assert firsts({"profession": "21300"}) == ["Civil"]
    assert firsts({"profession": "3"}) == ["Nurse"]
    choices = staffed.get(INBOX).context["filter"].form.fields["profession"].choices
    assert choices[0] == ("", "Any profession")
    assert [code for code, _label in choices[1][1]] == ["2", "3"]
    assert [code for code, _label in choices[2][1]] == ["21300", "21301", "31301"]


def test_source_filter_by_partner_or_how_they_heard(staffed, program, other_organization):
    library = PartnerFactory(organization=program.organization, name="Edmonton Public Library")
    PartnerFactory(organization=other_organization, name="Not Ours")
    _person(program, "Amina", "Okafor", source_partner=library, heard_via=str(library.pk))
    _person(program, "Mei", "Zhang", heard_via="other", source_detail="A friend")
    _person(program, "Diego", "Ramirez")
    response = staffed.get(INBOX)
    choices = response.context["filter"].form.fields["source"].choices
    assert choices[1][1] == [(f"partner:{library.pk}", "Edmonton Public Library")]
    assert choices[2][1] == [("heard:other", "Somewhere else")]
    assert _names(staffed.get(INBOX, {"source": f"partner:{library.pk}"})) == ["Amina Okafor"]
    assert _names(staffed.get(INBOX, {"source": "heard:other"})) == ["Mei Zhang"]


def test_search_covers_name_email_job_title_and_resume_text(staffed, program):
    amina = MenteeProfileFactory(
        participation__program=program,
        participation__person__first_name="Amina",
        participation__person__last_name="Okafor",
        participation__person__email="amina@example.org",
        occupation_title="Structural engineer",
    ).participation
    mei = _person(program, "Mei", "Zhang")
    Resume.objects.create(
        person=mei.person,
        file="resume/mei.pdf",
        original_filename="mei.pdf",
        content_type="application/pdf",
        size=1000,
        sha256="0" * 64,
        extracted_text="Eight years of AutoCAD and hydrology modelling",
    )
    assert _names(staffed.get(INBOX, {"q": "okafor"})) == [amina.person.full_name]
    assert _names(staffed.get(INBOX, {"q": "AMINA@example"})) == [amina.person.full_name]
    assert _names(staffed.get(INBOX, {"q": "structural"})) == [amina.person.full_name]
    assert _names(staffed.get(INBOX, {"q": "hydrology autocad"})) == ["Mei Zhang"]
    assert _names(staffed.get(INBOX, {"q": "hydrology okafor"})) == []


def test_columns_sort(staffed, program):
    _submitted(_person(program, "Amina", "Okafor"), 1)
    _submitted(_person(program, "Mei", "Zhang"), 2)
    _submitted(_person(program, "Diego", "Adeyemi"), 3)
    assert _names(staffed.get(INBOX, {"sort": "person"})) == ["Diego Adeyemi", "Amina Okafor", "Mei Zhang"]
    assert _names(staffed.get(INBOX, {"sort": "submitted_on"})) == [
        "Amina Okafor",
        "Mei Zhang",
        "Diego Adeyemi",
    ]


def test_inbox_is_paginated_and_htmx_gets_only_the_table(staffed, program, settings):
    ParticipationFactory.create_batch(30, program=program)
    assert len(_names(staffed.get(INBOX))) == settings.PAGE_SIZE
    assert len(_names(staffed.get(INBOX, {"page": 2}))) == 5
    html = staffed.get(INBOX, {"q": "x"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in html and '<nav class="navbar' not in html
    assert 'name="q" value="x"' in html  # the filters travel with the bulk form


def test_empty_inbox_says_so(staffed):
    assert "No application matches these filters." in staffed.get(INBOX).content.decode()


# --- Duplicates -----------------------------------------------------------------------------------


def _flags(response) -> dict[str, bool]:
    return {
        row.record.person.full_name: row.record.possible_duplicate
        for row in response.context["table"].paginated_rows
    }


def test_possible_duplicates_are_flagged_by_email_or_by_name_and_phone(
    staffed, program, organization, other_program
):
    health = ProgramFactory(organization=organization)
    _person(program, "Amina", "Okafor", person__email="amina@example.org")
    _person(health, "Aminat", "Okafor", person__email="AMINA@example.org", role=Participation.Role.MENTOR)
    _person(program, "Li", "Wei", person__phone="780-555-0101", person__email="li1@example.org")
    _person(program, "LI", "wei", person__phone="780-555-0101", person__email="li2@example.org")
    _person(program, "Sam", "Lee", person__phone="", person__email="sam1@example.org")
    _person(program, "Sam", "Lee", person__phone="", person__email="sam2@example.org")
    _person(program, "Diego", "Ramirez", person__email="diego@example.org")
    ParticipationFactory(program=other_program, person__email="diego@example.org")  # another organization

    flags = _flags(staffed.get(INBOX))
    assert flags == {
        "Amina Okafor": True,
        "Aminat Okafor": True,
        "Li Wei": True,
        "LI wei": True,
        "Sam Lee": False,
        "Diego Ramirez": False,
    }
    html = staffed.get(INBOX).content.decode()
    assert html.count("Possible duplicate") == 4


def test_one_person_in_two_programs_is_flagged(staffed, program, organization):
    person = PersonFactory(organization=organization, first_name="Amina", last_name="Okafor")
    ParticipationFactory(program=program, person=person)
    ParticipationFactory(program=ProgramFactory(organization=organization), person=person)
    assert set(_flags(staffed.get(INBOX)).values()) == {True}


# --- Bulk actions ------------------------------------------------------------------------------------


def test_bulk_move_to_screening_reports_rows_that_may_not_move(staffed, program):
    new = _person(program, "Amina", "Okafor")
    waiting = _person(program, "Mei", "Zhang", status=S.WAITLISTED, waitlist_position=1)
    accepted = _person(program, "Diego", "Ramirez", status=S.ACCEPTED)
    response = staffed.post(
        reverse("intake:bulk"),
        {
            "action": "screening",
            "selected": [new.pk, waiting.pk, accepted.pk],
            "next": f"{INBOX}?role=mentee",
        },
    )
    assert response.status_code == 302 and response.url == f"{INBOX}?role=mentee"
    for participation in (new, waiting, accepted):
        participation.refresh_from_db()
    assert (new.status, waiting.status, accepted.status) == (S.SCREENING, S.SCREENING, S.ACCEPTED)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0] == "2 applications moved to screening."
    assert texts[1] == (
        "1 application did not change: Diego Ramirez: "
        "An application that is “Accepted” cannot be moved to screening."
    )


def test_bulk_waitlist_needs_a_reason_and_numbers_the_rows(staffed, program):
    a, b = _person(program, "Amina", "Okafor"), _person(program, "Mei", "Zhang")
    response = staffed.post(reverse("intake:bulk"), {"action": "waitlist", "selected": [a.pk, b.pk]})
    assert "Give a reason" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    a.refresh_from_db()
    assert a.status == S.SUBMITTED

    staffed.post(
        reverse("intake:bulk"), {"action": "waitlist", "selected": [a.pk, b.pk], "reason": "Cohort full"}
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (S.WAITLISTED, S.WAITLISTED)
    assert sorted([a.waitlist_position, b.waitlist_position]) == [1, 2]


def test_bulk_action_without_ticked_rows_is_refused(staffed, program):
    _person(program, "Amina", "Okafor")
    response = staffed.post(reverse("intake:bulk"), {"action": "screening"})
    assert "Tick at least one application." in [str(m) for m in get_messages(response.wsgi_request)]


def test_bulk_action_must_be_chosen(staffed, program):
    amina = _person(program, "Amina", "Okafor")
    response = staffed.post(reverse("intake:bulk"), {"action": "", "selected": [amina.pk]})
    assert "Choose what to do with the ticked applications." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    amina.refresh_from_db()
    assert amina.status == S.SUBMITTED


def test_bulk_action_on_another_organizations_rows_changes_nothing(client, other_coordinator, program):
    mine = _person(program, "Amina", "Okafor")
    client.force_login(other_coordinator)
    response = client.post(reverse("intake:bulk"), {"action": "screening", "selected": [mine.pk]})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == S.SUBMITTED
    export = client.post(reverse("intake:bulk"), {"action": "export", "selected": [mine.pk]})
    assert export.status_code == 302  # refused, not exported


# --- CSV export -------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_export_of_ticked_rows(staffed, program):
    amina = MenteeProfileFactory(
        participation__program=program,
        participation__person__first_name="Amina",
        participation__person__last_name="Okafor",
        participation__person__email="amina@example.org",
        occupation_title="Civil engineer",
    ).participation
    _submitted(amina, 2)
    _person(program, "Mei", "Zhang")
    Resume.objects.create(
        person=amina.person,
        file="resume/a.pdf",
        original_filename="a.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        extracted_text="SECRET RESUME TEXT",
    )
    response = staffed.post(reverse("intake:bulk"), {"action": "export", "selected": [amina.pk]})
    rows = _csv_rows(response)
    assert rows == [
        ["name", "email", "program", "role", "status", "occupation", "submitted", "source"],
        [
            "Amina Okafor",
            "amina@example.org",
            program.name,
            "Mentee",
            "Submitted",
            "Civil engineer",
            "2026-03-02",
            "",
        ],
    ]
    assert "SECRET" not in response.content.decode()


def test_export_without_ticks_takes_the_filtered_rows_from_the_form_body(staffed, program, other_program):
    _person(program, "Amina", "Okafor")
    _person(program, "Mei", "Zhang")
    ParticipationFactory(program=other_program, person__last_name="Elsewhere")
    response = staffed.post(reverse("intake:bulk"), {"action": "export", "q": "zhang"})
    assert [row[0] for row in _csv_rows(response)[1:]] == ["Mei Zhang"]
    everything = staffed.post(reverse("intake:bulk"), {"action": "export"})
    assert [row[0] for row in _csv_rows(everything)[1:]] == ["Mei Zhang", "Amina Okafor"]  # newest first


def test_export_neutralises_spreadsheet_formulas(staffed, program):
    _person(program, "=HYPERLINK(1)", "Okafor")
    rows = _csv_rows(staffed.post(reverse("intake:bulk"), {"action": "export"}))
    assert rows[1][0] == "'=HYPERLINK(1) Okafor"


# --- Who sees what ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(INBOX), client.post(reverse("intake:bulk"), {"action": "export"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_participants_without_a_staff_role_are_refused(client, participant_user):
    client.force_login(participant_user)
    assert client.get(INBOX).status_code == 403


def test_inbox_shows_only_my_organizations_applications(client, program, other_program, other_coordinator):
    _person(program, "Amina", "Okafor")
    _person(other_program, "Diego", "Ramirez")
    client.force_login(other_coordinator)
    response = client.get(INBOX)
    assert _names(response) == ["Diego Ramirez"]
    assert "Okafor" not in response.content.decode()
    rows = _csv_rows(client.post(reverse("intake:bulk"), {"action": "export"}))
    assert [row[0] for row in rows[1:]] == ["Diego Ramirez"]


def test_coordinator_limited_to_one_program_sees_only_its_applications(client, organization, program):
    other = ProgramFactory(organization=organization)
    _person(other, "Mei", "Elsewhere")
    _person(program, "Amina", "Here")
    limited = StaffMembershipFactory(organization=organization, programs=[program]).user
    client.force_login(limited)
    assert _names(client.get(INBOX)) == ["Amina Here"]
    # Another program of the organization is not a choice for them; asking for it shows nothing more.
    assert _names(client.get(INBOX, {"program": other.pk})) == ["Amina Here"]


# --- Query count ------------------------------------------------------------------------------------


@pytest.mark.parametrize("applications", [10, 500])
def test_inbox_query_count_does_not_grow(
    client, coordinator, program, applications, django_assert_max_num_queries
):
    library = PartnerFactory(organization=program.organization)
    Occupation.objects.create(code="2", title="Natural and applied sciences", level=1)
    civil = Occupation.objects.create(code="21300", title="Civil engineers", level=5)
    for n in range(applications):
        profile = MenteeProfileFactory(
            participation__program=program,
            participation__source_partner=library if n % 3 == 0 else None,
            participation__heard_via="other" if n % 3 == 1 else "",
            # Every fifth pair shares an address, so that the duplicate flag has work to do.
            participation__person__email=f"person{n // 5 * 5 if n % 5 < 2 else n}@example.org",
            occupation=civil,
        )
        if n % 2:
            Application.objects.create(participation=profile.participation, answers={})
    client.force_login(coordinator)
    # Session, user, memberships (+ their programs), the program switcher, the filter's program,
    # profession and source choices (partners, how they heard), the count, the page of rows; the
    # duplicate flag is a subquery of the page's query.
    with django_assert_max_num_queries(11):
        response = client.get(INBOX, {"q": "person", "sort": "-occupation"})
    assert response.status_code == 200
    assert len(_names(response)) == min(applications, 25)
    assert any(row.record.possible_duplicate for row in response.context["table"].paginated_rows)
