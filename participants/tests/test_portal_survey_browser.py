"""A mentee whose mentoring has ended answers the closing survey and tells her story in a real,
phone-sized browser; then her coordinator finds the answers on the match's closure tab. The
`page` fixture fails the test on any console error, which includes CSP violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from matching.models import ClosingSurvey
from stories.models import ConsentLevel, Story

from .survey_helpers import ended_match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_mentee_answers_her_closing_survey_and_tells_her_story(page, program, coordinator):
    match = ended_match(program, ended_days_ago=0)
    amina = match.mentee.person
    amina.user.set_password(PASSWORD)
    amina.user.save()
    page.set_viewport_size(PHONE)

    _sign_in(page, amina.user.email)
    due = page.get_by_test_id("surveys-due")
    expect(due).to_contain_text("Closing survey: your mentoring with Daniel")
    page.get_by_role("link", name="Surveys", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="1 to answer")).to_be_visible()
    page.get_by_role("link", name="Closing survey: your mentoring with Daniel").click()

    page.get_by_label("5 – very happy").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("I work in my field").check()
    page.get_by_label("Anything else you would like to tell us?").fill("Daniel opened doors for me.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you for your answers!")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Nothing to answer right now")).to_be_visible()

    page.get_by_role("link", name="Tell your story").click()
    page.get_by_label("Title").fill("An engineer again")
    page.get_by_role("textbox", name="Your story").fill(
        "Six months after arriving I work as a civil engineer in Calgary."
    )
    page.get_by_label("Public, anonymised").check()
    page.get_by_role("button", name="Send my story").click()
    expect(page.get_by_text("Thank you for your story!")).to_be_visible()
    expect(page.get_by_test_id("story-consent")).to_have_text("Public, anonymised")
    expect(page.get_by_test_id("consent-history")).to_contain_text("Consent given: Public, anonymised")

    story = Story.objects.get()
    assert (story.person, story.consent_level) == (amina, ConsentLevel.PUBLIC_ANONYMISED)
    survey = ClosingSurvey.objects.get()
    assert (survey.side, survey.satisfaction, survey.employment_status, survey.by_coordinator) == (
        "mentee",
        5,
        "in_field",
        False,
    )

    _sign_in(page, coordinator.email)
    page.goto(f"/matching/matches/{match.pk}/closure/")
    mentee_survey = page.get_by_test_id("survey-mentee")
    expect(mentee_survey).to_contain_text("Satisfaction 5 out of 5")
    expect(mentee_survey).to_contain_text("Employed in their field")
    expect(mentee_survey).to_contain_text("Daniel opened doors for me.")
    expect(mentee_survey).to_contain_text("Answered in the portal")
