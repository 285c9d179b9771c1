"""The "Agreement and goals" tab of a match, and the goal templates and agreement text of the
current program: who may see them, each action, forms that come back with their errors, and
the number of queries as goals grow."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from matching import goal_services
from matching.models import Agreement, AgreementTemplate, Goal, GoalNote, GoalTemplate, Match
from participants.models import Participation
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .factories import GoalFactory, GoalTemplateFactory, MatchFactory

pytestmark = pytest.mark.django_db

M = Match.Status
G = Goal.Status
S = Participation.Status


def _active(program, **kwargs) -> Match:
    today = timezone.localdate()
    return MatchFactory(
        program=program,
        status=M.ACTIVE,
        mentee__status=S.MATCHED,
        mentor__status=S.MATCHED,
        started_on=today - datetime.timedelta(days=30),
        planned_end_on=today + datetime.timedelta(weeks=12),
        **kwargs,
    )


@pytest.fixture
def active(program):
    return _active(program, mentee__person__first_name="Amara", mentor__person__first_name="Grace")


@pytest.fixture
def agreement(active):
    return goal_services.agreement_create(match=active, actor=None)


@pytest.fixture
def goal(active):
    return GoalFactory(match=active, title="P.Eng. licence", status=G.IN_PROGRESS)


@pytest.fixture
def template(program):
    return GoalTemplateFactory(
        program=program, title="First job in the field", category="employment_in_field"
    )


def _url(name: str, *args) -> str:
    return reverse(f"matching:{name}", args=args)


def _match_pages(match: Match, goal: Goal) -> list[tuple[str, str]]:
    """Every (method, url) of a match's agreement and goals."""
    return [
        ("get", _url("match_goals", match.pk)),
        ("get", _url("goal_add", match.pk)),
        ("post", _url("goal_add", match.pk)),
        ("get", _url("goal_detail", match.pk, goal.pk)),
        ("post", _url("goal_detail", match.pk, goal.pk)),
        ("post", _url("goal_status", match.pk, goal.pk)),
        ("post", _url("goal_note", match.pk, goal.pk)),
        ("post", _url("agreement_write", match.pk)),
        ("post", _url("agreement_acknowledge", match.pk, "mentee")),
    ]


def _template_pages(template: GoalTemplate) -> list[tuple[str, str]]:
    return [
        ("get", _url("goal_template_edit", template.pk)),
        ("post", _url("goal_template_edit", template.pk)),
        ("post", _url("goal_template_deactivate", template.pk)),
        ("post", _url("goal_template_reactivate", template.pk)),
    ]


def _program_pages() -> list[tuple[str, str]]:
    return [
        ("get", _url("goal_template_list")),
        ("get", _url("goal_template_create")),
        ("post", _url("goal_template_create")),
        ("get", _url("agreement_text")),
        ("post", _url("agreement_text")),
    ]


POST_DATA = {"status": "achieved", "note": "Done", "text": "A note", "title": "Hacked", "category": "other"}


def _last_message(response) -> str:
    return str(list(response.context["messages"])[-1])


def _nothing_written() -> bool:
    return not ActivityEntry.objects.exists() and not GoalNote.objects.exists()


# --- Who may see what ----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_everywhere(client, goal, template):
    for method, url in _match_pages(goal.match, goal) + _template_pages(template) + _program_pages():
        response = getattr(client, method)(url, POST_DATA)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    assert _nothing_written()


def test_participant_is_refused_every_page(client, goal, template):
    # Even the match's own mentee: the portal is their door, not the staff pages.
    user = UserFactory()
    goal.match.mentee.person.user = user
    goal.match.mentee.person.save(update_fields=["user"])
    client.force_login(user)
    for method, url in _match_pages(goal.match, goal) + _template_pages(template) + _program_pages():
        assert getattr(client, method)(url, POST_DATA).status_code == 403, url
    assert _nothing_written()


def test_coordinator_of_other_organization_gets_404(client, other_coordinator, goal, template):
    client.force_login(other_coordinator)
    for method, url in _match_pages(goal.match, goal) + _template_pages(template):
        assert getattr(client, method)(url, POST_DATA).status_code == 404, url
    assert _nothing_written()
    goal.refresh_from_db()
    assert goal.status == G.IN_PROGRESS


