"""Cohort assignment: worked examples, and properties that hold for any pool."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.assignment import assign, assign_exact, assign_sparse, greedy, summary
from matching.scoring import forbidden_mask, score_matrix
from matching.synthetic import synthetic_pool

METHODS = [assign_exact, assign_sparse]


def total(pairs, scores) -> float:
    return summary(pairs, scores).total


def test_summary_counts_totals_and_finds_the_lowest():
    scores = np.array([[10, 80], [60, 30]], dtype=np.float32)
    result = summary([(0, 1), (1, 0)], scores)
    assert (result.count, result.total, result.lowest, result.mean) == (2, 140, 60, 70)
    assert summary([], scores).count == 0


@pytest.mark.parametrize("method", METHODS)
def test_first_come_greedy_loses_where_the_optimum_does_not(method):
    # The first mentee takes the mentor both would like; the second is left with a poor match.
    scores = np.array([[90, 85], [88, 40]], dtype=np.float32)
    assert greedy(scores, [1, 1]) == [(0, 0), (1, 1)]
    assert method(scores, [1, 1]) == [(0, 1), (1, 0)]


@pytest.mark.parametrize("method", METHODS)
def test_mentors_take_as_many_mentees_as_their_capacity(method):
    scores = np.array([[90, 50], [85, 60], [80, 70]], dtype=np.float32)
    assert method(scores, [2, 1]) == [(0, 0), (1, 0), (2, 1)]
    assert method(scores, [0, 1]) == [(2, 1)]


@pytest.mark.parametrize("method", METHODS)
def test_pairs_below_the_minimum_or_forbidden_are_never_proposed(method):
    scores = np.array([[90, 30], [95, 35]], dtype=np.float32)
    forbidden = np.array([[False, False], [True, False]])
    assert method(scores, [1, 1], forbidden, 40) == [(0, 0)]
    assert method(scores, [1, 1], None, 96) == []


def test_assign_uses_the_exact_solver_for_small_pools_and_says_so_for_bad_methods():
    scores = np.array([[90, 85], [88, 40]], dtype=np.float32)
    assert assign(scores, [1, 1]) == [(0, 1), (1, 0)]
    with pytest.raises(ValueError):
        assign(scores, [1, 1], method="magic")


def test_greedy_follows_application_order_unless_told_otherwise():
    scores = np.array([[90, 85], [88, 40]], dtype=np.float32)
    assert greedy(scores, [1, 1], order=[1, 0]) == [(0, 1), (1, 0)]


def _brute_force_optimum(scores, capacities, forbidden, min_score) -> float:
    """Every way of giving each mentee a mentor or none, for tiny pools."""
    n, m = scores.shape
    best = 0.0
    for choice in itertools.product(range(-1, m), repeat=n):
        used = np.bincount([c for c in choice if c >= 0], minlength=m)
        if (used > capacities).any():
            continue
        pairs = [(i, c) for i, c in enumerate(choice) if c >= 0]
        if any(forbidden[i, c] or scores[i, c] < min_score for i, c in pairs):
            continue
        best = max(best, float(sum(scores[i, c] for i, c in pairs)))
    return best


@st.composite
def pools(draw, max_mentees=8, max_mentors=8):
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # Rounded scores make ties, the hard case for solvers.
    scores = np.round(rng.uniform(0, 100, (n, m)), decimals=int(rng.integers(0, 2))).astype(np.float32)
    capacities = rng.integers(0, 4, m)
    forbidden = rng.random((n, m)) < draw(st.sampled_from([0.0, 0.2, 0.6]))
    min_score = draw(st.sampled_from([0.0, 30.0, 60.0]))
    return scores, capacities, forbidden, min_score


@settings(derandomize=True, max_examples=150, deadline=None)
@given(pool=pools())
def test_any_pool_capacity_rules_and_minimum_hold_and_the_total_beats_greedy(pool):
    scores, capacities, forbidden, min_score = pool
    greedy_pairs = greedy(scores, capacities, forbidden, min_score)
    exact_total = None
    for method in METHODS:
        pairs = method(scores, capacities, forbidden, min_score)
        mentees = [i for i, _j in pairs]
        assert len(mentees) == len(set(mentees)), "a mentee matched twice"
        used = np.bincount([j for _i, j in pairs], minlength=len(capacities))
        assert (used <= capacities).all(), "a mentor over capacity"
        assert not any(forbidden[i, j] for i, j in pairs), "a forbidden pair"
        assert all(scores[i, j] >= min_score for i, j in pairs), "a pair below the minimum"
        assert total(pairs, scores) >= total(greedy_pairs, scores) - 1e-3
        if method is assign_exact:
            exact_total = total(pairs, scores)
        else:
            assert total(pairs, scores) <= exact_total + 1e-3
    for pairs in (greedy_pairs,):
        used = np.bincount([j for _i, j in pairs], minlength=len(capacities))
        assert (used <= capacities).all()


@settings(derandomize=True, max_examples=60, deadline=None)
@given(pool=pools(max_mentees=4, max_mentors=3))
def test_the_exact_method_finds_the_brute_force_optimum(pool):
    scores, capacities, forbidden, min_score = pool
    pairs = assign_exact(scores, capacities, forbidden, min_score)
    assert total(pairs, scores) == pytest.approx(
        _brute_force_optimum(scores, capacities, forbidden, min_score)
    )


@pytest.mark.parametrize(("size", "capacity"), [(60, 1), (80, 2)])
def test_on_realistic_pools_the_sparse_method_reaches_the_optimum_and_greedy_falls_short(size, capacity):
    pool = synthetic_pool(size, size // capacity, capacity=capacity, seed=size)
    scores = score_matrix(pool.mentees, pool.mentors)
    forbidden = forbidden_mask(pool.mentees, pool.mentors, do_not_match=pool.do_not_match)
    capacities = [mentor.capacity for mentor in pool.mentors]
    optimum = total(assign_exact(scores, capacities, forbidden, 40), scores)
    sparse = total(assign_sparse(scores, capacities, forbidden, 40), scores)
    first_come = total(greedy(scores, capacities, forbidden, 40), scores)
    assert sparse >= 0.999 * optimum
    assert first_come < 0.99 * optimum
