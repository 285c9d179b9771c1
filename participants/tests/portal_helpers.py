"""People with portal logins, and matches at each stage, for the portal tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.tests.factories import UserFactory
from matching.models import Match
from matching.services import match_respond
from matching.tests.factories import MatchFactory
from participants.models import Participation, PersonLanguage
from participants.tests.factories import MenteeProfileFactory, MentorProfileFactory

S = Participation.Status
BREAKDOWN = [
    {"criterion": "profession", "label": "Same profession (NOC 21300)", "points": 32},
    {"criterion": "languages", "label": "Shares Yoruba", "points": 8},
    {"criterion": "place", "label": "Different cities", "points": 0},
]


def with_login(participation: Participation, **user_fields) -> Participation:
    """Gives the participation's person a portal login with their own email address."""
    person = participation.person
    user = UserFactory(
        email=person.email, first_name=person.first_name, last_name=person.last_name, **user_fields
    )
    person.user = user
    person.save(update_fields=["user"])
    return participation


def mentee(program, *, status: str = S.READY_TO_MATCH, login: bool = True, **person) -> Participation:
    defaults = {"first_name": "Amina", "last_name": "Okafor", "phone": "780-555-0101"}
    participation = MenteeProfileFactory(
        participation__program=program,
        participation__status=status,
        participation__person__organization=program.organization,
        **{f"participation__person__{key}": value for key, value in (defaults | person).items()},
        occupation_title="Civil engineer",
    ).participation
    return with_login(participation) if login else participation


def mentor(program, *, status: str = S.READY_TO_MATCH, login: bool = True, **person) -> Participation:
    defaults = {"first_name": "Daniel", "last_name": "Tremblay", "phone": "403-555-0199", "city": "Calgary"}
    participation = MentorProfileFactory(
        participation__program=program,
        participation__status=status,
        participation__person__organization=program.organization,
        **{f"participation__person__{key}": value for key, value in (defaults | person).items()},
        occupation_title="Senior civil engineer",
        employer_name="Prairie Infrastructure Ltd.",
    ).participation
    return with_login(participation) if login else participation


def complete_profile(participation: Participation) -> Participation:
    """Fills in what the checklist's "complete your profile" step asks for."""
    PersonLanguage.objects.get_or_create(
        person=participation.person, language="English", defaults={"proficiency": "professional"}
    )
    participation.interests = ["hiking"]
    participation.availability = ["weekday_evenings"]
    participation.meeting_modes = ["video"]
    participation.communication_style = {"agenda": "structured"}
    participation.save()
    return participation


def introduced_match(program, mentee_participation, mentor_participation) -> Match:
    return MatchFactory(
        program=program,
        mentee=mentee_participation,
        mentor=mentor_participation,
        status=Match.Status.INTRODUCED,
        introduced_at=timezone.now() - datetime.timedelta(days=1),
        breakdown=[dict(item) for item in BREAKDOWN],
    )


def active_match(program, mentee_participation, mentor_participation) -> Match:
    """A match both sides accepted through the service: it has started and has its agreement."""
    match = introduced_match(program, mentee_participation, mentor_participation)
    match_respond(match=match, side="mentor", accepted=True, actor=mentor_participation.person.user)
    match_respond(match=match, side="mentee", accepted=True, actor=mentee_participation.person.user)
    match.refresh_from_db()
    return match
