"""Reads of agreements, goals and goal templates.

The match itself is authorised first (`selectors.get_match_for_user` for staff,
`get_match_for_participant` in the portal); what hangs off it is then read through the match.
Goal templates are scoped to the programs the staff member works in.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404

from programs.models import Program
from programs.selectors import programs_visible_to

from .models import GOAL_SETTLED_STATUSES, Agreement, Goal, GoalNote, GoalTemplate, Match

G = Goal.Status

# The order the goals page groups them in: what is being worked on first, then what is done.
STATUS_ORDER = (G.IN_PROGRESS, G.NOT_STARTED, G.ACHIEVED, G.CHANGED, G.DROPPED)
# How many of a goal's newest notes show under it on the goals page; the goal's page has all.
NOTES_SHOWN = 3


def overdue_goals(qs: QuerySet[Goal], today: datetime.date) -> QuerySet[Goal]:
    """The goals of `qs` whose target date has passed (it is before `today`) and that are
    neither achieved nor dropped. A goal due today is not overdue yet; a goal marked "changed"
    still counts, because its match has not settled what became of it.

    Callers choose the goals (one match's, a program's active matches'...) and the day, for
    example `overdue_goals(Goal.objects.filter(match__in=active_matches), timezone.localdate())`.
    """
    return qs.filter(target_date__lt=today).exclude(status__in=GOAL_SETTLED_STATUSES)


def agreement_of(match: Match) -> Agreement | None:
    return (
        Agreement.objects.filter(match=match)
        .select_related("mentee_recorded_by", "mentor_recorded_by", "created_by")
        .first()
    )


def goals_of_match(match: Match) -> QuerySet[Goal]:
    """The match's goals in the order the page groups them (by status, then by target date),
    each with its number of notes and its newest notes prefetched: three queries in all,
    however many goals and notes there are (count, goals, notes)."""
    status_rank = Case(
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    newest_notes = GoalNote.objects.select_related("author").order_by("-created_at", "-id")
    return (
        Goal.objects.filter(match=match)
        .select_related("from_template", "created_by")
        .annotate(status_rank=status_rank, note_count=Count("notes"))
        .prefetch_related(Prefetch("notes", queryset=newest_notes[:NOTES_SHOWN], to_attr="newest_notes"))
        .order_by("status_rank", "target_date", "pk")
    )


def goal_status_counts(goals: QuerySet[Goal]) -> dict[str, int]:
    """How many of `goals` are in each status, every status present, in one query."""
    counts = dict(goals.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in G.values}


def get_goal_of_match(match: Match, goal_id: int) -> Goal:
    """A goal of a match the caller has already authorised; any other id gives 404."""
    try:
        return Goal.objects.select_related("from_template").get(match=match, pk=goal_id)
    except Goal.DoesNotExist:
        raise Http404 from None


def goal_notes(goal: Goal) -> QuerySet[GoalNote]:
    return goal.notes.select_related("author").order_by("-created_at", "-id")


# --- Goal templates -------------------------------------------------------------------------------


def goal_templates_visible_to(user) -> QuerySet[GoalTemplate]:
    return GoalTemplate.objects.filter(program__in=programs_visible_to(user)).select_related(
        "program__organization"
    )


def get_goal_template_for_user(user, template_id: int) -> GoalTemplate:
    try:
        return goal_templates_visible_to(user).get(pk=template_id)
    except GoalTemplate.DoesNotExist:
        raise Http404 from None


def offered_goal_templates(program: Program) -> QuerySet[GoalTemplate]:
    """The templates a new goal of the program may start from."""
    return GoalTemplate.objects.filter(program=program, is_active=True).order_by("category", "title", "pk")


def chosen_goal_template(program: Program, template_id: str | None) -> GoalTemplate | None:
    """The template a new goal starts from, from the id in the request: None when no id is
    given; 404 when it is not one of the program's offered templates."""
    if not template_id:
        return None
    template = (
        offered_goal_templates(program).filter(pk=template_id).first() if str(template_id).isdigit() else None
    )
    if template is None:
        raise Http404
    return template
