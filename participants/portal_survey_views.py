"""Surveys in the portal: what the program asks me now (a check-in while my mentoring runs, the
closing survey once it has ended, my employment follow-ups), and the anonymous feedback form.

The answers go through the same services as the coordinator's pages, marked as given by the
person in the portal, so that the coordinator reads them on the match's tabs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.checkin_services import checkin_participant_answer, checkins_due_for, participant_checkin_date
from matching.closure_services import ENDED, closing_survey_record, follow_up_record
from matching.models import FollowUp, Match
from matching.views import add_service_error
from stories.services import TOOK_PART_STATUSES, feedback_submit

from .portal_access import participant_required
from .portal_selectors import (
    OPEN_FOLLOW_UP_STATUSES,
    get_portal_follow_up,
    get_portal_match,
    partner_of,
    portal_participations,
    portal_surveys,
)
from .portal_survey_forms import (
    MY_EMPLOYMENT_CHOICES,
    CheckInAnswerForm,
    ClosingSurveyAnswerForm,
    FeedbackForm,
    FollowUpAnswerForm,
)

# The programs this browser session already sent feedback on: the only trace kept of who
# answered, and it holds no answer. It stops the same answers from being sent twice.
FEEDBACK_SESSION_KEY = "portal_feedback_sent"


@participant_required
def surveys(request: HttpRequest) -> HttpResponse:
    items = portal_surveys(request.user, timezone.localdate())
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/surveys/list.html",
        {"page_obj": page, "due_count": sum(not item.done for item in items)},
    )


# --- Check-in -----------------------------------------------------------------------------------


@participant_required
def checkin(request: HttpRequest, match_id: int) -> HttpResponse:
    match, side = get_portal_match(request.user, match_id)
    if match.status != Match.Status.ACTIVE:
        messages.info(request, _("Check-ins are for mentoring that is under way. Nothing to answer here."))
        return redirect("portal:surveys")
    today = timezone.localdate()
    due_on = participant_checkin_date(match, today=today)
    answer = match.checkins.filter(due_on=due_on, answered_by_side=side).first() if due_on else None
    form = None
    if due_on is not None and answer is None:
        form = CheckInAnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                checkin_participant_answer(match=match, side=side, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Thank you! Your coordinator will read your answer."))
                return redirect("portal:surveys")
    elif request.method == "POST":
        messages.info(request, _("There is no check-in to answer right now."))
        return redirect("portal:checkin", match.pk)
    upcoming = [day for day in checkins_due_for(match, today=today) if day > today]
    return render(
        request,
        "portal/surveys/checkin.html",
        {
            "match": match,
            "partner_name": partner_of(match, side).person.first_name,
            "due_on": due_on,
            "answer": answer,
            "next_on": upcoming[0] if upcoming else None,
            "form": form,
        },
    )


# --- Closing survey -----------------------------------------------------------------------------


@participant_required
def closing_survey(request: HttpRequest, match_id: int) -> HttpResponse:
    match, side = get_portal_match(request.user, match_id)
    if match.status not in ENDED:
        messages.info(request, _("The closing survey opens when your mentoring has ended."))
        return redirect("portal:surveys")
    survey = match.closing_surveys.filter(side=side).first()
    form = None
    if survey is None:
        form = ClosingSurveyAnswerForm(request.POST or None, side=side)
        if request.method == "POST" and form.is_valid():
            try:
                closing_survey_record(
                    match=match, side=side, by_coordinator=False, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Thank you for your answers!"))
                return redirect("portal:surveys")
    elif request.method == "POST":
        messages.info(request, _("Your closing survey is already answered. Thank you!"))
        return redirect("portal:closing_survey", match.pk)
    return render(
        request,
        "portal/surveys/closing_survey.html",
        {
            "match": match,
            "side": side,
            "partner_name": partner_of(match, side).person.first_name,
            "survey": survey,
            "employment": dict(MY_EMPLOYMENT_CHOICES).get(survey.employment_status, "") if survey else "",
            "form": form,
        },
    )


# --- Employment follow-up -----------------------------------------------------------------------


@participant_required
def follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = get_portal_follow_up(request.user, follow_up_id)
    today = timezone.localdate()
    is_open = follow_up.status in OPEN_FOLLOW_UP_STATUSES and follow_up.due_on <= today
    form = FollowUpAnswerForm(request.POST or None) if is_open else None
    if request.method == "POST":
        if form is None:
            messages.info(request, _("There is nothing to answer here right now."))
            return redirect("portal:follow_up", follow_up.pk)
        if form.is_valid():
            try:
                follow_up_record(follow_up=follow_up, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("Thank you! Your answers help the program and the newcomers who come next.")
                )
                return redirect("portal:surveys")
    return render(
        request,
        "portal/surveys/follow_up.html",
        {
            "follow_up": follow_up,
            "mentor_name": follow_up.match.mentor.person.first_name,
            "is_done": follow_up.status == FollowUp.Status.DONE,
            "answered_by_me": follow_up.recorded_by_id == request.user.pk,
            "employment": dict(MY_EMPLOYMENT_CHOICES).get(follow_up.employment_status, ""),
            "form": form,
        },
    )


# --- Anonymous program feedback -----------------------------------------------------------------


@participant_required
def feedback(request: HttpRequest) -> HttpResponse:
    """Feedback on a program, stored without any link to the person (see `feedback_submit`).

    The form only lists programs the person took part in; the session remembers which ones got
    an answer already, so that a double click or a second visit does not count twice.
    """
    sent = set(request.session.get(FEEDBACK_SESSION_KEY, []))
    programs = list(
        {
            p.program_id: p.program
            for p in portal_participations(request.user).filter(status__in=TOOK_PART_STATUSES)
        }.values()
    )
    open_programs = [program for program in programs if program.pk not in sent]
    form = FeedbackForm(request.POST or None, programs=open_programs) if open_programs else None
    if request.method == "POST":
        if form is None:
            messages.info(request, _("You have already sent your feedback. Thank you!"))
            return redirect("portal:feedback")
        if form.is_valid():
            program = form.chosen_program()
            try:
                feedback_submit(
                    program=program,
                    rating=form.cleaned_data["rating"],
                    what_works=form.cleaned_data["what_works"],
                    what_to_improve=form.cleaned_data["what_to_improve"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                request.session[FEEDBACK_SESSION_KEY] = sorted(sent | {program.pk})
                messages.success(request, _("Thank you for your feedback!"))
                return redirect("portal:feedback")
    return render(
        request,
        "portal/surveys/feedback.html",
        {"form": form, "took_part": bool(programs), "sent_programs": [p for p in programs if p.pk in sent]},
    )
