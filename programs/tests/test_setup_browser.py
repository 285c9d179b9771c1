"""An organization admin sets up a program in a real browser: adds a cohort, then drafts and
publishes a new privacy notice version and sees it marked current. The `page` fixture fails
the test on any console error, which includes Content-Security-Policy violations."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from programs.models import StaffMembership
from programs.tests.factories import (
    OrganizationFactory,
    PrivacyNoticeFactory,
    ProgramFactory,
    StaffMembershipFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_adds_a_cohort_and_publishes_a_new_privacy_notice(page):
    organization = OrganizationFactory(name="Prairie Region Immigrant Employment Council")
    program = ProgramFactory(organization=organization, name="Engineering Mentorship")
    PrivacyNoticeFactory(program=program, version=1, text="We keep your answers to match you.")
    admin = StaffMembershipFactory(organization=organization, role=StaffMembership.Role.ADMIN).user

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url("/dashboard/")

    page.goto(program.get_absolute_url())
    page.get_by_role("link", name="Program setup").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up Engineering Mentorship")

    page.get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Name").fill("Winter 2027")
    page.get_by_label("Starts on").fill("2027-01-11")
    page.get_by_label("Ends on").fill("2027-05-28")
    page.get_by_label("Target number of mentors").fill("12")
    page.get_by_label("Target number of mentees").fill("24")
    page.get_by_role("button", name="Save the cohort").click()
    expect(page.get_by_text("Cohort “Winter 2027” created.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Winter 2027")
    expect(row).to_contain_text("0 / 12")
    expect(row).to_contain_text("0 / 24")

    page.get_by_role("link", name="Privacy notice").click()
    page.get_by_role("link", name="Draft a new version").click()
    text = page.get_by_label("Text")
    expect(text).to_have_value("We keep your answers to match you.")
    text.fill("We keep your answers to match you, and delete them two years after the program ends.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft of version 2 saved.")).to_be_visible()
    page.get_by_role("button", name="Publish this version").click()

    expect(page.get_by_text("Version 2 is published.")).to_be_visible()
    expect(page.get_by_test_id("notice-2")).to_contain_text("Current")
    expect(page.get_by_test_id("notice-1")).to_contain_text("Earlier version")
