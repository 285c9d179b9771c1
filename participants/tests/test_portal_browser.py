"""A mentee and her mentor use the portal in a real, phone-sized browser: the mentee signs in,
works through her checklist (resume, orientation, agreement), accepts the introduction, adds a
goal, logs a meeting and sees the hours; then the mentor signs in, finds the same match and
meeting, and downloads the certificate of his mentoring hours, whose text is read back.
The `page` fixture fails the test on any console error, which includes CSP violations."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from matching.services import match_respond
from participants.demo import DEMO_PASSWORD, PORTAL_LOGINS
from programs.models import ProgramResource

from .apply_data import pdf_bytes
from .portal_helpers import complete_profile, introduced_match, mentee, mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_mentee_and_mentor_meet_through_the_portal(page, program, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    amina = complete_profile(mentee(program, email=PORTAL_LOGINS["mentee"]))
    daniel = mentor(program, email=PORTAL_LOGINS["mentor"])
    for participation in (amina, daniel):
        participation.person.user.set_password(DEMO_PASSWORD)
        participation.person.user.save()
    ProgramResource.objects.create(
        program=program, title="Welcome to the program", url="https://example.org/welcome", is_required=True
    )
    match = introduced_match(program, amina, daniel)
    match_respond(match=match, side="mentor", accepted=True, actor=daniel.person.user)
    page.set_viewport_size(PHONE)

    _sign_in(page, PORTAL_LOGINS["mentee"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Amina")
    checklist = page.get_by_test_id("checklist")
    expect(checklist.get_by_test_id("checklist-progress")).to_have_text("1 of 3 steps done")

    checklist.get_by_role("link", name="Add your resume").click()
    page.get_by_label("Your resume").set_input_files(
        {"name": "Amina Okafor CV.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("resume is saved")
    expect(page.get_by_test_id("resume-versions")).to_contain_text("Amina Okafor CV.pdf")

    page.get_by_role("link", name="Resources").click()
    page.get_by_role("button", name="I have read this").click()
    expect(page.get_by_test_id("read")).to_be_visible()

    page.get_by_role("link", name="My mentorship").click()
    expect(page.get_by_test_id("checklist-progress")).to_have_text("3 of 3 steps done")
    page.get_by_role("link", name="See the introduction and answer").click()
    partner = page.get_by_test_id("partner")
    expect(partner).to_contain_text("Daniel")
    expect(partner).not_to_contain_text("Tremblay")
    expect(page.get_by_test_id("match-reasons")).to_contain_text("Same profession (NOC 21300)")
    page.get_by_label("Yes, I would like to start").check()
    page.get_by_role("button", name="Send my answer").click()

    expect(page.get_by_test_id("match-status")).to_have_text("Active")
    expect(page.get_by_test_id("partner-contact")).to_contain_text(PORTAL_LOGINS["mentor"])
    page.get_by_role("link", name="Read the agreement").click()
    page.get_by_role("button", name="I have read it and I agree").click()
    expect(page.get_by_text("You have accepted the agreement.", exact=True)).to_be_visible()

    page.get_by_role("link", name="Open our goals").click()
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Category").select_option("certification")
    page.get_by_label("Goal").fill("P.Eng. licence with APEGA")
    page.get_by_label("Description").fill(
        "Registered as an engineer in training by the end of the mentoring."
    )
    page.get_by_label("Target date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_role("heading", name="P.Eng. licence with APEGA")).to_be_visible()
    page.get_by_role("link", name="Daniel Tremblay").click()

    page.get_by_role("link", name="Log a meeting").click()
    page.get_by_label("How long (minutes)").fill("90")
    page.get_by_label("How you met").select_option("video")
    page.get_by_label("What you talked about").fill("The APEGA application and my resume")
    page.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_test_id("total-hours")).to_have_text("1.5")
    expect(page.get_by_test_id("meeting-count")).to_have_text("1")

    page.get_by_role("link", name="My mentorship").click()
    expect(page.get_by_role("heading", name="You are all set")).to_be_visible()

    _sign_in(page, PORTAL_LOGINS["mentor"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Daniel")
    page.get_by_role("link", name="Open my match").click()
    expect(page.get_by_test_id("partner")).to_contain_text("Amina Okafor")
    expect(page.get_by_test_id("total-hours")).to_have_text("1.5")
    expect(page.get_by_text("The APEGA application and my resume")).to_be_visible()

    page.get_by_role("link", name="Log a meeting").click()
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=f"Download my certificate of mentoring hours for {timezone.localdate().year} (PDF)"
        ).click()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())
    assert "Certificate of mentoring hours" in text
    assert "Daniel Tremblay volunteered as a mentor" in text
    assert "for 1.5 hours of mentoring" in text
    assert "Amina" not in text  # a certificate for a regulator names no mentee
