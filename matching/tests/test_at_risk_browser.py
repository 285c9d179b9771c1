"""A coordinator works the at-risk list in a real browser: opens a match whose check-in is
overdue, records the check-in on its "Check-ins" tab, and sees the match leave the list while
another one, at risk for another reason, stays. The `page` fixture fails the test on any
console error, which includes CSP violations."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from matching.models import CheckIn, Meeting
from participants.tests.factories import PersonFactory

from .factories import started_match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_records_an_overdue_checkin_and_the_match_leaves_the_list(page, coordinator, program):
    today = timezone.localdate()
    # Started 25 days ago: the first check-in, 14 days after the start, is 11 days old.
    amina = started_match(
        program,
        started_on=today - datetime.timedelta(days=25),
        planned_end_on=today + datetime.timedelta(days=120),
        mentee__person=PersonFactory(
            organization=program.organization, first_name="Amina", last_name="Okafor"
        ),
    )
    Meeting.objects.create(
        match=amina,
        occurred_on=today - datetime.timedelta(days=3),
        duration_minutes=60,
        topics="Resume for Canadian employers",
        logged_as=Meeting.LoggedAs.MENTOR,
    )
    # Never met in the 40 days since the start: stays on the list whatever the check-in says.
    started_match(
        program,
        started_on=today - datetime.timedelta(days=40),
        mentee__person=PersonFactory(organization=program.organization, first_name="Bao", last_name="Tran"),
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.goto("/matching/at-risk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Matches at risk")
    row = page.get_by_test_id(f"at-risk-{amina.pk}")
    expect(row.get_by_test_id("reasons")).to_contain_text("check-in overdue since")
    expect(page.locator("#at-risk-rows tbody tr")).to_have_count(2)
    row.get_by_role("link", name="Amina Okafor", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Amina Okafor")
    page.get_by_test_id("match-tabs").get_by_role("link", name="Check-ins").click()
    expect(page.get_by_test_id("match-tabs").get_by_role("link", name="Check-ins")).to_have_attribute(
        "aria-current", "page"
    )
    first_date = (amina.started_on + datetime.timedelta(days=14)).isoformat()
    form = page.locator("#record-section")
    expect(form.get_by_label("Check-in date")).to_have_value(first_date)
    form.get_by_label("With whom").select_option("both")
    form.get_by_label("How it is going").fill(
        "They meet every week; two applications sent to engineering firms."
    )
    form.get_by_label("Satisfaction").select_option("4")
    form.get_by_label("Follow-up actions").fill("Send the APEGA work-experience guide.")
    form.get_by_role("button", name="Record the check-in").click()

    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "The check-in is recorded."
    )
    expect(page.get_by_test_id(f"planned-{first_date}")).to_contain_text("Done")
    page.get_by_role("link", name="Matches at risk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Matches at risk")
    expect(page.locator("#at-risk-rows tbody tr")).to_have_count(1)
    expect(page.get_by_test_id(f"at-risk-{amina.pk}")).to_have_count(0)
    expect(page.locator("#at-risk-rows")).to_contain_text("Bao Tran")
    checkin = CheckIn.objects.get(match=amina)
    assert (checkin.status, checkin.satisfaction, checkin.done_by) == ("done", 4, coordinator)

    page.goto("/matching/health/")
    expect(page.get_by_test_id("active-matches")).to_have_text("2")
    expect(page.get_by_test_id("at-risk-count")).to_have_text("1")
