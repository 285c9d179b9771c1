"""The whole intake in one real browser: a newcomer applies with a resume, and the coordinator
finds the application, interviews and accepts them. The `page` fixture fails the test on any
console error, which includes Content-Security-Policy violations."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from participants.models import Participation

from .apply_data import (
    fill_about_me,
    fill_the_rest,
    pdf_bytes,  # noqa: I001
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_applies_and_coordinator_interviews_and_accepts(mentee_form, coordinator, tmp_path):
    page = mentee_form
    resume = tmp_path / "Amina Okafor CV.pdf"
    resume.write_bytes(pdf_bytes("Amina Okafor, structural engineer, bridge design and site inspection"))
    fill_about_me(page)
    fill_the_rest(page)
    page.get_by_label("Your profession before Canada").select_option(label="Civil engineers (21300)")
    page.get_by_label("Resume").set_input_files(str(resume))
    page.get_by_label("I have read the privacy notice and I agree to it.").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your application")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Applications", exact=True).click()
    # The resume's text is searchable: "bridge" appears only there.
    page.get_by_label("Search").fill("bridge")
    expect(page.locator("#application-rows tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Amina Okafor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amina Okafor")
    expect(page.get_by_role("link", name="Download Amina Okafor CV.pdf")).to_be_visible()

    page.get_by_role("link", name="Schedule an interview").click()
    page.get_by_label("Date").fill("2030-01-15")
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Place or link").fill("https://meet.example/amina")
    page.get_by_role("button", name="Schedule and send").click()
    expect(page.get_by_test_id("status")).to_have_text("Interview scheduled")

    page.get_by_role("link", name="Record the interview").click()
    page.get_by_label("Observed language level (CLB)").fill("8")
    page.get_by_label("Outcome").select_option("accept")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_test_id("status")).to_have_text("Interviewed")
    page.get_by_test_id("suggested-step").get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("status")).to_have_text("Accepted")

    participation = Participation.objects.get()
    assert participation.status == Participation.Status.ACCEPTED
    assert participation.person.user is not None
    subjects = [message.subject for message in mail.outbox if message.to == ["amina@example.com"]]
    assert len(subjects) == 3  # received, interview invitation, portal invitation
