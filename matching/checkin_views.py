"""Coordinator check-ins: the "Check-ins" tab of a match (its schedule, what was heard, a form
to record the next one or to note that nobody replied), and the program's check-in schedule."""

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

from .checkin_forms import CheckInForm, CheckInScheduleForm, UnansweredForm
from .checkin_services import (
    checkin_follow_up_done,
    checkin_mark_unanswered,
    checkin_record,
    checkin_schedule_update,
)
from .health_selectors import checkin_plan
from .models import CheckIn, CheckInSchedule, Match
from .selectors import get_match_for_user


def _render_checkins(
    request: HttpRequest,
    match: Match,
    *,
    record_form: CheckInForm | None = None,
    unanswered_form: UnansweredForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    plan = checkin_plan(match, today)
    can_record = match.status == Match.Status.ACTIVE
    if can_record:
        record_form = record_form or CheckInForm(due_on=plan.next_on)
        unanswered_form = unanswered_form or UnansweredForm(due_on=plan.next_on)
    checkins = match.checkins.exclude(status=CheckIn.Status.DUE).select_related("done_by")
    page = Paginator(checkins.order_by("-due_on", "-id"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "matching/checkins/match_checkins.html",
        {
            "match": match,
            "plan": plan,
            "page_obj": page,
            "can_record": can_record,
            "record_form": record_form if can_record else None,
            "unanswered_form": unanswered_form if can_record else None,
        },
    )


def _not_active(request: HttpRequest, match: Match) -> HttpResponse:
    # The page shows no form for a match that is not active, so the refusal goes in a message.
    messages.error(request, _("Check-ins are recorded while the match is active."))
    return redirect("matching:match_checkins", match.pk)


@staff_required
def match_checkins(request: HttpRequest, match_id: int) -> HttpResponse:
    return _render_checkins(request, get_match_for_user(request.user, match_id))


@staff_required
@require_POST
def record(request: HttpRequest, match_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    if match.status != Match.Status.ACTIVE:
        return _not_active(request, match)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _render_checkins(request, match, record_form=form)
    try:
        checkin_record(match=match, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return _render_checkins(request, match, record_form=form)
    messages.success(request, _("The check-in is recorded."))
    return redirect("matching:match_checkins", match.pk)


@staff_required
@require_POST
def mark_unanswered(request: HttpRequest, match_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    if match.status != Match.Status.ACTIVE:
        return _not_active(request, match)
    form = UnansweredForm(request.POST)
    if not form.is_valid():
        return _render_checkins(request, match, unanswered_form=form)
    try:
        checkin_mark_unanswered(match=match, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return _render_checkins(request, match, unanswered_form=form)
    messages.success(request, _("The check-in is marked without reply. Record it when they answer."))
    return redirect("matching:match_checkins", match.pk)


@staff_required
@require_POST
def follow_up_done(request: HttpRequest, match_id: int, checkin_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    checkin = match.checkins.filter(pk=checkin_id).first()
    if checkin is None:
        raise Http404
    try:
        checkin_follow_up_done(checkin=checkin, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up is ticked off."))
    return redirect("matching:match_checkins", match.pk)


@staff_required
def schedule_settings(request: HttpRequest) -> HttpResponse:
    """The current program's check-in schedule and at-risk thresholds. Anyone who works in the
    program may change them: the coordinators are the ones who keep the schedule."""
    program = current_program(request)
    form = None
    if program is not None:
        form = CheckInScheduleForm(request.POST or None, instance=CheckInSchedule.for_program(program))
        if request.method == "POST" and form.is_valid():
            try:
                checkin_schedule_update(program=program, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Check-in schedule saved."))
                return redirect("matching:checkin_settings")
    return render(request, "matching/checkins/settings.html", {"program": program, "form": form})
