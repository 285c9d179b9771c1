"""Synthetic pools of mentees and mentors with a realistic shape, for the matching benchmark
and property tests. Nothing here touches the database.

The shape is what makes matching hard in real programs: professions are skewed (many
engineers and nurses, few pharmacists) and mentors' professions are not distributed like
mentees', so the best mentors are wanted by many mentees; most mentees share English with
every mentor but few share a mother tongue; most live in two cities, some are still abroad.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from .features import MENTEE, MENTOR, Candidate, mentor_goals
from .occupations import SUBSET_PATH, read_noc_csv

# Unit groups newcomers bring most often, with the licensing path of the regulated ones.
PROFESSIONS: tuple[tuple[str, str], ...] = (
    ("21300", "peng"), ("21231", ""), ("31301", "rn"), ("11100", "cpa"), ("21301", "peng"),
    ("21232", ""), ("21310", "peng"), ("21211", ""), ("31102", "md"), ("13100", ""),
    ("21222", ""), ("31120", "rph"), ("41221", "teacher"), ("72200", "red_seal"), ("21332", "peng"),
    ("11101", ""), ("32120", "mlt"), ("31202", "pt"), ("21320", "peng"), ("21223", ""),
    ("22300", ""), ("11200", ""), ("12200", ""), ("21110", ""), ("21101", ""),
    ("41200", ""), ("21220", ""), ("31110", "dds"), ("41101", "law"), ("21200", ""),
    ("22310", ""), ("21321", "peng"), ("10010", ""), ("32101", ""), ("21330", "peng"),
    ("41300", ""), ("12100", ""), ("72106", "red_seal"), ("80020", ""), ("51114", ""),
)  # fmt: skip
# (country, mother tongue, cultural background) of mentees' origins, most frequent first.
ORIGINS = (
    ("India", "hindi", "indian"), ("Philippines", "tagalog", "filipino"), ("Nigeria", "yoruba", "nigerian"),
    ("China", "mandarin", "chinese"), ("Syria", "arabic", "syrian"), ("Pakistan", "urdu", "pakistani"),
    ("Ukraine", "ukrainian", "ukrainian"), ("Iran", "persian", "iranian"), ("Mexico", "spanish", "mexican"),
    ("Egypt", "arabic", "egyptian"), ("Colombia", "spanish", "colombian"),
    ("Ethiopia", "amharic", "ethiopian"), ("Brazil", "portuguese", "brazilian"),
    ("Vietnam", "vietnamese", "vietnamese"), ("Cameroon", "french", "cameroonian"),
)  # fmt: skip
CITIES = (
    ("Calgary", "Calgary Region", 0.40), ("Edmonton", "Edmonton Region", 0.34),
    ("Red Deer", "Central Alberta", 0.08), ("Lethbridge", "Southern Alberta", 0.05),
    ("Airdrie", "Calgary Region", 0.04), ("St. Albert", "Edmonton Region", 0.04),
    ("Medicine Hat", "Southern Alberta", 0.03), ("Lacombe", "Central Alberta", 0.02),
)  # fmt: skip
COUNTRY_OFFSETS = {
    "India": 5.5, "Philippines": 8, "Nigeria": 1, "China": 8, "Syria": 3, "Pakistan": 5, "Ukraine": 2,
    "Iran": 3.5, "Mexico": -6, "Egypt": 2, "Colombia": -5, "Ethiopia": 3, "Brazil": -3, "Vietnam": 7,
    "Cameroon": 1,
}  # fmt: skip
INTERESTS = (
    "hiking", "cooking", "soccer", "reading", "volunteering", "music", "photography", "cycling",
    "chess", "gardening", "travel", "community events", "running", "cricket", "painting",
    "swimming", "movies", "yoga", "board games", "skiing",
)  # fmt: skip
GOALS = (
    "employment_in_field", "related_employment", "certification", "language", "networking",
    "workplace_culture",
)  # fmt: skip
SLOTS = ("weekday_daytime", "weekday_evenings", "weekends")
MODES = ("in_person", "video", "phone")
STYLE = {
    "agenda": ("structured", "open", "mixed"),
    "feedback": ("direct", "diplomatic"),
    "frequency": ("weekly", "biweekly", "monthly"),
    "contact": ("email", "messages", "phone"),
}
SKILLS_PER_PROFESSION = 30
SKILLS_PER_MAJOR_GROUP = 20
GENERIC_WORDS = 400


@dataclass(frozen=True)
class Pool:
    mentees: list[Candidate]
    mentors: list[Candidate]
    do_not_match: frozenset[tuple[int, int]]


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative weights of a Zipf law over `count` ranks, for random.choices."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


class _Draw:
    """Random draws for one pool, from one seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def one(self, population, cumulative):
        return self.rng.choices(population, cum_weights=cumulative)[0]

    def some(self, population, cumulative, count: int) -> set:
        """About `count` distinct items (fewer when draws repeat, as real lists do)."""
        return set(self.rng.choices(population, cum_weights=cumulative, k=count))

    def subset(self, population, low: int, high: int) -> frozenset:
        return frozenset(self.rng.sample(population, self.rng.randint(low, high)))

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability


