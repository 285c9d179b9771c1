"""The matching criteria, computed for every mentee–mentor pair at once.

Each criterion gives a float32 array of fractions from 0 to 1, one per pair. Candidates are
first encoded as arrays: sets become sparse multi-hot matrices (columns from the mentors'
vocabulary; a mentee's item that no mentor has can match nobody), single values become
integer codes (a mentor's missing value and a mentee's never equal anything), so that
shared items are counted by matrix products and equal values found by broadcasting, with no
Python loop over pairs.

Most criteria depend on a few fields that many people have in common (the same NOC code, the
same city, the same goals), so each criterion is computed once per distinct pair of *keys*
and the result is spread to every pair by indexing. Only the keyword overlap, different for
nearly every pair, is computed pair by pair, block of mentees by block of mentees.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .features import Candidate

# Fraction of the profession points by how many leading digits the NOC codes share.
NOC_DEPTH_FRACTION = np.array([0, 0.125, 0.25, 0.5, 0.75, 1.0], dtype=np.float32)
KEYWORDS_FULL_AT = 0.5  # Dice coefficient that earns all the keyword points
SHARED_FOR_FULL = 2  # shared languages / interests that earn all their points
SAME_REGION = 0.6
REMOTE = 0.5  # both open to remote meetings, in the same time zone; less 1/12 per hour apart
REMOTE_MODES = {"video": 1, "phone": 2}
BLOCK_CELLS = 1 << 21  # pairs scored at once: 8 MB per float32 temporary
# A keyword shared by more than 1/DENSE_KEYWORD_RATIO of all pairs is counted by BLAS, which
# is roughly that many times faster per pair than a sparse product.
DENSE_KEYWORD_RATIO = 300
# A criterion's table of distinct mentee keys × mentors is kept up to this many cells;
# beyond (nearly every mentee different), the criterion is computed block by block.
TABLE_MAX_CELLS = 1 << 22

_MISSING_MENTOR, _MISSING_MENTEE = -1, -2


# --- What each criterion reads --------------------------------------------------------------------


def city_key(candidate: Candidate) -> str:
    city = candidate.city.strip().lower()
    return f"{city}|{(candidate.country or 'canada').strip().lower()}" if city else ""


def region_key(candidate: Candidate) -> str:
    region = candidate.region.strip().lower()
    return f"{region}|{(candidate.country or 'canada').strip().lower()}" if region else ""


def remote_bits(candidate: Candidate) -> int:
    """Remote meeting modes as bits; no preference given means any."""
    if not candidate.meeting_modes:
        return sum(REMOTE_MODES.values())
    return sum(bit for mode, bit in REMOTE_MODES.items() if mode in candidate.meeting_modes)


def gender_key(candidate: Candidate) -> str:
    # A mentee's gender takes part only when they asked for a mentor of the same gender.
    return candidate.gender if candidate.is_mentor or candidate.wants_same_gender else ""


def _style(candidate: Candidate) -> tuple:
    return tuple(sorted(candidate.communication_style.items()))


_SETS: dict[str, Callable[[Candidate], Iterable[str]]] = {
    "goals": lambda c: c.goals,
    "languages": lambda c: c.languages,
    "interests": lambda c: c.interests,
    "availability": lambda c: c.availability,
    "keywords": lambda c: c.keywords,
    "style_items": lambda c: {f"{key}={value}" for key, value in c.communication_style.items()},
    "style_questions": lambda c: set(c.communication_style),
}
_SINGLES: dict[str, Callable[[Candidate], str]] = {
    "licensing": lambda c: c.licensing,
    "culture": lambda c: c.cultural_background,
    "gender": gender_key,
    "city": city_key,
    "region": region_key,
}
# The fields each criterion depends on: candidates with the same key score the same.
KEYS: dict[str, Callable[[Candidate], Hashable]] = {
    "profession": lambda c: c.occupation_code,
    "licensing": lambda c: c.licensing,
    "goals": lambda c: c.goals,
    "languages": lambda c: c.languages,
    "interests": lambda c: c.interests,
    "communication": _style,
    "culture": lambda c: c.cultural_background,
    "gender": gender_key,
    "place": lambda c: (city_key(c), region_key(c), c.open_to_remote, remote_bits(c), c.utc_offset),
    "availability": lambda c: c.availability,
}


# --- Encoding -------------------------------------------------------------------------------------


@dataclass
class Side:
    """Candidates of one side encoded against the mentors' vocabularies, one row per person.

    Small sets (goals, languages…) are dense 0/1 float32 rows, ready for BLAS; keywords, from a
    vocabulary of thousands, are a sparse matrix, kept only on a whole side (not on `take`).
    """

    sets: dict[str, np.ndarray]
    set_sizes: dict[str, np.ndarray]
    singles: dict[str, np.ndarray]
    noc: np.ndarray  # (5, n): the first 1…5 digits of each NOC code
    remote: np.ndarray
    remote_bits: np.ndarray
    utc_offset: np.ndarray
    keywords: sparse.csr_matrix | None = None
    _by_column: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.remote)

    def take(self, index) -> Side:
        """The candidates at `index` (an array of positions, or a slice), without keywords."""
        return Side(
            sets={name: items[index] for name, items in self.sets.items()},
            set_sizes={name: sizes[index] for name, sizes in self.set_sizes.items()},
            singles={name: codes[index] for name, codes in self.singles.items()},
            noc=self.noc[:, index],
            remote=self.remote[index],
            remote_bits=self.remote_bits[index],
            utc_offset=self.utc_offset[index],
        )

    def by_column(self, name: str) -> np.ndarray:
        """(vocabulary, n) copy of a small set feature: the right-hand side of products."""
        if name not in self._by_column:
            self._by_column[name] = np.ascontiguousarray(self.sets[name].T)
        return self._by_column[name]


def vocabularies_of(mentors: Sequence[Candidate]) -> dict[str, dict[str, int]]:
    vocabularies = {}
    for name, getter in {**_SETS, **_SINGLES}.items():
        vocabulary: dict[str, int] = {}
        for mentor in mentors:
            items = getter(mentor)
            for item in [items] if isinstance(items, str) else items:
                if item:
                    vocabulary.setdefault(item, len(vocabulary))
        vocabularies[name] = vocabulary
    return vocabularies


def _positions(values: list[Iterable[str]], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every item of every row that is in the vocabulary."""
    rows, columns = [], []
    for row, items in enumerate(values):
        for item in items:
            column = vocabulary.get(item)
            if column is not None:
                rows.append(row)
                columns.append(column)
    return np.asarray(rows, dtype=np.intp), np.asarray(columns, dtype=np.intp)


