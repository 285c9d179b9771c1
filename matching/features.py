"""What the matcher knows about each mentee and mentor, loaded once per program.

A `Candidate` is a frozen, database-free summary of one participation: everything scoring
needs, already normalised (lower-cased languages, a licensing-path key instead of free text,
a UTC offset instead of a time-zone name, keywords instead of resume text). Scoring and the
benchmark work on candidates only, so they run the same code on real and synthetic pools.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from participants.models import Interview, MenteeProfile, Participation, Resume
from programs.models import Program

from .models import Occupation

MENTEE = Participation.Role.MENTEE.value
MENTOR = Participation.Role.MENTOR.value
KEYWORD_CAP = 200

# A mentor who already mentors someone may take another mentee while capacity remains.
MENTOR_MATCHABLE = (Participation.Status.READY_TO_MATCH.value, Participation.Status.MATCHED.value)

# (key, display name, pattern). The first row whose pattern occurs in the normalised text wins,
# so "P.Eng., PMP" is "peng" and "MD, CCFP" is "md". Text is lower-cased and dots removed first:
# "P.Eng." -> "peng", "Working toward APEGA registration" -> "working toward apega registration".
LICENSING_PATHS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (key, name, re.compile(pattern))
    for key, name, pattern in (
        ("peng", "P.Eng.", r"\b(p ?eng|apega|professional engineer|eit|ing)\b"),
        ("pgeo", "P.Geo.", r"\b(p ?geo|professional geoscientist)\b"),
        ("cpa", "CPA", r"\b(cpa|chartered professional accountant)\b"),
        ("rn", "RN", r"\b(rn|crna|nclex|registered nurse)\b"),
        ("md", "MD", r"\b(md|mccqe|ccfp|frcpc|cpsa|physician)\b"),
        ("rph", "RPh", r"\b(rph|pebc|acp|pharmacist)\b"),
        ("mlt", "MLT", r"\b(mlt|csmls)\b"),
        ("pt", "PT", r"\b(pt|physiotherap\w*)\b"),
        ("dds", "DDS", r"\b(dds|dmd|ndeb|dentist)\b"),
        ("teacher", "teaching certificate", r"\bteach\w*"),
        ("red_seal", "Red Seal", r"\b(red seal|journey ?(person|man))\b"),
        ("law", "law society", r"\b(nca|law society|lawyer|barrister)\b"),
    )
)
LICENSING_NAMES = {key: name for key, name, _pattern in LICENSING_PATHS}

# UTC offsets (standard time) of the countries newcomers most often come from, used when a
# person has no time zone of their own. Alberta for Canada: our programs run there.
COUNTRY_UTC_OFFSETS: dict[str, float] = {
    "canada": -7, "united states": -5, "usa": -5, "mexico": -6, "jamaica": -5, "haiti": -5,
    "cuba": -5, "el salvador": -6, "colombia": -5, "peru": -5, "ecuador": -5, "venezuela": -4,
    "chile": -4, "brazil": -3, "argentina": -3, "united kingdom": 0, "ghana": 0, "nigeria": 1,
    "cameroon": 1, "morocco": 1, "algeria": 1, "tunisia": 1, "france": 1, "germany": 1,
    "italy": 1, "spain": 1, "poland": 1, "congo": 1, "egypt": 2, "sudan": 2, "south africa": 2,
    "zimbabwe": 2, "rwanda": 2, "ukraine": 2, "romania": 2, "lebanon": 2, "syria": 3,
    "jordan": 3, "iraq": 3, "saudi arabia": 3, "turkey": 3, "türkiye": 3, "russia": 3,
    "ethiopia": 3, "eritrea": 3, "somalia": 3, "kenya": 3, "iran": 3.5,
    "united arab emirates": 4, "afghanistan": 4.5, "pakistan": 5, "india": 5.5,
    "sri lanka": 5.5, "nepal": 5.75, "bangladesh": 6, "vietnam": 7, "indonesia": 7,
    "china": 8, "hong kong": 8, "taiwan": 8, "philippines": 8, "malaysia": 8,
    "south korea": 9, "korea": 9, "japan": 9, "australia": 10,
}  # fmt: skip

# Words that say nothing about a profession: English function words and resume boilerplate.
_STOPWORD_TEXT = """
    about above after again against all also and any are as at be because been before being
    below between both but by can could did does doing down during each few for from further
    had has have having her here hers herself him himself his how into its itself just more
    most myself nor not now off once only other our ours ourselves out over own same she
    should some such than that the their theirs them themselves then there these they this
    those through too under until very was were what when where which while who whom why will
    with would you your yours yourself yourselves the and for with
    experience experienced years year work worked working responsible responsibilities
    including include includes using used use skills skill team teams profile summary
    resume curriculum vitae references available upon request email phone address
    gained various strong excellent good ability able new within across per well
    january february march april may june july august september october november december
    present current currently canada canadian
    languages language english french fluent native conversational basic level working
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TOKEN = re.compile(r"[^\W_]+(?:[.+#][^\W_]+)*[+#]*")


