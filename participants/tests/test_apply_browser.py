"""An applicant on a phone fills in the mentee form in a real browser. The `page` fixture fails
the test on any console error, which includes Content-Security-Policy violations."""

import pytest
from playwright.sync_api import expect

from participants.models import Participation, Resume

from .apply_data import EMAIL_LABEL, fill_about_me, fill_the_rest, html_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_on_a_phone_applies_with_a_pdf_resume(mentee_form, tmp_path):
    page = mentee_form
    resume = tmp_path / "Amina Okafor CV.pdf"
    resume.write_bytes(pdf_bytes())

    fill_about_me(page)
    fill_the_rest(page)
    # The search shortens the long list of professions (htmx), and the list keeps working.
    page.get_by_label("Search the list of professions").fill("civil")
    expect(page.locator("#id_occupation option")).to_have_count(2)
    page.get_by_label("Your profession before Canada").select_option(label="Civil engineers (21300)")
    page.get_by_label("Resume").set_input_files(str(resume))
    page.locator("summary", has_text="Read the privacy notice").click()
    expect(page.get_by_text("We keep your answers to find you a mentor.")).to_be_visible()
    page.get_by_label("I have read the privacy notice and I agree to it.").check()
    page.get_by_role("button", name="Send my application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your application")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert "amina" not in page.url.lower()
    participation = Participation.objects.get()
    assert participation.mentee_profile.occupation_id == "21300"
    assert Resume.objects.get().original_filename == "Amina Okafor CV.pdf"


def test_too_large_and_disguised_files_are_refused_and_the_answers_stay(mentee_form, tmp_path):
    page = mentee_form
    too_large = tmp_path / "big.pdf"
    too_large.write_bytes(b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    disguised = tmp_path / "resume.pdf"
    disguised.write_bytes(html_bytes())

    fill_about_me(page)
    page.get_by_label("Resume").set_input_files(str(too_large))
    page.get_by_role("button", name="Send my application").click()

    expect(page.locator("#id_resume_error")).to_contain_text("This file is larger than 5 MB.")
    expect(page.get_by_label("First name")).to_have_value("Amina")
    expect(page.get_by_role("textbox", name=EMAIL_LABEL)).to_have_value("amina@example.com")
    expect(page.locator("#form-errors")).to_be_focused()

    page.get_by_label("Resume").set_input_files(str(disguised))
    page.get_by_role("button", name="Send my application").click()

    expect(page.locator("#id_resume_error")).to_contain_text(
        "This file is not a PDF, Word or OpenDocument document."
    )
    expect(page.get_by_label("First name")).to_have_value("Amina")
    expect(page.get_by_role("textbox", name=EMAIL_LABEL)).to_have_value("amina@example.com")
    assert not Participation.objects.exists()
