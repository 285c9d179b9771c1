"""The screening pipeline: which status may follow which, and the services that move an
application along it.

Every service is atomic, checks the move against `TRANSITIONS` (the one place that says what
is allowed), stamps `status_changed_at` and `status_reason`, and writes one activity entry.
Emails leave from Celery tasks once the transaction has committed.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.invitations import password_setup_link
from notifications.registry import Email
from programs.activity import activity_record
from programs.models import Partner, Program

from .models import Interview, Participation, Person, Referral
from .selectors import decline_message_sent_at

User = get_user_model()
S = Participation.Status

# Side exits, open from every step before ready-to-match.
EXITS = frozenset({S.WAITLISTED, S.DECLINED, S.REFERRED, S.WITHDRAWN})

# Where an application may go from each status. Statuses missing here (declined, referred,
# withdrawn, ready-to-match and beyond) have no way onward in screening; matching adds its own.
TRANSITIONS: dict[str, frozenset[str]] = {
    # Scheduling an interview straight from a new application is itself the screening.
    S.SUBMITTED: frozenset({S.SCREENING, S.INTERVIEW_SCHEDULED}) | EXITS,
    S.SCREENING: frozenset({S.INTERVIEW_SCHEDULED}) | EXITS,
    # Back to screening happens only when the interview is cancelled.
    S.INTERVIEW_SCHEDULED: frozenset({S.INTERVIEWED, S.SCREENING}) | EXITS,
    S.INTERVIEWED: frozenset({S.ACCEPTED}) | EXITS,
    S.ACCEPTED: frozenset({S.ORIENTATION_DONE}) | EXITS,
    S.ORIENTATION_DONE: frozenset({S.READY_TO_MATCH}) | EXITS,
    # Someone waiting for a place may always step away, too.
    S.WAITLISTED: frozenset({S.SCREENING, S.ACCEPTED, S.READY_TO_MATCH, S.WITHDRAWN}),
    # Matching (matching/services.py): a match starts, then ends or is closed early.
    # Leaving while waiting for a mentor is refused while a proposal or a circle holds them.
    S.READY_TO_MATCH: frozenset({S.MATCHED, S.WITHDRAWN}),
    S.MATCHED: frozenset({S.READY_TO_MATCH, S.COMPLETED}),
}
# Moves that only the match services make, because a match starts or ends with them: they
# are never offered as buttons, and the screening services refuse them.
MATCHING_MOVES = frozenset(
    {(S.READY_TO_MATCH, S.MATCHED), (S.MATCHED, S.READY_TO_MATCH), (S.MATCHED, S.COMPLETED)}
)

# Steps with nothing to do beyond the status itself; the others have services of their own.
SIMPLE_STEPS = frozenset({S.SCREENING, S.ORIENTATION_DONE, S.READY_TO_MATCH})

# Mentors and mentees at these statuses have been taken into the program.
ACCEPTED_OR_LATER = (S.ACCEPTED, S.ORIENTATION_DONE, S.READY_TO_MATCH, S.MATCHED, S.COMPLETED, S.ALUMNI)

_REFUSALS = {
    S.SCREENING: gettext_lazy("An application that is “%(status)s” cannot be moved to screening."),
    S.INTERVIEW_SCHEDULED: gettext_lazy(
        "An application that is “%(status)s” cannot have an interview scheduled."
    ),
    S.INTERVIEWED: gettext_lazy("An application that is “%(status)s” cannot be marked as interviewed."),
    S.ACCEPTED: gettext_lazy("An application that is “%(status)s” cannot be accepted."),
    S.ORIENTATION_DONE: gettext_lazy(
        "An application that is “%(status)s” cannot be marked as having done orientation."
    ),
    S.READY_TO_MATCH: gettext_lazy("An application that is “%(status)s” cannot be marked ready to match."),
    S.WAITLISTED: gettext_lazy("An application that is “%(status)s” cannot be put on the waitlist."),
    S.DECLINED: gettext_lazy("An application that is “%(status)s” cannot be declined."),
    S.REFERRED: gettext_lazy("An application that is “%(status)s” cannot be referred to a partner."),
    S.WITHDRAWN: gettext_lazy("An application that is “%(status)s” cannot be marked as withdrawn."),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def check_transition(from_status: str, to_status: str) -> None:
    if not can_move(from_status, to_status):
        message = _REFUSALS.get(to_status) or gettext_lazy(
            "An application that is “%(status)s” cannot change to that status."
        )
        raise ValidationError(str(message) % {"status": S(from_status).label})


def next_statuses(participation: Participation) -> list[str]:
    """The statuses a coordinator may choose next, in pipeline order."""
    allowed = TRANSITIONS.get(participation.status, frozenset())
    return [
        value
        for value in S.values
        if value in allowed and (participation.status, value) not in MATCHING_MOVES
    ]


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; it stays in the person's record.")})
    return reason


def apply_status(participation: Participation, to_status: str, *, reason: str = "") -> str:
    """Checks the move against the current row (locked), applies it, and returns the old status.
    For services only (here and in `interviews`): they log the change in their own words.

    Leaving the waitlist closes the gap behind the person; joining it appends them at the end
    of their program's list for their role.
    """
    current = Participation.objects.select_for_update().get(pk=participation.pk)
    check_transition(current.status, to_status)
    if current.status == S.WAITLISTED or to_status == S.WAITLISTED:
        # One waitlist change at a time per program, so that positions never collide.
        Program.objects.select_for_update().filter(pk=current.program_id).first()
    if current.status == S.WAITLISTED:
        _leave_waitlist(current)
    participation.waitlist_position = _next_waitlist_position(current) if to_status == S.WAITLISTED else None
    participation.status = to_status
    participation.status_changed_at = timezone.now()
    participation.status_reason = reason
    participation.full_clean()
    participation.save(update_fields=["status", "status_changed_at", "status_reason", "waitlist_position"])
    return current.status


def _waitlist(participation: Participation):
    return Participation.objects.filter(
        program_id=participation.program_id, role=participation.role, status=S.WAITLISTED
    )


def _next_waitlist_position(participation: Participation) -> int:
    positions = (
        _waitlist(participation).exclude(pk=participation.pk).values_list("waitlist_position", flat=True)
    )
    return max((p for p in positions if p is not None), default=0) + 1


def _leave_waitlist(participation: Participation) -> None:
    if participation.waitlist_position is None:
        return
    _waitlist(participation).exclude(pk=participation.pk).filter(
        waitlist_position__gt=participation.waitlist_position
    ).update(waitlist_position=F("waitlist_position") - 1)


def _log(participation: Participation, verb: str, *, actor, data: dict) -> None:
    activity_record(
        actor=actor,
        verb=verb,
        target=participation,
        organization=participation.program.organization,
        program=participation.program,
        data=data,
    )


@transaction.atomic
def participation_move(
    *, participation: Participation, to_status: str, actor, reason: str = ""
) -> Participation:
    """Moves to screening, orientation done or ready to match: steps that need nothing else."""
    if to_status not in SIMPLE_STEPS:
        raise ValueError(f"{to_status!r} has a service of its own.")
    if (participation.status, to_status) in MATCHING_MOVES:
        raise ValidationError(_("A matched person goes back to the pool when their match ends or is closed."))
    if (
        to_status == S.SCREENING
        and participation.interviews.filter(status=Interview.Status.SCHEDULED).exists()
    ):
        raise ValidationError(_("Cancel the scheduled interview first."))
    from_status = apply_status(participation, to_status, reason=reason)
    _log(
        participation,
        "participation.status_changed",
        actor=actor,
        data={"from": from_status, "to": to_status},
    )
    return participation


@transaction.atomic
def participation_waitlist(*, participation: Participation, reason: str, actor) -> Participation:
    reason = _require_reason(reason)
    _cancel_booked_interviews(participation, reason=reason, actor=actor)
    from_status = apply_status(participation, S.WAITLISTED, reason=reason)
    _log(
        participation,
        "participation.waitlisted",
        actor=actor,
        data={"from": from_status, "to": S.WAITLISTED, "position": participation.waitlist_position},
    )
    return participation


def held_by_a_match_or_circle(participation: Participation) -> bool:
    """Whether a proposal, an introduction, an active match or a circle counts on the person:
    those end through their own services, with the other people told, never as a side effect."""
    from matching.models import OPEN_MATCH_STATUSES, CircleMembership, Match

    open_match = Match.objects.filter(
        Q(mentee=participation) | Q(mentor=participation), status__in=OPEN_MATCH_STATUSES
    ).exists()
    in_circle = CircleMembership.objects.filter(participation=participation, left_at__isnull=True)
    return open_match or in_circle.exists()


def _cancel_booked_interviews(participation: Participation, *, reason: str, actor) -> None:
    """An application that leaves the pipeline takes its booked interviews with it: each is
    cancelled, and the applicant gets the calendar cancellation."""
    from .interviews import interview_cancel

    for interview in participation.interviews.filter(status=Interview.Status.SCHEDULED):
        interview_cancel(interview=interview, reason=reason, actor=actor)
    participation.refresh_from_db(fields=["status", "status_changed_at", "status_reason"])


@transaction.atomic
def participation_withdraw(*, participation: Participation, reason: str, actor) -> Participation:
    reason = _require_reason(reason)
    if held_by_a_match_or_circle(participation):
        raise ValidationError(
            _("%(name)s is in a proposal, a match or a circle. Cancel or close it first.")
            % {"name": participation.person.full_name}
        )
    _cancel_booked_interviews(participation, reason=reason, actor=actor)
    from_status = apply_status(participation, S.WITHDRAWN, reason=reason)
    _log(participation, "participation.withdrawn", actor=actor, data={"from": from_status, "to": S.WITHDRAWN})
    return participation


# --- Declining, with a message the coordinator sends when they are ready --------------------


def decline_message_draft(participation: Participation, *, sender=None) -> str:
    """A kind first draft for the coordinator to edit; nothing is sent until they choose to."""
    return render_to_string(
        "participants/email/screening_decline_message.txt",
        {
            "person": participation.person,
            "program": participation.program,
            "organization": participation.program.organization,
            "sender": sender,
        },
    ).strip()


@transaction.atomic
def participation_decline(*, participation: Participation, reason: str, message: str, actor) -> Participation:
    """Declines the application and keeps the message to the applicant as a draft."""
    reason = _require_reason(reason)
    _cancel_booked_interviews(participation, reason=reason, actor=actor)
    from_status = apply_status(participation, S.DECLINED, reason=reason)
    participation.decline_message = message.strip()
    participation.save(update_fields=["decline_message"])
    _log(participation, "participation.declined", actor=actor, data={"from": from_status, "to": S.DECLINED})
    return participation


@transaction.atomic
def participation_decline_message_send(*, participation: Participation, message: str, actor) -> Participation:
    """Saves the final wording and emails it to the applicant once the transaction commits."""
    participation = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("person", "program")
        .get(pk=participation.pk)
    )
    if participation.status != S.DECLINED:
        raise ValidationError(_("Only a declined application has a message to send."))
    if decline_message_sent_at(participation) is not None:
        raise ValidationError(_("The message was already sent."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write the message before sending it.")})
    participation.decline_message = message
    participation.save(update_fields=["decline_message"])
    _log(
        participation,
        "participation.decline_message_sent",
        actor=actor,
        data={"email": participation.person.email},
    )
    from .tasks import send_decline_message

    send_decline_message.delay_on_commit(participation.pk, actor.pk if actor else None)
    return participation


def decline_message_email_send(*, participation: Participation, sender=None) -> None:
    context = {
        "person": participation.person,
        "program": participation.program,
        "message": participation.decline_message,
    }
    email = EmailMultiAlternatives(
        subject=_("Your application to %(program)s") % {"program": participation.program.name},
        body=render_to_string("participants/email/screening_decline_email.txt", context),
        to=[participation.person.email],
        reply_to=[sender.email] if sender is not None else None,
    )
    email.attach_alternative(
        render_to_string("participants/email/screening_decline_email.html", context), "text/html"
    )
    email.send()


# --- Referring to a partner's program ---------------------------------------------------------


@transaction.atomic
def participation_refer(
    *, participation: Participation, partner: Partner, service: str, reason: str, actor
) -> Referral:
    """Sends the person to a partner's complementary program and closes the application."""
    if partner.organization_id != participation.program.organization_id or not partner.is_active:
        raise ValidationError({"partner": _("Choose one of your organization's active partners.")})
    reason = _require_reason(reason)
    _cancel_booked_interviews(participation, reason=reason, actor=actor)
    from_status = apply_status(participation, S.REFERRED, reason=reason)
    referral = Referral(
        participation=participation,
        partner=partner,
        service=service.strip(),
        reason=reason,
        referred_by=actor,
    )
    referral.full_clean()
    referral.save()
    _log(
        participation,
        "participation.referred",
        actor=actor,
        data={"from": from_status, "to": S.REFERRED, "partner": partner.name, "service": referral.service},
    )
    return referral


