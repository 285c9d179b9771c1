"""Staff pages of screening one application: the status changes, interviews and referrals.
Each view fetches through a scoped selector (another organization's objects give 404),
validates a form, calls a service and redirects."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs.access import staff_required

from . import interviews, pipeline
from .intake_forms import (
    DeclineForm,
    DeclineMessageForm,
    InterviewRecordForm,
    InterviewScheduleForm,
    ReasonForm,
    ReferForm,
    ReferralOutcomeForm,
)
from .models import Interview, Participation
from .selectors import (
    get_interview_for_user,
    get_participation_for_user,
    get_referral_for_user,
)

S = Participation.Status

# --- Status changes ------------------------------------------------------------------------------

SIMPLE_STEP_MESSAGES = {
    S.SCREENING: gettext_lazy("Moved to screening."),
    S.ORIENTATION_DONE: gettext_lazy("Marked as having done orientation."),
    S.READY_TO_MATCH: gettext_lazy("Marked ready to match."),
}


def _back_to_person(participation: Participation) -> HttpResponse:
    return redirect(participation.person.get_absolute_url())


def _refused(request: HttpRequest, error: ValidationError, participation: Participation) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return _back_to_person(participation)


@require_POST
@staff_required
def participation_step(request: HttpRequest, participation_id: int, status: str) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    if status not in pipeline.SIMPLE_STEPS:
        return _refused(request, ValidationError(_("That is not a step one can take here.")), participation)
    try:
        pipeline.participation_move(participation=participation, to_status=status, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, participation)
    messages.success(request, str(SIMPLE_STEP_MESSAGES[status]))
    return _back_to_person(participation)


@require_POST
@staff_required
def participation_accept(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    try:
        pipeline.participation_accept(
            participation=participation, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        return _refused(request, error, participation)
    messages.success(
        request,
        _("%(name)s is accepted. The invitation to the portal is on its way to %(email)s.")
        % {"name": participation.person.full_name, "email": participation.person.email},
    )
    return _back_to_person(participation)


def _action_page(request: HttpRequest, participation: Participation, form, **context) -> HttpResponse:
    return render(
        request,
        "participants/intake/action_form.html",
        {"form": form, "participation": participation, "person": participation.person, **context},
    )


def _reason_action(
    request: HttpRequest, participation_id: int, *, service: Callable, title: str, submit: str, done: str
) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(participation=participation, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _back_to_person(participation)
    return _action_page(request, participation, form, title=title, submit=submit)


@staff_required
def participation_waitlist(request: HttpRequest, participation_id: int) -> HttpResponse:
    return _reason_action(
        request,
        participation_id,
        service=pipeline.participation_waitlist,
        title=_("Put on the waitlist"),
        submit=_("Put on the waitlist"),
        done=_("Put on the waitlist."),
    )


@staff_required
def participation_withdraw(request: HttpRequest, participation_id: int) -> HttpResponse:
    return _reason_action(
        request,
        participation_id,
        service=pipeline.participation_withdraw,
        title=_("Record a withdrawal"),
        submit=_("Record the withdrawal"),
        done=_("Withdrawal recorded."),
    )


@staff_required
def participation_decline(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    form = DeclineForm(
        request.POST or None,
        initial={"message": pipeline.decline_message_draft(participation, sender=request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pipeline.participation_decline(
                participation=participation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Application declined. Nothing is sent until you send the message below.")
            )
            return _back_to_person(participation)
    return _action_page(
        request,
        participation,
        form,
        title=_("Decline the application"),
        intro=_("Declining does not email anyone. You can review the message and send it afterwards."),
        submit=_("Decline"),
        danger=True,
    )


@staff_required
def decline_message_send(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    form = DeclineMessageForm(request.POST or None, initial={"message": participation.decline_message})
    if request.method == "POST" and form.is_valid():
        try:
            pipeline.participation_decline_message_send(
                participation=participation, message=form.cleaned_data["message"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Message sent to %(email)s.") % {"email": participation.person.email})
            return _back_to_person(participation)
    return _action_page(
        request,
        participation,
        form,
        title=_("Send the message to the applicant"),
        intro=_("This emails the message below to %(email)s.") % {"email": participation.person.email},
        submit=_("Send the message"),
    )


@staff_required
def participation_refer(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    form = ReferForm(request.POST or None, organization=participation.program.organization)
    if request.method == "POST" and form.is_valid():
        try:
            pipeline.participation_refer(participation=participation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Referral recorded."))
            return _back_to_person(participation)
    return _action_page(
        request, participation, form, title=_("Refer to a partner"), submit=_("Record the referral")
    )


@staff_required
def referral_outcome(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, referral_id)
    form = ReferralOutcomeForm(request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        # The ModelForm copied the values onto the instance; the service saves and logs them.
        try:
            pipeline.referral_record_outcome(
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["outcome_notes"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Outcome recorded."))
            return _back_to_person(referral.participation)
    return _action_page(
        request,
        referral.participation,
        form,
        title=_("What came of the referral to %(partner)s") % {"partner": referral.partner.name},
        submit=_("Save the outcome"),
    )


# --- Interviews ----------------------------------------------------------------------------------


@staff_required
def interview_schedule(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    form = InterviewScheduleForm(
        request.POST or None, program=participation.program, initial={"interviewer": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            interviews.interview_schedule(
                participation=participation, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Interview scheduled. The invitation is on its way to %(email)s.")
                % {"email": participation.person.email},
            )
            return _back_to_person(participation)
    return _action_page(
        request, participation, form, title=_("Schedule an interview"), submit=_("Schedule and send")
    )


@staff_required
def interview_reschedule(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = get_interview_for_user(request.user, interview_id)
    participation = interview.participation
    form = InterviewScheduleForm(request.POST or None, program=participation.program, interview=interview)
    if request.method == "POST" and form.is_valid():
        try:
            interviews.interview_reschedule(
                interview=interview, actor=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview moved. The updated invitation is on its way."))
            return _back_to_person(participation)
    return _action_page(
        request, participation, form, title=_("Reschedule the interview"), submit=_("Reschedule and send")
    )


@staff_required
def interview_cancel(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = get_interview_for_user(request.user, interview_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interviews.interview_cancel(
                interview=interview, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview cancelled. The applicant is told by email."))
            return _back_to_person(interview.participation)
    return _action_page(
        request,
        interview.participation,
        form,
        title=_("Cancel the interview"),
        intro=_("The applicant receives an email that removes the interview from their calendar."),
        submit=_("Cancel the interview"),
        danger=True,
    )


@staff_required
def interview_record(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = get_interview_for_user(request.user, interview_id)
    form = InterviewRecordForm(request.POST or None, instance=interview)
    if request.method == "POST" and form.is_valid():
        try:
            interviews.interview_record(interview=interview, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview recorded."))
            return _back_to_person(interview.participation)
    return _action_page(
        request,
        interview.participation,
        form,
        title=_("Record the interview"),
        submit=_("Save the assessment"),
        interview=interview,
    )


@staff_required
def interview_ics(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = get_interview_for_user(request.user, interview_id)
    method = "CANCEL" if interview.status == Interview.Status.CANCELLED else "REQUEST"
    response = HttpResponse(
        interviews.interview_calendar(interview, method=method),
        content_type=f"text/calendar; charset=utf-8; method={method}",
    )
    response["Content-Disposition"] = 'attachment; filename="interview.ics"'
    return response
