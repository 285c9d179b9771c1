from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """An agency that runs mentoring. It owns its people; nothing crosses to another one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """What an organization runs for one purpose and region, such as mentoring for engineers."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=80,
        unique=True,
        help_text=_("Used in the public application address, for example /apply/<short name>/."),
    )
    description = models.TextField(_("description"), blank=True)
    focus = models.CharField(
        _("focus"),
        max_length=250,
        blank=True,
        help_text=_("Who the program is for, for example employment-ready engineers."),
    )
    region = models.CharField(_("region"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["organization__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.slug])


class StaffMembership(models.Model):
    """A user's role in an organization, optionally limited to some of its programs."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organization admin")
        COORDINATOR = "coordinator", _("Coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COORDINATOR)
    programs = models.ManyToManyField(
        Program,
        blank=True,
        related_name="staff_memberships",
        verbose_name=_("limited to programs"),
        help_text=_("Leave empty to work in every program of the organization."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]
        ordering = ["organization__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organization})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Funder(models.Model):
    """A government department or foundation that pays for programs and reads their reports."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Funding(models.Model):
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="fundings")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fundings")
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [models.UniqueConstraint(fields=["funder", "program"], name="one_funding_per_program")]

    def __str__(self) -> str:
        return f"{self.funder} → {self.program}"


class FunderMembership(models.Model):
    """A funder's staff member, who reads aggregates of the programs the funder funds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funder_memberships"
    )
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "funder"], name="one_funder_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.funder}"


class ActivityEntry(models.Model):
    """One line of the append-only activity log: who did what to which object, where.

    Written only through `programs.activity.activity_record`, never edited or deleted by the
    application, so that coordinators and auditors can trust the timeline.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="activity")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="activity"
    )
    verb = models.CharField(max_length=60)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(max_length=250)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Activity entries are append-only; they cannot be changed.")
        super().save(*args, **kwargs)
