"""Coordinator check-ins of a match (models).

A program's `CheckInSchedule` says when its coordinators check in with each active match (by
default two weeks after the start, then every 30 days until the planned end) and when a match
counts as at risk. A `CheckIn` is one of those check-ins, kept once the coordinator has acted on
it: recorded with what they heard, or marked unanswered when nobody replied.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CheckIn", "CheckInSchedule"]


class CheckInSchedule(models.Model):
    """When a program's coordinators check in with its matches, and when a match is at risk.

    A program without a row uses the field defaults (`CheckInSchedule.for_program`).
    """

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="checkin_schedule",
        verbose_name=_("program"),
    )
    first_after_days = models.PositiveSmallIntegerField(
        _("first check-in, days after the start"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    then_every_days = models.PositiveSmallIntegerField(
        _("then every (days)"), default=30, validators=[MinValueValidator(7), MaxValueValidator(365)]
    )
    at_risk_no_meeting_days = models.PositiveSmallIntegerField(
        _("at risk after this many days without a meeting"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    low_satisfaction_at_most = models.PositiveSmallIntegerField(
        _("at risk when the last satisfaction is at most"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("On the scale of 1 (very unhappy) to 5 (very happy)."),
    )
    unanswered_after_days = models.PositiveSmallIntegerField(
        _("check-in overdue after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Days after a check-in's date before the match shows as at risk if nothing is recorded."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("check-in schedule")
        verbose_name_plural = _("check-in schedules")

    def __str__(self) -> str:
        return _("Check-in schedule of %(program)s") % {"program": self.program}

    @classmethod
    def for_program(cls, program) -> CheckInSchedule:
        """The program's schedule, or an unsaved one with the defaults."""
        try:
            return program.checkin_schedule
        except cls.DoesNotExist:
            return cls(program=program)


class CheckIn(models.Model):
    """A coordinator's check-in with a match, for one date of the program's schedule (`due_on`),
    or for a date of their own choosing.

    One row per match and date: marking a check-in unanswered and recording it later, when the
    reply comes, changes the same row. A mentee's or mentor's own answer in the portal is a row
    of its own (`answered_by_side`), one per side and date, beside the coordinator's.
    """

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        DONE = "done", _("Done")
        UNANSWERED = "unanswered", _("No reply")

    class WithWhom(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")
        BOTH = "both", _("Both")

    match = models.ForeignKey(
        "matching.Match", on_delete=models.CASCADE, related_name="checkins", verbose_name=_("match")
    )
    due_on = models.DateField(_("check-in date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DUE)
    with_whom = models.CharField(
        _("with whom"), max_length=10, choices=WithWhom.choices, default=WithWhom.BOTH
    )
    done_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    how_it_is_going = models.TextField(_("how it is going"), blank=True)
    concerns = models.TextField(_("concerns"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (very unhappy) to 5 (very happy)."),
    )
    follow_up_actions = models.TextField(_("follow-up actions"), blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    # A mentee's or mentor's own answer in the portal ("how is it going?"), kept beside the
    # coordinator's check-in of the same date: one answer per side and date, never changed.
    answered_by_side = models.CharField(
        _("answered in the portal by"),
        max_length=10,
        choices=[(WithWhom.MENTEE, _("Mentee")), (WithWhom.MENTOR, _("Mentor"))],
        blank=True,
        default="",
        help_text=_("Empty when a coordinator recorded the check-in."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "due_on"],
                condition=models.Q(answered_by_side=""),
                name="one_checkin_per_match_and_date",
            ),
            models.UniqueConstraint(
                fields=["match", "due_on", "answered_by_side"],
                condition=~models.Q(answered_by_side=""),
                name="one_portal_checkin_per_side_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="checkin_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
                name="done_checkin_has_time",
            ),
        ]

    def __str__(self) -> str:
        return _("Check-in of %(date)s") % {"date": self.due_on}
