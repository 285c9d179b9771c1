"""Our goals, in the portal: the mentor and the mentee write down what success means for this
mentee, note progress as themselves, and move a goal along. The services in
`matching.goal_services` keep the rules (active matches only, a target date after the start, a
reason when a goal changes or is dropped); their refusals show on the form."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching import goal_services
from matching.goal_forms import GoalForm, GoalNoteForm, GoalStatusForm
from matching.goal_selectors import (
    chosen_goal_template,
    get_goal_of_match,
    goals_of_match,
    offered_goal_templates,
)
from matching.models import Goal, Match
from mentorship.forms import add_service_error

from .portal_access import participant_required
from .portal_selectors import get_portal_match, partner_card


@dataclass
class GoalRow:
    goal: Goal
    is_overdue: bool
    status_form: GoalStatusForm | None
    note_form: GoalNoteForm | None


def _goals_url(match: Match, page: str | None = None) -> str:
    url = reverse("portal:goals", args=[match.pk])
    return f"{url}?page={page}" if page and page.isdigit() else url


def _refused(request: HttpRequest, match: Match, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_goals_url(match, request.GET.get("page")))


def _started_match(request: HttpRequest, match_id: int) -> tuple[Match, str]:
    match, side = get_portal_match(request.user, match_id)
    if match.started_on is None:
        raise Http404  # goals come once both have accepted
    return match, side


@participant_required
def goals(request: HttpRequest, match_id: int) -> HttpResponse:
    match, side = _started_match(request, match_id)
    return _render_goals(request, match, side)


def _render_goals(
    request: HttpRequest,
    match: Match,
    side: str,
    *,
    status_forms: dict[int, GoalStatusForm] | None = None,
    note_forms: dict[int, GoalNoteForm] | None = None,
) -> HttpResponse:
    is_active = match.status == Match.Status.ACTIVE
    status_forms, note_forms = status_forms or {}, note_forms or {}
    page = Paginator(goals_of_match(match), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for goal in page.object_list:
        row = GoalRow(goal=goal, is_overdue=goal.is_overdue_on(today), status_form=None, note_form=None)
        if is_active:
            row.status_form = status_forms.get(goal.pk) or GoalStatusForm(goal=goal)
            row.note_form = note_forms.get(goal.pk) or GoalNoteForm(goal=goal)
        rows.append(row)
    return render(
        request,
        "portal/goals.html",
        {
            "match": match,
            "side": side,
            "partner": partner_card(match, side),
            "is_active": is_active,
            "page_obj": page,
            "rows": rows,
        },
    )


@participant_required
def goal_add(request: HttpRequest, match_id: int) -> HttpResponse:
    """A new goal, blank or started from one of the program's templates (`?template=<id>`)."""
    match, side = _started_match(request, match_id)
    if match.status != Match.Status.ACTIVE:
        return _refused(request, match, ValidationError(_("Goals are added while the match is active.")))
    templates = offered_goal_templates(match.program)
    template = chosen_goal_template(
        match.program, request.POST.get("template") or request.GET.get("template")
    )
    form = GoalForm(request.POST or None, match=match, template=template, auto_id="goal-%s")
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_services.goal_create(
                match=match, template=template, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The goal “%(title)s” is added.") % {"title": goal.title})
            return redirect("portal:goals", match.pk)
    return render(
        request,
        "portal/goal_form.html",
        {"match": match, "form": form, "template": template, "templates": templates},
    )


@participant_required
@require_POST
def goal_status(request: HttpRequest, match_id: int, goal_id: int) -> HttpResponse:
    match, side = _started_match(request, match_id)
    goal = get_goal_of_match(match, goal_id)
    form = GoalStatusForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            goal_services.goal_set_status(
                goal=goal,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                author_role=side,
                actor=request.user,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, match, error)
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is now “%(status)s”.")
                % {"title": goal.title, "status": goal.get_status_display()},
            )
            return redirect(_goals_url(match, request.GET.get("page")))
    return _render_goals(request, match, side, status_forms={goal.pk: form})


@participant_required
@require_POST
def goal_note(request: HttpRequest, match_id: int, goal_id: int) -> HttpResponse:
    match, side = _started_match(request, match_id)
    goal = get_goal_of_match(match, goal_id)
    form = GoalNoteForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            goal_services.goal_note_add(
                goal=goal, text=form.cleaned_data["text"], author_role=side, actor=request.user
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, match, error)
            add_service_error(form, error)
        else:
            messages.success(request, _("Your note is added to “%(title)s”.") % {"title": goal.title})
            return redirect(_goals_url(match, request.GET.get("page")))
    return _render_goals(request, match, side, note_forms={goal.pk: form})