@transaction.atomic
def referral_record_outcome(*, referral: Referral, outcome: str, notes: str = "", actor) -> Referral:
    if outcome == Referral.Outcome.PENDING:
        raise ValidationError({"outcome": _("Choose what came of the referral.")})
    referral.outcome = outcome
    referral.outcome_notes = notes.strip()
    referral.outcome_at = timezone.now()
    referral.full_clean()
    referral.save(update_fields=["outcome", "outcome_notes", "outcome_at"])
    participation = referral.participation
    activity_record(
        actor=actor,
        verb="referral.outcome_recorded",
        target=referral,
        organization=participation.program.organization,
        program=participation.program,
        data={"outcome": outcome, "partner": referral.partner.name},
    )
    return referral


# --- Accepting, and the invitation to the portal ---------------------------------------------


@transaction.atomic
def participation_accept(*, participation: Participation, actor, reason: str = "") -> Participation:
    """Accepts the person into the program and opens the portal to them.

    Steps: move to accepted; when the person has no login, create one (unusable password,
    unverified address) or link the existing login with their address; once the transaction
    commits, email an invitation to choose a password, or, to someone who already signs in,
    the news with the sign-in link.
    """
    from_status = apply_status(participation, S.ACCEPTED, reason=reason)
    new_account = _give_portal_account(participation.person)
    _log(
        participation,
        "participation.status_changed",
        actor=actor,
        data={"from": from_status, "to": S.ACCEPTED, "new_account": new_account},
    )
    from .reminders import acceptance_email_queue

    acceptance_email_queue(participation=participation)
    return participation


