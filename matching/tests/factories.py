from decimal import Decimal

import factory
from django.utils import timezone

from matching.models import AssignmentRun, Circle, DoNotMatch, Match
from participants.models import Participation
from participants.tests.factories import MenteeProfileFactory, MentorProfileFactory, ParticipationFactory
from programs.tests.factories import ProgramFactory

S = Participation.Status

BREAKDOWN = [
    {"criterion": "profession", "label": "Same profession (NOC 21300)", "points": 32},
    {"criterion": "languages", "label": "Shares Yoruba", "points": 8},
]


def ready_mentee(program, *, status: str = S.READY_TO_MATCH, **profile) -> Participation:
    """A mentee of the program, with a profile, ready to be matched."""
    return MenteeProfileFactory(
        participation__program=program, participation__status=status, **profile
    ).participation


def ready_mentor(
    program, *, max_mentees: int = 1, status: str = S.READY_TO_MATCH, **profile
) -> Participation:
    """A mentor of the program, with a profile, ready to be matched."""
    return MentorProfileFactory(
        participation__program=program, participation__status=status, max_mentees=max_mentees, **profile
    ).participation


def many_ready_mentors(program, count: int, **profile) -> list[Participation]:
    """`count` mentors ready to match, built by the factories and saved in three bulk inserts,
    so that tests can fill a pool of thousands in a second or two."""
    from participants.models import MentorProfile, Person

    profiles = MentorProfileFactory.build_batch(
        count, participation__program=program, participation__status=S.READY_TO_MATCH, **profile
    )
    people = Person.objects.bulk_create([p.participation.person for p in profiles])
    for item, person in zip(profiles, people, strict=True):
        item.participation.person = person
    participations = Participation.objects.bulk_create([p.participation for p in profiles])
    for item, participation in zip(profiles, participations, strict=True):
        item.participation = participation
    MentorProfile.objects.bulk_create(profiles)
    return participations


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    program = factory.SubFactory(ProgramFactory)
    mentee = factory.SubFactory(
        ParticipationFactory,
        program=factory.SelfAttribute("..program"),
        role=Participation.Role.MENTEE,
        status=S.READY_TO_MATCH,
    )
    mentor = factory.SubFactory(
        ParticipationFactory,
        program=factory.SelfAttribute("..program"),
        role=Participation.Role.MENTOR,
        status=S.READY_TO_MATCH,
    )
    score = Decimal("72.50")
    breakdown = factory.LazyFunction(lambda: [dict(item) for item in BREAKDOWN])


class DoNotMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoNotMatch

    organization = factory.SelfAttribute("mentee.organization")
    kind = DoNotMatch.Kind.CONFLICT


class AssignmentRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentRun

    program = factory.SubFactory(ProgramFactory)
    min_score = 40


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Circle {n}")
    focus = "Internationally trained physicians"


# --- Agreements and goals ------------------------------------------------------------------------


class GoalTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matching.GoalTemplate"

    program = factory.SubFactory(ProgramFactory)
    category = "certification"
    title = factory.Sequence(lambda n: f"Licence with the regulator {n}")
    description = "Apply for registration as an engineer in training and follow the file to a decision."
    suggested_steps = "Gather transcripts\nBook the ethics exam\nAsk for a work-experience reference"


class GoalFactory(factory.django.DjangoModelFactory):
    """A goal of a match that has started (give the match `started_on`); due at its planned end."""

    class Meta:
        model = "matching.Goal"

    match = factory.SubFactory(MatchFactory)
    category = "employment_in_field"
    title = factory.Sequence(lambda n: f"Goal {n}")
    description = "An engineering job in Calgary, in a firm that designs water systems."
    target_date = factory.LazyAttribute(lambda goal: goal.match.planned_end_on or goal.match.started_on)
    steps = "Rewrite the resume for Canadian employers\nTwo informational interviews a month"


# --- Check-ins -----------------------------------------------------------------------------------


def started_match(program, *, started_on, planned_end_on=None, **kwargs) -> Match:
    """An active match of the program: both sides accepted, started on `started_on`."""
    return MatchFactory(
        program=program,
        status=Match.Status.ACTIVE,
        mentee__status=S.MATCHED,
        mentor__status=S.MATCHED,
        mentee_response=Match.Response.ACCEPTED,
        mentor_response=Match.Response.ACCEPTED,
        started_on=started_on,
        planned_end_on=planned_end_on,
        **kwargs,
    )


class CheckInScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matching.CheckInSchedule"

    program = factory.SubFactory(ProgramFactory)


class CheckInFactory(factory.django.DjangoModelFactory):
    """A recorded check-in; pass `status="unanswered"` for one nobody replied to."""

    class Meta:
        model = "matching.CheckIn"

    match = factory.SubFactory(MatchFactory)
    status = "done"
    with_whom = "both"
    done_at = factory.LazyFunction(timezone.now)
    how_it_is_going = "They meet every two weeks and are preparing the APEGA application."
    satisfaction = 4
