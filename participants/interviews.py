"""Screening interviews: scheduling, rescheduling, cancelling, the assessment, and the calendar
invitation (.ics) the applicant receives.

Times are stored in UTC and entered in the program's time zone (settings.TIME_ZONE).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from notifications.registry import Email
from programs.activity import activity_record

from .models import Interview, Participation
from .pipeline import apply_status
from .selectors import interviewers_for

S = Participation.Status

ASSESSMENT_FIELDS = (
    "observed_clb",
    "readiness",
    "background_notes",
    "personality_notes",
    "recommended_focus",
    "outcome",
)


def _log(interview: Interview, verb: str, *, actor, data: dict) -> None:
    program = interview.participation.program
    activity_record(
        actor=actor,
        verb=verb,
        target=interview,
        organization=program.organization,
        program=program,
        data=data,
    )


def _check_interviewer(participation: Participation, interviewer) -> None:
    if not interviewers_for(participation.program).filter(pk=interviewer.pk).exists():
        raise ValidationError({"interviewer": _("Choose a staff member who works in this program.")})


def _check_scheduled(interview: Interview) -> None:
    if interview.status != Interview.Status.SCHEDULED:
        raise ValidationError(
            _("This interview is “%(status)s”; only a scheduled interview can change.")
            % {"status": interview.get_status_display()}
        )


@transaction.atomic
def interview_schedule(
    *,
    participation: Participation,
    scheduled_at: datetime.datetime,
    duration_minutes: int,
    mode: str,
    location: str,
    interviewer,
    actor,
) -> Interview:
    """Books the interview, moves the application to “interview scheduled”, and emails the
    applicant an invitation with the calendar file once the transaction commits."""
    _check_interviewer(participation, interviewer)
    from_status = apply_status(participation, S.INTERVIEW_SCHEDULED)
    interview = Interview(
        participation=participation,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        mode=mode,
        location=location.strip(),
        interviewer=interviewer,
    )
    interview.full_clean()
    interview.save()
    _log(
        interview,
        "interview.scheduled",
        actor=actor,
        data={"at": scheduled_at, "from": from_status, "to": S.INTERVIEW_SCHEDULED},
    )
    from .reminders import interview_invitation_queue

    interview_invitation_queue(interview=interview)
    return interview


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    scheduled_at: datetime.datetime,
    duration_minutes: int,
    mode: str,
    location: str,
    interviewer,
    actor,
) -> Interview:
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _check_scheduled(interview)
    _check_interviewer(interview.participation, interviewer)
    previous = interview.scheduled_at
    interview.scheduled_at = scheduled_at
    interview.duration_minutes = duration_minutes
    interview.mode = mode
    interview.location = location.strip()
    interview.interviewer = interviewer
    interview.full_clean()
    interview.save()
    _log(interview, "interview.rescheduled", actor=actor, data={"from": previous, "to": scheduled_at})
    from .reminders import interview_invitation_queue

    interview_invitation_queue(interview=interview)
    return interview


@transaction.atomic
def interview_cancel(*, interview: Interview, reason: str, actor) -> Interview:
    """Cancels the interview and tells the applicant. The application returns to screening
    unless another interview is still booked."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _check_scheduled(interview)
    interview.status = Interview.Status.CANCELLED
    interview.save(update_fields=["status"])
    participation = interview.participation
    data: dict = {"reason": reason.strip()}
    others_booked = participation.interviews.filter(status=Interview.Status.SCHEDULED).exists()
    if participation.status == S.INTERVIEW_SCHEDULED and not others_booked:
        data["from"] = apply_status(participation, S.SCREENING, reason=reason.strip())
        data["to"] = S.SCREENING
    _log(interview, "interview.cancelled", actor=actor, data=data)
    from .tasks import send_interview_cancellation

    send_interview_cancellation.delay_on_commit(interview.pk)
    return interview


