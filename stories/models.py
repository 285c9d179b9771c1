"""Participants' stories with their consent, and anonymous program feedback.

A `Story` keeps the exact words of the consent the person gave (and a version: the hash of those
words), and every later change of it in `StoryConsentChange`. A person may limit or withdraw
their consent at any time; a withdrawn story is hidden from everyone but its author.

A `FeedbackResponse` has no link to anyone on purpose: no person, no user, no address, and only
the day it came in, so that the answers cannot be matched with who sent them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_STORY_CHARS = 5000
MAX_FEEDBACK_CHARS = 3000


class ConsentLevel(models.TextChoices):
    """How far a story may go, from the narrowest to the widest."""

    INTERNAL = "internal", _("Internal only")
    FUNDER_ANONYMISED = "funder_anonymised", _("In funder reports, anonymised")
    PUBLIC_ANONYMISED = "public_anonymised", _("Public, anonymised")
    PUBLIC_NAMED = "public_named", _("Public, with my name")


# Each level allows what the ones before it allow, and more.
CONSENT_ORDER = [level.value for level in ConsentLevel]

# The exact words the person reads next to each choice, and agrees to by choosing it.
CONSENT_TEXTS = {
    ConsentLevel.INTERNAL: _(
        "Only the staff of my program may read my story. They will not share it outside the program."
    ),
    ConsentLevel.FUNDER_ANONYMISED: _(
        "The staff of my program may read my story and quote it in reports to the organizations "
        "that fund the program, without my name or anything else that shows who I am."
    ),
    ConsentLevel.PUBLIC_ANONYMISED: _(
        "The program may also publish my story, for example on its website or in a brochure, "
        "without my name or anything else that shows who I am."
    ),
    ConsentLevel.PUBLIC_NAMED: _(
        "The program may publish my story with my name, for example on its website or in a "
        "brochure, and quote it in reports to its funders."
    ),
}
WITHDRAWAL_TEXT = _(
    "I withdraw my consent. Nobody may use my story any more; it is hidden from everyone but me."
)


def consent_text(level: str) -> str:
    """The consent words of a level in the language of the request."""
    return str(CONSENT_TEXTS[ConsentLevel(level)])


def consent_version(text: str) -> str:
    """The version of a consent text: its hash, so that any change of wording is a new version."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def consent_choices_version() -> str:
    """The version of the whole set of choices as the form shows them, to check at submission
    that the person read the words that are stored."""
    return consent_version("\n".join(consent_text(level) for level in CONSENT_ORDER))


def is_lower(level: str, than: str) -> bool:
    return CONSENT_ORDER.index(level) < CONSENT_ORDER.index(than)


class StoryQuerySet(models.QuerySet):
    def not_withdrawn(self) -> StoryQuerySet:
        return self.exclude(status=Story.Status.WITHDRAWN)


class Story(models.Model):
    """A participant's testimonial, in their words, with how far they allow it to go.

    Coordinators' moderation and the public stories page come later: nothing is published yet.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        "participants.Person", on_delete=models.CASCADE, related_name="stories", verbose_name=_("person")
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="stories", verbose_name=_("program")
    )
    participation = models.ForeignKey(
        "participants.Participation",
        on_delete=models.CASCADE,
        related_name="stories",
        verbose_name=_("participation"),
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("story"), validators=[MaxLengthValidator(MAX_STORY_CHARS)])
    consent_level = models.CharField(_("may be shared"), max_length=20, choices=ConsentLevel.choices)
    consent_text = models.TextField(_("consent, in the words shown"))
    consent_version = models.CharField(_("consent version"), max_length=64)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_level__in=CONSENT_ORDER), name="story_consent_level_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~models.Q(status="withdrawn") & models.Q(withdrawn_at__isnull=True)),
                name="story_withdrawn_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN


class StoryConsentChange(models.Model):
    """One step of a story's consent: given at submission, limited later, or withdrawn."""

    class Kind(models.TextChoices):
        GIVEN = "given", _("Consent given")
        LOWERED = "lowered", _("Sharing limited")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="consent_changes")
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    from_level = models.CharField(_("from"), max_length=20, choices=ConsentLevel.choices, blank=True)
    to_level = models.CharField(
        _("to"),
        max_length=20,
        choices=ConsentLevel.choices,
        blank=True,
        help_text=_("Empty when the consent was withdrawn."),
    )
    consent_text = models.TextField(_("consent, in the words shown"))
    consent_version = models.CharField(_("consent version"), max_length=64)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("story consent change")
        verbose_name_plural = _("story consent changes")
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="withdrawn", to_level="")
                | (~models.Q(kind="withdrawn") & ~models.Q(to_level="")),
                name="story_consent_change_has_level_unless_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story} – {self.get_kind_display()}"


class FeedbackResponse(models.Model):
    """Anonymous feedback on a program. On purpose there is no link to a person or a user, no
    address, and only the day: `created_at` is kept at midnight of the day it came in."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="feedback_responses",
        verbose_name=_("program"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 is poor, 5 is excellent."),
    )
    what_works = models.TextField(
        _("what works well"), blank=True, validators=[MaxLengthValidator(MAX_FEEDBACK_CHARS)]
    )
    what_to_improve = models.TextField(
        _("what to improve"), blank=True, validators=[MaxLengthValidator(MAX_FEEDBACK_CHARS)]
    )
    created_at = models.DateTimeField(_("received (day only)"))

    class Meta:
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return _("Feedback on %(program)s") % {"program": self.program}
