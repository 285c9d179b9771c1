"""My match, in the portal: answer an introduction, see the partner (their contact details only
once both have accepted), read and accept the agreement, log meetings and see the hours."""

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

from matching.goal_services import agreement_acknowledge
from matching.hours import hours, hours_certificate_pdf, year_of_mentoring
from matching.meeting_services import meeting_log
from matching.models import Match
from matching.services import match_respond

from .portal_access import participant_required
from .portal_forms import AnswerForm, MeetingForm
from .portal_selectors import agreement_of_match, get_portal_match, get_portal_person, partner_card

M = Match.Status
RECENT_MEETINGS = 3


def _render_match(request: HttpRequest, match: Match, side: str, *, answer_form: AnswerForm | None = None):
    waiting_for_me = (
        match.status == M.INTRODUCED and getattr(match, f"{side}_response") == Match.Response.PENDING
    )
    meetings = match.meetings.order_by("-occurred_on", "-id")
    recent = list(meetings[:RECENT_MEETINGS]) if match.status != M.INTRODUCED else []
    agreement = agreement_of_match(match) if match.status == M.ACTIVE else None
    return render(
        request,
        "portal/match_detail.html",
        {
            "match": match,
            "side": side,
            "partner": partner_card(match, side),
            "answer_form": (answer_form or AnswerForm()) if waiting_for_me else None,
            "my_answer": getattr(match, f"{side}_response"),
            "recent_meetings": recent,
            "total_hours": hours(meetings.total_minutes()) if match.status != M.INTRODUCED else None,
            "can_log": match.status == M.ACTIVE,
            "agreement": agreement,
            "agreement_acknowledged": agreement is not None and agreement.acknowledged_at(side) is not None,
        },
    )


@participant_required
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match, side = get_portal_match(request.user, match_id)
    return _render_match(request, match, side)


@participant_required
@require_POST
def match_answer(request: HttpRequest, match_id: int) -> HttpResponse:
    match, side = get_portal_match(request.user, match_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_match(request, match, side, answer_form=form)
    try:
        result = match_respond(
            match=match,
            side=side,
            accepted=form.accepted,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:match", match.pk)
    if result.activated:
        messages.success(request, _("You have both said yes: your mentoring has started."))
    elif result.cascade:
        messages.success(request, _("Thank you for telling us. Your coordinator will be in touch."))
    else:
        messages.success(request, _("Thank you! We will let you know when your match has answered too."))
    return redirect("portal:match", match.pk)


@participant_required
def match_meetings(request: HttpRequest, match_id: int) -> HttpResponse:
    match, side = get_portal_match(request.user, match_id)
    if match.status == M.INTRODUCED:
        raise Http404  # nothing to log or read before both have accepted
    can_log = match.status == M.ACTIVE
    form = MeetingForm(request.POST or None, match=match) if can_log else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Meetings are logged while the match is active."))
            return redirect("portal:match_meetings", match.pk)
        if form.is_valid():
            try:
                meeting_log(match=match, logged_as=side, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your meeting is logged. Thank you!"))
                return redirect("portal:match_meetings", match.pk)
    meetings = match.meetings.order_by("-occurred_on", "-id")
    page = Paginator(meetings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/match_meetings.html",
        {
            "match": match,
            "side": side,
            "partner": partner_card(match, side),
            "form": form,
            "page_obj": page,
            "total_hours": hours(meetings.total_minutes()),
            "meeting_count": page.paginator.count,
            "this_year": timezone.localdate().year,
        },
    )


@participant_required
def agreement(request: HttpRequest, match_id: int) -> HttpResponse:
    match, side = get_portal_match(request.user, match_id)
    agreement = agreement_of_match(match)
    if agreement is None:
        raise Http404
    if request.method == "POST":
        try:
            agreement_acknowledge(
                agreement=agreement, side=side, actor=request.user, recorded_by_coordinator=False
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: you have accepted the agreement."))
            return redirect("portal:match", match.pk)
    return render(
        request,
        "portal/agreement.html",
        {
            "match": match,
            "agreement": agreement,
            "partner": partner_card(match, side),
            "acknowledged_at": agreement.acknowledged_at(side),
            "can_acknowledge": match.status == M.ACTIVE and agreement.acknowledged_at(side) is None,
        },
    )


@participant_required
def hours_certificate(request: HttpRequest, person_id: int, year: int) -> HttpResponse:
    """A mentor's own certificate of mentoring hours for a year, for their regulator."""
    person = get_portal_person(request.user, person_id)
    summary = year_of_mentoring(person, year)
    if not summary.programs:
        raise Http404(_("No mentoring hours are logged for you in %(year)s.") % {"year": year})
    response = HttpResponse(hours_certificate_pdf(summary), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mentoring-hours-{year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
