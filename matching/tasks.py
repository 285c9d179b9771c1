"""Emails about matches, sent by Celery once the change that asked for them has committed.
Each task loads by id and calls the service that writes and sends the email."""

from __future__ import annotations

from celery import shared_task

from .models import Match
from .services import match_introduction_send, match_started_send

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "retry_jitter": True, "max_retries": 8}


def _match(match_id: int) -> Match | None:
    return (
        Match.objects.select_related(
            "program__organization",
            "mentee__person",
            "mentee__mentee_profile",
            "mentor__person",
            "mentor__mentor_profile",
        )
        .filter(pk=match_id)
        .first()
    )


@shared_task(**RETRY)
def send_match_introduction(match_id: int) -> None:
    match = _match(match_id)
    # Once answered or withdrawn, the introduction is old news.
    if match is not None and match.status == Match.Status.INTRODUCED:
        match_introduction_send(match=match)


@shared_task(**RETRY)
def send_match_started(match_id: int) -> None:
    match = _match(match_id)
    if match is not None and match.status == Match.Status.ACTIVE:
        match_started_send(match=match)
