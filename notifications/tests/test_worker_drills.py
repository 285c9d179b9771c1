"""Drills with real parts: `celery worker` and `celery beat` processes, a Redis server each test
starts for itself (so that it can stop it, and so that low redelivery timeouts never touch a
shared broker), PostgreSQL shared with the workers, and an SMTP server on loopback. Each drill
counts the emails that arrive.

Workers run when a broker is configured (CI: Redis and PostgreSQL). Without one (`make test` on
SQLite) the workers cannot share the test database, and each drill runs its in-process
counterpart instead, as the other worker tests do.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import _free_port, wait_until
from mentorship.celery import app
from notifications.models import SentReminder
from notifications.sweep import reminders_sweep
from notifications.tasks import sweep_due_reminders
from participants.models import Participation

from .conftest import accepted_days_ago

ROOT = Path(__file__).resolve().parents[2]
ST = SentReminder.Status
WITH_WORKERS = not django_settings.CELERY_TASK_ALWAYS_EAGER

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("Real workers need a database they can share: set DATABASE_URL to PostgreSQL.")
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# --- A Redis server of the test's own ---------------------------------------------------------


@dataclass
class DrillRedis:
    directory: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or pytest.fail("redis-server is not installed.")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            import redis

            try:
                return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
            except redis.exceptions.ConnectionError:
                return False

        answers.__doc__ = "the drill's Redis answers"
        wait_until(answers, timeout=15)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None


@pytest.fixture
def drill_redis(tmp_path) -> Iterator[DrillRedis]:
    server = DrillRedis(directory=tmp_path)
    server.start()
    yield server
    server.stop()


@contextlib.contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """Points this process's Celery app at the drill's broker, for real (not in-process).
    `_after_fork` drops the pooled connections, as Celery does in a forked child, so that the
    next publish connects to the new address."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    app._after_fork()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        app._after_fork()


# --- Worker and beat processes -----------------------------------------------------------------


@dataclass
class Processes:
    directory: Path
    broker_url: str
    smtp_port: int
    running: dict[str, tuple[subprocess.Popen, Path]] = field(default_factory=dict)

    def _start(self, name: str, arguments: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = self.directory / f"{name}.log"
        handle = log.open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentorship", *arguments, "--loglevel=INFO"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": _database_url(),
                "CELERY_BROKER_URL": self.broker_url,
                "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
                "CONN_MAX_AGE": "0",
                **env,
            },
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        handle.close()
        self.running[name] = (process, log)
        return process

    def worker(self, name: str, **env: str) -> subprocess.Popen:
        arguments = ["worker", "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        return self._start(name, [*arguments, "-n", f"{name}@%h"], env)

    def beat(self, **env: str) -> subprocess.Popen:
        return self._start("beat", ["beat", f"--schedule={self.directory / 'beat-schedule'}"], env)

    def log(self, name: str) -> str:
        return self.running[name][1].read_text(errors="replace")

    def count_in_log(self, name: str, text: str) -> int:
        return self.log(name).count(text)

    def kill(self, name: str) -> None:
        """SIGKILL: the process has no chance to acknowledge or give anything back."""
        process, _log = self.running[name]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=15)

    def stop_all(self) -> None:
        for name, (process, log) in self.running.items():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            print(f"--- {name} ---\n{log.read_text(errors='replace')[-6000:]}")  # shown when a test fails


def sweeps_done(processes: Processes, *names: str) -> int:
    done = "Task notifications.tasks.sweep_due_reminders["
    return sum(
        1
        for name in names
        for line in processes.log(name).splitlines()
        if done in line and "succeeded" in line
    )


# --- The drills ---------------------------------------------------------------------------------


def test_beat_and_two_workers_send_one_email_per_due_reminder_however_many_sweeps(
    scripted_smtp, drill_redis, tmp_path, program
):
    """Beat wakes the sweep every second and two workers take the work; sweeps keep running while
    the emails are on their way and after. Each person still gets one email."""
    smtp = scripted_smtp()
    people = [accepted_days_ago(program, 8) for _ in range(6)]
    if not WITH_WORKERS:
        for _ in range(3):
            sweep_due_reminders.delay()
    else:
        processes = Processes(directory=tmp_path, broker_url=drill_redis.url, smtp_port=smtp.port)
        try:
            processes.worker("first")
            processes.worker("second")
            processes.beat(REMINDER_SWEEP_SECONDS="1")
            smtp.wait_for(len(people), timeout=90)
            sweeps_when_sent = sweeps_done(processes, "first", "second")

            def three_more_sweeps() -> bool:
                return sweeps_done(processes, "first", "second") >= sweeps_when_sent + 3

            three_more_sweeps.__doc__ = "three more sweeps ran after the emails arrived"
            wait_until(three_more_sweeps, timeout=60)
        finally:
            processes.stop_all()

    assert sorted(m["To"] for m in smtp.received()) == sorted(p.person.email for p in people)
    assert set(SentReminder.objects.values_list("status", "attempts")) == {(ST.SENT, 1)}


