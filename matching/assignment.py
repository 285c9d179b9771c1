"""Cohort assignment: which mentee goes with which mentor, for a whole cohort at once.

`assign` maximises the total score of the proposed pairs, under the mentors' capacities and
the hard rules, never proposing a forbidden pair or one below the minimum score; a mentee may
stay unmatched. Once each mentor is repeated as many times as the mentees they can take (their
"places"), this is a linear assignment problem:

- `assign_exact` solves it exactly with SciPy's `linear_sum_assignment` on the dense matrix.
  Its time grows with the cube of the size: about 0.2 s for 1,000 × 1,000 but 20 s for
  5,000 × 5,000 on our machines, so `assign` uses it up to EXACT_MAX_CELLS.
- `assign_sparse`, for larger pools, solves it exactly on the candidate pairs, with SciPy's
  sparse solver (`min_weight_full_bipartite_matching`). Keeping each mentee's best mentors by
  score is not enough: when many mentees want the same few mentors, the optimum sends some of
  them far down their lists (in a synthetic pool of 2,000, one mentee in ten got a mentor
  ranked below 400th on their own list). So a quick auction (Bertsekas) first prices each
  mentor place by how contested it is, and each mentee keeps the mentors whose score less
  price is within CANDIDATE_MARGIN of their best. The auction's own pairs and greedy's pairs
  are kept too, so the result is never worse than either. The benchmark compares it with the
  exact optimum.

`greedy` is first-come matching as coordinators do it by hand, for comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

# `assign` solves exactly up to this many cells (mentees × mentor places), about 1,400 × 1,400.
EXACT_MAX_CELLS = 2_000_000
# The auction raises a price by at least this much per bid. Smaller is more precise and slower;
# the usual speed-up of decreasing steps spoils prices when places outnumber mentees.
AUCTION_STEP = 2.0
CANDIDATE_MARGIN = 6.0  # points of score less price below a mentee's best that stay candidates
MAX_CANDIDATES = 20  # per mentee, at most
_CHUNK = 256  # mentees handled at once: keeps temporary arrays to a few megabytes

Pairs = list[tuple[int, int]]


@dataclass(frozen=True)
class Summary:
    count: int
    total: float
    lowest: float
    mean: float


def summary(pairs: Pairs, scores: np.ndarray) -> Summary:
    """How many pairs, their total score, the lowest and the mean."""
    if not pairs:
        return Summary(count=0, total=0.0, lowest=0.0, mean=0.0)
    rows, columns = np.asarray(pairs).T
    values = scores[rows, columns].astype(np.float64)
    return Summary(
        count=len(pairs), total=float(values.sum()), lowest=float(values.min()), mean=float(values.mean())
    )


def allowed_mask(
    scores: np.ndarray, capacities, forbidden: np.ndarray | None, min_score: float
) -> np.ndarray:
    """bool (mentees, mentors): pairs that may be proposed."""
    allowed = scores >= np.float32(min_score)
    if forbidden is not None:
        allowed &= ~forbidden
    allowed &= np.asarray(capacities)[None, :] > 0
    return allowed


def _capacities(capacities, mentees: int) -> np.ndarray:
    """Places of each mentor: what they offer, never below 0 nor above the number of mentees."""
    return np.clip(np.asarray(capacities, dtype=np.int64), 0, mentees)


def assign(
    scores: np.ndarray,
    capacities,
    forbidden: np.ndarray | None = None,
    min_score: float = 0.0,
    *,
    method: str = "auto",
) -> Pairs:
    """(mentee, mentor) index pairs with the largest total score; see the module docstring.

    `method` is "exact", "sparse", or "auto": exact up to EXACT_MAX_CELLS cells.
    """
    n = scores.shape[0]
    places = int(_capacities(capacities, n).sum())
    if method == "auto":
        method = "exact" if n * places <= EXACT_MAX_CELLS else "sparse"
    if method == "exact":
        return assign_exact(scores, capacities, forbidden, min_score)
    if method == "sparse":
        return assign_sparse(scores, capacities, forbidden, min_score)
    raise ValueError(f"Unknown assignment method {method!r}.")


def assign_exact(
    scores: np.ndarray, capacities, forbidden: np.ndarray | None = None, min_score: float = 0.0
) -> Pairs:
    """The optimum, by `linear_sum_assignment` on the mentees × mentor places matrix.

    A pair that may not be proposed is worth 0 there, the same as leaving the mentee
    unmatched, so the solver gains nothing by choosing it; any such pair it returns is dropped.
    """
    n, m = scores.shape
    capacities = _capacities(capacities, n)
    place_mentor = np.repeat(np.arange(m), capacities)
    if n == 0 or len(place_mentor) == 0:
        return []
    allowed = allowed_mask(scores, capacities, forbidden, min_score)
    cost = scores.astype(np.float64)  # the solver works in float64 anyway
    np.negative(cost, out=cost)  # it minimises
    cost[~allowed] = 0.0
    if not np.array_equal(place_mentor, np.arange(m)):
        cost, allowed = cost[:, place_mentor], allowed[:, place_mentor]
    rows, columns = linear_sum_assignment(cost)
    keep = allowed[rows, columns]
    return sorted(zip(rows[keep].tolist(), place_mentor[columns[keep]].tolist(), strict=True))


class _Benefit:
    """The score of each allowed pair, minus infinity for the others."""

    def __init__(self, scores: np.ndarray, capacities: np.ndarray, forbidden: np.ndarray | None, min_score):
        self.matrix = np.where(
            allowed_mask(scores, capacities, forbidden, min_score), scores, np.float32(-np.inf)
        )

    def rows(self, index) -> np.ndarray:
        return self.matrix[index]


def assign_sparse(
    scores: np.ndarray, capacities, forbidden: np.ndarray | None = None, min_score: float = 0.0
) -> Pairs:
    """The optimum over the candidate pairs (module docstring), for pools too large for
    `assign_exact`. Each mentee also gets a place of their own worth nothing, so that staying
    unmatched is always possible and the solver's full matching always exists."""
    n, m = scores.shape
    capacities = _capacities(capacities, n)
    place_mentor = np.repeat(np.arange(m), capacities)
    if n == 0 or len(place_mentor) == 0:
        return []
    benefit = _Benefit(scores, capacities, forbidden, min_score)
    place_prices, auction_places = _auction(benefit, n, place_mentor)
    # A mentor's price is that of their cheapest place.
    first_place = np.concatenate([[0], np.cumsum(capacities)])
    mentor_prices = np.zeros(m, dtype=np.float32)
    offered = capacities > 0
    if offered.any():
        mentor_prices[offered] = np.minimum.reduceat(place_prices, first_place[:-1][offered])

    rows, columns = _candidates(benefit, n, mentor_prices)
    auctioned = auction_places >= 0
    greedy_pairs = np.asarray(greedy(scores, capacities, forbidden, min_score), dtype=np.int64).reshape(-1, 2)
    del benefit
    rows = np.concatenate([rows, np.flatnonzero(auctioned), greedy_pairs[:, 0]])
    columns = np.concatenate([columns, place_mentor[auction_places[auctioned]], greedy_pairs[:, 1]])
    if len(rows) == 0:
        return []
    unique = np.unique(rows * m + columns)
    rows, columns = unique // m, unique % m
    values = scores[rows, columns].astype(np.float64)

    # Every candidate pair becomes an edge to each place of its mentor.
    per_pair = capacities[columns]
    edge_rows = np.repeat(rows, per_pair)
    edge_places = np.repeat(first_place[columns], per_pair) + (
        np.arange(per_pair.sum()) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    )
    # The solver minimises and wants no zero weights: (ceiling - score) for a pair, and the
    # ceiling for staying unmatched. Every mentee is matched once, so minimising the sum of
    # these weights maximises the total score.
    ceiling = float(values.max()) + 1.0
    places = len(place_mentor)
    graph = sparse.csr_matrix(
        (
            np.concatenate([ceiling - np.repeat(values, per_pair), np.full(n, ceiling)]),
            (np.concatenate([edge_rows, np.arange(n)]), np.concatenate([edge_places, places + np.arange(n)])),
        ),
        shape=(n, places + n),
    )
    matched_rows, matched_places = min_weight_full_bipartite_matching(graph)
    real = matched_places < places
    return sorted(zip(matched_rows[real].tolist(), place_mentor[matched_places[real]].tolist(), strict=True))


