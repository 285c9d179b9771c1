"""Celery adapters: the sweep beat starts, and the send of one reminder.

The send is acknowledged only once it has finished (`acks_late`), and handed out again when its
worker dies (`reject_on_worker_lost`); sending.py explains why that redelivery sends once.
"""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from django.conf import settings

from .registry import Due
from .sending import RetryableSendError, reminder_deliver
from .sweep import reminders_sweep


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # Only temporary SMTP failures come back as RetryableSendError; the rest are final.
    autoretry_for=(RetryableSendError,),
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=settings.REMINDER_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=settings.REMINDER_MAX_RETRIES,
)
def send_reminder(self, due: dict) -> str:
    if self.request.is_eager:
        return _deliver_in_process(self, Due.from_message(due))
    return reminder_deliver(
        due=Due.from_message(due),
        claimant=self.request.id,
        final_attempt=self.request.retries >= self.max_retries,
    )


def _deliver_in_process(task, due: Due) -> str:
    """Without a worker (`make run`, most tests) Celery cannot wait between attempts, and its
    retry raises instead when errors propagate: the same attempts then follow each other at once."""
    for attempt in range(task.max_retries + 1):
        try:
            return reminder_deliver(
                due=due, claimant=task.request.id, final_attempt=attempt >= task.max_retries
            )
        except RetryableSendError:
            continue
    raise AssertionError("The last attempt never raises RetryableSendError.")


@shared_task
def sweep_due_reminders() -> dict:
    return asdict(reminders_sweep())
