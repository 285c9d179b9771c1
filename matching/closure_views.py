"""The "Closure and follow-up" tab of a match: close an active match with its outcomes, record
each side's closing survey, and the mentee's employment follow-ups; plus the list of
follow-ups due across the current program."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.forms import add_service_error
from programs.access import current_program, staff_required

from .closure_forms import CloseMatchForm, ClosingSurveyForm, FollowUpForm
from .closure_services import (
    ENDED,
    closing_survey_record,
    follow_up_no_answer,
    follow_up_record,
    match_close,
)
from .models import ClosingSurvey, FollowUp, Match
from .selectors import get_match_for_user, matches_visible_to

SIDES = (ClosingSurvey.Side.MENTEE, ClosingSurvey.Side.MENTOR)


def _render(request: HttpRequest, match: Match, **forms) -> HttpResponse:
    context: dict = {"match": match, "ended": match.status in ENDED}
    if match.status == Match.Status.ACTIVE:
        context["close_form"] = forms.get("close_form") or CloseMatchForm(goals=list(match.goals.all()))
    if context["ended"]:
        surveys = {survey.side: survey for survey in match.closing_surveys.all()}
        context["surveys"] = [
            (side, surveys.get(side), forms.get(f"survey_{side}") or ClosingSurveyForm(side=side))
            for side in SIDES
        ]
        context["closure"] = getattr(match, "closure", None)
        context["follow_ups"] = [
            (follow_up, forms.get(f"follow_up_{follow_up.pk}") or FollowUpForm(follow_up=follow_up))
            for follow_up in match.follow_ups.all()
        ]
    return render(request, "matching/closure/match_closure.html", context)


@staff_required
def match_closure(request: HttpRequest, match_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    if request.method != "POST":
        return _render(request, match)
    if match.status != Match.Status.ACTIVE:
        messages.error(request, _("Only an active match can be closed."))
        return redirect("matching:match_closure", match.pk)
    form = CloseMatchForm(request.POST, goals=list(match.goals.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            match_close(
                match=match,
                early=data["ending"] == CloseMatchForm.EARLY,
                reason=data["reason"],
                note=data["note"],
                mentee_returns_to_pool=data["mentee_returns_to_pool"],
                mentor_available_again=data["mentor_available_again"],
                do_not_match_again=data["do_not_match_again"],
                goal_outcomes=form.goal_outcomes(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The match is closed. Record each side's closing survey below."))
            return redirect("matching:match_closure", match.pk)
    return _render(request, match, close_form=form)


@staff_required
@require_POST
def closing_survey(request: HttpRequest, match_id: int, side: str) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    if side not in SIDES:
        raise Http404
    form = ClosingSurveyForm(request.POST, side=side)
    if form.is_valid():
        try:
            closing_survey_record(
                match=match,
                side=side,
                by_coordinator=True,
                actor=request.user,
                **{name: form.cleaned_data.get(name, "") for name in form.fields},
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The closing survey is recorded."))
            return redirect("matching:match_closure", match.pk)
    return _render(request, match, **{f"survey_{side}": form})


def _follow_up(request: HttpRequest, follow_up_id: int) -> FollowUp:
    follow_up = (
        FollowUp.objects.filter(match__in=matches_visible_to(request.user), pk=follow_up_id)
        .select_related("match__mentee__person", "match__program__organization")
        .first()
    )
    if follow_up is None:
        raise Http404
    return follow_up


def _back(request: HttpRequest, match: Match) -> HttpResponse:
    """To the list of follow-ups when the action came from there, else to the match."""
    if request.POST.get("next") == "list":
        return redirect("matching:follow_ups")
    return redirect("matching:match_closure", match.pk)


@staff_required
@require_POST
def follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = _follow_up(request, follow_up_id)
    match = follow_up.match
    if request.POST.get("no_answer"):
        try:
            follow_up_no_answer(follow_up=follow_up, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Marked as not reached."))
        return _back(request, match)
    form = FollowUpForm(request.POST, follow_up=follow_up)
    if form.is_valid():
        follow_up_record(
            follow_up=follow_up,
            employment_status=form.cleaned_data["employment_status"],
            still_in_region=form.cleaned_data["still_in_region"],
            notes=form.cleaned_data["notes"],
            actor=request.user,
        )
        messages.success(request, _("The follow-up is recorded."))
        return _back(request, match)
    return _render(request, match, **{f"follow_up_{follow_up.pk}": form})


@staff_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Employment follow-ups of the current program still to do, the most overdue first."""
    program = current_program(request)
    due = FollowUp.objects.none()
    if program is not None:
        due = (
            FollowUp.objects.filter(
                match__in=matches_visible_to(request.user).filter(program=program), status=FollowUp.Status.DUE
            )
            .select_related("match__mentee__person", "match__mentor__person")
            .order_by("due_on", "id")
        )
    page = Paginator(due, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/closure/follow_ups.html",
        {"program": program, "page_obj": page, "today": timezone.localdate()},
    )
