"""Scores every mentee–mentor pair from 0 to 100, and says why in plain words.

Each criterion gives a fraction between 0 and 1 for every pair; the score is the weighted sum
of the fractions, with the weights scaled to add up to 100, so a pair that is perfect on every
criterion scores 100 whatever weights the coordinators set. The defaults:

| criterion       | points | fraction of the points                                                |
|-----------------|-------:|-----------------------------------------------------------------------|
| profession      |     32 | NOC 2021: same unit group 1, minor group 3/4, sub-major 1/2,          |
|                 |        | major group 1/4, broad category 1/8                                   |
| licensing       |     10 | the same regulated designation or licensing path (P.Eng., RN, CPA…)   |
| keywords        |     10 | skills and keywords shared by resumes and backgrounds: Dice           |
|                 |        | coefficient 2·|A∩B| / (|A|+|B|), full points from 0.5                 |
| goals           |     10 | share of the mentee's goals the mentor can serve                      |
| languages       |      8 | one shared language 1/2, two or more 1                                |
| interests       |      5 | one shared interest 1/2, two or more 1                                |
| communication   |      5 | share of the style questions both answered the same way               |
| culture         |      3 | same cultural background, only when both chose to share it            |
| gender          |      0 | same gender, only when the mentee asked for it                        |
| place           |     10 | same city 1; same region 0.6; both open to remote meetings by video   |
|                 |        | or phone 0.5, less 1/12 of that per hour of time-zone difference      |
| availability    |      7 | share of the smaller list of free times that the other also has       |

The criteria are computed for all pairs at once, with no Python loop over pairs (see
`criteria.py`). `explain` scores one pair with the very same code on 1×1 inputs, so its
points add up to the score the lists show.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import criteria
from .features import LICENSING_NAMES, Candidate


@dataclass(frozen=True)
class Weights:
    """Points of each criterion before scaling to 100; see the module docstring."""

    profession: float = 32
    licensing: float = 10
    keywords: float = 10
    goals: float = 10
    languages: float = 8
    interests: float = 5
    communication: float = 5
    culture: float = 3
    gender: float = 0
    place: float = 10
    availability: float = 7

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Weights:
        """Weights from a program's settings: missing, unknown or invalid entries are ignored."""
        values = {}
        for item in fields(cls):
            raw = (data or {}).get(item.name)
            try:
                number = float(raw)
            except (TypeError, ValueError):
                continue
            if math.isfinite(number) and number >= 0:
                values[item.name] = number
        weights = cls(**values)
        return weights if sum(asdict(weights).values()) > 0 else cls()

    def scaled(self) -> dict[str, float]:
        """Each criterion's points when the weights are scaled to add up to 100."""
        raw = asdict(self)
        total = sum(raw.values()) or 1.0
        return {name: value * 100 / total for name, value in raw.items()}


@dataclass(frozen=True)
class Reason:
    criterion: str
    label: str
    points: int


# --- Scoring --------------------------------------------------------------------------------------


