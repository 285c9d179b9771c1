"""The intake's emails that go out at once, as immediate kinds of the reminders (the notifications
app discovers this module): the application received, the interview invitation with its calendar
file, and the welcome with the portal invitation.

The service that makes each happen calls its `*_queue` function inside its transaction. That
claims the email's key in the sent-log and hands the send over once the transaction commits, so
the email goes out once (a retried task or a second message finds the key taken), shows on the
outbox with what became of it, is retried when the mail server refuses, and can be sent again
from the outbox when it failed. The wording stays in the apps' own templates
(templates/participants/email/).
"""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy

from notifications.models import SentReminder
from notifications.registry import Email, ReminderKind, content_type_id, register
from notifications.services import reminder_send_now
from programs.activity import activity_record

from .applications import application_receipt_email
from .interviews import interview_invitation_email
from .models import Interview, Participation
from .pipeline import acceptance_email, acceptance_email_sent

SKIP = SentReminder.SkipReason


def _participation(reminder: SentReminder) -> Participation | None:
    return (
        Participation.objects.select_related("person__user", "program__organization")
        .filter(pk=reminder.object_id)
        .first()
    )


# --- The application received ------------------------------------------------------------------


def application_receipt_queue(*, participation: Participation, language: str = "") -> SentReminder | None:
    """Once per application: keyed on the day it was submitted."""
    program = participation.program
    return reminder_send_now(
        kind=APPLICATION_RECEIVED,
        obj=participation,
        organization_id=program.organization_id,
        program_id=program.pk,
        due_on=timezone.localdate(participation.created_at),
        language=language,
        recipient=participation.person.email,
        recipient_name=participation.person.full_name,
    )


def application_receipt_build(reminder: SentReminder) -> Email | str:
    participation = _participation(reminder)
    if participation is None:
        return SKIP.NO_LONGER_DUE
    return application_receipt_email(participation=participation)


def application_receipt_sent(reminder: SentReminder, email: Email) -> None:
    participation = email.context["participation"]
    activity_record(
        actor=None,
        verb="application.receipt_sent",
        target=email.context["person"],
        organization=email.context["organization"],
        program=email.context["program"],
        data={"participation": participation.pk, "email": email.to},
    )


APPLICATION_RECEIVED = register(
    ReminderKind(
        key="application_received",
        label=gettext_lazy("Application received"),
        description=gettext_lazy(
            "Tells the applicant that the program has their application and what happens next."
        ),
        essential=True,
        immediate=True,
        build=application_receipt_build,
        template_name="participants/email/application_received",
        on_sent=application_receipt_sent,
    )
)


# --- The interview invitation, with its .ics ----------------------------------------------------


def interview_version(interview: Interview) -> str:
    """What the invitation says, in short: a change of any of it calls for a new invitation."""
    described = "|".join(
        str(value)
        for value in (
            int(interview.scheduled_at.timestamp()),  # the same moment in any time zone
            interview.duration_minutes,
            interview.mode,
            interview.location,
            interview.interviewer_id,
        )
    )
    return hashlib.sha256(described.encode()).hexdigest()[:16]


def interview_invitation_queue(*, interview: Interview) -> SentReminder | None:
    """One invitation for each version of the interview: booking it, then each change of its
    time, length, mode, place or interviewer. Saving it again unchanged sends nothing. The
    revision numbers the versions, so that moving an interview back to an earlier time sends
    that time again. Called with the interview locked (scheduling, rescheduling)."""
    version = interview_version(interview)
    previous = (
        SentReminder.objects.filter(
            kind=INTERVIEW_INVITATION.key, content_type_id=content_type_id(Interview), object_id=interview.pk
        )
        .order_by("-pk")
        .values_list("revision", flat=True)
        .first()
    )
    number = 1
    if previous:
        previous_number, previous_version = previous.split(":")
        if previous_version == version:
            return None
        number = int(previous_number) + 1
    participation = interview.participation
    return reminder_send_now(
        kind=INTERVIEW_INVITATION,
        obj=interview,
        organization_id=participation.program.organization_id,
        program_id=participation.program_id,
        revision=f"{number}:{version}",
        recipient=participation.person.email,
        recipient_name=participation.person.full_name,
    )


def interview_invitation_build(reminder: SentReminder) -> Email | str:
    interview = (
        Interview.objects.select_related(
            "participation__person", "participation__program__organization", "interviewer"
        )
        .filter(pk=reminder.object_id)
        .first()
    )
    if interview is None or interview.status != Interview.Status.SCHEDULED:
        return SKIP.NO_LONGER_DUE  # Cancelled since: the cancellation has its own email.
    if interview_version(interview) != reminder.revision.split(":")[1]:
        return SKIP.NO_LONGER_DUE  # Changed since: that change sends its own invitation.
    return interview_invitation_email(interview=interview)


INTERVIEW_INVITATION = register(
    ReminderKind(
        key="interview_invitation",
        label=gettext_lazy("Interview invitation"),
        description=gettext_lazy(
            "Invites the applicant to their screening interview, with a calendar file; again when it changes."
        ),
        essential=True,
        immediate=True,
        build=interview_invitation_build,
        template_name="participants/email/interview_invitation",
    )
)


# --- Accepted: the welcome and the portal invitation ---------------------------------------------


def acceptance_email_queue(*, participation: Participation) -> SentReminder | None:
    """Once per acceptance: keyed on the moment the person was accepted, so that someone
    accepted again later (from the waiting list) is welcomed again."""
    program = participation.program
    return reminder_send_now(
        kind=ACCEPTANCE,
        obj=participation,
        organization_id=program.organization_id,
        program_id=program.pk,
        due_on=timezone.localdate(participation.status_changed_at),
        revision=participation.status_changed_at.isoformat(),
        recipient=participation.person.email,
        recipient_name=participation.person.full_name,
    )


def acceptance_build(reminder: SentReminder) -> Email | str:
    participation = _participation(reminder)
    if participation is None:
        return SKIP.NO_LONGER_DUE
    return acceptance_email(participation=participation) or SKIP.NO_LONGER_DUE


def acceptance_sent(reminder: SentReminder, email: Email) -> None:
    participation = _participation(reminder)
    if participation is not None:
        acceptance_email_sent(participation, email)


ACCEPTANCE = register(
    ReminderKind(
        key="acceptance_email",
        label=gettext_lazy("Welcome and portal invitation"),
        description=gettext_lazy(
            "Welcomes an accepted mentor or mentee, with a link to choose a password for the portal "
            "(or the sign-in page for someone who already has one)."
        ),
        essential=True,
        immediate=True,
        build=acceptance_build,
        template_name="participants/email/screening_portal_invitation",
        on_sent=acceptance_sent,
    )
)
