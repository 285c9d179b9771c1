"""Staff pages of the stories app, read-only for now: the current program's stories (moderation
comes in a later issue) and its anonymous feedback in aggregate."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from programs.access import current_program, staff_required
from programs.charts import BarChart, grouped_bar_chart

from .models import FeedbackResponse, Story
from .selectors import FeedbackSummary, feedback_of, feedback_summary, stories_visible_to


@staff_required
def story_list(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    stories = Story.objects.none()
    if program is not None:
        stories = stories_visible_to(request.user).filter(program=program)
    page = Paginator(stories, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "stories/story_list.html", {"program": program, "page_obj": page})


def _rating_chart(summary: FeedbackSummary) -> BarChart:
    return grouped_bar_chart(
        title=_("Answers by rating"),
        series=[(_("Answers"), "mentee")],
        rows=[(_("Rating %(rating)s") % {"rating": rating}, [count]) for rating, count in summary.by_rating],
    )


@staff_required
def feedback(request: HttpRequest) -> HttpResponse:
    """The current program's anonymous feedback: the ratings, and the answers once there are
    enough of them that nobody can be recognised."""
    program = current_program(request)
    context: dict = {"program": program}
    if program is not None:
        summary = feedback_summary(program)
        answers = feedback_of(program) if summary.shows_answers else FeedbackResponse.objects.none()
        context.update(
            summary=summary,
            chart=_rating_chart(summary),
            page_obj=Paginator(answers, settings.PAGE_SIZE).get_page(request.GET.get("page")),
        )
    return render(request, "stories/feedback.html", context)