class MentorPool:
    """Mentors encoded once, to score many mentees against them (suggestions, a cohort)."""

    def __init__(self, mentors: Sequence[Candidate]):
        self.mentors = list(mentors)
        self.vocabularies = criteria.vocabularies_of(self.mentors)
        self.side = criteria.encode(self.mentors, self.vocabularies, mentors=True)
        self.keywords_by_column = self.side.keywords.T.tocsr()
        self._keys: dict[str, tuple[criteria.Keys, criteria.Side]] = {}
        self._positions: dict[str, dict[int, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.mentors)

    def positions_by(self, attribute: str) -> dict[int, np.ndarray]:
        if attribute not in self._positions:
            self._positions[attribute] = _positions_by(self.mentors, attribute)
        return self._positions[attribute]

    def keys(self, criterion: str) -> tuple[criteria.Keys, criteria.Side]:
        """The mentors' distinct keys for a criterion, and one encoded mentor of each."""
        if criterion not in self._keys:
            keys = criteria.keys_of(self.mentors, criteria.KEYS[criterion])
            self._keys[criterion] = (keys, self.side.take(keys.representatives))
        return self._keys[criterion]


def _blocks(
    mentees: Sequence[Candidate], mentors, weights: Weights
) -> Iterator[tuple[int, int, str, np.ndarray]]:
    """(first row, last row + 1, criterion, float32 points) for blocks of mentees, criterion
    by criterion in a fixed order. Blocks keep temporary arrays small whatever the pool size.

    A criterion that depends on a few fields is computed once per distinct mentee key and
    distinct mentor key, and spread to every pair by indexing; the numbers are the very same
    as computing it pair by pair, which it does when nearly every mentee's key differs.
    """
    pool = mentors if isinstance(mentors, MentorPool) else MentorPool(mentors)
    encoded = criteria.encode(mentees, pool.vocabularies, mentors=False)
    points = {name: np.float32(value) for name, value in weights.scaled().items() if value > 0}
    tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, value in points.items():
        if name == "keywords":
            continue
        mentee_keys = criteria.keys_of(mentees, criteria.KEYS[name])
        mentor_keys, mentor_representatives = pool.keys(name)
        if len(mentee_keys.representatives) * len(pool) <= criteria.TABLE_MAX_CELLS:
            table = criteria.BY_KEY[name](encoded.take(mentee_keys.representatives), mentor_representatives)
            table *= value
            tables[name] = (np.ascontiguousarray(table[:, mentor_keys.inverse]), mentee_keys.inverse)
    keywords = (
        criteria.Keywords(encoded, pool.side, pool.keywords_by_column) if "keywords" in points else None
    )
    rows = max(1, criteria.BLOCK_CELLS // max(1, len(pool)))
    for start in range(0, len(mentees), rows):
        stop = min(start + rows, len(mentees))
        for name, value in points.items():
            if name in tables:
                table, inverse = tables[name]
                yield start, stop, name, table[inverse[start:stop]]
                continue
            if name == "keywords":
                block = keywords.fraction(start, stop)
            else:
                block = criteria.BY_KEY[name](encoded.take(slice(start, stop)), pool.side)
            block *= value
            yield start, stop, name, block


def score_matrix(mentees: Sequence[Candidate], mentors, weights: Weights | None = None) -> np.ndarray:
    """float32 (len(mentees), len(mentors)) scores from 0 to 100. `mentors` may be a MentorPool."""
    total = np.zeros((len(mentees), len(mentors)), dtype=np.float32)
    if len(mentees) and len(mentors):
        for start, stop, _name, points in _blocks(mentees, mentors, weights or Weights()):
            total[start:stop] += points
    return total


def top_k(scores_row: np.ndarray, k: int, forbidden_row: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best allowed mentors, best first; ties in mentor order."""
    allowed = np.flatnonzero(~forbidden_row) if forbidden_row is not None else np.arange(len(scores_row))
    if k <= 0 or len(allowed) == 0:
        return np.empty(0, dtype=np.intp)
    values = scores_row[allowed]
    if len(allowed) > k:
        # Keep everything that ties with the k-th best, then sort stably by (-score, index).
        threshold = np.partition(values, len(values) - k)[len(values) - k]
        keep = values >= threshold
        allowed, values = allowed[keep], values[keep]
    order = np.lexsort((allowed, -values))[:k]
    return allowed[order]


# --- Hard rules ---------------------------------------------------------------------------------


def _positions_by(candidates: Sequence[Candidate], attribute: str) -> dict[int, np.ndarray]:
    """Positions of the candidates by the value of an attribute (program, person, participation)."""
    groups: dict[int, list[int]] = {}
    for position, candidate in enumerate(candidates):
        groups.setdefault(getattr(candidate, attribute), []).append(position)
    return {value: np.asarray(positions, dtype=np.intp) for value, positions in groups.items()}


def forbidden_mask(
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate] | MentorPool,
    *,
    do_not_match: Iterable[tuple[int, int]] = (),
    sharing_program_ids: Iterable[int] = (),
) -> np.ndarray:
    """bool (n, m): True where a pair may never be proposed.

    A pair is forbidden when the mentor has no room left (or the mentee already has a match),
    when it is the same person, when coordinators marked it "do not match" (participation ids,
    mentee first), or when the two are in different programs that do not both share mentors.
    Each rule marks whole groups of rows and columns, so the cost is one pass over the matrix.
    """
    pool = mentors if isinstance(mentors, MentorPool) else None
    mentors = pool.mentors if pool else mentors
    mentor_groups = pool.positions_by if pool else lambda attribute: _positions_by(mentors, attribute)
    forbidden = np.zeros((len(mentees), len(mentors)), dtype=bool)
    forbidden[[c.capacity <= 0 for c in mentees], :] = True
    forbidden[:, [c.capacity <= 0 for c in mentors]] = True

    mentor_people = mentor_groups("person_id")
    for person, rows in _positions_by(mentees, "person_id").items():
        if person and person in mentor_people:
            forbidden[np.ix_(rows, mentor_people[person])] = True

    sharing = set(sharing_program_ids)
    mentor_programs = mentor_groups("program_id")
    for program, rows in _positions_by(mentees, "program_id").items():
        for other, columns in mentor_programs.items():
            if other != program and not (program in sharing and other in sharing):
                forbidden[np.ix_(rows, columns)] = True

    mentee_rows = _positions_by(mentees, "participation_id")
    mentor_columns = mentor_groups("participation_id")
    for mentee_id, mentor_id in do_not_match:
        if mentee_id in mentee_rows and mentor_id in mentor_columns:
            forbidden[np.ix_(mentee_rows[mentee_id], mentor_columns[mentor_id])] = True
    return forbidden


# --- Explanations -------------------------------------------------------------------------------


def rounded_score(score: float) -> int:
    """The whole number shown for a score: halves round up, as people expect."""
    return math.floor(float(score) + 0.5)


def explain(mentee: Candidate, mentor: Candidate, weights: Weights | None = None) -> list[Reason]:
    """Why this pair scores what it does, criterion by criterion, best first.

    The pair is scored by the same vectorised code as a whole pool, on 1×1 inputs. Points are
    whole numbers that add up exactly to the rounded score: each criterion's points are rounded
    down, and the units still missing go to the criteria with the largest remainders.
    """
    values = {
        name: points[0, 0] for *_rows, name, points in _blocks([mentee], [mentor], weights or Weights())
    }
    total = np.float32(0)
    for value in values.values():  # the same float32 additions, in the same order, as score_matrix
        total += value
    target = rounded_score(total)
    whole = {name: math.floor(float(value)) for name, value in values.items()}
    remainders = sorted(values, key=lambda name: (-(float(values[name]) - whole[name]), name))
    for name in remainders[: max(0, target - sum(whole.values()))]:
        whole[name] += 1
    reasons = [
        Reason(name, _label(name, mentee, mentor), points) for name, points in whole.items() if points > 0
    ]
    return sorted(reasons, key=lambda reason: -reason.points)


@dataclass(frozen=True)
class Suggestion:
    mentor: Candidate
    score: float
    reasons: list[Reason]


def suggestions(
    mentee: Candidate,
    mentors: Sequence[Candidate] | MentorPool,
    *,
    weights: Weights | None = None,
    k: int = 10,
    do_not_match: Iterable[tuple[int, int]] = (),
    sharing_program_ids: Iterable[int] = (),
) -> list[Suggestion]:
    """The mentee's k best allowed mentors, best first, each with the reasons for its score."""
    pool = mentors if isinstance(mentors, MentorPool) else MentorPool(mentors)
    row = score_matrix([mentee], pool, weights)[0]
    forbidden = forbidden_mask(
        [mentee], pool, do_not_match=do_not_match, sharing_program_ids=sharing_program_ids
    )[0]
    return [
        Suggestion(pool.mentors[column], float(row[column]), explain(mentee, pool.mentors[column], weights))
        for column in top_k(row, k, forbidden)
    ]


NOC_LEVEL_LABELS = {
    5: lambda: _("Same NOC unit group %(code)s %(title)s"),
    4: lambda: _("Same NOC minor group %(code)s %(title)s"),
    3: lambda: _("Same NOC sub-major group %(code)s %(title)s"),
    2: lambda: _("Same NOC major group %(code)s %(title)s"),
    1: lambda: _("Same NOC broad category %(code)s %(title)s"),
}
GOAL_LABELS = {
    "employment_in_field": lambda: _("work in their field"),
    "related_employment": lambda: _("work in a related field"),
    "certification": lambda: _("certification or licensure"),
    "language": lambda: _("language and communication"),
    "networking": lambda: _("professional networking"),
    "workplace_culture": lambda: _("Canadian workplace culture"),
}
AVAILABILITY_LABELS = {
    "weekday_daytime": lambda: _("weekdays during the day"),
    "weekday_evenings": lambda: _("weekday evenings"),
    "weekends": lambda: _("weekends"),
}
MAX_LISTED = 5


def _join(items: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"; past MAX_LISTED items, "a, b, c, d, e and 3 more"."""
    items = list(items)
    if len(items) > MAX_LISTED:
        rest = len(items) - MAX_LISTED
        items = [*items[:MAX_LISTED], ngettext("%(count)d more", "%(count)d more", rest) % {"count": rest}]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _hours(hours: float) -> str:
    if hours == 0:
        return _("same time zone")
    number = f"{hours:g}"
    return _("%(hours)s h apart") % {"hours": number}


def _label(name: str, mentee: Candidate, mentor: Candidate) -> str:
    if name == "profession":
        depth = 0
        for a, b in zip(mentee.occupation_code[:5], mentor.occupation_code[:5], strict=False):
            if a != b:
                break
            depth += 1
        code = mentee.occupation_code[:depth]
        title = mentee.occupation_title(depth) or mentor.occupation_title(depth)
        return (NOC_LEVEL_LABELS[depth]() % {"code": code, "title": title}).strip()
    if name == "licensing":
        return _("Same licensing path: %(name)s") % {
            "name": LICENSING_NAMES.get(mentor.licensing, mentor.licensing)
        }
    if name == "keywords":
        return _("Shared skills and keywords: %(words)s") % {
            "words": _join(sorted(mentee.keywords & mentor.keywords))
        }
    if name == "goals":
        served = [goal for goal in GOAL_LABELS if goal in mentee.goals & mentor.goals]
        return _("Can help with %(goals)s") % {"goals": _join(GOAL_LABELS[goal]() for goal in served)}
    if name == "languages":
        shared = sorted(mentee.languages & mentor.languages)
        return _("Both speak %(languages)s") % {"languages": _join(lang.title() for lang in shared)}
    if name == "interests":
        return _("Shared interests: %(interests)s") % {
            "interests": _join(sorted(mentee.interests & mentor.interests))
        }
    if name == "communication":
        both = set(mentee.communication_style) & set(mentor.communication_style)
        same = sum(mentee.communication_style[key] == mentor.communication_style[key] for key in both)
        return ngettext(
            "Same communication preference on %(same)d of %(count)d question",
            "Same communication preferences on %(same)d of %(count)d questions",
            len(both),
        ) % {"same": same, "count": len(both)}
    if name == "culture":
        return _("Same cultural background")
    if name == "gender":
        return _("Same gender, as the mentee asked")
    if name == "place":
        return _place_label(mentee, mentor)
    if name == "availability":
        shared = [slot for slot in AVAILABILITY_LABELS if slot in mentee.availability & mentor.availability]
        shared += sorted(mentee.availability & mentor.availability - set(AVAILABILITY_LABELS))
        return _("Both available: %(times)s") % {
            "times": _join(
                AVAILABILITY_LABELS[slot]() if slot in AVAILABILITY_LABELS else slot for slot in shared
            )
        }
    raise ValueError(name)


def _place_label(mentee: Candidate, mentor: Candidate) -> str:
    if criteria.city_key(mentee) and criteria.city_key(mentee) == criteria.city_key(mentor):
        return _("Both in %(place)s") % {"place": mentor.city}
    if criteria.region_key(mentee) and criteria.region_key(mentee) == criteria.region_key(mentor):
        return _("Both in %(place)s") % {"place": mentor.region}
    both = criteria.remote_bits(mentee) & criteria.remote_bits(mentor)
    apart = criteria.hours_apart(mentee.utc_offset, mentor.utc_offset)
    if both & criteria.REMOTE_MODES["video"]:
        return _("Both open to video calls, %(apart)s") % {"apart": _hours(apart)}
    return _("Both open to phone calls, %(apart)s") % {"apart": _hours(apart)}
