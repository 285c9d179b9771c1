"""Agreements, goals and progress notes of a match, and goal templates: every state change and
refusal of the services, and the overdue computation, with expectations worked out by hand."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from matching import goal_services, services
from matching.goal_selectors import goal_status_counts, goals_of_match, overdue_goals
from matching.models import Agreement, AgreementTemplate, Goal, GoalNote, GoalTemplate, Match
from matching.support_goal_models import DEFAULT_CONFIDENTIALITY, DEFAULT_ROLES_AND_EXPECTATIONS
from participants.models import Participation
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory

from .factories import BREAKDOWN, GoalFactory, GoalTemplateFactory, MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

M = Match.Status
G = Goal.Status
S = Participation.Status
EDMONTON = ZoneInfo("America/Edmonton")
STARTED = datetime.date(2030, 3, 4)
PLANNED_END = datetime.date(2030, 6, 24)  # 16 weeks after the start


def _match(program, status=M.ACTIVE, **kwargs) -> Match:
    started = status in (M.ACTIVE, M.COMPLETED, M.CLOSED_EARLY)
    return MatchFactory(
        program=program,
        status=status,
        mentee__status=S.MATCHED,
        mentor__status=S.MATCHED,
        started_on=STARTED if started else None,
        planned_end_on=PLANNED_END if started else None,
        **kwargs,
    )


@pytest.fixture
def active(program):
    return _match(program, mentee__person__user=UserFactory(), mentor__person__user=UserFactory())


def _goal(match, **kwargs) -> Goal:
    fields = {
        "category": Goal.Category.CERTIFICATION,
        "title": "P.Eng. licence with APEGA",
        "description": "Registered as an engineer in training with APEGA, ethics exam passed.",
        "target_date": datetime.date(2030, 5, 1),
        "steps": "Send transcripts\n\nBook the NPPE exam\n",
    }
    return goal_services.goal_create(match=match, actor=kwargs.pop("actor", None), **(fields | kwargs))


def _verbs() -> list[str]:
    return list(ActivityEntry.objects.order_by("id").values_list("verb", flat=True))


# --- The agreement -------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2030, 3, 4, 10, tzinfo=EDMONTON), tick=False)
def test_when_both_accept_the_match_gets_its_agreement_with_the_programs_figures(coordinator):
    program = ProgramFactory(match_length_weeks=20, meetings_per_month=3, meeting_length_minutes=45)
    match = services.match_propose(
        mentee=ready_mentee(program), mentor=ready_mentor(program), score=70, breakdown=BREAKDOWN, actor=None
    )
    services.match_introduce(match=match, actor=None)
    services.match_respond(match=match, side="mentee", accepted=True, actor=coordinator)
    assert not Agreement.objects.exists()

    services.match_respond(match=match, side="mentor", accepted=True, actor=coordinator)

    agreement = Agreement.objects.get(match=match)
    assert agreement.meetings_per_month == 3
    assert agreement.meeting_length_minutes == 45
    # 4 March 2030 + 20 weeks = 22 July 2030, the match's own planned end.
    assert agreement.planned_end_on == datetime.date(2030, 7, 22) == match.planned_end_on
    assert agreement.roles_and_expectations == str(DEFAULT_ROLES_AND_EXPECTATIONS)
    assert agreement.confidentiality == str(DEFAULT_CONFIDENTIALITY)
    assert agreement.created_by == coordinator
    assert agreement.mentee_acknowledged_at is None and agreement.mentor_acknowledged_at is None
    entry = ActivityEntry.objects.get(verb="agreement.created")
    assert entry.target == match
    assert entry.data == {
        "meetings_per_month": 3,
        "meeting_length_minutes": 45,
        "planned_end_on": "2030-07-22",
    }


def test_agreement_copies_the_programs_own_text_and_keeps_it_when_the_text_changes(program, coordinator):
    goal_services.agreement_text_save(
        program=program,
        roles_and_expectations=" The mentor guides; the mentee leads. ",
        confidentiality="What is said stays between you.",
        actor=coordinator,
    )
    match = _match(program)
    agreement = goal_services.agreement_create(match=match, actor=coordinator)

    goal_services.agreement_text_save(
        program=program, roles_and_expectations="New text", confidentiality="New rule", actor=coordinator
    )

    agreement.refresh_from_db()
    assert agreement.roles_and_expectations == "The mentor guides; the mentee leads."
    assert agreement.confidentiality == "What is said stays between you."
    assert AgreementTemplate.objects.get(program=program).roles_and_expectations == "New text"
    assert _verbs() == ["agreement_text.updated", "agreement.created", "agreement_text.updated"]


def test_saving_the_same_agreement_text_again_writes_nothing(program, coordinator):
    for _ in range(2):
        goal_services.agreement_text_save(
            program=program, roles_and_expectations="Roles", confidentiality="Private", actor=coordinator
        )
    assert _verbs() == ["agreement_text.updated"]


def test_agreement_text_needs_both_texts(program, coordinator):
    with pytest.raises(ValidationError) as error:
        goal_services.agreement_text_save(
            program=program, roles_and_expectations="  ", confidentiality="Private", actor=coordinator
        )
    assert "roles_and_expectations" in error.value.message_dict


@pytest.mark.parametrize("status", [M.PROPOSED, M.INTRODUCED, M.COMPLETED, M.CLOSED_EARLY])
def test_agreement_is_refused_for_a_match_that_is_not_active(program, coordinator, status):
    match = _match(program, status=status)
    with pytest.raises(ValidationError, match="An agreement is written when a match starts"):
        goal_services.agreement_create(match=match, actor=coordinator)
    assert not Agreement.objects.exists()


def test_a_match_has_one_agreement(active, coordinator):
    goal_services.agreement_create(match=active, actor=coordinator)
    with pytest.raises(ValidationError, match="already has its agreement"):
        goal_services.agreement_create(match=active, actor=coordinator)
    assert Agreement.objects.count() == 1


@time_machine.travel(datetime.datetime(2030, 3, 10, 9, 30, tzinfo=EDMONTON), tick=False)
def test_coordinator_records_an_acknowledgement_and_is_named(active, coordinator):
    agreement = goal_services.agreement_create(match=active, actor=coordinator)

    goal_services.agreement_acknowledge(
        agreement=agreement, side="mentor", actor=coordinator, recorded_by_coordinator=True
    )

    agreement.refresh_from_db()
    assert agreement.mentor_acknowledged_at == datetime.datetime(2030, 3, 10, 9, 30, tzinfo=EDMONTON)
    assert agreement.mentor_recorded_by == coordinator
    assert agreement.mentee_acknowledged_at is None
    assert not agreement.is_acknowledged
    entry = ActivityEntry.objects.get(verb="agreement.acknowledged")
    assert entry.data == {"side": "mentor", "via": "coordinator"}
    assert entry.actor == coordinator


def test_participant_acknowledges_in_the_portal_without_a_recorder(active, coordinator):
    agreement = goal_services.agreement_create(match=active, actor=coordinator)
    mentee_user = active.mentee.person.user

    goal_services.agreement_acknowledge(
        agreement=agreement, side="mentee", actor=mentee_user, recorded_by_coordinator=False
    )
    goal_services.agreement_acknowledge(
        agreement=agreement, side="mentor", actor=coordinator, recorded_by_coordinator=True
    )

    agreement.refresh_from_db()
    assert agreement.mentee_acknowledged_at is not None
    assert agreement.mentee_recorded_by is None
    assert agreement.is_acknowledged
    assert ActivityEntry.objects.filter(verb="agreement.acknowledged", data__via="portal").count() == 1


def test_in_the_portal_only_the_participant_acknowledges_their_own_side(active, coordinator):
    agreement = goal_services.agreement_create(match=active, actor=coordinator)
    with pytest.raises(ValidationError, match="Only the mentee"):
        goal_services.agreement_acknowledge(
            agreement=agreement, side="mentee", actor=active.mentor.person.user, recorded_by_coordinator=False
        )
    agreement.refresh_from_db()
    assert agreement.mentee_acknowledged_at is None


def test_a_side_acknowledges_once(active, coordinator):
    agreement = goal_services.agreement_create(match=active, actor=coordinator)
    goal_services.agreement_acknowledge(
        agreement=agreement, side="mentee", actor=coordinator, recorded_by_coordinator=True
    )
    first = Agreement.objects.get().mentee_acknowledged_at
    with pytest.raises(ValidationError, match="The mentee has already acknowledged"):
        goal_services.agreement_acknowledge(
            agreement=agreement, side="mentee", actor=coordinator, recorded_by_coordinator=True
        )
    assert Agreement.objects.get().mentee_acknowledged_at == first


def test_acknowledging_an_ended_match_is_refused(active, coordinator):
    agreement = goal_services.agreement_create(match=active, actor=coordinator)
    Match.objects.filter(pk=active.pk).update(status=M.COMPLETED, ended_on=PLANNED_END)
    with pytest.raises(ValidationError, match="while the match is active"):
        goal_services.agreement_acknowledge(
            agreement=agreement, side="mentor", actor=coordinator, recorded_by_coordinator=True
        )


def test_acknowledging_an_unknown_side_is_a_programming_error(active, coordinator):
    agreement = goal_services.agreement_create(match=active, actor=coordinator)
    with pytest.raises(ValueError):
        goal_services.agreement_acknowledge(
            agreement=agreement, side="coordinator", actor=coordinator, recorded_by_coordinator=True
        )


# --- Goals ----------------------------------------------------------------------------------------


def test_goal_is_added_to_an_active_match_and_logged_on_it(active, coordinator):
    goal = _goal(active, actor=coordinator, title="  P.Eng. licence with APEGA ")

    assert goal.status == G.NOT_STARTED
    assert goal.title == "P.Eng. licence with APEGA"
    assert goal.step_list == ["Send transcripts", "Book the NPPE exam"]
    assert goal.created_by == coordinator
    assert goal.from_template is None
    entry = ActivityEntry.objects.get(verb="goal.created")
    assert entry.target == active
    assert entry.data == {
        "goal": goal.pk,
        "title": "P.Eng. licence with APEGA",
        "category": "certification",
        "target_date": "2030-05-01",
        "template": None,
    }


def test_goal_may_be_due_the_day_the_match_started_but_not_before(active, coordinator):
    _goal(active, actor=coordinator, target_date=STARTED)
    with pytest.raises(ValidationError) as error:
        _goal(active, actor=coordinator, target_date=STARTED - datetime.timedelta(days=1))
    assert error.value.message_dict == {
        "target_date": ["The target date cannot be before the match started."]
    }
    assert Goal.objects.count() == 1


@pytest.mark.parametrize("status", [M.PROPOSED, M.INTRODUCED, M.COMPLETED, M.CLOSED_EARLY])
def test_only_active_matches_take_new_goals(program, coordinator, status):
    match = _match(program, status=status)
    with pytest.raises(ValidationError, match="Goals are added to active matches"):
        _goal(match, actor=coordinator)
    assert not Goal.objects.exists()
    assert not ActivityEntry.objects.exists()


def test_goal_remembers_the_template_it_started_from(active, coordinator):
    template = GoalTemplateFactory(program=active.program)
    goal = _goal(active, actor=coordinator, template=template)
    assert goal.from_template == template
    assert ActivityEntry.objects.get(verb="goal.created").data["template"] == template.pk


def test_goal_cannot_start_from_another_programs_or_a_withdrawn_template(active, coordinator, other_program):
    for template in (
        GoalTemplateFactory(program=other_program),
        GoalTemplateFactory(program=active.program, is_active=False),
    ):
        with pytest.raises(ValidationError, match="Choose a goal template"):
            _goal(active, actor=coordinator, template=template)
    assert not Goal.objects.exists()


def test_goal_needs_a_specific_description_and_a_known_category(active, coordinator):
    with pytest.raises(ValidationError) as error:
        _goal(active, actor=coordinator, description=" ", category="fame")
    assert set(error.value.message_dict) == {"description", "category"}


def test_editing_a_goal_logs_what_changed(active, coordinator):
    goal = _goal(active, actor=coordinator)
    goal_services.goal_update(
        goal=goal,
        category=Goal.Category.CERTIFICATION,
        title="P.Eng. licence with APEGA",
        description=goal.description,
        target_date=datetime.date(2030, 6, 1),
        steps=goal.steps,
        actor=coordinator,
    )
    goal.refresh_from_db()
    assert goal.target_date == datetime.date(2030, 6, 1)
    entry = ActivityEntry.objects.get(verb="goal.updated")
    assert entry.data == {
        "goal": goal.pk,
        "title": "P.Eng. licence with APEGA",
        "changed": {"target_date": ["2030-05-01", "2030-06-01"]},
    }


def test_editing_a_goal_without_a_change_writes_nothing(active, coordinator):
    goal = _goal(active, actor=coordinator)
    goal_services.goal_update(
        goal=goal,
        category=goal.category,
        title=goal.title,
        description=goal.description,
        target_date=goal.target_date,
        steps=goal.steps,
        actor=coordinator,
    )
    assert _verbs() == ["goal.created"]


def test_editing_a_goal_of_an_ended_match_is_refused(active, coordinator):
    goal = _goal(active, actor=coordinator)
    Match.objects.filter(pk=active.pk).update(status=M.CLOSED_EARLY, ended_on=STARTED)
    with pytest.raises(ValidationError, match="Goals are edited while the match is active"):
        goal_services.goal_update(
            goal=goal,
            category=goal.category,
            title="Other",
            description=goal.description,
            target_date=goal.target_date,
            actor=coordinator,
        )
    assert Goal.objects.get().title == "P.Eng. licence with APEGA"


@time_machine.travel(datetime.datetime(2030, 4, 2, 14, tzinfo=EDMONTON), tick=False)
def test_status_change_is_kept_as_a_note_and_logged(active, coordinator):
    goal = _goal(active, actor=coordinator)

    goal_services.goal_set_status(goal=goal, status=G.IN_PROGRESS, actor=coordinator)
    goal_services.goal_set_status(goal=goal, status=G.ACHIEVED, note="Registered as EIT.", actor=coordinator)

    goal.refresh_from_db()
    assert goal.status == G.ACHIEVED
    assert goal.status_changed_at == datetime.datetime(2030, 4, 2, 14, tzinfo=EDMONTON)
    notes = list(GoalNote.objects.order_by("id").values_list("new_status", "text", "author_role"))
    assert notes == [(G.IN_PROGRESS, "", "coordinator"), (G.ACHIEVED, "Registered as EIT.", "coordinator")]
    entries = ActivityEntry.objects.filter(verb="goal.status_changed").order_by("id")
    assert [(e.data["from"], e.data["to"]) for e in entries] == [
        ("not_started", "in_progress"),
        ("in_progress", "achieved"),
    ]


def test_a_dropped_goal_can_be_taken_up_again(active, coordinator):
    goal = _goal(active, actor=coordinator)
    goal_services.goal_set_status(goal=goal, status=G.DROPPED, note="Moved to Ontario.", actor=coordinator)
    goal_services.goal_set_status(goal=goal, status=G.IN_PROGRESS, actor=coordinator)
    assert Goal.objects.get().status == G.IN_PROGRESS


@pytest.mark.parametrize("status", [G.CHANGED, G.DROPPED])
def test_changing_or_dropping_a_goal_needs_a_reason(active, coordinator, status):
    goal = _goal(active, actor=coordinator)
    with pytest.raises(ValidationError) as error:
        goal_services.goal_set_status(goal=goal, status=status, note="   ", actor=coordinator)
    assert list(error.value.message_dict) == ["note"]
    assert Goal.objects.get().status == G.NOT_STARTED
    assert not GoalNote.objects.exists()


def test_status_cannot_be_set_to_what_it_is_or_to_an_unknown_status(active, coordinator):
    goal = _goal(active, actor=coordinator)
    with pytest.raises(ValidationError, match="already “Not started”"):
        goal_services.goal_set_status(goal=goal, status=G.NOT_STARTED, actor=coordinator)
    with pytest.raises(ValidationError, match="Choose a status"):
        goal_services.goal_set_status(goal=goal, status="finished", actor=coordinator)
    assert _verbs() == ["goal.created"]


def test_status_of_a_completed_matchs_goal_stays(active, coordinator):
    goal = _goal(active, actor=coordinator)
    Match.objects.filter(pk=active.pk).update(status=M.COMPLETED, ended_on=PLANNED_END)
    with pytest.raises(ValidationError, match="while the match is active"):
        goal_services.goal_set_status(goal=goal, status=G.ACHIEVED, actor=coordinator)
    assert Goal.objects.get().status == G.NOT_STARTED


def test_either_side_adds_progress_notes_as_themselves(active, coordinator):
    goal = _goal(active, actor=coordinator)
    mentee_user, mentor_user = active.mentee.person.user, active.mentor.person.user

    goal_services.goal_note_add(
        goal=goal, text="Sent my transcripts.", author_role="mentee", actor=mentee_user
    )
    goal_services.goal_note_add(goal=goal, text=" Reviewed the CV. ", author_role="mentor", actor=mentor_user)
    goal_services.goal_note_add(goal=goal, text="Called both.", actor=coordinator)

    notes = list(GoalNote.objects.order_by("id").values_list("author_role", "author", "text", "new_status"))
    assert notes == [
        ("mentee", mentee_user.pk, "Sent my transcripts.", ""),
        ("mentor", mentor_user.pk, "Reviewed the CV.", ""),
        ("coordinator", coordinator.pk, "Called both.", ""),
    ]
    assert [e.data["as"] for e in ActivityEntry.objects.filter(verb="goal.note_added").order_by("id")] == [
        "mentee",
        "mentor",
        "coordinator",
    ]


def test_nobody_writes_a_note_as_someone_else(active, coordinator):
    goal = _goal(active, actor=coordinator)
    with pytest.raises(ValidationError, match="Only the mentor"):
        goal_services.goal_note_add(
            goal=goal, text="I am the mentor", author_role="mentor", actor=coordinator
        )
    with pytest.raises(ValidationError, match="Choose who writes"):
        goal_services.goal_note_add(goal=goal, text="Hello", author_role="funder", actor=coordinator)
    assert not GoalNote.objects.exists()


def test_an_empty_note_is_refused(active, coordinator):
    goal = _goal(active, actor=coordinator)
    with pytest.raises(ValidationError) as error:
        goal_services.goal_note_add(goal=goal, text="  \n ", actor=coordinator)
    assert list(error.value.message_dict) == ["text"]


@pytest.mark.parametrize("status", [M.COMPLETED, M.CLOSED_EARLY])
def test_notes_on_an_ended_matchs_goals_are_refused(active, coordinator, status):
    goal = _goal(active, actor=coordinator)
    Match.objects.filter(pk=active.pk).update(status=status, ended_on=PLANNED_END)
    with pytest.raises(ValidationError, match="Notes are added while the match is active"):
        goal_services.goal_note_add(goal=goal, text="Late news", actor=coordinator)
    assert not GoalNote.objects.exists()


# --- Overdue goals and the status mix --------------------------------------------------------------


def _goals_due(match) -> dict[str, Goal]:
    """Goals worked out by hand against 1 May 2030."""
    due = {
        "past, in progress": (datetime.date(2030, 4, 30), G.IN_PROGRESS),
        "past, not started": (datetime.date(2030, 4, 1), G.NOT_STARTED),
        "past, changed": (datetime.date(2030, 4, 15), G.CHANGED),
        "past, achieved": (datetime.date(2030, 4, 1), G.ACHIEVED),
        "past, dropped": (datetime.date(2030, 4, 1), G.DROPPED),
        "due today": (datetime.date(2030, 5, 1), G.IN_PROGRESS),
        "future": (datetime.date(2030, 6, 1), G.NOT_STARTED),
    }
    return {
        title: GoalFactory(match=match, title=title, target_date=date, status=status)
        for title, (date, status) in due.items()
    }


def test_overdue_goals_are_past_their_date_and_neither_achieved_nor_dropped(active):
    goals = _goals_due(active)

    overdue = overdue_goals(Goal.objects.all(), datetime.date(2030, 5, 1))

    expected = {"past, in progress", "past, not started", "past, changed"}
    assert set(overdue.values_list("title", flat=True)) == expected
    assert {t for t, g in goals.items() if g.is_overdue_on(datetime.date(2030, 5, 1))} == expected


def test_a_goal_due_today_is_overdue_from_tomorrow(active):
    _goals_due(active)
    overdue = overdue_goals(Goal.objects.all(), datetime.date(2030, 5, 2))
    assert "due today" in set(overdue.values_list("title", flat=True))
    assert overdue.count() == 4


def test_overdue_goals_keep_the_callers_scope(active, program):
    _goals_due(active)
    other = _match(program)
    GoalFactory(match=other, title="Other match", target_date=datetime.date(2030, 4, 1))
    mine = overdue_goals(Goal.objects.filter(match=active), datetime.date(2030, 5, 1))
    assert mine.count() == 3
    assert overdue_goals(Goal.objects.all(), datetime.date(2030, 5, 1)).count() == 4


def test_status_counts_give_every_status(active):
    _goals_due(active)
    assert goal_status_counts(Goal.objects.filter(match=active)) == {
        "not_started": 2,
        "in_progress": 2,
        "achieved": 1,
        "changed": 1,
        "dropped": 1,
    }
    assert goal_status_counts(Goal.objects.none()) == dict.fromkeys(G.values, 0)


def test_goals_of_a_match_come_grouped_by_status_then_date(active, django_assert_num_queries):
    _goals_due(active)
    with django_assert_num_queries(2):  # goals, then their newest notes
        titles = [goal.title for goal in goals_of_match(active)]
    assert titles == [
        "past, in progress",
        "due today",
        "past, not started",
        "future",
        "past, achieved",
        "past, changed",
        "past, dropped",
    ]


def test_goals_of_a_match_carry_their_three_newest_notes_and_the_count(active, coordinator):
    goal = _goal(active, actor=coordinator)
    for number in range(1, 6):
        goal_services.goal_note_add(goal=goal, text=f"Note {number}", actor=coordinator)
    (fetched,) = goals_of_match(active)
    assert fetched.note_count == 5
    assert [note.text for note in fetched.newest_notes] == ["Note 5", "Note 4", "Note 3"]


# --- Goal templates -------------------------------------------------------------------------------


def test_goal_template_is_created_edited_and_withdrawn(program, coordinator):
    template = goal_services.goal_template_create(
        program=program,
        category=Goal.Category.NETWORKING,
        title=" Join the professional association ",
        description="Member of the local engineering association, at two events.",
        suggested_steps="Find the chapter\nGo to one event",
        actor=coordinator,
    )
    assert template.title == "Join the professional association"
    assert template.step_list == ["Find the chapter", "Go to one event"]

    goal_services.goal_template_update(
        template=template,
        category=Goal.Category.NETWORKING,
        title=template.title,
        description="Member of the association, at three events.",
        suggested_steps=template.suggested_steps,
        actor=coordinator,
    )
    goal_services.goal_template_set_active(template=template, is_active=False, actor=coordinator)
    with pytest.raises(ValidationError, match="already not offered"):
        goal_services.goal_template_set_active(template=template, is_active=False, actor=coordinator)
    goal_services.goal_template_set_active(template=template, is_active=True, actor=coordinator)

    template.refresh_from_db()
    assert template.is_active
    assert template.description == "Member of the association, at three events."
    assert _verbs() == [
        "goal_template.created",
        "goal_template.updated",
        "goal_template.deactivated",
        "goal_template.reactivated",
    ]


def test_goal_template_titles_are_unique_within_a_program(program, other_program, coordinator):
    fields = {"category": "language", "title": "CLB 8", "description": "Reach CLB 8 in speaking."}
    goal_services.goal_template_create(program=program, actor=coordinator, **fields)
    goal_services.goal_template_create(program=other_program, actor=coordinator, **fields)
    with pytest.raises(ValidationError):
        goal_services.goal_template_create(program=program, actor=coordinator, **fields)
    assert GoalTemplate.objects.count() == 2


def test_editing_a_template_leaves_the_goals_started_from_it(active, coordinator):
    template = GoalTemplateFactory(program=active.program, title="First job")
    goal = _goal(active, actor=coordinator, template=template, title="First job")
    goal_services.goal_template_update(
        template=template,
        category=template.category,
        title="First job in the field",
        description=template.description,
        actor=coordinator,
    )
    goal.refresh_from_db()
    assert goal.title == "First job"
