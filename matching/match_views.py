"""Staff pages for matches: the current program's matches, and one match with the actions its
status allows (introduce, record each side's answer, cancel; closing has its own tab, in
closure_views). Each action calls its service; the service decides whether the move is allowed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.access import current_program, staff_required
from programs.activity import activity_for_object
from programs.selectors import programs_visible_to

from .filters import MatchFilter
from .forms import MatchAnswerForm
from .models import Match
from .selectors import get_match_for_user, matches_visible_to
from .services import (
    MENTEE,
    MENTOR,
    can_move_match,
    match_cancel,
    match_introduce,
    match_respond,
)

M = Match.Status
SIDES = (MENTEE, MENTOR)


@staff_required
def match_list(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    matches = Match.objects.none()
    if program is not None:
        matches = matches_visible_to(request.user).filter(program=program)
    match_filter = MatchFilter(request.GET or None, queryset=matches)
    page = Paginator(match_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/match_list.html",
        {"program": program, "filter": match_filter, "page_obj": page},
    )


@staff_required
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    return _render_detail(request, get_match_for_user(request.user, match_id))


def _answer_form(side: str, data=None) -> MatchAnswerForm:
    # Both sides' forms are on one page; distinct ids keep their labels apart.
    return MatchAnswerForm(data, auto_id=f"{side}-answer-%s")


def _render_detail(
    request: HttpRequest,
    match: Match,
    *,
    answer_forms: dict[str, MatchAnswerForm] | None = None,
) -> HttpResponse:
    answer_forms = answer_forms or {}
    if match.status == M.INTRODUCED:
        for side in SIDES:
            if getattr(match, f"{side}_response") == Match.Response.PENDING:
                answer_forms.setdefault(side, _answer_form(side))
            else:
                answer_forms.pop(side, None)
    else:
        answer_forms = {}
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "mentee_answer_form": answer_forms.get(MENTEE),
            "mentor_answer_form": answer_forms.get(MENTOR),
            "can_introduce": can_move_match(match.status, M.INTRODUCED),
            "can_cancel": can_move_match(match.status, M.CANCELLED),
            "can_close": can_move_match(match.status, M.COMPLETED),
            "timeline": activity_for_object(match, visible_programs=programs_visible_to(request.user)),
        },
    )


def _refused(request: HttpRequest, match: Match, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect("matching:match_detail", match.pk)


@staff_required
@require_POST
def introduce(request: HttpRequest, match_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    try:
        match_introduce(match=match, actor=request.user)
    except ValidationError as error:
        return _refused(request, match, error)
    messages.success(request, _("The pair is introduced; both are asked to answer."))
    return redirect("matching:match_detail", match.pk)


@staff_required
@require_POST
def record_answer(request: HttpRequest, match_id: int, side: str) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    if side not in SIDES:
        raise Http404
    form = _answer_form(side, request.POST)
    if not form.is_valid():
        return _render_detail(request, match, answer_forms={side: form})
    try:
        result = match_respond(
            match=match,
            side=side,
            accepted=form.accepted,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        return _refused(request, match, error)
    if result.cascade:
        messages.info(request, _("Choose the next mentor"))
        return redirect("matching:suggestions", match.mentee_id)
    if result.activated:
        messages.success(request, _("Both have accepted: the match has started."))
    else:
        messages.success(request, _("The answer is recorded."))
    return redirect("matching:match_detail", match.pk)


@staff_required
@require_POST
def cancel(request: HttpRequest, match_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    try:
        match_cancel(match=match, actor=request.user)
    except ValidationError as error:
        return _refused(request, match, error)
    messages.success(request, _("The proposal is cancelled."))
    return redirect("matching:match_detail", match.pk)
