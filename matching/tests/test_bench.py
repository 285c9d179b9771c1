"""The matching benchmark runs the app's code on a synthetic pool and reports as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _run(*arguments: str) -> tuple[list[str], dict]:
    out = StringIO()
    call_command("bench_matching", *arguments, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines, json.loads(lines[-1])


def test_benchmark_reports_times_memory_and_totals_against_the_optimum_and_greedy():
    lines, report = _run(
        "--mentees", "120", "--mentors", "100", "--capacity", "2", "--seed", "7", "--method", "sparse"
    )
    for key in ("score_s", "assign_s", "top10_ms", "peak_mb", "total_vs_optimum", "total_vs_greedy"):
        assert report[key] is not None and report[key] >= 0, key
    assert report["method"] == "sparse"
    assert 0.999 <= report["total_vs_optimum"] <= 1.0 + 1e-9
    assert report["total_vs_greedy"] >= 1.0
    assert report["total"] <= report["optimum_total"] + 1e-6
    assert any(line.startswith("Scoring 12,000 pairs") for line in lines)


def test_benchmark_picks_the_exact_method_for_small_pools_and_can_skip_the_optimum():
    _lines, report = _run("--mentees", "30", "--mentors", "30", "--no-optimum")
    assert report["method"] == "exact"
    assert report["total_vs_optimum"] is None
    assert report["pairs"] <= 30


def test_benchmark_refuses_an_empty_pool():
    with pytest.raises(CommandError):
        call_command("bench_matching", "--mentees", "0", stdout=StringIO())
