"""Fixtures shared by every app's tests: people in roles, a real SMTP server, a real browser."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import factory.random
import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from programs.models import StaffMembership
from programs.tests.factories import OrganizationFactory, ProgramFactory, StaffMembershipFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _fixed_seed() -> None:
    factory.random.reseed_random(2026)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_in_process(request) -> Iterator[None]:
    """Runs Celery tasks in the test's own process, except in tests marked `worker`, which
    hand them to a real worker through the broker when one is configured."""
    from mentorship.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Prairie Region Immigrant Employment Council")


@pytest.fixture
def program(organization):
    return ProgramFactory(organization=organization, name="Engineering Mentorship")


@pytest.fixture
def coordinator(organization, program):
    return StaffMembershipFactory(organization=organization).user


@pytest.fixture
def org_admin(organization, program):
    return StaffMembershipFactory(organization=organization, role=StaffMembership.Role.ADMIN).user


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Riverbend Family Services")


@pytest.fixture
def other_program(other_organization):
    return ProgramFactory(organization=other_organization, name="Newcomer Careers")


@pytest.fixture
def other_coordinator(other_organization, other_program):
    return StaffMembershipFactory(organization=other_organization, role=StaffMembership.Role.ADMIN).user


@pytest.fixture
def participant_user(db):
    return UserFactory()


@pytest.fixture
def login(client) -> Callable:
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password() -> str:
    return PASSWORD


def wait_until(condition: Callable[[], object], *, timeout: float = 60, interval: float = 0.1):
    """Polls until the condition holds and returns its value; fails the test at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Condition not met within {timeout} s: {condition.__doc__ or condition}")
        time.sleep(interval)


# --- A real SMTP server on loopback ---------------------------------------------------------


@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self) -> list[Message]:
        with self.lock:
            return list(self.messages)

    def wait_for(self, count: int, timeout: float = 60) -> list[Message]:
        def enough():
            return len(self.received()) >= count

        enough.__doc__ = f"{count} email(s) received"
        wait_until(enough, timeout=timeout)
        return self.received()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink(host="127.0.0.1", port=_free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with sink.lock:
                sink.messages.append(message_from_bytes(envelope.original_content or envelope.content))
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


# --- A real browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI but {CHROMIUM} is missing.")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard must stand aside for browser tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab that fails the test on any console error or page error."""
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    tab = context.new_page()
    errors: list[str] = []
    tab.on(
        "console",
        lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)