def _auction(benefit: _Benefit, n: int, place_mentor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(price of each place, place of each mentee or -1) after a forward auction in which all
    unplaced mentees bid at once (Bertsekas' Jacobi auction).

    Each mentee bids for the place with the best score less price, raising its price by their
    margin over their second best (or over staying unmatched) plus AUCTION_STEP; the highest
    bid wins and the mentee it displaces bids again. Prices start at 0 and a place nobody bid
    for stays at 0, which is what makes the prices meaningful when places outnumber mentees.
    The prices only guide the choice of candidates: the solver decides.
    """
    places = len(place_mentor)
    identity = places == benefit.matrix.shape[1] and np.array_equal(place_mentor, np.arange(places))
    prices = np.zeros(places, dtype=np.float32)
    holder = np.full(places, -1, dtype=np.int64)
    place_of = np.full(n, -1, dtype=np.int64)
    bidders = np.arange(n)
    for _round in range(20 * n + 100):  # a bound far above what converging takes
        if bidders.size == 0:
            break
        best, best_value, second_value = _two_best(benefit, bidders, place_mentor, prices, identity)
        # Nothing worth more than its price: the mentee stays unmatched.
        bidding = best_value > 0
        bidders, best = bidders[bidding], best[bidding]
        bids = prices[best] + (best_value[bidding] - np.maximum(second_value[bidding], 0))
        bids += np.float32(AUCTION_STEP)
        # The highest bid for each place wins.
        order = np.lexsort((-bids, best))
        first = np.ones(len(order), dtype=bool)
        first[1:] = best[order][1:] != best[order][:-1]
        winners = order[first]
        won = best[winners]
        outbid = holder[won]
        place_of[outbid[outbid >= 0]] = -1
        holder[won] = bidders[winners]
        place_of[bidders[winners]] = won
        prices[won] = bids[winners]
        lost = np.ones(len(bidders), dtype=bool)
        lost[winners] = False
        bidders = np.concatenate([bidders[lost], outbid[outbid >= 0]])
    return prices, place_of


def _two_best(
    benefit: _Benefit, bidders: np.ndarray, place_mentor: np.ndarray, prices: np.ndarray, identity: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each bidder: the place with the best value (score less price), that value, and the
    second best value."""
    best = np.empty(len(bidders), dtype=np.int64)
    best_value = np.empty(len(bidders), dtype=np.float32)
    second_value = np.empty(len(bidders), dtype=np.float32)
    for start in range(0, len(bidders), _CHUNK):
        rows = benefit.rows(bidders[start : start + _CHUNK])
        values = (rows if identity else rows[:, place_mentor]) - prices
        index = np.arange(len(values))
        top = np.argmax(values, axis=1)
        best[start : start + _CHUNK] = top
        best_value[start : start + _CHUNK] = values[index, top]
        values[index, top] = -np.inf
        second_value[start : start + _CHUNK] = values.max(axis=1) if values.shape[1] > 1 else -np.inf
    return best, best_value, second_value


def _candidates(benefit: _Benefit, n: int, mentor_prices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mentee, mentor) pairs whose score less price is within CANDIDATE_MARGIN of the
    mentee's best, at most MAX_CANDIDATES per mentee (the best ones)."""
    found_rows, found_columns = [], []
    for start in range(0, n, _CHUNK):
        values = benefit.rows(slice(start, start + _CHUNK)) - mentor_prices
        best = values.max(axis=1)
        near = values >= (best - np.float32(CANDIDATE_MARGIN))[:, None]
        near &= np.isfinite(values)
        crowded = np.flatnonzero(near.sum(axis=1) > MAX_CANDIDATES)
        if crowded.size:
            near[crowded] = False
            keep = np.argpartition(values[crowded], -MAX_CANDIDATES, axis=1)[:, -MAX_CANDIDATES:]
            near[crowded[:, None], keep] = np.isfinite(values[crowded[:, None], keep])
        rows, columns = np.nonzero(near)
        found_rows.append(rows + start)
        found_columns.append(columns)
    return np.concatenate(found_rows), np.concatenate(found_columns)


def greedy(
    scores: np.ndarray,
    capacities,
    forbidden: np.ndarray | None = None,
    min_score: float = 0.0,
    order=None,
) -> Pairs:
    """First come, first served: mentees in application order (or `order`) each take their
    best mentor who still has room. Ties go to the mentor listed first."""
    n, m = scores.shape
    remaining = _capacities(capacities, n)
    open_mentors = remaining > 0
    pairs = []
    for row in range(n) if order is None else order:
        candidates = scores[row] >= np.float32(min_score)
        candidates &= open_mentors
        if forbidden is not None:
            candidates &= ~forbidden[row]
        if not candidates.any():
            continue
        column = int(np.argmax(np.where(candidates, scores[row], np.float32(-np.inf))))
        pairs.append((int(row), column))
        remaining[column] -= 1
        if remaining[column] == 0:
            open_mentors[column] = False
    return sorted(pairs)
