"""A coordinator screens an application in a real browser: from the inbox to the person, an
interview scheduled and recorded, and the acceptance that invites the person to the portal.
The `page` fixture fails the test on any console error, which includes CSP violations."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from participants.models import Participation
from participants.tests.factories import ApplicationFactory, MenteeProfileFactory, ParticipationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_interviews_and_accepts_an_applicant(page, coordinator, program):
    amina = MenteeProfileFactory(
        participation__program=program,
        participation__person__first_name="Amina",
        participation__person__last_name="Okafor",
        participation__person__email="amina.okafor@example.org",
        occupation_title="Structural engineer",
    ).participation
    ApplicationFactory(participation=amina, answers={"first_name": "Amina", "last_name": "Okafor"})
    ParticipationFactory.create_batch(3, program=program)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("link", name="Applications", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications")
    page.get_by_label("Search").fill("structural")
    expect(page.locator("#application-rows tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Amina Okafor").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Amina Okafor")
    page.get_by_role("link", name="Schedule an interview").click()
    page.get_by_label("Date").fill("2030-01-15")
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Place or link").fill("https://meet.example/amina")
    page.get_by_role("button", name="Schedule and send").click()

    expect(page.get_by_test_id("status")).to_have_text("Interview scheduled")
    page.get_by_role("link", name="Record the interview").click()
    page.get_by_label("Observed language level (CLB)").fill("8")
    page.get_by_label("Recommended focus").fill("APEGA licensing and interview practice")
    page.get_by_label("Outcome").select_option("accept")
    page.get_by_role("button", name="Save the assessment").click()

    expect(page.get_by_test_id("status")).to_have_text("Interviewed")
    page.get_by_test_id("suggested-step").get_by_role("button", name="Accept").click()

    expect(page.get_by_test_id("status")).to_have_text("Accepted")
    expect(page.locator("#timeline-heading + ol")).to_contain_text("sent the portal invitation")
    amina.refresh_from_db()
    assert amina.status == Participation.Status.ACCEPTED
    assert [m.to for m in mail.outbox] == [["amina.okafor@example.org"], ["amina.okafor@example.org"]]
