from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """One node of the National Occupational Classification (NOC) 2021 hierarchy.

    Codes nest by prefix: broad category "2", major group "21", sub-major group "213",
    minor group "2130", unit group "21300" (Civil engineers).
    """

    class Level(models.IntegerChoices):
        BROAD_CATEGORY = 1, _("Broad occupational category")
        MAJOR_GROUP = 2, _("Major group")
        SUB_MAJOR_GROUP = 3, _("Sub-major group")
        MINOR_GROUP = 4, _("Minor group")
        UNIT_GROUP = 5, _("Unit group")

    code = models.CharField(_("NOC code"), max_length=5, primary_key=True)
    title = models.CharField(_("title"), max_length=250)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("occupation (NOC 2021)")
        verbose_name_plural = _("occupations (NOC 2021)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


# --- Matches -------------------------------------------------------------------------------------


class Match(models.Model):
    """A mentee paired with a mentor, from the proposal to the end of the mentoring.

    The mentee's program owns the match. The mentor may come from another program of the same
    organization when both programs share mentors (checked when the match is proposed).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        INTRODUCED = "introduced", _("Introduced")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CLOSED_EARLY = "closed_early", _("Closed early")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Response(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="matches", verbose_name=_("program")
    )
    mentee = models.ForeignKey(
        "participants.Participation",
        on_delete=models.PROTECT,
        related_name="matches_as_mentee",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        "participants.Participation",
        on_delete=models.PROTECT,
        related_name="matches_as_mentor",
        verbose_name=_("mentor"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    breakdown = models.JSONField(
        _("score breakdown"),
        default=list,
        blank=True,
        help_text=_("The points of each criterion, as the scoring gave them: criterion, label, points."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    override_reason = models.TextField(
        _("reason for matching anyway"),
        blank=True,
        help_text=_("Why the pair was matched below the program's lowest score or against a matching rule."),
    )
    assignment_run = models.ForeignKey(
        "AssignmentRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("cohort assignment"),
    )
    mentee_response = models.CharField(
        _("mentee's answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    mentee_responded_at = models.DateTimeField(_("mentee answered"), null=True, blank=True)
    mentor_response = models.CharField(
        _("mentor's answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    mentor_responded_at = models.DateTimeField(_("mentor answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    introduced_at = models.DateTimeField(_("introduced"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("how it ended"), blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]
        constraints = [
            # Matches are one-to-one; group mentoring is a Circle. These are OPEN_MATCH_STATUSES.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status__in=["proposed", "introduced", "active"]),
                name="one_open_match_per_mentee",
            ),
            models.CheckConstraint(condition=~models.Q(mentee=models.F("mentor")), name="match_two_people"),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(started_on__isnull=False),
                name="active_match_has_start",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(planned_end_on__gte=models.F("started_on")),
                name="match_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("%(mentee)s with %(mentor)s") % {
            "mentee": self.mentee.person.full_name,
            "mentor": self.mentor.person.full_name,
        }

    def clean(self) -> None:
        from participants.models import Participation

        errors = {}
        if self.mentee_id and self.mentee.role != Participation.Role.MENTEE:
            errors["mentee"] = _("Choose a mentee.")
        if self.mentor_id and self.mentor.role != Participation.Role.MENTOR:
            errors["mentor"] = _("Choose a mentor.")
        if self.mentee_id and self.program_id and self.mentee.program_id != self.program_id:
            errors["program"] = _("A match belongs to the mentee's program.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MATCH_STATUSES


# A mentee is in at most one match at these statuses, and a mentor's capacity counts them.
OPEN_MATCH_STATUSES = (Match.Status.PROPOSED, Match.Status.INTRODUCED, Match.Status.ACTIVE)


class DoNotMatch(models.Model):
    """A mentee and a mentor who must never be suggested to each other again.

    Kept between people rather than participations, so that it holds when either of them
    comes back for another round of the program.
    """

    class Kind(models.TextChoices):
        DECLINED = "declined", _("Declined an introduction")
        PREVIOUS_MATCH_FAILED = "previous_match_failed", _("A previous match did not work out")
        CONFLICT = "conflict", _("Conflict of interest, such as the same employer")
        PARTICIPANT_REQUEST = "participant_request", _("Asked for by a participant")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        "programs.Organization", on_delete=models.CASCADE, related_name="do_not_match"
    )
    mentee = models.ForeignKey(
        "participants.Person",
        on_delete=models.CASCADE,
        related_name="do_not_match_as_mentee",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        "participants.Person",
        on_delete=models.CASCADE,
        related_name="do_not_match_as_mentor",
        verbose_name=_("mentor"),
    )
    kind = models.CharField(_("reason"), max_length=30, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pair not to match")
        verbose_name_plural = _("pairs not to match")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["mentee", "mentor"], name="unique_do_not_match_pair")]

    def __str__(self) -> str:
        return _("%(mentee)s and %(mentor)s: not to match") % {
            "mentee": self.mentee.full_name,
            "mentor": self.mentor.full_name,
        }

    def clean(self) -> None:
        if self.mentee_id and self.mentee_id == self.mentor_id:
            raise ValidationError(_("Choose two different people."))
        people = [self.mentee] if self.mentee_id else []
        people += [self.mentor] if self.mentor_id else []
        if any(person.organization_id != self.organization_id for person in people):
            raise ValidationError(_("Both people must belong to the organization."))


class AssignmentRun(models.Model):
    """One run of the cohort assignment: its proposals are the matches that point at it.

    A draft run's matches are proposals the coordinator reviews and changes; publishing
    introduces them all at once.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="assignment_runs",
        verbose_name=_("program"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    min_score = models.PositiveSmallIntegerField(
        _("lowest score proposed"), validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    totals = models.JSONField(
        _("totals"),
        default=dict,
        blank=True,
        help_text=_("Total, lowest score and number of pairs of the optimal and the greedy assignment."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort assignment")
        verbose_name_plural = _("cohort assignments")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Proposals hold their mentees: two drafts at once would fight over them.
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(status="draft"),
                name="one_draft_assignment_per_program",
            )
        ]

    def __str__(self) -> str:
        return _("Cohort assignment of %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M") if self.created_at else "…"
        }


# --- Group mentoring -----------------------------------------------------------------------------


class Circle(models.Model):
    """Group mentoring: one or two mentors with several mentees, such as a circle for
    internationally trained physicians. When the last mentor leaves, the mentees may carry on
    as a peer group."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        PEER_GROUP = "peer_group", _("Peer group")
        CLOSED = "closed", _("Closed")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="circles", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    focus = models.CharField(
        _("focus"),
        max_length=250,
        blank=True,
        help_text=_("Who the circle is for, for example internationally trained physicians."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FORMING, db_index=True
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring circle")
        verbose_name_plural = _("mentoring circles")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="unique_circle_name")]

    def __str__(self) -> str:
        return self.name


class CircleMembership(models.Model):
    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    participation = models.ForeignKey(
        "participants.Participation", on_delete=models.PROTECT, related_name="circle_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("circle member")
        verbose_name_plural = _("circle members")
        ordering = ["role", "joined_at", "id"]
        indexes = [models.Index(fields=["circle", "role", "left_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "participation"],
                condition=models.Q(left_at__isnull=True),
                name="one_current_membership_per_circle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation.person} – {self.get_role_display()} – {self.circle}"

    def clean(self) -> None:
        if self.participation_id and self.role and self.participation.role != self.role:
            raise ValidationError({"role": _("A member takes the role they have in the program.")})


# --- Meetings ------------------------------------------------------------------------------------

MAX_MEETING_MINUTES = 600


class MeetingQuerySet(models.QuerySet):
    def of_mentor(self, participation) -> MeetingQuerySet:
        """Meetings a mentor took part in: those of their one-to-one matches, and the circle
        meetings where they are recorded among the attendees."""
        attended = Meeting.attendees.through.objects.filter(
            circlemembership__participation=participation,
            circlemembership__role=CircleMembership.Role.MENTOR,
        ).values("meeting_id")
        return self.filter(models.Q(match__mentor=participation) | models.Q(pk__in=attended))

    def total_minutes(self) -> int:
        return self.aggregate(total=models.Sum("duration_minutes"))["total"] or 0


class Meeting(models.Model):
    """One meeting of a one-to-one match or of a circle, as someone logged it afterwards.

    Mentoring hours are summed from these rows: per match, per circle, and per mentor and year
    (`Meeting.objects.of_mentor(participation).filter(occurred_on__year=...)`). A circle
    meeting counts for a mentor when they are among its attendees.
    """

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")
        OTHER = "other", _("Other")

    class LoggedAs(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")
        COORDINATOR = "coordinator", _("Coordinator")

    # No index of their own: the (match, occurred_on) and (circle, occurred_on) indexes below
    # start with them. PROTECT, because logged hours are what funders are told.
    match = models.ForeignKey(
        Match,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="meetings",
        verbose_name=_("match"),
    )
    circle = models.ForeignKey(
        Circle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="meetings",
        verbose_name=_("circle"),
    )
    occurred_on = models.DateField(_("date of the meeting"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MEETING_MINUTES)]
    )
    mode = models.CharField(_("how they met"), max_length=20, choices=Mode.choices, default=Mode.VIDEO)
    topics = models.TextField(_("topics discussed"))
    next_steps = models.TextField(_("next steps"), blank=True)
    attendees = models.ManyToManyField(
        CircleMembership,
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("who attended"),
        help_text=_("For a circle: the members who came."),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    logged_as = models.CharField(_("logged as"), max_length=20, choices=LoggedAs.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["match", "occurred_on"]),
            models.Index(fields=["circle", "occurred_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(match__isnull=False, circle__isnull=True)
                | models.Q(match__isnull=True, circle__isnull=False),
                name="meeting_of_a_match_or_a_circle",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=MAX_MEETING_MINUTES),
                name="meeting_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return _("Meeting of %(group)s on %(date)s") % {
            "group": self.circle if self.circle_id else self.match,
            "date": self.occurred_on,
        }

    def clean(self) -> None:
        if (self.match_id is None) == (self.circle_id is None):
            raise ValidationError(_("A meeting belongs to either a match or a circle."))
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("A meeting is logged once it has happened.")})


# The life of an active match (agreement, goals, check-ins, closure) lives in its own modules;
# importing them here is what makes them models of this app.
from .support_checkin_models import *  # noqa: E402, F403
from .support_closure_models import *  # noqa: E402, F403
from .support_goal_models import *  # noqa: E402, F403
