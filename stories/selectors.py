"""Reads of stories and feedback: staff see their programs' stories (never a withdrawn one) and
their programs' feedback in aggregate; a participant sees their own stories only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from programs.models import Program
from programs.selectors import programs_visible_to

from .models import FeedbackResponse, Story, StoryConsentChange

RATING_SCALE = (1, 2, 3, 4, 5)
# Below this many answers a coordinator could guess who wrote what, from who took part or when:
# the page then gives the number of answers only.
MIN_FEEDBACK_SHOWN = 3


# --- Staff ----------------------------------------------------------------------------------------


def stories_visible_to(user) -> QuerySet[Story]:
    """Stories of the programs the staff member works in; a withdrawn story is for nobody."""
    return (
        Story.objects.not_withdrawn()
        .filter(program__in=programs_visible_to(user))
        .select_related("person", "program", "participation")
        .annotate(consent_change_count=Count("consent_changes"))
        .order_by("-submitted_at", "-id")
    )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    by_rating: list[tuple[int, int]]  # (rating 1..5, answers)

    min_shown: int = MIN_FEEDBACK_SHOWN

    @property
    def shows_answers(self) -> bool:
        return self.count >= self.min_shown


def feedback_summary(program: Program) -> FeedbackSummary:
    """How many answered, the average rating and the answers per rating, in one query."""
    rows = list(
        FeedbackResponse.objects.filter(program=program)
        .values("rating")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("rating", "n")
    )
    counts = dict(rows)
    total = sum(counts.values())
    average = round(sum(rating * n for rating, n in rows) / total, 1) if total else None
    return FeedbackSummary(
        count=total, average=average, by_rating=[(rating, counts.get(rating, 0)) for rating in RATING_SCALE]
    )


def feedback_of(program: Program) -> QuerySet[FeedbackResponse]:
    return FeedbackResponse.objects.filter(program=program).order_by("-created_at", "-id")


# --- The portal -----------------------------------------------------------------------------------


def portal_stories(user) -> QuerySet[Story]:
    """The user's own stories, withdrawn ones included (they are the author)."""
    if not user.is_authenticated:
        return Story.objects.none()
    return Story.objects.filter(person__user=user).select_related("program").order_by("-submitted_at", "-id")


def get_portal_story(user, story_id: int) -> Story:
    story = (
        portal_stories(user)
        .filter(pk=story_id)
        .prefetch_related(
            Prefetch("consent_changes", queryset=StoryConsentChange.objects.order_by("changed_at", "id"))
        )
        .first()
    )
    if story is None:
        raise Http404
    return story