def test_coordinator_limited_to_another_program_gets_404(client, organization, goal, template):
    health = ProgramFactory(organization=organization, name="Health Careers")
    limited = StaffMembershipFactory(organization=organization, programs=[health]).user
    client.force_login(limited)
    for method, url in _match_pages(goal.match, goal) + _template_pages(template):
        assert getattr(client, method)(url, POST_DATA).status_code == 404, url
    assert _nothing_written()


def test_template_list_shows_only_the_current_programs_templates(
    client, organization, template, other_coordinator, other_program
):
    theirs = GoalTemplateFactory(program=other_program, title="Their template")
    health = ProgramFactory(organization=organization, name="Health Careers")
    limited = StaffMembershipFactory(organization=organization, programs=[health]).user

    for user, expected in ((other_coordinator, [theirs]), (limited, [])):
        client.force_login(user)
        response = client.get(_url("goal_template_list"))
        assert list(response.context["page_obj"].object_list) == expected
        assert template.title not in response.content.decode()


def test_goal_of_another_match_gets_404_through_this_match(client, coordinator, active, program):
    elsewhere = GoalFactory(match=_active(program))
    client.force_login(coordinator)
    assert client.get(_url("goal_detail", active.pk, elsewhere.pk)).status_code == 404
    assert client.post(_url("goal_note", active.pk, elsewhere.pk), {"text": "x"}).status_code == 404
    assert not GoalNote.objects.exists()


def test_actions_refuse_get(client, coordinator, goal, template):
    client.force_login(coordinator)
    for url in (
        _url("goal_status", goal.match.pk, goal.pk),
        _url("goal_note", goal.match.pk, goal.pk),
        _url("agreement_write", goal.match.pk),
        _url("agreement_acknowledge", goal.match.pk, "mentor"),
        _url("goal_template_deactivate", template.pk),
    ):
        assert client.get(url).status_code == 405, url


# --- The tab: agreement -----------------------------------------------------------------------------


