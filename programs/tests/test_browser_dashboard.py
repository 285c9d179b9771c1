"""A coordinator signs in with a real browser, sees their organization, and switches program.
The `page` fixture fails the test on any console error, which includes CSP violations."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from participants.models import Participation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_signs_in_sees_dashboard_and_switches_program(page):
    call_command("seed_demo", verbosity=0)

    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    page.get_by_label("Email").fill("coordinator@demo.example")
    page.get_by_label("Password").fill("mentorship-demo")
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url("/dashboard/")
    expect(page.get_by_test_id("organization-name")).to_have_text(
        "Prairie Region Immigrant Employment Council"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Engineering and Technology Mentorship")
    waiting = Participation.objects.filter(
        program__slug="prairie-engineering", role="mentee", status=Participation.Status.READY_TO_MATCH
    ).count()
    assert waiting > 0
    expect(page.get_by_test_id("count-waiting-mentees")).to_have_text(str(waiting))
    expect(page.get_by_role("img", name="Mentees and mentors at each stage")).to_be_visible()
    assert "Riverbend" not in page.content()

    page.get_by_label("Current program").select_option(label="Healthcare Professionals Mentorship")
    expect(page.get_by_role("heading", level=1)).to_have_text("Healthcare Professionals Mentorship")
    expect(page.get_by_label("Current program")).to_have_value("prairie-health")

    page.get_by_role("link", name="Participants").click()
    expect(page.get_by_role("table")).to_be_visible()
    page.get_by_label("Search").fill("zzz-nobody")
    expect(page.get_by_text("Nobody matches these filters.")).to_be_visible()


def test_second_organization_coordinator_sees_only_their_organization(page):
    call_command("seed_demo", verbosity=0)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("coordinator2@demo.example")
    page.get_by_label("Password").fill("mentorship-demo")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_test_id("organization-name")).to_have_text("Riverbend Family Services")
    options = page.get_by_label("Current program").locator("option").all_inner_texts()
    assert options == ["Newcomer Career Mentorship"]


def test_phone_sized_screen_shows_the_menu_button(page):
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("coordinator@demo.example")
    page.get_by_label("Password").fill("mentorship-demo")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Show navigation").click()
    expect(page.get_by_role("link", name="Participants")).to_be_visible()
