"""Cadences per program, the sent-log, and unsubscribe choices. The kinds themselves are code
(registry.py): what is due is a database query, not a row."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import get_kind, kind_label


class ProgramCadence(models.Model):
    """A program's choice for one kind of reminder. Without a row the kind's defaults apply."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="reminder_cadences"
    )
    kind = models.CharField(_("reminder"), max_length=50)
    enabled = models.BooleanField(_("sent"), default=True)
    days = models.PositiveSmallIntegerField(_("days"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder cadence")
        verbose_name_plural = _("reminder cadences")
        constraints = [models.UniqueConstraint(fields=["program", "kind"], name="one_cadence_per_kind")]

    def __str__(self) -> str:
        return f"{self.program}: {kind_label(self.kind)}"

    def clean(self) -> None:
        try:
            kind = get_kind(self.kind)
        except KeyError:
            raise ValidationError({"kind": _("Unknown kind of reminder.")}) from None
        if self.days is not None and not kind.min_days <= self.days <= kind.max_days:
            raise ValidationError(
                {
                    "days": _("Choose between %(low)s and %(high)s days.")
                    % {"low": kind.min_days, "high": kind.max_days}
                }
            )


class SentReminder(models.Model):
    """One reminder occurrence and what became of it: the sent-log.

    The key (kind, object, due date, revision) is unique, so that a reminder is claimed once
    however many sweeps, messages or workers ask for it; see sending.py for the claim. The
    revision tells occurrences apart where a date cannot: the side of a match an email goes to,
    the quiet spell it is about, the version of an interview an invitation describes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        CLAIMED = "claimed", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    class SkipReason(models.TextChoices):
        NO_LONGER_DUE = "no_longer_due", _("No longer due: things changed before it was sent")
        UNSUBSCRIBED = "unsubscribed", _("The person turned this reminder off")
        DISABLED = "disabled", _("Turned off for the program")
        NOTHING_TO_REPORT = "nothing_to_report", _("Nothing to report")

    kind = models.CharField(_("reminder"), max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField(_("due on"))
    revision = models.CharField(max_length=64, blank=True, default="")
    organization = models.ForeignKey(
        "programs.Organization", on_delete=models.CASCADE, related_name="sent_reminders"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="sent_reminders"
    )
    recipient = models.EmailField(_("to"), blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=250, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    # The language the email is written in, when the action that asked for it chose one (an
    # application is confirmed in the language of the form); empty: the site's language.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    skip_reason = models.CharField(_("why not sent"), max_length=20, choices=SkipReason.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # The Celery task id that holds the claim: its own redelivered message may carry on.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "due_on", "revision"],
                name="one_reminder_per_occurrence",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["program", "-created_at"]),
            models.Index(fields=["status", "claimed_at"]),
        ]

    def __str__(self) -> str:
        return _("%(kind)s for %(who)s, due %(date)s") % {
            "kind": kind_label(self.kind),
            "who": self.recipient_name or self.recipient or "…",
            "date": self.due_on.isoformat(),
        }

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


class Unsubscribe(models.Model):
    """An address that asked not to receive one kind of reminder, or none that can be turned off.

    Kept by address rather than per organization: every email leaves from the same sender, and
    the person asked that sender to stop. Essential kinds (an interview tomorrow) still go out.
    """

    ALL = ""

    email = models.EmailField(_("email"))
    kind = models.CharField(
        _("reminder"), max_length=50, blank=True, help_text=_("Empty: every reminder that can be turned off.")
    )
    person = models.ForeignKey(
        "participants.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscribe")
        verbose_name_plural = _("unsubscribes")
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="one_unsubscribe_per_kind")]

    def __str__(self) -> str:
        return f"{self.email}: {kind_label(self.kind) if self.kind else _('all reminders')}"