@dataclass(frozen=True)
class Candidate:
    """One mentee or mentor as the matcher sees them. Sets are lower-cased keys."""

    participation_id: int
    role: str
    program_id: int
    person_id: int = 0
    name: str = ""
    occupation_code: str = ""
    # (code, title) of the occupation and each of its ancestors, broad category first.
    occupation_path: tuple[tuple[str, str], ...] = ()
    licensing: str = ""
    goals: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    communication_style: Mapping[str, str] = field(default_factory=dict, hash=False)
    cultural_background: str = ""
    gender: str = ""
    wants_same_gender: bool = False
    city: str = ""
    region: str = ""
    country: str = ""
    open_to_remote: bool = False
    utc_offset: float = 0.0
    availability: frozenset[str] = frozenset()
    meeting_modes: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()
    capacity: int = 1

    @property
    def is_mentor(self) -> bool:
        return self.role == MENTOR

    def occupation_title(self, length: int) -> str:
        """Title of the occupation group given by the first `length` digits of the code."""
        prefix = self.occupation_code[:length]
        return next((title for code, title in self.occupation_path if code == prefix), "")


def licensing_key(*texts: str) -> str:
    """The licensing path named in free text ("P.Eng.", "Working toward APEGA"), or ""."""
    for text in texts:
        normalised = re.sub(r"[^\w\s]", " ", (text or "").lower().replace(".", ""))
        for key, _name, pattern in LICENSING_PATHS:
            if pattern.search(normalised):
                return key
    return ""


def utc_offset_hours(time_zone: str, country: str, *, when: datetime.datetime | None = None) -> float:
    """Hours ahead of UTC: from the person's own time zone when valid, else from their country."""
    if time_zone:
        try:
            offset = (when or timezone.now()).astimezone(ZoneInfo(time_zone)).utcoffset()
        except (ZoneInfoNotFoundError, ValueError):
            offset = None
        if offset is not None:
            return offset.total_seconds() / 3600
    return float(COUNTRY_UTC_OFFSETS.get((country or "").strip().lower(), 0))


def keywords_from(*texts: str, exclude: Iterable[str] = (), cap: int = KEYWORD_CAP) -> frozenset[str]:
    """The `cap` most frequent meaningful words: lower case, no punctuation, no stopwords,
    no numbers, no token shorter than 3 characters, none of the `exclude` words (a person's own
    name and town, which say nothing about their profession)."""
    excluded = {token for text in exclude for token in _TOKEN.findall((text or "").lower())}
    counts = Counter(
        token
        for text in texts
        for token in _TOKEN.findall((text or "").lower())
        if len(token) >= 3 and not token.isdigit() and token not in STOPWORDS and token not in excluded
    )
    return frozenset(token for token, _count in counts.most_common(cap))


def mentor_goals(*, licensing: str, is_retired: bool, years_experience: int) -> frozenset[str]:
    """The mentee goals a mentor can serve, read from their profile."""
    goals = {
        MenteeProfile.Goal.NETWORKING.value,
        MenteeProfile.Goal.WORKPLACE_CULTURE.value,
        MenteeProfile.Goal.LANGUAGE.value,
    }
    if licensing:
        goals.add(MenteeProfile.Goal.CERTIFICATION.value)
    if not is_retired or years_experience >= 5:
        goals |= {MenteeProfile.Goal.EMPLOYMENT_IN_FIELD.value, MenteeProfile.Goal.RELATED_EMPLOYMENT.value}
    return frozenset(goals)


def _lower_set(values: Iterable) -> frozenset[str]:
    return frozenset(" ".join(str(value).split()).lower() for value in values or () if str(value).strip())


