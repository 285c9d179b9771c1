"""Matches at the stages the portal's surveys care about, with portal logins on both sides."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from matching.closure_services import match_close
from matching.models import Closure, Match
from matching.tests.factories import MatchFactory
from participants.models import Participation

from .portal_helpers import mentee, mentor

S = Participation.Status


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def running_match(program, *, started_on: datetime.date | None = None, name: str = "a") -> Match:
    """An active match that started `started_on` (20 days ago by default: its first check-in,
    14 days after the start, has come). `name` tells the people of different matches apart."""
    started_on = started_on or timezone.localdate() - days(20)
    return MatchFactory(
        program=program,
        mentee=mentee(
            program, status=S.MATCHED, last_name=f"Mentee-{name}", email=f"mentee-{name}@example.org"
        ),
        mentor=mentor(
            program, status=S.MATCHED, last_name=f"Mentor-{name}", email=f"mentor-{name}@example.org"
        ),
        status=Match.Status.ACTIVE,
        mentee_response=Match.Response.ACCEPTED,
        mentor_response=Match.Response.ACCEPTED,
        introduced_at=timezone.now() - days(30),
        started_on=started_on,
        planned_end_on=started_on + days(180),
    )


def ended_match(program, *, ended_days_ago: int = 100, name: str = "a") -> Match:
    """A match closed through the service `ended_days_ago` days ago, with its follow-ups due 3
    and 6 months after: with the default, the 3-month one is due and the 6-month one is not."""
    today = timezone.localdate()
    match = running_match(program, started_on=today - days(ended_days_ago + 180), name=name)
    ended_on = today - days(ended_days_ago)
    if ended_days_ago:
        moment = datetime.datetime.combine(
            ended_on, datetime.time(12), tzinfo=timezone.get_current_timezone()
        )
        with time_machine.travel(moment, tick=False):
            match_close(match=match, early=False, reason=Closure.Reason.RAN_ITS_COURSE, actor=None)
    else:
        match_close(match=match, early=False, reason=Closure.Reason.RAN_ITS_COURSE, actor=None)
    match.refresh_from_db()
    return match
