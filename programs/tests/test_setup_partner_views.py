"""Partner and funder pages: staff read partners, admins change them; funders are admin-only;
everything of another organization is a 404; lists keep a constant number of queries."""

import pytest
from django.urls import reverse

from participants.models import Participation, Referral
from participants.tests.factories import MentorProfileFactory, ParticipationFactory
from programs.models import Funding, Partner, PartnerContact, ReportingPeriod
from programs.tests.factories import (
    FunderFactory,
    FundingFactory,
    PartnerFactory,
    ProgramFactory,
    StaffMembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(organization):
    partner = PartnerFactory(organization=organization, name="Prairie Language Academy", kind="language")
    PartnerContact.objects.create(partner=partner, name="Amina Yusuf", email="amina@example.org")
    return partner


@pytest.fixture
def funder(organization, program):
    funder = FunderFactory(organization=organization, name="Labour and Immigration")
    funder.contacts.create(name="Jordan Whitelaw")
    FundingFactory(funder=funder, program=program)
    ReportingPeriod.objects.create(funder=funder, name="Q1", starts_on="2026-04-01", ends_on="2026-06-30")
    return funder


def _partner_read_urls(partner) -> list[str]:
    return [
        reverse("setup:partner_list"),
        reverse("setup:partner_detail", args=[partner.pk]),
        reverse("setup:partner_people", args=[partner.pk, "referred"]),
        reverse("setup:partner_people", args=[partner.pk, "mentors"]),
        reverse("setup:partner_people", args=[partner.pk, "referrals"]),
    ]


def _partner_admin_urls(partner) -> list[str]:
    contact = partner.contacts.get()
    return [
        reverse("setup:partner_create"),
        reverse("setup:partner_edit", args=[partner.pk]),
        reverse("setup:partner_contact_create", args=[partner.pk]),
        reverse("setup:partner_contact_edit", args=[partner.pk, contact.pk]),
        reverse("setup:partner_contact_remove", args=[partner.pk, contact.pk]),
    ]


def _funder_urls(funder) -> list[str]:
    contact, funding, period = funder.contacts.get(), funder.fundings.get(), funder.reporting_periods.get()
    return [
        reverse("setup:funder_list"),
        reverse("setup:funder_create"),
        reverse("setup:funder_detail", args=[funder.pk]),
        reverse("setup:funder_edit", args=[funder.pk]),
        reverse("setup:funder_contact_create", args=[funder.pk]),
        reverse("setup:funder_contact_edit", args=[funder.pk, contact.pk]),
        reverse("setup:funder_contact_remove", args=[funder.pk, contact.pk]),
        reverse("setup:funding_add", args=[funder.pk]),
        reverse("setup:funding_remove", args=[funder.pk, funding.pk]),
        reverse("setup:reporting_period_create", args=[funder.pk]),
        reverse("setup:reporting_period_edit", args=[funder.pk, period.pk]),
        reverse("setup:reporting_period_remove", args=[funder.pk, period.pk]),
    ]


# --- Permissions ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, partner, funder):
    for url in _partner_read_urls(partner) + _partner_admin_urls(partner) + _funder_urls(funder):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_admin_opens_every_partner_and_funder_page(client, partner, funder, org_admin):
    client.force_login(org_admin)
    for url in _partner_read_urls(partner) + _partner_admin_urls(partner) + _funder_urls(funder):
        assert client.get(url).status_code == 200, url


def test_coordinator_reads_partners_but_cannot_change_them_or_see_funders(
    client, partner, funder, coordinator
):
    client.force_login(coordinator)
    for url in _partner_read_urls(partner):
        assert client.get(url).status_code == 200, url
    for url in _partner_admin_urls(partner) + _funder_urls(funder):
        assert client.get(url).status_code == 403, url
    assert (
        reverse("setup:partner_edit", args=[partner.pk])
        not in client.get(reverse("setup:partner_detail", args=[partner.pk])).content.decode()
    )


def test_admin_of_another_organization_gets_404_on_every_object(client, partner, funder, other_coordinator):
    client.force_login(other_coordinator)
    object_urls = (
        _partner_read_urls(partner)[1:] + _partner_admin_urls(partner)[1:] + _funder_urls(funder)[2:]
    )
    for url in object_urls:
        assert client.get(url).status_code == 404, url
    contact = partner.contacts.get()
    response = client.post(reverse("setup:partner_contact_remove", args=[partner.pk, contact.pk]))
    assert response.status_code == 404
    assert partner.contacts.exists()


def test_lists_show_only_the_users_organization(
    client, partner, funder, other_coordinator, other_organization
):
    PartnerFactory(organization=other_organization, name="Riverbend Public Library")
    FunderFactory(organization=other_organization, name="Riverbend Foundation")
    client.force_login(other_coordinator)
    partners = client.get(reverse("setup:partner_list")).content.decode()
    assert "Riverbend Public Library" in partners
    assert partner.name not in partners
    funders = client.get(reverse("setup:funder_list")).content.decode()
    assert "Riverbend Foundation" in funders
    assert funder.name not in funders


def test_unknown_partner_relation_is_404(client, partner, org_admin):
    client.force_login(org_admin)
    assert client.get(reverse("setup:partner_people", args=[partner.pk, "secrets"])).status_code == 404


# --- Partners ---------------------------------------------------------------------------------

PARTNER = {
    "name": "Red Deer Valley Chamber of Commerce",
    "kind": "chamber",
    "website": "reddeerchamber.example",
    "services": "Networking breakfasts",
    "notes": "",
    "is_active": "on",
}


def test_admin_adds_and_edits_a_partner(client, organization, org_admin):
    client.force_login(org_admin)
    response = client.post(reverse("setup:partner_create"), PARTNER)
    partner = Partner.objects.get(name=PARTNER["name"])
    assert response.url == reverse("setup:partner_detail", args=[partner.pk])
    assert partner.organization == organization
    assert partner.website == "https://reddeerchamber.example"
    client.post(reverse("setup:partner_edit", args=[partner.pk]), {**PARTNER, "is_champion": "on"})
    partner.refresh_from_db()
    assert partner.is_champion


def test_duplicate_partner_name_shows_a_field_error_with_what_was_typed(client, organization, org_admin):
    PartnerFactory(organization=organization, name=PARTNER["name"])
    client.force_login(org_admin)
    response = client.post(reverse("setup:partner_create"), PARTNER)
    assert response.status_code == 200
    assert "already have a partner" in response.context["form"].errors["name"][0]
    assert "Networking breakfasts" in response.content.decode()


def test_admin_manages_partner_contacts(client, partner, org_admin):
    client.force_login(org_admin)
    client.post(
        reverse("setup:partner_contact_create", args=[partner.pk]),
        {"name": "Li Wei", "title": "Coordinator", "email": "li@example.org", "phone": ""},
    )
    contact = partner.contacts.get(name="Li Wei")
    client.post(
        reverse("setup:partner_contact_edit", args=[partner.pk, contact.pk]),
        {"name": "Li Wei", "title": "Director", "email": "li@example.org", "phone": ""},
    )
    contact.refresh_from_db()
    assert contact.title == "Director"
    client.post(reverse("setup:partner_contact_remove", args=[partner.pk, contact.pk]))
    assert not partner.contacts.filter(name="Li Wei").exists()


def test_partner_list_filters_by_kind_champion_and_search(client, organization, org_admin):
    PartnerFactory(
        organization=organization, name="Prairie Infrastructure", kind="employer", is_champion=True
    )
    PartnerFactory(
        organization=organization, name="Health Network", kind="employer", services="Nursing bridge"
    )
    PartnerFactory(organization=organization, name="Newcomer Centre", kind="settlement")
    client.force_login(org_admin)

    def names(query):
        response = client.get(reverse("setup:partner_list"), query)
        return [partner.name for partner in response.context["page_obj"]]

    assert names({"kind": "employer"}) == ["Health Network", "Prairie Infrastructure"]
    assert names({"is_champion": "true"}) == ["Prairie Infrastructure"]
    assert names({"q": "nursing"}) == ["Health Network"]


def test_partner_list_pagination_keeps_the_filters(client, organization, org_admin):
    for number in range(30):
        PartnerFactory(organization=organization, name=f"Employer {number:02}", kind="employer")
    client.force_login(org_admin)
    html = client.get(reverse("setup:partner_list"), {"kind": "employer"}).content.decode()
    assert "?kind=employer&amp;page=2" in html


@pytest.mark.parametrize("partners", [3, 40])
def test_partner_list_query_count_does_not_grow(
    client, organization, org_admin, partners, django_assert_max_num_queries
):
    for number in range(partners):
        partner = PartnerFactory(organization=organization, name=f"Partner {number}")
        PartnerContact.objects.create(partner=partner, name="Someone")
    client.force_login(org_admin)
    # Six for the request and navigation, the count and one page with contact counts annotated.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("setup:partner_list"))
    assert response.status_code == 200


def _involve(partner, program, size: int) -> None:
    for _ in range(size):
        ParticipationFactory(program=program, source_partner=partner)
        MentorProfileFactory(participation__program=program, employer_partner=partner)
        Referral.objects.create(
            participation=ParticipationFactory(program=program),
            partner=partner,
            service="Language classes",
            outcome=Referral.Outcome.ENROLLED,
        )


def test_partner_page_counts_referrals_mentors_and_referrals_made(client, partner, program, coordinator):
    _involve(partner, program, 2)
    Referral.objects.create(
        participation=ParticipationFactory(program=program), partner=partner, service="CLB 5 class"
    )
    client.force_login(coordinator)
    response = client.get(reverse("setup:partner_detail", args=[partner.pk]))
    involvement = response.context["involvement"]
    assert involvement["referred_participants"] == 2
    assert involvement["employed_mentors"] == 2
    assert involvement["referrals_total"] == 3
    outcomes = {value: count for value, _label, count in involvement["referrals_by_outcome"]}
    assert outcomes[Referral.Outcome.ENROLLED] == 2
    assert outcomes[Referral.Outcome.PENDING] == 1


def test_partner_counts_leave_out_programs_the_coordinator_does_not_work_in(
    client, organization, partner, program
):
    elsewhere = ProgramFactory(organization=organization)
    _involve(partner, elsewhere, 3)
    limited = StaffMembershipFactory(organization=organization, programs=[program]).user
    client.force_login(limited)
    response = client.get(reverse("setup:partner_detail", args=[partner.pk]))
    assert response.context["involvement"]["referred_participants"] == 0
    people = client.get(reverse("setup:partner_people", args=[partner.pk, "referred"]))
    assert list(people.context["page_obj"]) == []


def test_partner_people_lists_link_to_the_people(client, partner, program, coordinator):
    _involve(partner, program, 1)
    client.force_login(coordinator)
    for relation in ("referred", "mentors", "referrals"):
        response = client.get(reverse("setup:partner_people", args=[partner.pk, relation]))
        assert len(response.context["page_obj"]) == 1, relation
        assert "/participants/" in response.content.decode()
    mentor = client.get(reverse("setup:partner_people", args=[partner.pk, "mentors"])).context["page_obj"][0]
    assert mentor.role == Participation.Role.MENTOR


@pytest.mark.parametrize("size", [1, 15])
def test_partner_page_query_count_does_not_grow(
    client, partner, program, coordinator, size, django_assert_max_num_queries
):
    _involve(partner, program, size)
    client.force_login(coordinator)
    # Session, user, memberships and their programs; the partner, its contacts, three counts,
    # the timeline (content type and entries) and the program switcher.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("setup:partner_detail", args=[partner.pk]))
    assert response.status_code == 200


# --- Funders ----------------------------------------------------------------------------------


def test_admin_adds_a_funder_with_programs_periods_and_contacts(client, organization, program, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("setup:funder_create"), {"name": "Prairie Foundation", "website": "", "notes": ""}
    )
    funder = organization.funders.get(name="Prairie Foundation")
    assert response.url == reverse("setup:funder_detail", args=[funder.pk])

    client.post(
        reverse("setup:funding_add", args=[funder.pk]),
        {"program": program.pk, "starts_on": "2026-04-01", "ends_on": "2027-03-31"},
    )
    assert Funding.objects.filter(funder=funder, program=program).exists()
    client.post(
        reverse("setup:reporting_period_create", args=[funder.pk]),
        {
            "name": "Q1 2026-27",
            "starts_on": "2026-04-01",
            "ends_on": "2026-06-30",
            "report_due_on": "2026-07-31",
        },
    )
    assert funder.reporting_periods.filter(name="Q1 2026-27").exists()
    client.post(
        reverse("setup:funder_contact_create", args=[funder.pk]),
        {"name": "Sam Okafor", "title": "", "email": "", "phone": ""},
    )
    html = client.get(reverse("setup:funder_detail", args=[funder.pk])).content.decode()
    for text in (program.name, "Q1 2026-27", "Sam Okafor", "Django admin"):
        assert text in html


def test_funding_form_offers_only_the_organizations_programs(client, funder, other_program, org_admin):
    second = ProgramFactory(organization=funder.organization, name="Health Mentorship")
    client.force_login(org_admin)
    response = client.get(reverse("setup:funding_add", args=[funder.pk]))
    assert list(response.context["form"].fields["program"].queryset) == [second]
    response = client.post(reverse("setup:funding_add", args=[funder.pk]), {"program": other_program.pk})
    assert response.status_code == 200
    assert "program" in response.context["form"].errors
    assert not Funding.objects.filter(program=other_program).exists()


def test_reporting_period_ending_before_it_starts_is_refused_on_the_end_date(client, funder, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("setup:reporting_period_create", args=[funder.pk]),
        {"name": "Backwards", "starts_on": "2026-04-01", "ends_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.context["form"].errors["ends_on"][0]
    assert 'value="Backwards"' in response.content.decode()


def test_admin_removes_a_funding(client, funder, org_admin):
    client.force_login(org_admin)
    funding = funder.fundings.get()
    client.post(reverse("setup:funding_remove", args=[funder.pk, funding.pk]))
    assert not funder.fundings.exists()


@pytest.mark.parametrize("funders", [2, 30])
def test_funder_list_query_count_does_not_grow(
    client, organization, program, org_admin, funders, django_assert_max_num_queries
):
    for _ in range(funders):
        FundingFactory(funder=FunderFactory(organization=organization), program=program)
    client.force_login(org_admin)
    # Six for the request and navigation, the count and one page with program and contact counts.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("setup:funder_list"))
    assert response.status_code == 200
