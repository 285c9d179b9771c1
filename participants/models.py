from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Organization, Program


class Person(models.Model):
    """One human known to an organization. The same person may take part several times."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="people", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("The portal login, once the person has one."),
    )
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(user__isnull=False),
                name="one_person_per_user_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("participants:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Participation(models.Model):
    """A person in one program in one role, moving through the intake and matching pipeline."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SCREENING = "screening", _("Screening")
        INTERVIEW_SCHEDULED = "interview_scheduled", _("Interview scheduled")
        INTERVIEWED = "interviewed", _("Interviewed")
        ACCEPTED = "accepted", _("Accepted")
        ORIENTATION_DONE = "orientation_done", _("Orientation done")
        READY_TO_MATCH = "ready_to_match", _("Ready to match")
        MATCHED = "matched", _("Matched")
        COMPLETED = "completed", _("Completed")
        ALUMNI = "alumni", _("Alumni")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        REFERRED = "referred", _("Referred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "role", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.program}"
