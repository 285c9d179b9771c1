"""Invitations to alumni: a mentee who completed, asked to come back as a mentor, or a mentor
asked back for the next cohort. An invitation is converted when the person applies in the
role they were invited to; the counts of both are what programs report as alumni engagement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AlumniInvitation"]


class AlumniInvitation(models.Model):
    class Kind(models.TextChoices):
        MENTEE_TO_MENTOR = "mentee_to_mentor", _("Mentee invited to become a mentor")
        MENTOR_RETURN = "mentor_return", _("Mentor invited back")

    participation = models.ForeignKey(
        "participants.Participation",
        on_delete=models.CASCADE,
        related_name="alumni_invitations",
        verbose_name=_("completed participation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="alumni_invitations",
        verbose_name=_("program to apply to"),
    )
    message = models.TextField(_("personal message"), blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    converted_to = models.OneToOneField(
        "participants.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_alumni_invitation",
        verbose_name=_("application it led to"),
    )

    class Meta:
        verbose_name = _("alumni invitation")
        verbose_name_plural = _("alumni invitations")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.participation}"