def candidates_for_program(
    program: Program, *, include_shared: bool = False, taken: Mapping[int, int] | None = None
) -> tuple[list[Candidate], list[Candidate]]:
    """(mentees, mentors) of the program who can be matched now, in application order.

    Mentees ready to match; mentors ready to match or already mentoring, since capacity decides
    whether they take another: `taken` counts the open matches of each participation id, and a
    candidate's capacity is what they offered less those. With `include_shared`, and when the
    program shares mentors, mentors of the organization's other programs that share mentors
    too are included. Three queries whatever the numbers: participations with their person,
    profile, newest resume text and interview notes; their languages; occupation titles.
    """
    taken = taken or {}
    mentor_programs = Q(program=program)
    if include_shared and program.shares_mentors:
        mentor_programs |= Q(program__organization_id=program.organization_id, program__shares_mentors=True)
    newest_resume = Resume.objects.filter(person=OuterRef("person")).order_by("-uploaded_at", "-id")
    newest_background = (
        Interview.objects.filter(participation=OuterRef("pk"))
        .exclude(background_notes="")
        .order_by("-scheduled_at", "-id")
    )
    participations = list(
        Participation.objects.filter(
            Q(role=MENTEE, program=program, status=Participation.Status.READY_TO_MATCH)
            | (Q(role=MENTOR, status__in=MENTOR_MATCHABLE) & mentor_programs)
        )
        .select_related("person", "mentee_profile", "mentor_profile")
        .prefetch_related("person__languages")
        .annotate(
            resume_text=Subquery(newest_resume.values("extracted_text")[:1]),
            background_notes=Subquery(newest_background.values("background_notes")[:1]),
        )
        .order_by("created_at", "pk")
    )
    codes = set()
    for participation in participations:
        profile = _profile(participation)
        if profile is not None and profile.occupation_id:
            codes.update(profile.occupation_id[:length] for length in range(1, 6))
    titles = dict(Occupation.objects.filter(code__in=codes).values_list("code", "title")) if codes else {}
    now = timezone.now()
    mentees, mentors = [], []
    for participation in participations:
        if _profile(participation) is None:
            continue  # an application without a profile cannot be scored
        candidate = _candidate(participation, titles=titles, taken=taken, now=now)
        (mentors if candidate.is_mentor else mentees).append(candidate)
    return mentees, mentors


def _profile(participation: Participation):
    name = "mentor_profile" if participation.role == MENTOR else "mentee_profile"
    return getattr(participation, name, None)


def _candidate(
    participation: Participation, *, titles: Mapping[str, str], taken: Mapping[int, int], now
) -> Candidate:
    person = participation.person
    profile = _profile(participation)
    code = profile.occupation_id or ""
    path = tuple((code[:n], titles[code[:n]]) for n in range(1, len(code) + 1) if code[:n] in titles)
    is_mentor = participation.role == MENTOR
    if is_mentor:
        licensing = licensing_key(profile.designation)
        goals = mentor_goals(
            licensing=licensing, is_retired=profile.is_retired, years_experience=profile.years_experience
        )
        capacity = profile.max_mentees
        open_to_remote = profile.open_to_remote or participation.open_to_other_regions
        profession_texts = [profile.occupation_title, profile.designation]
    else:
        licensing = licensing_key(profile.licensing_status) if profile.licensing_status else ""
        goals = _lower_set(profile.goals)
        capacity = 1
        open_to_remote = participation.open_to_other_regions or profile.not_yet_arrived
        profession_texts = [profile.occupation_title, profile.education, profile.licensing_status]
    return Candidate(
        participation_id=participation.pk,
        role=participation.role,
        program_id=participation.program_id,
        person_id=person.pk,
        name=person.full_name,
        occupation_code=code,
        occupation_path=path,
        licensing=licensing,
        goals=goals,
        languages=_lower_set(language.language for language in person.languages.all()),
        interests=_lower_set(participation.interests),
        communication_style={
            str(key): str(value).lower()
            for key, value in (participation.communication_style or {}).items()
            if value
        },
        cultural_background=" ".join(person.cultural_background.split()).lower(),
        gender=" ".join(person.gender.split()).lower(),
        wants_same_gender=not is_mentor and profile.wants_same_gender_mentor,
        city=person.city.strip(),
        region=person.region.strip(),
        country=person.country.strip(),
        open_to_remote=bool(open_to_remote),
        utc_offset=utc_offset_hours(person.time_zone, person.country or "Canada", when=now),
        availability=_lower_set(participation.availability),
        meeting_modes=_lower_set(participation.meeting_modes),
        keywords=keywords_from(
            participation.resume_text or "",
            participation.background_notes or "",
            *profession_texts,
            exclude=(person.first_name, person.last_name, person.email, person.city, person.region),
        ),
        capacity=max(0, capacity - taken.get(participation.pk, 0)),
    )
