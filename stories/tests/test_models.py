"""The rules of stories, consents and anonymous feedback, below the pages."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from participants.models import Participation
from participants.tests.portal_helpers import mentee
from stories.models import (
    CONSENT_ORDER,
    CONSENT_TEXTS,
    MAX_STORY_CHARS,
    ConsentLevel,
    FeedbackResponse,
    Story,
    consent_choices_version,
    consent_version,
    is_lower,
)
from stories.services import feedback_submit, story_submit

pytestmark = pytest.mark.django_db
L = ConsentLevel


def test_consent_levels_run_from_the_narrowest_to_the_widest():
    assert CONSENT_ORDER == ["internal", "funder_anonymised", "public_anonymised", "public_named"]
    assert is_lower(L.INTERNAL, L.FUNDER_ANONYMISED) and not is_lower(L.PUBLIC_NAMED, L.PUBLIC_ANONYMISED)
    assert set(CONSENT_TEXTS) == set(L)


def test_a_different_wording_is_a_different_version():
    assert consent_version("I agree.") != consent_version("I agree!")
    assert consent_version("I agree.") == consent_version("I agree.")
    assert len(consent_choices_version()) == 16


def test_a_story_too_long_or_with_an_unknown_level_is_refused(program):
    participation = mentee(program, status=Participation.Status.MATCHED)

    def submit(**changes):
        story_submit(
            **{
                "participation": participation,
                "title": "Title",
                "text": "Text",
                "consent_level": L.INTERNAL,
                "shown_consent_version": consent_choices_version(),
                "actor": None,
            }
            | changes
        )

    with pytest.raises(ValidationError) as error:
        submit(text="x" * (MAX_STORY_CHARS + 1))
    assert "text" in error.value.error_dict
    with pytest.raises(ValidationError):
        submit(consent_level="everywhere")
    assert not Story.objects.exists()


def test_a_withdrawn_story_always_has_its_time(program):
    participation = mentee(program, status=Participation.Status.MATCHED)
    story = story_submit(
        participation=participation,
        title="Title",
        text="Text",
        consent_level=L.INTERNAL,
        shown_consent_version=consent_choices_version(),
        actor=None,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(status=Story.Status.WITHDRAWN)


def test_feedback_keeps_only_the_day_it_came_in(program):
    # 23:30 in Edmonton is already the next day in UTC: the local day counts.
    with time_machine.travel(datetime.datetime(2026, 9, 1, 5, 30, tzinfo=datetime.UTC), tick=False):
        response = feedback_submit(program=program, rating=3, what_works="  Friendly  ")
    assert response.created_at == datetime.datetime(2026, 8, 31, 6, tzinfo=datetime.UTC)
    assert response.what_works == "Friendly"


def test_a_rating_outside_one_to_five_is_refused(program):
    for rating in (0, 6):
        with pytest.raises(ValidationError):
            feedback_submit(program=program, rating=rating)
    assert not FeedbackResponse.objects.exists()