def test_goals_tab_shows_the_agreement_and_who_has_acknowledged_it(client, coordinator, active, agreement):
    goal_services.agreement_acknowledge(
        agreement=agreement, side="mentor", actor=coordinator, recorded_by_coordinator=True
    )
    client.force_login(coordinator)
    response = client.get(_url("match_goals", active.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="match-tabs"' in html
    assert f'aria-current="page" href="{_url("match_goals", active.pk)}"' in html
    assert "2 meetings a month, about 60 minutes each" in html
    assert f"(recorded by {coordinator})" in html
    ack_url = _url("agreement_acknowledge", active.pk, "mentee")
    assert f'action="{ack_url}"' in html
    assert f'action="{_url("agreement_acknowledge", active.pk, "mentor")}"' not in html


def test_coordinator_records_an_acknowledgement(client, coordinator, active, agreement):
    client.force_login(coordinator)
    response = client.post(_url("agreement_acknowledge", active.pk, "mentee"), follow=True)
    assert response.redirect_chain[-1][0] == _url("match_goals", active.pk)
    assert "Amara" in _last_message(response)
    agreement.refresh_from_db()
    assert agreement.mentee_acknowledged_at is not None
    assert agreement.mentee_recorded_by == coordinator


def test_acknowledging_twice_shows_the_refusal(client, coordinator, active, agreement):
    client.force_login(coordinator)
    client.post(_url("agreement_acknowledge", active.pk, "mentor"))
    response = client.post(_url("agreement_acknowledge", active.pk, "mentor"), follow=True)
    assert "already acknowledged" in _last_message(response)
    assert ActivityEntry.objects.filter(verb="agreement.acknowledged").count() == 1


def test_acknowledging_an_unknown_side_is_404(client, coordinator, active, agreement):
    client.force_login(coordinator)
    assert client.post(_url("agreement_acknowledge", active.pk, "funder")).status_code == 404


def test_match_started_before_agreements_gets_one_written(client, coordinator, active):
    client.force_login(coordinator)
    html = client.get(_url("match_goals", active.pk)).content.decode()
    assert f'action="{_url("agreement_write", active.pk)}"' in html

    response = client.post(_url("agreement_write", active.pk))

    assert response.status_code == 302
    assert Agreement.objects.get().match == active
    response = client.post(_url("agreement_write", active.pk), follow=True)
    assert "already has its agreement" in _last_message(response)


def test_introduced_match_says_when_its_agreement_comes(client, coordinator, program):
    match = MatchFactory(program=program, status=M.INTRODUCED)
    client.force_login(coordinator)
    response = client.get(_url("match_goals", match.pk))
    html = response.content.decode()
    assert "The agreement is written when the match starts" in html
    assert _url("goal_add", match.pk) not in html
    assert _url("agreement_write", match.pk) not in html


# --- The tab: goals -------------------------------------------------------------------------------


def test_goals_are_grouped_by_status_with_their_notes_and_a_chart(client, coordinator, active):
    today = timezone.localdate()
    late = GoalFactory(match=active, title="Networking events", target_date=active.started_on)
    GoalFactory(match=active, title="CLB 9 speaking", status=G.ACHIEVED, target_date=today)
    goal_services.goal_note_add(goal=late, text="Went to the APEGA mixer.", actor=coordinator)
    client.force_login(coordinator)

    response = client.get(_url("match_goals", active.pk))

    html = response.content.decode()
    goals = html[html.index('id="goals-heading"') :]
    headings = [goals.index(f'<h3 class="h6 mt-4">{status}') for status in ("Not started", "Achieved")]
    assert headings[0] < goals.index("Networking events") < headings[1] < goals.index("CLB 9 speaking")
    assert "Went to the APEGA mixer." in html
    assert 'data-testid="overdue"' in html
    assert "1 goal is past its target date." in html
    chart = response.context["chart"]
    assert [(row.label, [bar.value for bar in row.bars]) for row in chart.rows] == [
        ("Not started", [1]),
        ("Achieved", [1]),
    ]
    assert "<svg" in html and "Show as a table" in html


def test_a_match_without_goals_says_what_to_do(client, coordinator, active):
    client.force_login(coordinator)
    response = client.get(_url("match_goals", active.pk))
    assert "No goals yet." in response.content.decode()
    assert response.context["chart"] is None


def test_ended_match_shows_its_goals_without_forms(client, coordinator, goal):
    Match.objects.filter(pk=goal.match_id).update(status=M.COMPLETED, ended_on=timezone.localdate())
    client.force_login(coordinator)
    html = client.get(_url("match_goals", goal.match_id)).content.decode()
    assert "P.Eng. licence" in html
    assert _url("goal_status", goal.match_id, goal.pk) not in html
    assert _url("goal_add", goal.match_id) not in html


def test_coordinator_adds_a_blank_goal(client, coordinator, active):
    client.force_login(coordinator)
    assert client.get(_url("goal_add", active.pk)).status_code == 200
    target = active.started_on + datetime.timedelta(days=60)
    response = client.post(
        _url("goal_add", active.pk),
        {
            "category": "language",
            "title": "CLB 8 in speaking",
            "description": "CLB 8 at the next test.",
            "target_date": target.isoformat(),
            "steps": "Conversation club\nPractice test",
        },
    )
    assert response.status_code == 302
    assert response.url == _url("match_goals", active.pk)
    goal = Goal.objects.get()
    assert (goal.title, goal.target_date, goal.created_by, goal.from_template) == (
        "CLB 8 in speaking",
        target,
        coordinator,
        None,
    )


def test_goal_form_starts_from_a_template_and_remembers_it(client, coordinator, active, template):
    client.force_login(coordinator)
    response = client.get(_url("goal_add", active.pk), {"template": template.pk})
    form = response.context["form"]
    assert form.initial["title"] == "First job in the field"
    assert form.initial["target_date"] == active.planned_end_on
    assert 'data-testid="from-template"' in response.content.decode()

    data = {**form.initial, "title": "Junior engineer at a water utility", "template": template.pk}
    data["target_date"] = active.planned_end_on.isoformat()
    response = client.post(_url("goal_add", active.pk), data)

    assert response.status_code == 302
    assert Goal.objects.get().from_template == template


def test_goal_form_refuses_another_programs_or_a_withdrawn_template(
    client, coordinator, active, other_program
):
    withdrawn = GoalTemplateFactory(program=active.program, is_active=False)
    theirs = GoalTemplateFactory(program=other_program)
    client.force_login(coordinator)
    for template_id in (withdrawn.pk, theirs.pk, "abc"):
        assert client.get(_url("goal_add", active.pk), {"template": template_id}).status_code == 404


def test_goal_form_comes_back_with_its_errors(client, coordinator, active):
    client.force_login(coordinator)
    before = active.started_on - datetime.timedelta(days=1)
    response = client.post(
        _url("goal_add", active.pk),
        {"category": "language", "title": "", "description": "CLB 8", "target_date": before.isoformat()},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "target_date"}
    assert errors["target_date"] == ["The target date cannot be before the match started."]
    assert 'value="CLB 8"' in response.content.decode() or "CLB 8</textarea>" in response.content.decode()
    assert not Goal.objects.exists()


def test_goal_cannot_be_added_to_an_ended_match(client, coordinator, program):
    match = _active(program)
    Match.objects.filter(pk=match.pk).update(status=M.CLOSED_EARLY, ended_on=timezone.localdate())
    client.force_login(coordinator)
    response = client.get(_url("goal_add", match.pk), follow=True)
    assert response.redirect_chain[-1][0] == _url("match_goals", match.pk)
    assert "Closed early" in _last_message(response)


def test_coordinator_edits_a_goal_and_sees_all_its_notes(client, coordinator, goal):
    for number in range(4):
        goal_services.goal_note_add(goal=goal, text=f"Note {number}", actor=coordinator)
    client.force_login(coordinator)
    response = client.get(_url("goal_detail", goal.match_id, goal.pk))
    assert [note.text for note in response.context["page_obj"].object_list] == [
        "Note 3",
        "Note 2",
        "Note 1",
        "Note 0",
    ]

    response = client.post(
        _url("goal_detail", goal.match_id, goal.pk),
        {
            "category": "certification",
            "title": "P.Eng. licence with APEGA",
            "description": goal.description,
            "target_date": goal.target_date.isoformat(),
            "steps": "",
        },
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.category, goal.steps) == ("P.Eng. licence with APEGA", "certification", "")


def test_goal_edit_comes_back_with_its_errors(client, coordinator, goal):
    client.force_login(coordinator)
    response = client.post(
        _url("goal_detail", goal.match_id, goal.pk),
        {"category": "certification", "title": "x", "description": "", "target_date": "not a date"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"description", "target_date"}
    assert not ActivityEntry.objects.filter(verb="goal.updated").exists()


def test_coordinator_changes_a_status_with_a_note(client, coordinator, goal):
    client.force_login(coordinator)
    response = client.post(
        _url("goal_status", goal.match_id, goal.pk), {"status": "achieved", "note": "Registered as EIT."}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == G.ACHIEVED
    note = GoalNote.objects.get()
    assert (note.new_status, note.text, note.author_role, note.author) == (
        "achieved",
        "Registered as EIT.",
        "coordinator",
        coordinator,
    )


def test_dropping_a_goal_without_a_reason_comes_back_on_its_form(client, coordinator, goal):
    client.force_login(coordinator)
    response = client.post(_url("goal_status", goal.match_id, goal.pk), {"status": "dropped", "note": ""})
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert list(row.status_form.errors) == ["note"]
    assert "<details open>" in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == G.IN_PROGRESS


def test_status_form_offers_only_other_statuses(client, coordinator, goal):
    client.force_login(coordinator)
    response = client.post(_url("goal_status", goal.match_id, goal.pk), {"status": "in_progress"})
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert "status" in row.status_form.errors


def test_coordinator_adds_a_note(client, coordinator, goal):
    client.force_login(coordinator)
    response = client.post(_url("goal_note", goal.match_id, goal.pk), {"text": "Called the mentee."})
    assert response.status_code == 302
    assert GoalNote.objects.get().text == "Called the mentee."


def test_empty_note_comes_back_with_its_error(client, coordinator, goal):
    client.force_login(coordinator)
    response = client.post(_url("goal_note", goal.match_id, goal.pk), {"text": "  "})
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert list(row.note_form.errors) == ["text"]
    assert not GoalNote.objects.exists()


def test_note_on_a_completed_match_is_refused(client, coordinator, goal):
    Match.objects.filter(pk=goal.match_id).update(status=M.COMPLETED, ended_on=timezone.localdate())
    client.force_login(coordinator)
    for url, data in (
        (_url("goal_note", goal.match_id, goal.pk), {"text": "Late news"}),
        (_url("goal_status", goal.match_id, goal.pk), {"status": "achieved"}),
        (_url("goal_detail", goal.match_id, goal.pk), {"title": "New"}),
    ):
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == _url("match_goals", goal.match_id)
        assert "Completed" in _last_message(response)
    assert not GoalNote.objects.exists()
    goal.refresh_from_db()
    assert goal.status == G.IN_PROGRESS


@pytest.mark.parametrize("count", [2, 30])
def test_goals_tab_queries_stay_the_same_as_goals_grow(
    client, coordinator, active, agreement, count, django_assert_max_num_queries
):
    template = GoalTemplateFactory(program=active.program)
    for index in range(count):
        goal = GoalFactory(
            match=active,
            status=list(G)[index % len(G)],
            target_date=active.started_on + datetime.timedelta(days=index),
            from_template=template if index % 2 else None,
            created_by=coordinator,
        )
        for number in range(index % 4):
            GoalNote.objects.create(
                goal=goal, text=f"Note {number}", author=coordinator, author_role="coordinator"
            )
    client.force_login(coordinator)
    # Session, user, memberships and their programs; the match; its agreement; the goals counted,
    # the page of goals, their newest notes; the status mix; the programs of the switcher.
    with django_assert_max_num_queries(11):
        response = client.get(_url("match_goals", active.pk))
    assert len(response.context["rows"]) == min(count, 25)


# --- Goal templates and the agreement text --------------------------------------------------------


def test_coordinator_creates_a_goal_template(client, coordinator, program):
    client.force_login(coordinator)
    assert client.get(_url("goal_template_create")).status_code == 200
    response = client.post(
        _url("goal_template_create"),
        {
            "category": "certification",
            "title": "Licence with APEGA",
            "description": "Registered with APEGA.",
            "suggested_steps": "Transcripts\nNPPE exam",
        },
    )
    assert response.status_code == 302
    template = GoalTemplate.objects.get()
    assert (template.program, template.title, template.is_active) == (program, "Licence with APEGA", True)


def test_template_form_comes_back_with_its_errors(client, coordinator, template):
    client.force_login(coordinator)
    response = client.post(
        _url("goal_template_create"),
        {"category": "career", "title": " first job in the field ", "description": ""},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"category", "title", "description"}
    assert GoalTemplate.objects.count() == 1


def test_coordinator_edits_a_template_keeping_its_own_title(client, coordinator, template):
    client.force_login(coordinator)
    response = client.post(
        _url("goal_template_edit", template.pk),
        {
            "category": template.category,
            "title": template.title,
            "description": "A first job in engineering.",
            "suggested_steps": "",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.description == "A first job in engineering."


def test_coordinator_withdraws_and_offers_again_a_template(client, coordinator, template):
    client.force_login(coordinator)
    client.post(_url("goal_template_deactivate", template.pk))
    template.refresh_from_db()
    assert not template.is_active
    response = client.post(_url("goal_template_deactivate", template.pk), follow=True)
    assert "already not offered" in _last_message(response)
    client.post(_url("goal_template_reactivate", template.pk))
    template.refresh_from_db()
    assert template.is_active


@pytest.mark.parametrize("count", [2, 30])
def test_template_list_is_paginated_with_constant_queries(
    client, coordinator, program, active, count, django_assert_max_num_queries
):
    for index in range(count):
        template = GoalTemplateFactory(program=program, is_active=bool(index % 3))
        GoalFactory(match=active, from_template=template)
    client.force_login(coordinator)
    # Session, user, memberships and their programs, the current program; the templates counted,
    # the page of templates with their goal counts; the program's agreement text.
    with django_assert_max_num_queries(8):
        response = client.get(_url("goal_template_list"))
    rows = response.context["page_obj"].object_list
    assert len(rows) == min(count, 25)
    assert all(row.goal_count == 1 for row in rows)


def test_agreement_text_starts_from_the_defaults_and_is_saved(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(_url("agreement_text"))
    assert "not a career counsellor" in response.content.decode()

    response = client.post(
        _url("agreement_text"),
        {"roles_and_expectations": "Mentors guide.", "confidentiality": "Private unless at risk."},
    )

    assert response.status_code == 302
    saved = AgreementTemplate.objects.get(program=program)
    assert (saved.roles_and_expectations, saved.confidentiality) == (
        "Mentors guide.",
        "Private unless at risk.",
    )
    assert "own text" in client.get(_url("goal_template_list")).content.decode()


def test_agreement_text_comes_back_with_its_errors(client, coordinator, program):
    client.force_login(coordinator)
    response = client.post(
        _url("agreement_text"), {"roles_and_expectations": "Mentors guide.", "confidentiality": ""}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["confidentiality"]
    assert not AgreementTemplate.objects.exists()


def test_staff_without_an_active_program_see_an_empty_state(client, organization):
    admin = StaffMembershipFactory(organization=organization).user
    organization.programs.update(is_active=False)
    client.force_login(admin)
    for name in ("goal_template_list", "goal_template_create", "agreement_text"):
        response = client.get(_url(name))
        assert response.status_code == 200
        assert "You do not work in any active program yet" in response.content.decode()


# --- In the browser -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_records_the_agreement_and_works_a_goal_from_a_template(page, coordinator, program):
    from playwright.sync_api import expect

    from accounts.tests.factories import PASSWORD

    match = _active(program, mentee__person__first_name="Amara", mentee__person__last_name="Okafor")
    goal_services.agreement_create(match=match, actor=None)
    GoalTemplateFactory(program=program, title="Licence with APEGA", category="certification")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(_url("match_detail", match.pk))
    page.get_by_test_id("match-tabs").get_by_role("link", name="Agreement and goals").click()

    page.get_by_role("button", name="Record that Amara Okafor acknowledged it").click()
    expect(page.get_by_test_id("acknowledgement-mentee")).to_contain_text(f"recorded by {coordinator}")

    page.get_by_role("link", name="Add a goal").click()
    page.get_by_test_id("template-choices").get_by_role("link", name="Licence with APEGA").click()
    expect(page.locator("#id_title")).to_have_value("Licence with APEGA")
    page.locator("#id_title").fill("P.Eng. licence with APEGA by the summer")
    page.get_by_role("button", name="Add the goal").click()

    goal = Goal.objects.get()
    card = page.get_by_test_id(f"goal-{goal.pk}")
    expect(card).to_contain_text("P.Eng. licence with APEGA by the summer")
    card.get_by_text("Change the status").first.click()
    card.get_by_label("New status").select_option("dropped")
    card.get_by_test_id(f"status-form-{goal.pk}").get_by_role("button", name="Change the status").click()
    # No reason: the form comes back open, with the error next to the note.
    card = page.get_by_test_id(f"goal-{goal.pk}")
    expect(card.get_by_text("Say why the goal changed or was dropped")).to_be_visible()
    card.get_by_label("Note", exact=True).fill("Moving to Ontario; APEGA no longer applies.")
    card.get_by_test_id(f"status-form-{goal.pk}").get_by_role("button", name="Change the status").click()

    card = page.get_by_test_id(f"goal-{goal.pk}")
    expect(card).to_contain_text("Moving to Ontario; APEGA no longer applies.")
    expect(page.locator("h3", has_text="Dropped")).to_be_visible()