@transaction.atomic
def interview_record(*, interview: Interview, actor, **assessment) -> Interview:
    """Keeps the coordinator's assessment and moves the application to “interviewed”.

    A completed interview's record can be corrected; the status then stays as it is.
    """
    unknown = set(assessment) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown assessment fields: {sorted(unknown)}")
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("participation__program")
        .get(pk=interview.pk)
    )
    if interview.status not in (Interview.Status.SCHEDULED, Interview.Status.COMPLETED):
        raise ValidationError(_("A cancelled interview cannot be recorded."))
    if not assessment.get("outcome"):
        raise ValidationError({"outcome": _("Choose the outcome of the interview.")})
    participation = interview.participation
    data: dict = {"outcome": assessment["outcome"]}
    if interview.status == Interview.Status.SCHEDULED:
        if participation.status != S.INTERVIEW_SCHEDULED:
            raise ValidationError(
                _("The application is “%(status)s”, no longer waiting for this interview.")
                % {"status": participation.get_status_display()}
            )
        data["from"] = apply_status(participation, S.INTERVIEWED)
        data["to"] = S.INTERVIEWED
        interview.status = Interview.Status.COMPLETED
        interview.completed_at = timezone.now()
    for name, value in assessment.items():
        setattr(interview, name, value)
    interview.full_clean()
    interview.save()
    _log(interview, "interview.recorded", actor=actor, data=data)
    return interview


# --- The calendar invitation --------------------------------------------------------------------


def interview_calendar(interview: Interview, *, method: str = "REQUEST") -> bytes:
    """An iCalendar (RFC 5545) invitation. Cancelling sends the same UID with METHOD:CANCEL.

    SEQUENCE must grow with every update so that calendars replace the earlier version;
    seconds since the interview was created always do.
    """
    participation = interview.participation
    person = participation.person
    program = participation.program
    start = interview.scheduled_at.astimezone(datetime.UTC)
    now = timezone.now().astimezone(datetime.UTC)

    calendar = Calendar()
    calendar.add("prodid", "-//Newcomer Mentorship//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", str(interview.uid))
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=interview.duration_minutes))
    event.add("summary", _("Interview: %(program)s") % {"program": program.name})
    event.add(
        "description",
        _("%(mode)s interview with %(interviewer)s, %(organization)s.")
        % {
            "mode": interview.get_mode_display(),
            "interviewer": interview.interviewer,
            "organization": program.organization.name,
        },
    )
    if interview.location:
        event.add("location", interview.location)
    event.add("sequence", max(0, int((now - interview.created_at).total_seconds())))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")

    organizer = vCalAddress(f"mailto:{interview.interviewer.email}")
    organizer.params["cn"] = vText(str(interview.interviewer))
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params["cn"] = vText(person.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)

    calendar.add_component(event)
    return calendar.to_ical()


def _interview_context(interview: Interview) -> dict:
    participation = interview.participation
    return {
        "interview": interview,
        "person": participation.person,
        "program": participation.program,
        "organization": participation.program.organization,
        "starts_at": interview.scheduled_at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)),
        "time_zone": settings.TIME_ZONE,
    }


def _calendar_attachment(interview: Interview, *, method: str) -> tuple[str, str, str]:
    return (
        "interview.ics",
        interview_calendar(interview, method=method).decode(),
        f"text/calendar; method={method}",
    )


def _interview_email(interview: Interview, *, template: str, subject: str, method: str) -> None:
    participation = interview.participation
    context = _interview_context(interview)
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"participants/email/{template}.txt", context),
        to=[participation.person.email],
        reply_to=[interview.interviewer.email],
    )
    email.attach_alternative(render_to_string(f"participants/email/{template}.html", context), "text/html")
    email.attach(*_calendar_attachment(interview, method=method))
    email.send()


def interview_invitation_email(*, interview: Interview) -> Email:
    """The invitation with its calendar file. It goes out through the reminders' sent-log
    (participants/reminders.py): once for each version of the interview."""
    person = interview.participation.person
    return Email(
        to=person.email,
        name=person.full_name,
        subject=_("Your interview for %(program)s") % {"program": interview.participation.program.name},
        context=_interview_context(interview),
        person_id=person.pk,
        reply_to=[interview.interviewer.email],
        attachments=[_calendar_attachment(interview, method="REQUEST")],
    )


def interview_cancellation_send(*, interview: Interview) -> None:
    _interview_email(
        interview,
        template="interview_cancelled",
        subject=_("Your interview for %(program)s is cancelled")
        % {"program": interview.participation.program.name},
        method="CANCEL",
    )