def _noc_prefixes(candidates: Sequence[Candidate], missing: int) -> np.ndarray:
    prefixes = np.full((5, len(candidates)), missing, dtype=np.int64)
    for column, candidate in enumerate(candidates):
        code = candidate.occupation_code[:5]
        for length in range(1, len(code) + 1):
            prefixes[length - 1, column] = int(code[:length]) if code[:length].isdigit() else missing
    return prefixes


def encode(
    candidates: Sequence[Candidate], vocabularies: dict[str, dict[str, int]], *, mentors: bool
) -> Side:
    missing = _MISSING_MENTOR if mentors else _MISSING_MENTEE
    count = len(candidates)
    sets, set_sizes, keywords = {}, {}, None
    for name, getter in _SETS.items():
        values = [getter(candidate) for candidate in candidates]
        set_sizes[name] = np.fromiter((len(v) for v in values), dtype=np.float32, count=count)
        rows, columns = _positions(values, vocabularies[name])
        shape = (count, len(vocabularies[name]))
        if name == "keywords":
            ones = np.ones(len(rows), dtype=np.float32)
            keywords = sparse.csr_matrix((ones, (rows, columns)), shape=shape)
        else:
            sets[name] = np.zeros(shape, dtype=np.float32)
            sets[name][rows, columns] = 1
    singles = {}
    for name, getter in _SINGLES.items():
        vocabulary = vocabularies[name]
        keys = (getter(candidate) for candidate in candidates)
        singles[name] = np.fromiter(
            (vocabulary.get(key, missing) if key else missing for key in keys), dtype=np.int64, count=count
        )
    return Side(
        sets=sets,
        set_sizes=set_sizes,
        singles=singles,
        noc=_noc_prefixes(candidates, missing),
        remote=np.fromiter((c.open_to_remote for c in candidates), dtype=bool, count=count),
        remote_bits=np.fromiter((remote_bits(c) for c in candidates), dtype=np.int8, count=count),
        utc_offset=np.fromiter((c.utc_offset for c in candidates), dtype=np.float32, count=count),
        keywords=keywords,
    )


@dataclass(frozen=True)
class Keys:
    """Which distinct key each candidate has, and one candidate of each key."""

    inverse: np.ndarray
    representatives: np.ndarray


def keys_of(candidates: Sequence[Candidate], key: Callable[[Candidate], Hashable]) -> Keys:
    seen: dict[Hashable, int] = {}
    inverse = np.empty(len(candidates), dtype=np.intp)
    representatives = []
    for position, candidate in enumerate(candidates):
        value = key(candidate)
        number = seen.get(value)
        if number is None:
            number = seen[value] = len(representatives)
            representatives.append(position)
        inverse[position] = number
    return Keys(inverse=inverse, representatives=np.asarray(representatives, dtype=np.intp))


# --- The criteria: float32 fractions, (mentees, mentors) ------------------------------------------


def _shared_counts(e: Side, m: Side, name: str) -> np.ndarray:
    """How many items of a small set feature each pair shares (exact small integers)."""
    return e.sets[name] @ m.by_column(name)


