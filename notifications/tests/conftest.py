"""Real SMTP servers for the reminder tests: one that refuses for a while, one that holds a
message until the test lets it go, and settings that point Django's SMTP backend at them."""

from __future__ import annotations

import asyncio
import datetime
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes

import pytest
from django.utils import timezone

from conftest import SmtpSink, _free_port
from participants.models import Participation
from participants.tests.factories import ParticipationFactory


@dataclass
class ScriptedSmtp(SmtpSink):
    """An SMTP server on loopback that answers DATA as the test scripts it: `refuse` times with
    451 first, then it may `hold` the next messages (blocking until `release` is set, then
    refusing them, as a server whose client died would never deliver), then it accepts. With
    `reject` it refuses everything for good (554)."""

    refuse: int = 0
    hold: int = 0
    reject: bool = False
    release: threading.Event = field(default_factory=threading.Event)
    data_commands: int = 0

    def data_count(self) -> int:
        with self.lock:
            return self.data_commands


@pytest.fixture
def scripted_smtp(settings) -> Iterator[Callable[..., ScriptedSmtp]]:
    from aiosmtpd.controller import Controller

    controllers = []

    def start(*, refuse: int = 0, hold: int = 0, reject: bool = False) -> ScriptedSmtp:
        sink = ScriptedSmtp(host="127.0.0.1", port=_free_port(), refuse=refuse, hold=hold, reject=reject)

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.data_commands += 1
                    number = sink.data_commands
                if sink.reject:
                    return "554 5.7.1 Message refused"
                if number <= sink.refuse:
                    return "451 4.3.0 Mailbox busy, try again later"
                if number <= sink.refuse + sink.hold:
                    await asyncio.get_running_loop().run_in_executor(None, sink.release.wait, 120)
                    return "451 4.3.0 The client went away"
                with sink.lock:
                    sink.messages.append(message_from_bytes(envelope.original_content or envelope.content))
                return "250 Message accepted for delivery"

        controller = Controller(Handler(), hostname=sink.host, port=sink.port)
        controller.start()
        controllers.append((controller, sink))
        send_mail_to(settings, sink)
        return sink

    yield start
    for controller, sink in controllers:
        sink.release.set()
        controller.stop()


def send_mail_to(settings, sink: SmtpSink) -> None:
    """Django's real SMTP backend, pointed at the test's server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def mail(settings, smtp_server) -> SmtpSink:
    send_mail_to(settings, smtp_server)
    return smtp_server


def accepted_days_ago(program, days: int, **fields) -> Participation:
    """A mentee accepted `days` days ago (to the hour) who has not finished orientation."""
    return ParticipationFactory(
        program=program,
        status=Participation.Status.ACCEPTED,
        status_changed_at=timezone.now() - datetime.timedelta(days=days),
        **fields,
    )


def text_body(message) -> str:
    part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()
