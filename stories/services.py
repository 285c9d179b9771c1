"""Writes of the stories app: a participant's story and its consent, and anonymous feedback."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participation
from participants.pipeline import ACCEPTED_OR_LATER
from programs.activity import activity_record
from programs.models import Program

from .models import (
    WITHDRAWAL_TEXT,
    ConsentLevel,
    FeedbackResponse,
    Story,
    StoryConsentChange,
    consent_choices_version,
    consent_text,
    consent_version,
    is_lower,
)

# Those who took part in a program tell its story or give feedback on it; applicants do not yet.
TOOK_PART_STATUSES = ACCEPTED_OR_LATER


def _log(story: Story, verb: str, *, actor, data: dict) -> None:
    """On the person, so that their timeline shows it; the title and text stay out of the log."""
    activity_record(
        actor=actor,
        verb=verb,
        target=story.person,
        organization=story.program.organization,
        program=story.program,
        data={"story": story.pk, **data},
    )


@transaction.atomic
def story_submit(
    *,
    participation: Participation,
    title: str,
    text: str,
    consent_level: str,
    shown_consent_version: str,
    actor,
) -> Story:
    """Saves a participant's story with their consent.

    1. Checks that the person took part in the program and that the consent words they read
       (`shown_consent_version`, from the form) are the ones in force now.
    2. Saves the story with the exact words of the chosen consent and their version.
    3. Starts the consent history with "consent given", and records `story.submitted`.
    """
    if participation.status not in TOOK_PART_STATUSES:
        raise ValidationError(_("Stories are for people who have taken part in the program."))
    if consent_level not in ConsentLevel.values:
        raise ValidationError({"consent_level": _("Choose how far your story may go.")})
    if shown_consent_version != consent_choices_version():
        raise ValidationError(
            {"consent_level": _("The wording of the choices has changed. Please read them again and choose.")}
        )
    words = consent_text(consent_level)
    story = Story(
        person=participation.person,
        program=participation.program,
        participation=participation,
        title=(title or "").strip(),
        text=(text or "").strip(),
        consent_level=consent_level,
        consent_text=words,
        consent_version=consent_version(words),
    )
    story.full_clean()
    story.save()
    _change(
        story=story,
        kind=StoryConsentChange.Kind.GIVEN,
        to_level=consent_level,
        consent_text=words,
        consent_version=story.consent_version,
        changed_at=story.submitted_at,
        changed_by=_user(actor),
    )
    _log(story, "story.submitted", actor=actor, data={"consent_level": consent_level})
    return story


def _lock(story: Story) -> Story:
    story.refresh_from_db(from_queryset=Story.objects.select_for_update())
    if story.is_withdrawn:
        raise ValidationError(_("You have withdrawn this story; nobody may use it any more."))
    return story


@transaction.atomic
def story_consent_lower(*, story: Story, consent_level: str, actor) -> Story:
    """Limits how far the story may go; only a narrower level is accepted. To share it more
    widely the person tells it again, with a new consent."""
    _lock(story)
    if consent_level not in ConsentLevel.values or not is_lower(consent_level, story.consent_level):
        raise ValidationError({"consent_level": _("Choose a level that shares your story less widely.")})
    words = consent_text(consent_level)
    previous = story.consent_level
    story.consent_level = consent_level
    story.consent_text = words
    story.consent_version = consent_version(words)
    story.full_clean()
    story.save(update_fields=["consent_level", "consent_text", "consent_version"])
    _change(
        story=story,
        kind=StoryConsentChange.Kind.LOWERED,
        from_level=previous,
        to_level=consent_level,
        consent_text=words,
        consent_version=story.consent_version,
        changed_by=_user(actor),
    )
    _log(story, "story.consent_lowered", actor=actor, data={"from": previous, "to": consent_level})
    return story


@transaction.atomic
def story_withdraw(*, story: Story, actor) -> Story:
    """Withdraws the consent: the story is hidden from everyone but its author, for good."""
    _lock(story)
    story.status = Story.Status.WITHDRAWN
    story.withdrawn_at = timezone.now()
    story.full_clean()
    story.save(update_fields=["status", "withdrawn_at"])
    words = str(WITHDRAWAL_TEXT)
    _change(
        story=story,
        kind=StoryConsentChange.Kind.WITHDRAWN,
        from_level=story.consent_level,
        consent_text=words,
        consent_version=consent_version(words),
        changed_at=story.withdrawn_at,
        changed_by=_user(actor),
    )
    _log(story, "story.withdrawn", actor=actor, data={})
    return story


def _change(**fields) -> StoryConsentChange:
    change = StoryConsentChange(**fields)
    change.full_clean()
    change.save()
    return change


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


# --- Anonymous feedback ----------------------------------------------------------------------------


def start_of_day(moment: datetime.datetime) -> datetime.datetime:
    """Midnight of the local day of `moment`: all that anonymous feedback keeps of its time."""
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def feedback_submit(
    *, program: Program, rating: int, what_works: str = "", what_to_improve: str = ""
) -> FeedbackResponse:
    """Saves anonymous feedback on a program.

    There is no `actor` on purpose, and nothing goes to the activity log: an entry written at
    the same moment, by the signed-in person, would tell who sent the answers. The caller checks
    that the person takes part in the program before calling.
    """
    response = FeedbackResponse(
        program=program,
        rating=rating,
        what_works=(what_works or "").strip(),
        what_to_improve=(what_to_improve or "").strip(),
        created_at=start_of_day(timezone.now()),
    )
    response.full_clean()
    response.save()
    return response