def _give_portal_account(person: Person) -> bool:
    """Links a login to the person; returns whether one had to be created."""
    if person.user_id is not None:
        return False
    email = User.objects.normalize_email(person.email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, first_name=person.first_name, last_name=person.last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    # A second record of the same person in this organization may already hold the login;
    # it stays with that record (the duplicate shows on both pages) rather than failing here.
    taken = Person.objects.filter(organization_id=person.organization_id, user=user).exclude(pk=person.pk)
    if not taken.exists():
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    return created


PORTAL_INVITATION_TEMPLATE = "participants/email/screening_portal_invitation"
ACCEPTED_TEMPLATE = "participants/email/screening_accepted"


def acceptance_email(*, participation: Participation) -> Email | None:
    """The email to the accepted person: a link to choose a password, or the sign-in page; None
    when they have no login. It goes out through the reminders' sent-log
    (participants/reminders.py), which logs `participation.invited` once it is sent."""
    person = participation.person
    user = person.user or User.objects.filter(email__iexact=person.email).first()
    if user is None:
        return None
    invitation = not user.has_usable_password()
    return Email(
        to=user.email,
        name=person.full_name,
        subject=_("Welcome to %(program)s") % {"program": participation.program.name},
        context={
            "person": person,
            "program": participation.program,
            "organization": participation.program.organization,
            "role": participation.get_role_display(),
            "link": password_setup_link(user) if invitation else None,
            "login_link": f"{settings.SITE_URL}{reverse('account_login')}",
        },
        person_id=person.pk,
        template=PORTAL_INVITATION_TEMPLATE if invitation else ACCEPTED_TEMPLATE,
    )


def acceptance_email_sent(participation: Participation, email: Email) -> None:
    invitation = email.template == PORTAL_INVITATION_TEMPLATE
    _log(
        participation,
        "participation.invited",
        actor=None,
        data={"email": email.to, "kind": "invitation" if invitation else "accepted"},
    )


# --- Notes ------------------------------------------------------------------------------------


@transaction.atomic
def person_note_add(*, person: Person, program: Program, text: str, actor) -> None:
    """An internal note. It lives only in the timeline, tied to a program so that coordinators
    of the organization's other programs do not read it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if program.organization_id != person.organization_id:
        raise ValidationError({"program": _("Choose one of the person's programs.")})
    activity_record(
        actor=actor,
        verb="note.added",
        target=person,
        organization=person.organization,
        program=program,
        data={"text": text},
    )