def test_smtp_refusing_for_a_while_is_retried_by_the_worker_and_one_email_arrives(
    scripted_smtp, drill_redis, tmp_path, program
):
    smtp = scripted_smtp(refuse=2)
    person = accepted_days_ago(program, 8)
    if not WITH_WORKERS:
        reminders_sweep()
    else:
        processes = Processes(directory=tmp_path, broker_url=drill_redis.url, smtp_port=smtp.port)
        try:
            processes.worker("worker", REMINDER_RETRY_BACKOFF="1", REMINDER_RETRY_BACKOFF_MAX="2")
            with publishing_to(drill_redis.url):
                assert reminders_sweep().enqueued == 1
            smtp.wait_for(1, timeout=60)
            wait_until(lambda: SentReminder.objects.filter(status=ST.SENT).exists(), timeout=30)
            assert processes.count_in_log("worker", "Retry in") == 2
        finally:
            processes.stop_all()

    assert [m["To"] for m in smtp.received()] == [person.person.email]
    assert smtp.data_count() == 3
    reminder = SentReminder.objects.get()
    assert (reminder.status, reminder.attempts, reminder.last_error) == (ST.SENT, 3, "")


def test_worker_killed_during_a_send_the_message_comes_back_and_one_email_arrives(
    scripted_smtp, drill_redis, tmp_path, program, settings
):
    """The SMTP server holds the first message. The worker that sent it is killed (SIGKILL) while
    it waits for the answer, so it never acknowledges the message; Redis hands it to the next
    worker after the visibility timeout, with the same task id, and that worker sends it."""
    smtp = scripted_smtp(hold=1)
    person = accepted_days_ago(program, 8)
    if not WITH_WORKERS:
        # In-process, nothing can be killed: the first attempt gives up on the held message after
        # EMAIL_TIMEOUT instead, and the same task's next attempt sends it.
        settings.EMAIL_TIMEOUT = 1
        reminders_sweep()
    else:
        processes = Processes(directory=tmp_path, broker_url=drill_redis.url, smtp_port=smtp.port)
        fast_redelivery = {
            "CELERY_VISIBILITY_TIMEOUT": "2",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        }
        try:
            processes.worker("doomed", **fast_redelivery)
            with publishing_to(drill_redis.url):
                assert reminders_sweep().enqueued == 1
            wait_until(lambda: smtp.data_count() >= 1, timeout=60)

            processes.kill("doomed")
            claimed = SentReminder.objects.get()
            assert (claimed.status, claimed.attempts) == (ST.CLAIMED, 1)
            smtp.release.set()
            assert smtp.received() == []

            processes.worker("rescuer", **fast_redelivery)
            smtp.wait_for(1, timeout=60)
            wait_until(lambda: SentReminder.objects.filter(status=ST.SENT).exists(), timeout=30)
            wait_until(lambda: "succeeded" in processes.log("rescuer"), timeout=30)
            assert "notifications.tasks.send_reminder[" + claimed.claimed_by in processes.log("rescuer")
        finally:
            processes.stop_all()

    assert [m["To"] for m in smtp.received()] == [person.person.email]
    assert smtp.data_count() == 2
    reminder = SentReminder.objects.get()
    assert (reminder.status, reminder.attempts) == (ST.SENT, 2)


def test_redis_down_while_a_coordinator_resends_the_request_succeeds_and_the_sweep_sends_once(
    scripted_smtp, drill_redis, tmp_path, client, coordinator, program, caplog
):
    smtp = scripted_smtp()
    person = accepted_days_ago(program, 8)
    failed = SentReminder.objects.create(
        kind="orientation_reminder",
        content_type=ContentType.objects.get_for_model(Participation),
        object_id=person.pk,
        due_on=timezone.localdate(person.status_changed_at) + datetime.timedelta(days=7),
        organization=program.organization,
        program=program,
        status=ST.FAILED,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        attempts=11,
    )
    client.force_login(coordinator)
    drill_redis.stop()

    with publishing_to(drill_redis.url):
        started = time.monotonic()
        response = client.post(reverse("notifications:resend", args=[failed.pk]), follow=True)
        elapsed = time.monotonic() - started

    assert response.status_code == 200 and "on its way again" in response.content.decode()
    assert elapsed < 5, f"the request took {elapsed:.1f} s with the broker down"
    assert "The broker did not take reminder" in caplog.text
    failed.refresh_from_db()
    assert failed.status == ST.PENDING
    assert smtp.received() == []

    drill_redis.start()
    if not WITH_WORKERS:
        sweep_due_reminders.delay()
        sweep_due_reminders.delay()
    else:
        processes = Processes(directory=tmp_path, broker_url=drill_redis.url, smtp_port=smtp.port)
        try:
            processes.worker("worker")
            with publishing_to(drill_redis.url):
                sweep_due_reminders.delay()
                smtp.wait_for(1, timeout=60)
                # The sweep and the send; then one more sweep, which finds nothing to send.
                wait_until(lambda: processes.log("worker").count("succeeded") >= 2, timeout=30)
                sweep_due_reminders.delay()
                wait_until(lambda: sweeps_done(processes, "worker") >= 2, timeout=30)
        finally:
            processes.stop_all()

    assert [m["To"] for m in smtp.received()] == [person.person.email]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (ST.SENT, 1, "")
