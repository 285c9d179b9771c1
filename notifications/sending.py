"""Sending one reminder exactly once: claim the sent-log key, build the email, send it over SMTP,
record the outcome.

How "once" is kept
------------------
* The sent-log key (kind, object, due date, revision) is unique. A send begins by claiming it: inserting
  the row, or locking the existing one. A clash on insert means another task holds the key, and
  this one stops.
* A claim records the Celery task id. Celery keeps the id when it retries a task and when the
  broker hands out again a message whose worker died before acknowledging it (`acks_late`,
  `reject_on_worker_lost`). So a row found "claimed" by the same id is this very send, come back
  after a crash or a refusal: it carries on. A row claimed by another id is someone else's send
  in progress: this one stops, unless that claim is older than REMINDER_STALE_CLAIM_SECONDS, when
  its message was lost and this send takes over.
* "sent", "failed" and "skipped" are final; only a coordinator's resend turns "failed" back into
  "pending".
* No database transaction stays open while SMTP is talking: the claim commits first, the outcome
  is written after.

What is left: at most one duplicate, never a loss
-------------------------------------------------
Between the SMTP server's "250 accepted" and the commit that marks the row "sent" there is a
window of a few milliseconds. A worker killed inside it (or a database that stops answering
just then) leaves the row "claimed"; the redelivered message sends the email a second time. The
same happens when the server accepts the message but the connection breaks before its answer
arrives. SMTP offers no way to ask a server whether it already has a message, so this window
cannot be closed from here; it is kept as small as the commit. Every other crash or refusal ends
with exactly one email. A message that is lost altogether (a broker that forgot it) delays the
reminder until the sweep finds the stale claim, and never loses it.

Two more limits: a retry waiting longer than the broker's visibility timeout would be handed out
twice under the same id (the settings keep REMINDER_RETRY_BACKOFF_MAX below it), and a claim
taken over as stale while its first sender is in fact still working could send twice (the stale
age is far longer than any send).
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import SentReminder, Unsubscribe
from .registry import Due, Email, ReminderKind, get_kind

logger = logging.getLogger(__name__)

ST = SentReminder.Status
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


class Outcome(enum.StrEnum):
    SENT = "sent"
    ALREADY_HANDLED = "already_handled"
    SKIPPED = "skipped"
    FAILED = "failed"


class RetryableSendError(Exception):
    """The SMTP server refused for now or could not be reached: try again later."""


def reminder_deliver(*, due: Due, claimant: str, final_attempt: bool = False) -> Outcome:
    """Sends the reminder unless it was already handled.

    Steps: claim the key; build the email from the object as it is now (skipped when no longer
    due or unsubscribed); send it; mark it sent. A temporary SMTP failure is recorded and raised
    as RetryableSendError, unless this is the last attempt, when the reminder is marked failed.
    A permanent refusal (5xx) or any other error marks it failed at once.
    """
    kind = get_kind(due.kind)
    reminder = _claim(due, claimant=claimant)
    if reminder is None:
        return Outcome.ALREADY_HANDLED
    with _language(reminder):
        return _build_and_send(kind, reminder, claimant, final_attempt)


def _language(reminder: SentReminder):
    """The language the action chose for the email, or the one already active."""
    return translation.override(reminder.language) if reminder.language else contextlib.nullcontext()


def _build_and_send(
    kind: ReminderKind, reminder: SentReminder, claimant: str, final_attempt: bool
) -> Outcome:
    try:
        built = kind.build(reminder)
    except Exception as error:  # A bug in the kind: recorded on the outbox rather than retried forever.
        logger.exception("Reminder %s could not be built", reminder.pk)
        return _fail(reminder, claimant, error)
    if not isinstance(built, Email):
        _finish(reminder, claimant, status=ST.SKIPPED, skip_reason=built)
        return Outcome.SKIPPED
    SentReminder.objects.filter(pk=reminder.pk).update(
        recipient=built.to, recipient_name=built.name[:250], subject=built.subject[:250]
    )
    if not kind.essential and is_unsubscribed(built.to, kind.key):
        _finish(reminder, claimant, status=ST.SKIPPED, skip_reason=SentReminder.SkipReason.UNSUBSCRIBED)
        return Outcome.SKIPPED
    try:
        render_email(kind, built).send()
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:  # A permanent refusal: the same message would be refused again.
            return _fail(reminder, claimant, error)
        return _retry_or_fail(reminder, claimant, error, final_attempt)
    except smtplib.SMTPRecipientsRefused as error:
        if all(code >= 500 for code, _message in error.recipients.values()):
            return _fail(reminder, claimant, error)
        return _retry_or_fail(reminder, claimant, error, final_attempt)
    except (smtplib.SMTPException, OSError) as error:
        return _retry_or_fail(reminder, claimant, error, final_attempt)
    except Exception as error:  # A template or data error: retrying would not help.
        logger.exception("Reminder %s could not be sent", reminder.pk)
        return _fail(reminder, claimant, error)
    if _finish(reminder, claimant, status=ST.SENT, sent_at=timezone.now(), last_error="") and kind.on_sent:
        try:
            kind.on_sent(reminder, built)
        except Exception:  # The email went out; what the owning app records afterwards must not undo that.
            logger.exception("Reminder %s was sent, but recording it failed", reminder.pk)
    return Outcome.SENT


def _claim(due: Due, *, claimant: str) -> SentReminder | None:
    now = timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS)
    key = {
        "kind": due.kind,
        "content_type_id": due.content_type_id,
        "object_id": due.object_id,
        "due_on": due.due_on,
        "revision": due.revision,
    }
    with transaction.atomic():
        reminder = SentReminder.objects.select_for_update().filter(**key).first()
        if reminder is None:
            try:
                with transaction.atomic():
                    return SentReminder.objects.create(
                        **key,
                        organization_id=due.organization_id,
                        program_id=due.program_id,
                        status=ST.CLAIMED,
                        claimed_by=claimant,
                        claimed_at=now,
                        attempts=1,
                    )
            except IntegrityError:
                return None  # Another task inserted it a moment ago and holds it.
        ours = reminder.status == ST.CLAIMED and reminder.claimed_by == claimant
        abandoned = reminder.status == ST.CLAIMED and reminder.claimed_at is not None
        abandoned = abandoned and reminder.claimed_at < stale_before
        if not (reminder.status == ST.PENDING or ours or abandoned):
            return None
        reminder.status = ST.CLAIMED
        reminder.claimed_by = claimant
        reminder.claimed_at = now
        reminder.attempts += 1
        reminder.save(update_fields=["status", "claimed_by", "claimed_at", "attempts"])
        return reminder


def _finish(reminder: SentReminder, claimant: str, **fields) -> bool:
    """Writes the outcome if the claim is still ours (a stale takeover may have moved it on)."""
    return bool(
        SentReminder.objects.filter(pk=reminder.pk, status=ST.CLAIMED, claimed_by=claimant).update(**fields)
    )


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _fail(reminder: SentReminder, claimant: str, error: Exception) -> Outcome:
    _finish(reminder, claimant, status=ST.FAILED, last_error=_describe(error))
    logger.warning("Reminder %s failed: %s", reminder.pk, _describe(error))
    return Outcome.FAILED


def _retry_or_fail(reminder: SentReminder, claimant: str, error: Exception, final_attempt: bool) -> Outcome:
    if final_attempt:
        return _fail(reminder, claimant, error)
    _finish(reminder, claimant, last_error=_describe(error))
    raise RetryableSendError(_describe(error)) from error


# --- The email --------------------------------------------------------------------------------


def render_email(kind: ReminderKind, built: Email) -> EmailMultiAlternatives:
    """Text and HTML from the kind's templates; reminders that can be turned off carry a signed
    one-click unsubscribe link, in the body and in the List-Unsubscribe header (RFC 8058), and
    participants' reminders the address of the portal page where they choose what they receive."""
    context = {**built.context, "kind": kind, "site_url": settings.SITE_URL}
    headers = {}
    if not kind.essential:
        link = unsubscribe_link(email=built.to, kind=kind.key, person_id=built.person_id)
        context["unsubscribe_link"] = link
        headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        if not kind.for_staff:
            context["choices_link"] = f"{settings.SITE_URL}{reverse('portal:notifications')}"
    template = built.template or kind.template
    message = EmailMultiAlternatives(
        subject=built.subject,
        body=render_to_string(f"{template}.txt", context),
        to=[built.to],
        reply_to=built.reply_to or None,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    for filename, content, mimetype in built.attachments:
        message.attach(filename, content, mimetype)
    return message


def unsubscribe_token(*, email: str, kind: str, person_id: int | None = None) -> str:
    return signing.dumps(
        {"e": email.lower(), "k": kind, "p": person_id}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def unsubscribe_link(*, email: str, kind: str, person_id: int | None = None) -> str:
    token = unsubscribe_token(email=email, kind=kind, person_id=person_id)
    return f"{settings.SITE_URL}{reverse('notifications:unsubscribe', args=[token])}"


def is_unsubscribed(email: str, kind: str) -> bool:
    return Unsubscribe.objects.filter(Q(kind=kind) | Q(kind=Unsubscribe.ALL), email=email.lower()).exists()
