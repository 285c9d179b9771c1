"""Benchmark: COUNT due reminders through the real sweep and send path, in batches.

Creates an organization and a program with COUNT people accepted eight days ago (their
orientation reminder is due), then runs the sweep: once only reading what is due (the queries
and the sent-log check), once sending every email in-process through the real claim, templates
and email backend (the throughput), once more to check nothing is left, and the sends a second
time under tracemalloc (the peak memory). The email backend builds each message and drops it,
so that memory measures the mechanism rather than a list of sent emails. Everything is rolled
back at the end. Prints each phase, then one JSON line.
"""

from __future__ import annotations

import datetime
import json
import time
import tracemalloc
import uuid

from django.core.mail.backends.base import BaseEmailBackend
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.loader import get_template
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from mentorship.celery import app
from notifications.models import SentReminder
from notifications.registry import all_kinds
from notifications.sweep import reminders_sweep
from participants.models import Participation, Person
from programs.models import Organization, Program


class CountingBackend(BaseEmailBackend):
    """Builds each message as SMTP would (MIME, headers) and throws it away."""

    sent = 0

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.message().as_bytes()
        CountingBackend.sent += len(email_messages)
        return len(email_messages)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Runs COUNT due reminders through the sweep and the send, in batches, and reports as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--skip-traced-send",
            action="store_true",
            help="Leave out the second, traced send (tracemalloc makes it three to four times slower).",
        )

    def handle(self, *args, count: int, batch_size: int, skip_traced_send: bool, **options) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1.")
        report: dict = {"count": count, "batch_size": batch_size}
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        CountingBackend.sent = 0
        backend = f"{CountingBackend.__module__}.{CountingBackend.__qualname__}"
        try:
            with (
                override_settings(DEBUG=False, EMAIL_BACKEND=backend, REMINDER_BATCH_SIZE=batch_size),
                transaction.atomic(),
            ):
                self._run(count, report, traced_send=not skip_traced_send)
                raise Rollback
        except Rollback:
            pass
        finally:
            app.conf.task_always_eager = eager
        self.stdout.write(json.dumps(report))

    def _run(self, count: int, report: dict, *, traced_send: bool) -> None:
        started = time.perf_counter()
        program = _due_reminders(count)
        report["setup_s"] = round(time.perf_counter() - started, 2)
        self.stdout.write(
            f"Created {count:,} people whose orientation reminder is due in {report['setup_s']} s"
        )
        _warm_up()

        handed = [0]

        def count_only(due) -> bool:
            handed[0] += 1
            return True

        seconds, peak = _traced(lambda: reminders_sweep(publish=count_only))
        report.update(scan_s=round(seconds, 2), scan_per_s=round(handed[0] / seconds), scan_peak_mb=peak)
        self.stdout.write(
            f"Read {handed[0]:,} due in {seconds:.2f} s ({report['scan_per_s']:,}/s), peak {peak} MB"
        )

        started = time.perf_counter()
        reminders_sweep()
        seconds = time.perf_counter() - started
        sent = SentReminder.objects.filter(program=program, status=SentReminder.Status.SENT).count()
        report.update(
            sent=sent, emails=CountingBackend.sent, sweep_s=round(seconds, 2), per_s=round(sent / seconds)
        )
        self.stdout.write(f"Sent {sent:,} in {seconds:.2f} s ({report['per_s']:,}/s)")
        report["second_sweep_enqueued"] = reminders_sweep().enqueued

        # The same sends again under tracemalloc, which slows Python down several times: for the
        # peak memory only.
        report.update(traced_sweep_s=None, peak_mb=None)
        if not traced_send:
            return
        SentReminder.objects.filter(program=program).delete()
        seconds, peak = _traced(reminders_sweep)
        report.update(traced_sweep_s=round(seconds, 2), peak_mb=peak)
        self.stdout.write(f"Sent them again under tracemalloc in {seconds:.2f} s: peak {peak} MB")


def _warm_up() -> None:
    """Loads the URL configuration and the templates, once, so that the peak measures the sweep."""
    reverse("portal:home")
    for kind in all_kinds():
        get_template(f"{kind.template}.txt")
        get_template(f"{kind.template}.html")


def _traced(run) -> tuple[float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        run()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, round(peak / 1e6, 1)


def _due_reminders(count: int) -> Program:
    tag = uuid.uuid4().hex[:8]
    organization = Organization.objects.create(name=f"Benchmark council {tag}", slug=f"bench-{tag}")
    program = Program.objects.create(
        organization=organization, name="Benchmark mentorship", slug=f"bench-{tag}"
    )
    accepted_at = timezone.now() - datetime.timedelta(days=8)
    for start in range(0, count, 2000):
        size = min(2000, count - start)
        people = Person.objects.bulk_create(
            Person(
                organization=organization,
                first_name="Mentee",
                last_name=f"Number {start + index}",
                email=f"mentee{start + index}@bench.example",
            )
            for index in range(size)
        )
        Participation.objects.bulk_create(
            Participation(
                person=person,
                program=program,
                role=Participation.Role.MENTEE,
                status=Participation.Status.ACCEPTED,
                status_changed_at=accepted_at,
            )
            for person in people
        )
    return program