def synthetic_pool(
    mentees: int, mentors: int, *, capacity: int = 1, seed: int = 0, program_id: int = 1
) -> Pool:
    """A reproducible pool: the same arguments always give the same people."""
    draw = _Draw(seed)
    titles = dict(read_noc_csv(SUBSET_PATH))
    mentee_shares = _zipf(len(PROFESSIONS), 1.0)
    # Mentors come from the same professions in another order of frequency: each profession's
    # rank moves by a few places at random, so demand and supply do not line up.
    ranks = sorted(range(len(PROFESSIONS)), key=lambda rank: rank + draw.rng.gauss(0, 4))
    mentor_professions = [PROFESSIONS[rank] for rank in ranks]
    mentor_shares = _zipf(len(PROFESSIONS), 0.8)
    origin_shares = _zipf(len(ORIGINS), 0.7)
    interest_shares = _zipf(len(INTERESTS), 0.6)
    city_shares = list(itertools.accumulate(share for *_place, share in CITIES))

    def person(index: int, role: str) -> Candidate:
        is_mentor = role == MENTOR
        if is_mentor:
            code, licensing_path = draw.one(mentor_professions, mentor_shares)
        else:
            code, licensing_path = draw.one(PROFESSIONS, mentee_shares)
        country, mother_tongue, culture = draw.one(ORIGINS, origin_shares)
        abroad = not is_mentor and draw.chance(0.08)
        if is_mentor:
            newcomer = draw.chance(0.3)  # many mentors were newcomers themselves
            languages = {"english"} | ({"french"} if draw.chance(0.2) else set())
            languages |= {mother_tongue} if newcomer else set()
            culture = culture if newcomer else ("canadian" if draw.chance(0.5) else "")
        else:
            languages = {mother_tongue} | ({"english"} if draw.chance(0.95) else set())
            languages |= {"french"} if draw.chance(0.1) else set()
            culture = culture if draw.chance(0.5) else ""
        city, region, _share = draw.one(CITIES, city_shares)
        licensing = licensing_path if licensing_path and draw.chance(0.8 if is_mentor else 0.7) else ""
        if is_mentor:
            goals = mentor_goals(
                licensing=licensing,
                is_retired=draw.chance(0.15),
                years_experience=draw.rng.randint(3, 35),
            )
        else:
            goals = draw.subset(GOALS, 1, 3)
        return Candidate(
            participation_id=index,
            role=role,
            program_id=program_id,
            person_id=index,
            name=f"{role} {index}",
            occupation_code=code,
            occupation_path=tuple((code[:n], titles[code[:n]]) for n in range(1, 6) if code[:n] in titles),
            licensing=licensing,
            goals=goals,
            languages=frozenset(languages),
            interests=frozenset(draw.some(INTERESTS, interest_shares, 3)),
            communication_style={
                question: draw.rng.choice(answers) for question, answers in STYLE.items() if draw.chance(0.8)
            },
            cultural_background=culture,
            gender=draw.rng.choices(["woman", "man", ""], weights=[48, 48, 4])[0],
            city="" if abroad else city,
            region="" if abroad else region,
            country=country if abroad else "Canada",
            open_to_remote=abroad or draw.chance(0.5 if is_mentor else 0.4),
            utc_offset=COUNTRY_OFFSETS[country] if abroad else -7.0,
            availability=draw.subset(SLOTS, 1, 3),
            meeting_modes=draw.subset(MODES, 1, 3),
            keywords=_keywords(draw, code, has_resume=not is_mentor or draw.chance(0.6)),
            capacity=capacity if is_mentor else 1,
        )

    mentee_list = [person(index, MENTEE) for index in range(1, mentees + 1)]
    mentor_list = [person(index, MENTOR) for index in range(mentees + 1, mentees + mentors + 1)]
    do_not_match = frozenset(
        (draw.rng.randint(1, mentees), draw.rng.randint(mentees + 1, mentees + mentors))
        for _ in range(min(mentees, mentors) // 100)
    )
    return Pool(mentee_list, mentor_list, do_not_match)


_PROFESSION_WORDS = _zipf(SKILLS_PER_PROFESSION, 0.8)
_GROUP_WORDS = _zipf(SKILLS_PER_MAJOR_GROUP, 0.8)
_GENERIC_WORDS = _zipf(GENERIC_WORDS, 1.0)


def _keywords(draw: _Draw, code: str, *, has_resume: bool) -> frozenset[str]:
    """Skills of the profession and of its major group, and common resume words, each drawn
    with Zipf frequencies. Without a resume only a few words of the job title remain."""
    if not has_resume:
        return frozenset(
            f"s{code}w{j}" for j in draw.some(range(SKILLS_PER_PROFESSION), _PROFESSION_WORDS, 3)
        )
    words = {
        f"s{code}w{j}"
        for j in draw.some(range(SKILLS_PER_PROFESSION), _PROFESSION_WORDS, draw.rng.randint(6, 18))
    }
    words |= {
        f"m{code[:2]}w{j}"
        for j in draw.some(range(SKILLS_PER_MAJOR_GROUP), _GROUP_WORDS, draw.rng.randint(2, 8))
    }
    words |= {f"g{j}" for j in draw.some(range(GENERIC_WORDS), _GENERIC_WORDS, draw.rng.randint(10, 45))}
    return frozenset(words)
