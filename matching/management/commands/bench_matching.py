"""Times the matching engine on a synthetic pool, through the same code the app uses.

    python manage.py bench_matching --mentees 5000 --mentors 5000 --capacity 1 --seed 1

Prints the time of each step, the peak memory, and the total score of the cohort assignment
against the exact optimum and against first-come greedy matching. The last line is one JSON
object for scripts.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from matching import assignment
from matching.scoring import MentorPool, Weights, explain, forbidden_mask, score_matrix, top_k
from matching.synthetic import synthetic_pool

TOP_K = 10
TOP_K_SAMPLES = 25


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark scoring, top-10 suggestions and cohort assignment on a synthetic pool."

    def add_arguments(self, parser):
        parser.add_argument("--mentees", type=int, default=1000)
        parser.add_argument("--mentors", type=int, default=1000)
        parser.add_argument("--capacity", type=int, default=1, help="Mentees each mentor can take.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--min-score", type=float, default=40.0)
        parser.add_argument(
            "--method", choices=["auto", "exact", "sparse"], default="auto", help="Cohort assignment method."
        )
        parser.add_argument(
            "--no-optimum", action="store_true", help="Skip the exact optimum (slow on large pools)."
        )

    def handle(self, *args, mentees, mentors, capacity, seed, min_score, method, no_optimum, **options):
        if mentees < 1 or mentors < 1 or capacity < 1:
            raise CommandError("--mentees, --mentors and --capacity must be at least 1.")
        say = self.stdout.write
        weights = Weights()

        started = time.perf_counter()
        pool = synthetic_pool(mentees, mentors, capacity=capacity, seed=seed)
        generate_s = time.perf_counter() - started
        say(
            f"Synthetic pool: {mentees} mentees, {mentors} mentors taking {capacity} each, "
            f"seed {seed} ({generate_s:.2f} s)"
        )

        started = time.perf_counter()
        scores = score_matrix(pool.mentees, pool.mentors, weights)
        score_s = time.perf_counter() - started
        say(f"Scoring {mentees * mentors:,} pairs: {score_s:.3f} s")

        started = time.perf_counter()
        forbidden = forbidden_mask(pool.mentees, pool.mentors, do_not_match=pool.do_not_match)
        rules_s = time.perf_counter() - started
        say(f"Hard rules: {rules_s:.3f} s (pairs marked do not match: {len(pool.do_not_match)})")

        top10_ms, top10_cold_ms, explain_ms = self._suggestions(pool, weights, seed)
        say(
            f"Top {TOP_K} for one mentee among {mentors} mentors: {top10_ms:.1f} ms (median of "
            f"{TOP_K_SAMPLES}); {top10_cold_ms:.1f} ms encoding the mentors too; "
            f"explaining the {TOP_K}: {explain_ms:.1f} ms"
        )

        capacities = np.array([mentor.capacity for mentor in pool.mentors])
        places = int(np.minimum(capacities, mentees).sum())
        chosen = method
        if chosen == "auto":
            chosen = "exact" if mentees * places <= assignment.EXACT_MAX_CELLS else "sparse"
        started = time.perf_counter()
        pairs = assignment.assign(scores, capacities, forbidden, min_score, method=chosen)
        assign_s = time.perf_counter() - started
        result = assignment.summary(pairs, scores)
        say(f"Cohort assignment ({chosen}): {assign_s:.3f} s, {self._describe(result)}")

        started = time.perf_counter()
        greedy_pairs = assignment.greedy(scores, capacities, forbidden, min_score)
        greedy_s = time.perf_counter() - started
        greedy = assignment.summary(greedy_pairs, scores)
        say(f"First-come greedy: {greedy_s:.3f} s, {self._describe(greedy)}")
        peak_mb = _peak_mb()
        say(f"Peak memory so far: {peak_mb:.0f} MB")

        report = {
            "mentees": mentees,
            "mentors": mentors,
            "capacity": capacity,
            "seed": seed,
            "min_score": min_score,
            "method": chosen,
            "score_s": round(score_s, 4),
            "rules_s": round(rules_s, 4),
            "assign_s": round(assign_s, 4),
            "greedy_s": round(greedy_s, 4),
            "top10_ms": round(top10_ms, 2),
            "top10_cold_ms": round(top10_cold_ms, 2),
            "explain10_ms": round(explain_ms, 2),
            "peak_mb": round(peak_mb, 1),
            "pairs": result.count,
            "total": round(result.total, 2),
            "lowest": round(result.lowest, 2),
            "greedy_pairs": greedy.count,
            "greedy_total": round(greedy.total, 2),
            "greedy_lowest": round(greedy.lowest, 2),
            "total_vs_greedy": round(result.total / greedy.total, 5) if greedy.total else None,
        }
        if no_optimum:
            report.update(optimum_s=None, optimum_total=None, total_vs_optimum=None)
        else:
            started = time.perf_counter()
            optimum = assignment.summary(
                assignment.assign_exact(scores, capacities, forbidden, min_score), scores
            )
            optimum_s = time.perf_counter() - started
            say(f"Exact optimum (linear_sum_assignment): {optimum_s:.3f} s, {self._describe(optimum)}")
            report.update(
                optimum_s=round(optimum_s, 4),
                optimum_total=round(optimum.total, 2),
                total_vs_optimum=round(result.total / optimum.total, 6) if optimum.total else None,
                peak_mb_with_optimum=round(_peak_mb(), 1),
            )
            say(f"Assignment total: {100 * (report['total_vs_optimum'] or 0):.3f}% of the optimum")
        say(f"Assignment total: {100 * (report['total_vs_greedy'] or 0):.2f}% of greedy's")
        say(json.dumps(report))

    def _suggestions(self, pool, weights: Weights, seed: int) -> tuple[float, float, float]:
        """Median time to score one mentee against pre-encoded mentors and keep the best 10;
        the time with encoding the mentors; and the time to explain the 10."""
        started = time.perf_counter()
        mentor_pool = MentorPool(pool.mentors)
        self._top(pool.mentees[0], mentor_pool, pool, weights)
        cold_ms = (time.perf_counter() - started) * 1000
        samples, best = [], []
        for mentee in random.Random(seed).sample(pool.mentees, min(TOP_K_SAMPLES, len(pool.mentees))):
            started = time.perf_counter()
            best = self._top(mentee, mentor_pool, pool, weights)
            samples.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for column in best:
            explain(mentee, pool.mentors[column], weights)
        explain_ms = (time.perf_counter() - started) * 1000
        return statistics.median(samples), cold_ms, explain_ms

    @staticmethod
    def _top(mentee, mentor_pool: MentorPool, pool, weights: Weights) -> np.ndarray:
        row = score_matrix([mentee], mentor_pool, weights)[0]
        forbidden = forbidden_mask([mentee], mentor_pool, do_not_match=pool.do_not_match)[0]
        return top_k(row, TOP_K, forbidden)

    @staticmethod
    def _describe(result: assignment.Summary) -> str:
        return (
            f"{result.count} pairs, total {result.total:,.1f}, "
            f"lowest {result.lowest:.1f}, mean {result.mean:.1f}"
        )