def _same(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return left[:, None] == right[None, :]


def _at_least_one(sizes: np.ndarray) -> np.ndarray:
    # A denominator of 0 comes with a numerator of 0 (nothing shared): dividing by 1 gives 0.
    return np.maximum(sizes, np.float32(1))


def _capped(counts: np.ndarray, full_at: float) -> np.ndarray:
    np.minimum(counts, np.float32(full_at), out=counts)
    counts *= np.float32(1 / full_at)
    return counts


def _profession(e: Side, m: Side) -> np.ndarray:
    depth = np.zeros((len(e), len(m)), dtype=np.uint8)
    for length in range(1, 6):
        # Codes that agree on L digits agree on fewer too: the equal prefixes count the depth.
        depth += _same(e.noc[length - 1], m.noc[length - 1])
    return NOC_DEPTH_FRACTION[depth]


def _single(name: str) -> Callable[[Side, Side], np.ndarray]:
    def criterion(e: Side, m: Side) -> np.ndarray:
        return _same(e.singles[name], m.singles[name]).astype(np.float32)

    return criterion


def _goals(e: Side, m: Side) -> np.ndarray:
    served = _shared_counts(e, m, "goals")
    served /= _at_least_one(e.set_sizes["goals"])[:, None]
    return served


def _shared_capped(name: str) -> Callable[[Side, Side], np.ndarray]:
    def criterion(e: Side, m: Side) -> np.ndarray:
        return _capped(_shared_counts(e, m, name), SHARED_FOR_FULL)

    return criterion


def _communication(e: Side, m: Side) -> np.ndarray:
    agree = _shared_counts(e, m, "style_items")
    both_answered = _shared_counts(e, m, "style_questions")
    agree /= np.maximum(both_answered, np.float32(1), out=both_answered)
    return agree


def hours_apart(first: float, second: float) -> float:
    apart = abs(first - second)
    return min(apart, 24 - apart)


def _place(e: Side, m: Side) -> np.ndarray:
    apart = np.abs(e.utc_offset[:, None] - m.utc_offset[None, :])
    np.minimum(apart, np.float32(24) - apart, out=apart)  # hours apart on the clock
    result = np.float32(REMOTE) - apart * np.float32(REMOTE / 12)
    np.maximum(result, np.float32(0), out=result)
    result *= (e.remote[:, None] & m.remote[None, :]) & (
        (e.remote_bits[:, None] & m.remote_bits[None, :]) != 0
    )
    np.maximum(result, _same(e.singles["region"], m.singles["region"]) * np.float32(SAME_REGION), out=result)
    np.maximum(result, _same(e.singles["city"], m.singles["city"]), out=result)
    return result


def _availability(e: Side, m: Side) -> np.ndarray:
    shared = _shared_counts(e, m, "availability")
    smaller = np.minimum(
        _at_least_one(e.set_sizes["availability"])[:, None],
        _at_least_one(m.set_sizes["availability"])[None, :],
    )
    shared /= smaller
    return shared


BY_KEY: dict[str, Callable[[Side, Side], np.ndarray]] = {
    "profession": _profession,
    "licensing": _single("licensing"),
    "goals": _goals,
    "languages": _shared_capped("languages"),
    "interests": _shared_capped("interests"),
    "communication": _communication,
    "culture": _single("culture"),
    "gender": _single("gender"),
    "place": _place,
    "availability": _availability,
}


class Keywords:
    """Dice coefficient of the keyword sets, divided by KEYWORDS_FULL_AT and capped at 1.

    Shared keywords are counted in two parts. Frequent keywords, shared by a good share of all
    pairs, go through a dense matrix product (BLAS); rare ones through a sparse product, whose
    cost is the number of pairs that share them. Both counts are exact, so where the line
    falls changes the speed, never the result.
    """

    def __init__(self, mentees: Side, mentors: Side, mentors_by_column: sparse.csr_matrix):
        items = mentees.keywords
        mentee_frequency = np.diff(items.tocsc().indptr)
        mentor_frequency = np.diff(mentors_by_column.indptr)
        pairs_sharing = mentee_frequency.astype(np.float64) * mentor_frequency
        dense = pairs_sharing * DENSE_KEYWORD_RATIO > max(1, len(mentees) * len(mentors))
        dense_columns, sparse_columns = np.flatnonzero(dense), np.flatnonzero(~dense & (pairs_sharing > 0))
        self.mentees_dense = items[:, dense_columns].tocsr()
        self.mentees_sparse = items[:, sparse_columns].tocsr()
        self.mentors_dense = mentors_by_column[dense_columns].toarray()
        self.mentors_sparse = mentors_by_column[sparse_columns].tocsr()
        scale = np.float32(KEYWORDS_FULL_AT / 2)
        self.mentee_sizes = mentees.set_sizes["keywords"] * scale
        self.mentor_sizes = _at_least_one(mentors.set_sizes["keywords"]) * scale

    def fraction(self, start: int, stop: int) -> np.ndarray:
        shared = (self.mentees_sparse[start:stop] @ self.mentors_sparse).toarray()
        shared += self.mentees_dense[start:stop].toarray() @ self.mentors_dense
        shared /= self.mentee_sizes[start:stop, None] + self.mentor_sizes[None, :]
        return np.minimum(shared, np.float32(1), out=shared)
