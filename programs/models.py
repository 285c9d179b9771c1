from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def private_upload_path(instance, filename: str) -> str:
    """A random name in a folder per model: the original name is kept in the database only."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


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
    minimum_clb = models.PositiveSmallIntegerField(
        _("minimum language level (CLB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Canadian Language Benchmark a mentee should have. Leave empty for no minimum."),
    )
    employment_ready_only = models.BooleanField(
        _("employment-ready mentees only"),
        default=False,
        help_text=_("Tick when the program serves only mentees who are ready to work in their field."),
    )
    eligibility_notes = models.TextField(_("other eligibility criteria"), blank=True)
    match_length_weeks = models.PositiveSmallIntegerField(
        _("standard match length (weeks)"), default=16, validators=[MinValueValidator(1)]
    )
    meetings_per_month = models.PositiveSmallIntegerField(
        _("expected meetings per month"), default=2, validators=[MinValueValidator(1)]
    )
    meeting_length_minutes = models.PositiveSmallIntegerField(
        _("expected meeting length (minutes)"), default=60, validators=[MinValueValidator(15)]
    )
    intake_questions = models.JSONField(
        _("intake questions"),
        default=dict,
        blank=True,
        help_text=_("Which optional questions the application asks, and which of them are required."),
    )
    matching_weights = models.JSONField(
        _("matching weights"),
        default=dict,
        blank=True,
        help_text=_("How much each matching criterion counts. Criteria left out use the default weight."),
    )
    min_match_score = models.PositiveSmallIntegerField(
        _("lowest match score without a reason"),
        default=40,
        validators=[MaxValueValidator(100)],
        help_text=_("A match that scores lower needs a reason, which is kept in the activity log."),
    )
    shares_mentors = models.BooleanField(
        _("shares mentors"),
        default=False,
        help_text=_("Open to sharing mentors with other programs that opted in too."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["organization__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.slug])


class Cohort(models.Model):
    """An intake period of a program, with the numbers it aims for."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    target_mentors = models.PositiveSmallIntegerField(_("target number of mentors"), default=0)
    target_mentees = models.PositiveSmallIntegerField(_("target number of mentees"), default=0)
    is_open = models.BooleanField(
        _("taking applications"),
        default=True,
        help_text=_("New applications join the open cohort that starts first."),
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_cohort_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})


class ProgramResource(models.Model):
    """Orientation material, the welcome package, role expectations: a file or a link."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Mentors and mentees")
        MENTOR = "mentor", _("Mentors")
        MENTEE = "mentee", _("Mentees")

    class Kind(models.TextChoices):
        ORIENTATION = "orientation", _("Orientation")
        WELCOME = "welcome", _("Welcome package")
        EXPECTATIONS = "expectations", _("Roles and expectations")
        TOOL = "tool", _("Form or tool")
        OTHER = "other", _("Other")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="resources")
    audience = models.CharField(_("for"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORIENTATION)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=private_upload_path, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    is_required = models.BooleanField(
        _("part of orientation"), default=False, help_text=_("Participants are asked to read it.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.url) == bool(self.file):
            raise ValidationError(_("Give either a link or a file, not both."))


class PrivacyNotice(models.Model):
    """A version of the program's privacy notice. Published versions never change: each
    consent record points at the exact text the person agreed to."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="privacy_notices")
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["program", "-version"]
        constraints = [models.UniqueConstraint(fields=["program", "version"], name="unique_notice_version")]

    def __str__(self) -> str:
        return _("%(program)s privacy notice, version %(version)s") % {
            "program": self.program,
            "version": self.version,
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Partner(models.Model):
    """An organization the program works with: referral source, referral target, employer."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        CHAMBER = "chamber", _("Chamber of commerce or business association")
        MUNICIPALITY = "municipality", _("Municipality")
        REGULATOR = "regulator", _("Regulator or professional body")
        SETTLEMENT = "settlement", _("Settlement agency")
        LANGUAGE = "language", _("Language provider")
        ETHNIC_FAITH = "ethnic_faith", _("Ethnic, cultural or faith organization")
        LIBRARY = "library", _("Library")
        EDUCATION = "education", _("College or university")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_champion = models.BooleanField(
        _("champion"), default=False, help_text=_("An employer champion who recruits other employers.")
    )
    website = models.URLField(_("website"), blank=True)
    services = models.TextField(
        _("complementary programs"),
        blank=True,
        help_text=_("Programs you can refer people to, for example language classes or bridging programs."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_partner_name")]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
    """A government department or foundation that pays for an organization's programs.

    Each organization keeps its own record of a funder (its contacts, its reporting periods),
    so that nothing about one organization's funding shows to another.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="funders")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

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


class FunderContact(models.Model):
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReportingPeriod(models.Model):
    """A period the funder expects an accountability report for, and when it is due."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="reporting_periods")
    name = models.CharField(_("name"), max_length=120, help_text=_("For example Q1 2026-27."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    report_due_on = models.DateField(_("report due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A period cannot end before it starts.")})


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
