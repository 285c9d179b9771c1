"""A coordinator matches a mentee in a real browser: suggestions with the score's breakdown,
the top mentor proposed, the pair introduced, both answers recorded, and the match active.
The `page` fixture fails the test on any console error, which includes CSP violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from matching.models import Match, Occupation

from .factories import ready_mentee, ready_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_proposes_the_top_mentor_and_records_both_acceptances(page, coordinator, program):
    Occupation.objects.create(code="2", title="Natural and applied sciences", level=1)
    civil = Occupation.objects.create(code="21300", title="Civil engineers", level=5)
    nurse = Occupation.objects.create(code="31301", title="Registered nurses", level=5)
    amina = ready_mentee(
        program,
        occupation=civil,
        licensing_status="Working toward APEGA registration",
        participation__person__first_name="Amina",
        participation__person__last_name="Okafor",
    )
    grace = ready_mentor(
        program,
        occupation=civil,
        designation="P.Eng.",
        participation__person__first_name="Grace",
        participation__person__last_name="Ho",
    )
    ready_mentor(
        program,
        occupation=nurse,
        designation="",
        participation__person__first_name="Olu",
        participation__person__last_name="Bello",
        participation__person__city="Toronto",
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("link", name="Matching", exact=True).click()
    page.get_by_test_id(f"waiting-{amina.pk}").get_by_role("link", name="Find a mentor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggested mentors for Amina Okafor")

    top = page.locator("ol > li.card").first
    expect(top.get_by_role("link", name="Grace Ho")).to_be_visible()
    expect(top.get_by_test_id("breakdown")).to_contain_text("Same NOC unit group 21300 Civil engineers")
    expect(top.get_by_test_id("breakdown")).to_contain_text("Same licensing path")
    points = [int(text.strip("+")) for text in top.get_by_test_id("reason-points").all_inner_texts()]
    assert sum(points) == int(top.get_by_test_id("score").inner_text())
    top.get_by_role("button", name="Propose Grace Ho").click()

    expect(page.get_by_test_id("match-status")).to_have_text("Proposed")
    page.get_by_role("button", name="Introduce").click()
    expect(page.get_by_test_id("match-status")).to_have_text("Introduced")

    mentee_answer = page.get_by_test_id("answer-mentee")
    mentee_answer.get_by_label("Accepts").check()
    mentee_answer.get_by_role("button", name="Record mentee's answer").click()
    mentor_answer = page.get_by_test_id("answer-mentor")
    mentor_answer.get_by_label("Accepts").check()
    mentor_answer.get_by_role("button", name="Record mentor's answer").click()

    expect(page.get_by_test_id("match-status")).to_have_text("Active")
    match = Match.objects.get()
    assert (match.mentee_id, match.mentor_id, match.status) == (amina.pk, grace.pk, Match.Status.ACTIVE)
    assert match.started_on is not None and match.planned_end_on > match.started_on
