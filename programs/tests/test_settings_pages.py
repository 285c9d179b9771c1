"""Organization admins manage programs and staff from the UI."""

import pytest
from django.core import mail
from django.urls import reverse

from programs.models import Program, StaffMembership

pytestmark = pytest.mark.django_db


def test_admin_creates_a_program(client, org_admin, organization):
    client.force_login(org_admin)
    response = client.post(
        reverse("programs:program_create"),
        {
            "name": "Accounting Mentorship",
            "slug": "accounting",
            "focus": "CPAs",
            "region": "Calgary",
            "description": "",
            "is_active": "on",
        },
    )
    program = Program.objects.get(slug="accounting")
    assert response.url == program.get_absolute_url()
    assert program.organization == organization


def test_invalid_program_form_comes_back_with_what_was_typed(client, org_admin, program):
    client.force_login(org_admin)
    response = client.post(
        reverse("programs:program_create"),
        {"name": "Nursing Mentorship", "slug": program.slug, "focus": "Internationally educated nurses"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nursing Mentorship"' in html
    assert "Internationally educated nurses" in html
    assert "already exists" in html


def test_admin_invites_a_coordinator_limited_to_one_program(
    client, org_admin, organization, program, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:staff_invite"),
            {
                "email": "farah@example.org",
                "first_name": "Farah",
                "last_name": "Rahimi",
                "role": "coordinator",
                "programs": [program.pk],
            },
        )
    assert response.status_code == 302
    membership = StaffMembership.objects.get(user__email="farah@example.org")
    assert list(membership.programs.all()) == [program]
    assert mail.outbox[0].to == ["farah@example.org"]


def test_inviting_an_existing_staff_member_shows_the_reason(client, org_admin, coordinator):
    client.force_login(org_admin)
    response = client.post(
        reverse("programs:staff_invite"),
        {"email": coordinator.email, "first_name": "X", "last_name": "Y", "role": "coordinator"},
    )
    assert response.status_code == 200
    assert "already on your organization" in response.content.decode()


def test_invitation_link_sets_a_password_and_lets_the_person_in(
    client, org_admin, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programs:staff_invite"),
            {"email": "omar@example.org", "first_name": "Omar", "last_name": "Farouk", "role": "coordinator"},
        )
    client.logout()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line)
    path = link[link.index("/accounts/") :]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.request["PATH_INFO"],
        {"password1": "a new Password 2026", "password2": "a new Password 2026"},
    )
    response = client.post(
        reverse("account_login"), {"login": "omar@example.org", "password": "a new Password 2026"}
    )
    assert response.status_code == 302
    assert client.get(reverse("programs:dashboard")).status_code == 200


def test_admin_removes_and_restores_access(client, org_admin, coordinator):
    client.force_login(org_admin)
    membership = StaffMembership.objects.get(user=coordinator)
    client.post(reverse("programs:staff_set_active", args=[membership.pk]), {"active": "0"})
    membership.refresh_from_db()
    assert not membership.is_active
    client.post(reverse("programs:staff_set_active", args=[membership.pk]), {"active": "1"})
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize("staff", [3, 60])
def test_staff_list_query_count_does_not_grow(
    client, org_admin, organization, program, staff, django_assert_max_num_queries
):
    from programs.tests.factories import StaffMembershipFactory

    for _ in range(staff):
        StaffMembershipFactory(organization=organization, programs=[program])
    client.force_login(org_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:staff_list"))
    assert response.status_code == 200
