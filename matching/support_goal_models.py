"""Mentorship agreements and goals of a match (models).

When a match starts, its agreement writes down what both sides signed up for: the program's
roles and expectations, how often and how long they meet, confidentiality and the planned end.
Mentors are volunteers, not career counsellors, so these expectations are on paper and each
side acknowledges them. Goals say what success means for this mentee (a job in the field, a
licence such as APEGA's, language, networking...), with a date, steps and progress notes.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AgreementTemplate",
    "Agreement",
    "GoalCategory",
    "GoalTemplate",
    "Goal",
    "GoalNote",
    "GOAL_SETTLED_STATUSES",
]

# What an agreement says when the program has not written its own text yet.
DEFAULT_ROLES_AND_EXPECTATIONS = _(
    "The mentor shares what they know of their profession and of the Canadian workplace, "
    "listens, and opens doors where they can. The mentor is a volunteer: not a career counsellor, "
    "a recruiter or an employer. The mentee leads: they bring their goals and questions, prepare "
    "for each meeting and follow up on the next steps they agreed to. Both keep their meetings "
    "or let the other know in good time, and tell the coordinator when something does not work."
)
DEFAULT_CONFIDENTIALITY = _(
    "What is said in the mentoring stays between the mentor and the mentee, unless both agree to "
    "share it. The exception is a risk of harm to someone, which the coordinator must hear about. "
    "The coordinator keeps the program's records private and uses them only to support the match "
    "and to report totals, never names, to funders."
)


class AgreementTemplate(models.Model):
    """A program's own text for its agreements. Without one, agreements use the defaults above.

    Meeting frequency, meeting length and match length come from the program's settings; this
    holds only the texts, which the program model has no fields for.
    """

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="agreement_template",
        verbose_name=_("program"),
    )
    roles_and_expectations = models.TextField(
        _("roles and expectations"),
        help_text=_("What the mentor, the mentee and the coordinator each do. Plain words work best."),
    )
    confidentiality = models.TextField(
        _("confidentiality"), help_text=_("What stays between the two, and when the coordinator must know.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement text")
        verbose_name_plural = _("agreement texts")

    def __str__(self) -> str:
        return _("Agreement text of %(program)s") % {"program": self.program}


class Agreement(models.Model):
    """The mentorship agreement of one match, written when it starts.

    The texts and figures are copied from the program at that moment, so that a later change
    to the program's text does not rewrite what the pair acknowledged. Each side acknowledges
    it, in the portal or through the coordinator: `<side>_acknowledged_at` says when, and
    `<side>_recorded_by` names the coordinator who recorded it (empty when the participant
    acknowledged it themselves in the portal).
    """

    match = models.OneToOneField(
        "matching.Match", on_delete=models.CASCADE, related_name="agreement", verbose_name=_("match")
    )
    roles_and_expectations = models.TextField(_("roles and expectations"))
    meetings_per_month = models.PositiveSmallIntegerField(
        _("meetings per month"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    meeting_length_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    confidentiality = models.TextField(_("confidentiality"))
    planned_end_on = models.DateField(_("planned end"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentee_acknowledged_at = models.DateTimeField(_("mentee acknowledged"), null=True, blank=True)
    mentee_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentee's acknowledgement recorded by"),
    )
    mentor_acknowledged_at = models.DateTimeField(_("mentor acknowledged"), null=True, blank=True)
    mentor_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor's acknowledgement recorded by"),
    )

    class Meta:
        verbose_name = _("mentorship agreement")
        verbose_name_plural = _("mentorship agreements")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A coordinator records an acknowledgement that happened; never one without a time.
            models.CheckConstraint(
                condition=models.Q(mentee_recorded_by__isnull=True)
                | models.Q(mentee_acknowledged_at__isnull=False),
                name="agreement_mentee_recorded_with_time",
            ),
            models.CheckConstraint(
                condition=models.Q(mentor_recorded_by__isnull=True)
                | models.Q(mentor_acknowledged_at__isnull=False),
                name="agreement_mentor_recorded_with_time",
            ),
        ]

    def __str__(self) -> str:
        return _("Agreement of %(match)s") % {"match": self.match}

    @property
    def is_acknowledged(self) -> bool:
        return self.mentee_acknowledged_at is not None and self.mentor_acknowledged_at is not None

    def acknowledged_at(self, side: str) -> datetime.datetime | None:
        return getattr(self, f"{side}_acknowledged_at")

    def recorded_by(self, side: str):
        return getattr(self, f"{side}_recorded_by")


class GoalCategory(models.TextChoices):
    EMPLOYMENT_IN_FIELD = "employment_in_field", _("Employment in the field")
    RELATED_EMPLOYMENT = "related_employment", _("Related employment")
    CERTIFICATION = "certification", _("Certification or licensure")
    LANGUAGE = "language", _("Language")
    NETWORKING = "networking", _("Networking")
    WORKPLACE_CULTURE = "workplace_culture", _("Canadian workplace culture")
    OTHER = "other", _("Other")


class GoalTemplate(models.Model):
    """A goal a program's matches often set, to start from and then make specific."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="goal_templates", verbose_name=_("program")
    )
    category = models.CharField(_("category"), max_length=30, choices=GoalCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    suggested_steps = models.TextField(_("suggested steps"), blank=True, help_text=_("One step per line."))
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Only offered templates are proposed for new goals.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal template")
        verbose_name_plural = _("goal templates")
        ordering = ["-is_active", "category", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "title"], name="unique_goal_template_title")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def step_list(self) -> list[str]:
        return _lines(self.suggested_steps)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Goal(models.Model):
    """One goal of a match: what the mentee wants to reach, by when, and how.

    A goal is overdue once its target date has passed (the day after it) while it is neither
    achieved nor dropped: see `goal_selectors.overdue_goals`, which `is_overdue_on` mirrors.
    """

    Category = GoalCategory

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        CHANGED = "changed", _("Changed")
        DROPPED = "dropped", _("Dropped")

    match = models.ForeignKey(
        "matching.Match", on_delete=models.CASCADE, related_name="goals", verbose_name=_("match")
    )
    category = models.CharField(_("category"), max_length=30, choices=GoalCategory.choices)
    title = models.CharField(_("goal"), max_length=200, help_text=_("The goal in a few words."))
    description = models.TextField(
        _("description"), help_text=_("Specific: what exactly counts as reaching it, for this mentee.")
    )
    target_date = models.DateField(_("target date"))
    steps = models.TextField(_("steps"), blank=True, help_text=_("One step per line."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    from_template = models.ForeignKey(
        GoalTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("started from template"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "pk"]
        indexes = [models.Index(fields=["match", "status"]), models.Index(fields=["status", "target_date"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        started_on = self.match.started_on if self.match_id else None
        if started_on and self.target_date and self.target_date < started_on:
            raise ValidationError({"target_date": _("The target date cannot be before the match started.")})

    @property
    def step_list(self) -> list[str]:
        return _lines(self.steps)

    @property
    def is_settled(self) -> bool:
        return self.status in GOAL_SETTLED_STATUSES

    def is_overdue_on(self, today: datetime.date) -> bool:
        return not self.is_settled and self.target_date < today


# Goals in these statuses are never overdue: reached, or given up on purpose.
GOAL_SETTLED_STATUSES = (Goal.Status.ACHIEVED, Goal.Status.DROPPED)


class GoalNote(models.Model):
    """A progress note on a goal, by either side or the coordinator, sometimes with a new status."""

    class AuthorRole(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")
        COORDINATOR = "coordinator", _("Coordinator")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes", verbose_name=_("goal"))
    # Empty only when the note records a change of status without comment.
    text = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    author_role = models.CharField(_("written as"), max_length=20, choices=AuthorRole.choices)
    new_status = models.CharField(
        _("new status"), max_length=20, choices=Goal.Status.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("goal note")
        verbose_name_plural = _("goal notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["goal", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text="", new_status=""), name="goal_note_has_text_or_status"
            )
        ]

    def __str__(self) -> str:
        return _("Note on %(goal)s") % {"goal": self.goal}

    def clean(self) -> None:
        if not self.text.strip() and not self.new_status:
            raise ValidationError({"text": _("Write the note.")})
