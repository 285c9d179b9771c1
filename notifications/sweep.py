"""The sweep: ask every kind what is due now and hand each reminder that is not in the sent-log
yet to the broker, a batch at a time.

The database is the source of truth. Nothing is written before a send claims its key, so a
message that never reached the broker (Redis down) leaves no trace, and the next sweep finds the
reminder again. The sweep also hands out again what was left behind: reminders a coordinator
asked to resend while the broker was away, immediate emails (services.reminder_send_now) whose
message never reached it, and claims abandoned by a message the broker lost.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import SentReminder
from .registry import Due, Schedule, scheduled_kinds

logger = logging.getLogger(__name__)

# What publishing raises when the broker does not answer within the bounded retry policy
# (CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_TASK_PUBLISH_RETRY_POLICY).
BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError)


@dataclass
class SweepReport:
    due: int = 0
    enqueued: int = 0
    left_behind: int = 0
    broker_unavailable: bool = False


def publish_send(due: Due) -> bool:
    """Hands one send to the broker. A broker that does not answer costs a bounded moment and is
    only logged: nothing was claimed, so the next sweep finds the reminder again."""
    from .tasks import send_reminder

    try:
        send_reminder.apply_async(kwargs={"due": due.as_message()})
    except BROKER_ERRORS as error:
        logger.warning("The broker did not take reminder %s; the next sweep will: %s", due, error)
        return False
    return True


def enqueue_on_commit(due: Due) -> None:
    """For services: the send is handed over once the change that asked for it has committed."""
    transaction.on_commit(partial(publish_send, due))


def reminders_sweep(
    *, now: datetime.datetime | None = None, publish: Callable[[Due], bool] = publish_send
) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    size = settings.REMINDER_BATCH_SIZE
    for kind in scheduled_kinds():
        for batch in _batches(kind.due(Schedule(kind, now=now)), size):
            fresh = _not_in_log(batch)
            report.due += len(fresh)
            if not _publish_all(fresh, publish, report):
                return _stopped(report)
    for batch in _batches(_left_behind(now), size):
        report.left_behind += len(batch)
        if not _publish_all(batch, publish, report):
            return _stopped(report)
    return report


def _publish_all(dues: Iterable[Due], publish: Callable[[Due], bool], report: SweepReport) -> bool:
    for due in dues:
        if not publish(due):
            report.broker_unavailable = True
            return False
        report.enqueued += 1
    return True


def _stopped(report: SweepReport) -> SweepReport:
    logger.warning("Reminder sweep stopped: the broker is unavailable (%s handed over).", report.enqueued)
    return report


def _batches(items: Iterable[Due], size: int) -> Iterator[list[Due]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _not_in_log(batch: list[Due]) -> list[Due]:
    """The batch less the keys the sent-log already has (one query per kind in the batch)."""
    unique = list(dict.fromkeys(batch))
    known: set[tuple] = set()
    groups = itertools.groupby(
        sorted(unique, key=lambda due: (due.kind, due.content_type_id)),
        key=lambda due: (due.kind, due.content_type_id),
    )
    for (kind, content_type_id), dues in groups:
        rows = SentReminder.objects.filter(
            kind=kind, content_type_id=content_type_id, object_id__in=[due.object_id for due in dues]
        ).values_list("object_id", "due_on", "revision")
        known.update(
            (kind, content_type_id, object_id, due_on, revision) for object_id, due_on, revision in rows
        )
    return [
        due
        for due in unique
        if (due.kind, due.content_type_id, due.object_id, due.due_on, due.revision) not in known
    ]


def _left_behind(now: datetime.datetime) -> Iterator[Due]:
    stale_before = now - datetime.timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS)
    rows = (
        SentReminder.objects.filter(
            Q(status=SentReminder.Status.PENDING)
            | Q(status=SentReminder.Status.CLAIMED, claimed_at__lt=stale_before)
        )
        .values_list(
            "kind", "content_type_id", "object_id", "due_on", "organization_id", "program_id", "revision"
        )
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=settings.REMINDER_BATCH_SIZE):
        yield Due(*row)
