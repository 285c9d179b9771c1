"""How a match ended, what each side said about it, and what became of the mentee afterwards:
the closure, the closing surveys, and the employment follow-ups 3 and 6 months later."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Closure", "ClosingSurvey", "EmploymentStatus", "FollowUp"]


class EmploymentStatus(models.TextChoices):
    """Where a mentee stands with work: what funders of employment programs ask about."""

    IN_FIELD = "in_field", _("Employed in their field")
    RELATED = "related", _("Employed in a related field")
    OTHER_WORK = "other_work", _("Other work")
    NOT_EMPLOYED = "not_employed", _("Not employed")
    STUDYING = "studying", _("Studying or retraining")


class Closure(models.Model):
    """The record made when a match ends, planned or early."""

    class Reason(models.TextChoices):
        RAN_ITS_COURSE = "ran_its_course", _("The match ran its planned course")
        GOALS_MET = "goals_met", _("The goals were met early")
        MENTEE_EMPLOYED = "mentee_employed", _("The mentee found work")
        SCHEDULES = "schedules", _("Schedules did not fit")
        MOVED = "moved", _("One of them moved away")
        NOT_A_FIT = "not_a_fit", _("The pair was not a good fit")
        MENTEE_UNRESPONSIVE = "mentee_unresponsive", _("The mentee stopped responding")
        MENTOR_UNAVAILABLE = "mentor_unavailable", _("The mentor was no longer available")
        PERSONAL = "personal", _("Personal or health reasons")
        OTHER = "other", _("Other")

    match = models.OneToOneField("matching.Match", on_delete=models.CASCADE, related_name="closure")
    early = models.BooleanField(_("closed early"))
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    note = models.TextField(_("what happened"), blank=True)
    do_not_match_again = models.BooleanField(_("never match this pair again"), default=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return str(self.get_reason_display())


class ClosingSurvey(models.Model):
    """One side's answers at the end of a match, given in the portal or to the coordinator."""

    class Side(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")

    class Again(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("Not sure")

    match = models.ForeignKey("matching.Match", on_delete=models.CASCADE, related_name="closing_surveys")
    side = models.CharField(_("who answered"), max_length=10, choices=Side.choices)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 is very unsatisfied, 5 very satisfied."),
    )
    would_take_part_again = models.CharField(_("would take part again"), max_length=10, choices=Again.choices)
    employment_status = models.CharField(
        _("employment now"),
        max_length=20,
        choices=EmploymentStatus.choices,
        blank=True,
        help_text=_("The mentee's situation; left empty for a mentor."),
    )
    comments = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(_("answered"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_coordinator = models.BooleanField(
        _("recorded by a coordinator"),
        default=False,
        help_text=_("Off when the person answered in the portal."),
    )

    class Meta:
        verbose_name = _("closing survey")
        verbose_name_plural = _("closing surveys")
        constraints = [
            models.UniqueConstraint(fields=["match", "side"], name="one_closing_survey_per_side"),
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="closing_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match} – {self.get_side_display()}"


class FollowUp(models.Model):
    """The mentee's employment, asked 3 and 6 months after the match ended."""

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        DONE = "done", _("Done")
        NO_ANSWER = "no_answer", _("No answer")

    MONTHS = (3, 6)

    match = models.ForeignKey("matching.Match", on_delete=models.CASCADE, related_name="follow_ups")
    months_after = models.PositiveSmallIntegerField(_("months after the end"))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    employment_status = models.CharField(
        _("employment"), max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    still_in_region = models.BooleanField(_("still living in the region"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("employment follow-up")
        verbose_name_plural = _("employment follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "months_after"], name="one_follow_up_per_match_and_month"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(employment_status=""),
                name="done_follow_up_has_employment",
            ),
        ]

    def __str__(self) -> str:
        return _("%(months)s-month follow-up of %(match)s") % {
            "months": self.months_after,
            "match": self.match,
        }
