"""Demo matches for `seed_demo`, made through the same services as the app: pairs the cohort
assignment proposes, introduced, accepted, with an agreement, goals, meetings and check-ins,
some completed or closed early with their surveys and follow-ups, and one mentoring circle.

Matches are then moved back in time (start, meetings, goals, end) so that the dashboards show
months of history: some pairs meet every two weeks, others stopped meeting a while ago and
show up as at risk. The activity log keeps the time of seeding.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import F
from django.utils import timezone

from participants.models import Participation
from programs.models import Program, StaffMembership

from .checkin_services import checkin_record, checkins_due_for
from .circle_services import circle_add_member, circle_create, circle_start
from .closure_services import add_months, closing_survey_record, follow_up_record, match_close
from .cohort import solve
from .goal_services import agreement_acknowledge, goal_create, goal_set_status
from .meeting_services import meeting_log
from .models import Agreement, Closure, FollowUp, Goal, Match
from .services import match_introduce, match_propose, match_respond

# What becomes of the best pairs of each program, in order; the mentees left wait for a mentor.
# Active matches: (weeks since the start, days since the last meeting).
PLAN = [
    ("active", 20, 5),
    ("active", 14, 9),
    ("active", 10, 50),  # stopped meeting: at risk
    ("active", 8, 12),
    ("active", 6, 3),
    ("active", 3, 35),  # never got going: at risk
    ("completed", 30, 0),
    ("completed", 40, 0),
    ("closed_early", 18, 0),
    ("introduced", 0, 0),
    ("proposed", 0, 0),
]
TOPICS = [
    "Rewrote the resume for Canadian employers and practised the two-minute introduction.",
    "Mock interview for a junior role; worked on answers with examples (STAR).",
    "Went through the steps of the licensing application and the documents still missing.",
    "Talked about workplace culture: small talk, meetings, asking for feedback.",
    "Mapped people to contact for informational interviews and wrote the first message.",
    "Reviewed two job postings and how to show the experience from back home.",
    "Looked at volunteering and short courses that lead to Canadian experience.",
]
GOALS = [
    ("employment_in_field", "A job in my field", "An offer for a role in my profession, in the region."),
    (
        "certification",
        "Licence with the regulator",
        "File the application with the regulator and pass the exam.",
    ),
    (
        "networking",
        "Ten professional contacts",
        "Meet ten people in my field through informational interviews.",
    ),
    ("workplace_culture", "Canadian workplace culture", "Feel at ease in meetings, small talk and feedback."),
]


def seed_matches(programs: dict[str, Program], portal_logins: dict[str, str]) -> None:
    rng = random.Random(2027)
    today = timezone.localdate()
    for index, program in enumerate(programs.values()):
        if program.matches.exists():
            continue
        coordinator = _coordinator(program)
        if index == 0:
            _portal_pair(program, portal_logins, coordinator)
        portal_ids = _ids_of(set(portal_logins.values()))
        cohort = solve(program, min_score=0)
        pairs = [
            pair
            for pair in sorted(cohort.pairs, key=lambda pair: -pair.score)
            if not {pair.mentee.participation_id, pair.mentor.participation_id} & portal_ids
        ]
        for (stage, weeks, quiet_days), pair in zip(PLAN, pairs, strict=False):
            mentee = Participation.objects.select_related("person", "program").get(
                pk=pair.mentee.participation_id
            )
            mentor = Participation.objects.select_related("person", "program").get(
                pk=pair.mentor.participation_id
            )
            match = match_propose(
                mentee=mentee,
                mentor=mentor,
                score=pair.score,
                breakdown=pair.reasons,
                actor=coordinator,
                override_reason="" if pair.score >= program.min_match_score else "Demo pair",
            )
            if stage == "proposed":
                continue
            match_introduce(match=match, actor=coordinator)
            if stage == "introduced":
                match_respond(match=match, side="mentee", accepted=True, actor=coordinator)
                continue
            match_respond(match=match, side="mentee", accepted=True, actor=coordinator)
            match_respond(match=match, side="mentor", accepted=True, actor=coordinator)
            match.refresh_from_db()
            _live(match, today - datetime.timedelta(weeks=weeks), today, quiet_days, coordinator, rng)
            if stage in ("completed", "closed_early"):
                _close(match, early=stage == "closed_early", today=today, actor=coordinator, rng=rng)
        _circle(program, coordinator)


def _ids_of(emails: set[str]) -> set[int]:
    return set(Participation.objects.filter(person__email__in=emails).values_list("pk", flat=True))


def _coordinator(program: Program):
    membership = (
        StaffMembership.objects.filter(organization=program.organization)
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user


def _portal_pair(program: Program, logins: dict[str, str], coordinator) -> None:
    """The portal demo logins get an introduction to answer in the portal."""
    mentee = Participation.objects.filter(
        program=program, person__email=logins["mentee"], role="mentee"
    ).first()
    mentor = Participation.objects.filter(
        program=program, person__email=logins["mentor"], role="mentor"
    ).first()
    if mentee is None or mentor is None:
        return
    cohort_scores = {(p.mentee.participation_id, p.mentor.participation_id): p for p in solve(program).pairs}
    pair = cohort_scores.get((mentee.pk, mentor.pk))
    score, reasons = (pair.score, pair.reasons) if pair else (program.min_match_score, [])
    match = match_propose(
        mentee=mentee,
        mentor=mentor,
        score=score,
        breakdown=reasons,
        actor=coordinator,
        override_reason="Demo pair",
    )
    match_introduce(match=match, actor=coordinator)


def _live(match: Match, started_on, today, quiet_days: int, actor, rng: random.Random) -> None:
    """Moves the match's start back to `started_on` and fills its months: the agreement, two
    goals, meetings every two weeks or so until `quiet_days` ago, and the check-ins."""
    planned_end_on = started_on + datetime.timedelta(weeks=match.program.match_length_weeks)
    Match.objects.filter(pk=match.pk).update(
        started_on=started_on,
        planned_end_on=planned_end_on,
        introduced_at=F("introduced_at") - (today - started_on) - datetime.timedelta(days=5),
        proposed_at=F("proposed_at") - (today - started_on) - datetime.timedelta(days=9),
    )
    Agreement.objects.filter(match=match).update(planned_end_on=planned_end_on)
    match.refresh_from_db()
    agreement = match.agreement
    for side in ("mentee", "mentor"):
        agreement_acknowledge(agreement=agreement, side=side, actor=actor, recorded_by_coordinator=True)
    for number, (category, title, description) in enumerate(rng.sample(GOALS, 2)):
        goal = goal_create(
            match=match,
            category=category,
            title=title,
            description=description,
            target_date=started_on + datetime.timedelta(weeks=8 + 10 * number),
            steps="Make a plan with the mentor\nCheck progress at each meeting",
            actor=actor,
        )
        weeks_in = (today - started_on).days // 7
        if weeks_in > 4:
            goal_set_status(goal=goal, status=Goal.Status.IN_PROGRESS, actor=actor)
        if weeks_in > 12 and number == 0 and rng.random() < 0.7:
            goal_set_status(
                goal=goal, status=Goal.Status.ACHIEVED, note="Done, with the mentor's help.", actor=actor
            )
    day = started_on + datetime.timedelta(days=rng.randint(3, 8))
    last = today - datetime.timedelta(days=quiet_days)
    while day <= last:
        meeting_log(
            match=match,
            occurred_on=day,
            duration_minutes=rng.choice([45, 60, 60, 75, 90]),
            mode=rng.choice(["video", "video", "in_person", "phone"]),
            topics=rng.choice(TOPICS),
            logged_as=rng.choice(["mentor", "mentee"]),
            actor=actor,
        )
        day += datetime.timedelta(days=rng.randint(11, 17))
    for due_on in checkins_due_for(match, today=today):
        if due_on > today:
            break
        quiet = (today - due_on).days < quiet_days
        checkin_record(
            match=match,
            due_on=due_on,
            with_whom="both",
            how_it_is_going="They have not met lately." if quiet else "Meeting regularly; both positive.",
            concerns="No meeting in weeks." if quiet else "",
            satisfaction=2 if quiet else rng.choice([4, 4, 5]),
            follow_up_actions="Call the mentee." if quiet else "",
            actor=actor,
        )


def _close(match: Match, *, early: bool, today, actor, rng: random.Random) -> None:
    match_close(
        match=match,
        early=early,
        reason=Closure.Reason.SCHEDULES if early else Closure.Reason.RAN_ITS_COURSE,
        note="Their work schedules no longer fit." if early else "",
        mentee_returns_to_pool=early,
        goal_outcomes={},
        actor=actor,
    )
    match.refresh_from_db()
    ended_on = (
        min(match.planned_end_on, today) if not early else match.started_on + datetime.timedelta(weeks=10)
    )
    Match.objects.filter(pk=match.pk).update(ended_on=ended_on)
    for follow_up in match.follow_ups.all():
        FollowUp.objects.filter(pk=follow_up.pk).update(due_on=add_months(ended_on, follow_up.months_after))
    match.refresh_from_db()
    for side, satisfaction in (("mentee", rng.choice([4, 5])), ("mentor", rng.choice([3, 4, 5]))):
        closing_survey_record(
            match=match,
            side=side,
            satisfaction=satisfaction if not early else 3,
            would_take_part_again="yes",
            employment_status=rng.choice(["in_field", "related", "other_work"]) if side == "mentee" else "",
            by_coordinator=True,
            actor=actor,
        )
    for follow_up in match.follow_ups.filter(due_on__lte=today):
        follow_up_record(
            follow_up=follow_up,
            employment_status=rng.choice(["in_field", "related"]),
            still_in_region=True,
            actor=actor,
        )


def _circle(program: Program, actor) -> None:
    """A circle of one mentor and up to four waiting mentees of the program."""
    mentors = Participation.objects.filter(program=program, role="mentor", status="ready_to_match")
    mentees = Participation.objects.filter(program=program, role="mentee", status="ready_to_match").exclude(
        matches_as_mentee__status__in=["proposed", "introduced", "active"]
    )
    mentor = mentors.order_by("-pk").first()
    members = list(mentees.order_by("-pk")[:4])
    if mentor is None or len(members) < 3:
        return
    circle = circle_create(
        program=program,
        name=f"{program.name}: peer circle",
        focus="Newcomers preparing for licensing exams",
        actor=actor,
    )
    for participation in [mentor, *members]:
        circle_add_member(circle=circle, participation=participation, actor=actor)
    circle_start(circle=circle, actor=actor)
