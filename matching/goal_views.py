"""Staff pages for a match's agreement and goals (the "Agreement and goals" tab of a match),
and for the goal templates and agreement text of the current program.

Each page fetches the match or the template through a scoped selector (404 outside the user's
programs), validates its form and calls a service; the service decides whether the move is
allowed, and its refusal shows on the form or as a message."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.forms import add_service_error
from programs.access import current_program, staff_required
from programs.charts import BarChart, grouped_bar_chart

from . import goal_services
from .goal_forms import AgreementTextForm, GoalForm, GoalNoteForm, GoalStatusForm, GoalTemplateForm
from .goal_selectors import (
    agreement_of,
    chosen_goal_template,
    get_goal_of_match,
    get_goal_template_for_user,
    goal_notes,
    goal_status_counts,
    goal_templates_visible_to,
    goals_of_match,
    offered_goal_templates,
)
from .models import AgreementTemplate, Goal, GoalTemplate, Match
from .selectors import get_match_for_user
from .support_goal_models import DEFAULT_CONFIDENTIALITY, DEFAULT_ROLES_AND_EXPECTATIONS

MENTEE, MENTOR = goal_services.MENTEE, goal_services.MENTOR


def _goals_url(match: Match, page: str | None = None) -> str:
    url = reverse("matching:match_goals", args=[match.pk])
    return f"{url}?page={page}" if page and page.isdigit() else url


def _refused(request: HttpRequest, match: Match, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_goals_url(match, request.GET.get("page")))


def _not_active(match: Match) -> ValidationError:
    return ValidationError(
        _("Goals change while the match is active; this match is “%(status)s”.")
        % {"status": match.get_status_display()}
    )


def _is_about_fields(error: ValidationError) -> bool:
    """Refusals about what was typed go on the form; the others (such as a match that has
    ended meanwhile, whose page no longer shows the form) become a message."""
    return hasattr(error, "error_dict")


# --- The "Agreement and goals" tab ---------------------------------------------------------------


@dataclass
class GoalRow:
    goal: Goal
    is_overdue: bool
    status_form: GoalStatusForm | None
    note_form: GoalNoteForm | None


@dataclass
class AcknowledgementRow:
    side: str
    label: str
    name: str
    acknowledged_at: object
    recorded_by: object


def _status_chart(counts: dict[str, int]) -> BarChart:
    return grouped_bar_chart(
        title=_("Goals by status"),
        series=[(_("Goals"), "mentee")],
        rows=[(str(label), [counts[value]]) for value, label in Goal.Status.choices],
    )


@staff_required
def match_goals(request: HttpRequest, match_id: int) -> HttpResponse:
    return _render_goals(request, get_match_for_user(request.user, match_id))


def _render_goals(
    request: HttpRequest,
    match: Match,
    *,
    status_forms: dict[int, GoalStatusForm] | None = None,
    note_forms: dict[int, GoalNoteForm] | None = None,
) -> HttpResponse:
    is_active = match.status == Match.Status.ACTIVE
    status_forms, note_forms = status_forms or {}, note_forms or {}
    agreement = agreement_of(match)
    page = Paginator(goals_of_match(match), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for goal in page.object_list:
        row = GoalRow(goal=goal, is_overdue=goal.is_overdue_on(today), status_form=None, note_form=None)
        if is_active:
            row.status_form = status_forms.get(goal.pk) or GoalStatusForm(goal=goal)
            row.note_form = note_forms.get(goal.pk) or GoalNoteForm(goal=goal)
        rows.append(row)
    counts = goal_status_counts(Goal.objects.filter(match=match)) if page.paginator.count else {}
    acknowledgements = []
    if agreement is not None:
        for side, label, participation in (
            (MENTEE, _("Mentee"), match.mentee),
            (MENTOR, _("Mentor"), match.mentor),
        ):
            acknowledgements.append(
                AcknowledgementRow(
                    side=side,
                    label=label,
                    name=participation.person.full_name,
                    acknowledged_at=agreement.acknowledged_at(side),
                    recorded_by=agreement.recorded_by(side),
                )
            )
    return render(
        request,
        "matching/goals/match_goals.html",
        {
            "match": match,
            "is_active": is_active,
            "agreement": agreement,
            "acknowledgements": acknowledgements,
            "can_write_agreement": is_active and agreement is None,
            "page_obj": page,
            "rows": rows,
            "chart": _status_chart(counts) if counts else None,
            "overdue_count": sum(row.is_overdue for row in rows),
        },
    )


@staff_required
@require_POST
def agreement_write(request: HttpRequest, match_id: int) -> HttpResponse:
    """For a match that started before agreements existed; new matches get theirs on starting."""
    match = get_match_for_user(request.user, match_id)
    try:
        goal_services.agreement_create(match=match, actor=request.user)
    except ValidationError as error:
        return _refused(request, match, error)
    messages.success(
        request, _("The agreement is written from the program's text. Ask both sides to acknowledge it.")
    )
    return redirect("matching:match_goals", match.pk)


@staff_required
@require_POST
def agreement_acknowledge(request: HttpRequest, match_id: int, side: str) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    if side not in goal_services.SIDES:
        raise Http404
    agreement = agreement_of(match)
    if agreement is None:
        return _refused(request, match, ValidationError(_("This match has no agreement yet.")))
    try:
        goal_services.agreement_acknowledge(
            agreement=agreement, side=side, actor=request.user, recorded_by_coordinator=True
        )
    except ValidationError as error:
        return _refused(request, match, error)
    person = (match.mentee if side == MENTEE else match.mentor).person
    messages.success(
        request, _("Recorded: %(name)s has acknowledged the agreement.") % {"name": person.full_name}
    )
    return redirect("matching:match_goals", match.pk)


@staff_required
def goal_add(request: HttpRequest, match_id: int) -> HttpResponse:
    """A new goal, blank or started from one of the program's templates (`?template=<id>`)."""
    match = get_match_for_user(request.user, match_id)
    if match.status != Match.Status.ACTIVE:
        return _refused(request, match, _not_active(match))
    templates = offered_goal_templates(match.program)
    template = chosen_goal_template(
        match.program, request.POST.get("template") or request.GET.get("template")
    )
    form = GoalForm(request.POST or None, match=match, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_services.goal_create(
                match=match, template=template, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The goal “%(title)s” is added.") % {"title": goal.title})
            return redirect("matching:match_goals", match.pk)
    return render(
        request,
        "matching/goals/goal_form.html",
        {"match": match, "form": form, "template": template, "templates": templates},
    )


@staff_required
def goal_detail(request: HttpRequest, match_id: int, goal_id: int) -> HttpResponse:
    """One goal: its text to edit while the match is active, and all of its progress notes."""
    match = get_match_for_user(request.user, match_id)
    goal = get_goal_of_match(match, goal_id)
    is_active = match.status == Match.Status.ACTIVE
    form = GoalForm(request.POST or None, match=match, instance=goal) if is_active else None
    if request.method == "POST":
        if form is None:
            return _refused(request, match, _not_active(match))
        if form.is_valid():
            try:
                goal_services.goal_update(goal=goal, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The goal is saved."))
                return redirect("matching:match_goals", match.pk)
    notes = Paginator(goal_notes(goal), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/goals/goal_detail.html",
        {
            "match": match,
            "goal": goal,
            "form": form,
            "page_obj": notes,
            "is_overdue": goal.is_overdue_on(timezone.localdate()),
        },
    )


@staff_required
@require_POST
def goal_status(request: HttpRequest, match_id: int, goal_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    goal = get_goal_of_match(match, goal_id)
    if match.status != Match.Status.ACTIVE:
        return _refused(request, match, _not_active(match))
    form = GoalStatusForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            goal_services.goal_set_status(
                goal=goal,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            if not _is_about_fields(error):
                return _refused(request, match, error)
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is now “%(status)s”.")
                % {"title": goal.title, "status": goal.get_status_display()},
            )
            return redirect(_goals_url(match, request.GET.get("page")))
    return _render_goals(request, match, status_forms={goal.pk: form})


@staff_required
@require_POST
def goal_note(request: HttpRequest, match_id: int, goal_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    goal = get_goal_of_match(match, goal_id)
    if match.status != Match.Status.ACTIVE:
        return _refused(request, match, _not_active(match))
    form = GoalNoteForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            goal_services.goal_note_add(goal=goal, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            if not _is_about_fields(error):
                return _refused(request, match, error)
            add_service_error(form, error)
        else:
            messages.success(request, _("The note is added to “%(title)s”.") % {"title": goal.title})
            return redirect(_goals_url(match, request.GET.get("page")))
    return _render_goals(request, match, note_forms={goal.pk: form})


# --- Goal templates and the agreement text of the current program ---------------------------------


@staff_required
def goal_template_list(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    templates = GoalTemplate.objects.none()
    agreement_text = None
    if program is not None:
        templates = (
            goal_templates_visible_to(request.user)
            .filter(program=program)
            .annotate(goal_count=Count("goals"))
            .order_by("-is_active", "category", "title", "pk")
        )
        agreement_text = AgreementTemplate.objects.filter(program=program).first()
    page = Paginator(templates, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/goals/template_list.html",
        {"program": program, "page_obj": page, "agreement_text": agreement_text},
    )


@staff_required
def goal_template_create(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    form = None
    if program is not None:
        form = GoalTemplateForm(request.POST or None, program=program)
        if request.method == "POST" and form.is_valid():
            try:
                template = goal_services.goal_template_create(
                    program=program, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The goal template “%(title)s” is added.") % {"title": template.title}
                )
                return redirect("matching:goal_template_list")
    return render(request, "matching/goals/template_form.html", {"program": program, "form": form})


@staff_required
def goal_template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_goal_template_for_user(request.user, template_id)
    form = GoalTemplateForm(request.POST or None, program=template.program, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.goal_template_update(template=template, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The goal template is saved."))
            return redirect("matching:goal_template_list")
    return render(
        request,
        "matching/goals/template_form.html",
        {"program": template.program, "form": form, "template": template},
    )


def _set_active(request: HttpRequest, template_id: int, *, is_active: bool) -> HttpResponse:
    template = get_goal_template_for_user(request.user, template_id)
    try:
        goal_services.goal_template_set_active(template=template, is_active=is_active, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (
                _("“%(title)s” is offered for new goals again.")
                if is_active
                else _(
                    "“%(title)s” is no longer offered for new goals. Goals started from it keep their text."
                )
            )
            % {"title": template.title},
        )
    return redirect("matching:goal_template_list")


@staff_required
@require_POST
def goal_template_deactivate(request: HttpRequest, template_id: int) -> HttpResponse:
    return _set_active(request, template_id, is_active=False)


@staff_required
@require_POST
def goal_template_reactivate(request: HttpRequest, template_id: int) -> HttpResponse:
    return _set_active(request, template_id, is_active=True)


@staff_required
def agreement_text_edit(request: HttpRequest) -> HttpResponse:
    """The current program's agreement text. Until it is saved, agreements use the defaults,
    which the form starts from."""
    program = current_program(request)
    form = None
    if program is not None:
        instance = AgreementTemplate.objects.filter(program=program).first() or AgreementTemplate(
            program=program
        )
        initial = {}
        if instance.pk is None:
            initial = {
                "roles_and_expectations": DEFAULT_ROLES_AND_EXPECTATIONS,
                "confidentiality": DEFAULT_CONFIDENTIALITY,
            }
        form = AgreementTextForm(request.POST or None, instance=instance, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                goal_services.agreement_text_save(program=program, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The agreement text is saved. Agreements written from now on use it.")
                )
                return redirect("matching:goal_template_list")
    return render(request, "matching/goals/agreement_text.html", {"program": program, "form": form})
