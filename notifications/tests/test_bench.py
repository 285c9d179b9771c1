"""The reminder benchmark runs the real sweep and send path and reports as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notifications.models import SentReminder
from participants.models import Person

pytestmark = pytest.mark.django_db


def test_benchmark_sends_each_due_reminder_once_in_batches_and_leaves_nothing_behind():
    out = StringIO()
    call_command("bench_reminders", "--count", "60", "--batch-size", "25", stdout=out)
    report = json.loads(out.getvalue().strip().splitlines()[-1])

    assert report["sent"] == report["emails"] == 60
    assert report["second_sweep_enqueued"] == 0
    for key in (
        "setup_s",
        "scan_s",
        "scan_per_s",
        "sweep_s",
        "per_s",
        "peak_mb",
        "scan_peak_mb",
        "traced_sweep_s",
    ):
        assert report[key] >= 0, key
    assert not SentReminder.objects.exists() and not Person.objects.exists()


def test_benchmark_refuses_nothing_to_do():
    with pytest.raises(CommandError):
        call_command("bench_reminders", "--count", "0", stdout=StringIO())


def test_benchmark_can_leave_out_the_traced_send():
    out = StringIO()
    call_command("bench_reminders", "--count", "20", "--skip-traced-send", stdout=out)
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert report["sent"] == 20 and report["peak_mb"] is None and report["scan_peak_mb"] >= 0
