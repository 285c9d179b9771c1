"""The staff invitation travels through Celery: after commit, by a real worker when a broker is
configured (CI: Redis and PostgreSQL), in-process otherwise, and over real SMTP either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from conftest import wait_until
from programs.models import ActivityEntry
from programs.services import staff_invite

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("A real worker needs a database it can share: set DATABASE_URL to PostgreSQL.")
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(smtp_server, settings, transactional_db):
    """Starts `celery worker` against the broker and the test database; None in eager mode."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.host, smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    if django_settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from mentorship.celery import app

    app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mentorship",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)  # shown by pytest when the test fails


@pytest.mark.worker
def test_invitation_email_is_sent_after_commit(celery_worker, smtp_server, organization, org_admin):
    membership = staff_invite(
        organization=organization,
        email="Amina.Haddad@Example.org",
        first_name="Amina",
        last_name="Haddad",
        role="coordinator",
        actor=org_admin,
    )

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "amina.haddad@example.org"
    assert organization.name in message["Subject"]
    body = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "/accounts/password/reset/key/" in body.get_payload(decode=True).decode()

    def logged():
        return ActivityEntry.objects.filter(
            verb="staff.invitation_sent", target_id=str(membership.pk)
        ).exists()

    logged.__doc__ = "the worker logged the invitation as sent"
    wait_until(logged)


@pytest.mark.worker
def test_invitation_rolled_back_is_never_sent(celery_worker, smtp_server, organization, org_admin):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        staff_invite(
            organization=organization,
            email="never@example.org",
            first_name="Never",
            last_name="Sent",
            role="coordinator",
            actor=org_admin,
        )
        raise Abort
    # A committed invitation after it: the worker handles tasks in order, so once this one has
    # arrived, the rolled-back one would have arrived before it if it had been enqueued.
    staff_invite(
        organization=organization,
        email="kwame@example.org",
        first_name="Kwame",
        last_name="Mensah",
        role="coordinator",
        actor=org_admin,
    )

    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == ["kwame@example.org"]
