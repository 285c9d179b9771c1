"""Meetings of a match or of a circle: the rules of one row, the service that logs them, and the
sums of mentoring hours that later reports build on."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from matching import circle_services
from matching.meeting_services import meeting_log
from matching.models import Circle, CircleMembership, Match, Meeting
from participants.models import Participation
from programs.activity import verb_label
from programs.models import ActivityEntry

from .factories import CircleFactory, MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

C = Circle.Status
M = Match.Status
S = Participation.Status

# Monday 9 September 2030, 9:00 in Edmonton: "today" for every test that looks at dates.
NOW = datetime.datetime(2030, 9, 9, 9, tzinfo=ZoneInfo("America/Edmonton"))
TODAY = datetime.date(2030, 9, 9)
YESTERDAY = datetime.date(2030, 9, 8)


@pytest.fixture(autouse=True)
def _fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def circle(program, coordinator) -> Circle:
    """An active circle: one mentor and two mentees."""
    circle = circle_services.circle_create(program=program, name="Physicians", actor=coordinator)
    for participation in (ready_mentor(program), ready_mentee(program), ready_mentee(program)):
        circle_services.circle_add_member(circle=circle, participation=participation, actor=coordinator)
    circle_services.circle_start(circle=circle, actor=coordinator)
    return circle


def _members(circle: Circle) -> list[CircleMembership]:
    return list(circle.memberships.filter(left_at__isnull=True).order_by("-role", "pk"))


def _active_match(program, **kwargs) -> Match:
    return MatchFactory(
        program=program,
        status=M.ACTIVE,
        mentee__status=S.MATCHED,
        mentor__status=S.MATCHED,
        started_on=TODAY - datetime.timedelta(weeks=4),
        **kwargs,
    )


def _log(actor, **kwargs) -> Meeting:
    values = {
        "occurred_on": YESTERDAY,
        "duration_minutes": 60,
        "mode": Meeting.Mode.VIDEO,
        "topics": "Preparing for the MCCQE Part I",
    }
    return meeting_log(**{**values, **kwargs}, actor=actor)


# --- Logging a circle's meeting -------------------------------------------------------------------


def test_a_circle_meeting_is_saved_with_its_attendees_and_logged_on_the_circle(circle, coordinator):
    mentor, first_mentee, second_mentee = _members(circle)

    meeting = _log(
        coordinator,
        circle=circle,
        duration_minutes=90,
        mode=Meeting.Mode.IN_PERSON,
        topics="  Licensure pathways in Alberta  ",
        next_steps="Everyone books the NAC exam",
        attendees=[mentor, first_mentee],
    )

    meeting.refresh_from_db()
    assert (meeting.circle, meeting.match) == (circle, None)
    assert meeting.occurred_on == YESTERDAY
    assert meeting.duration_minutes == 90
    assert meeting.topics == "Licensure pathways in Alberta"
    assert meeting.next_steps == "Everyone books the NAC exam"
    assert (meeting.logged_by, meeting.logged_as) == (coordinator, Meeting.LoggedAs.COORDINATOR)
    assert set(meeting.attendees.all()) == {mentor, first_mentee}
    entry = ActivityEntry.objects.get(verb="meeting.logged")
    assert entry.target == circle
    assert entry.actor == coordinator
    assert entry.program == circle.program
    assert entry.data == {
        "meeting": meeting.pk,
        "occurred_on": "2030-09-08",
        "duration_minutes": 90,
        "mode": "in_person",
        "logged_as": "coordinator",
        "attendees": 2,
    }
    assert verb_label("meeting.logged") == "logged a meeting"
    assert second_mentee not in meeting.attendees.all()


def test_attendance_is_optional(circle, coordinator):
    meeting = _log(coordinator, circle=circle)

    assert not meeting.attendees.exists()


def test_a_peer_group_keeps_logging_meetings(circle, coordinator):
    mentor, *mentees = _members(circle)
    circle_services.circle_member_leave(membership=mentor, actor=coordinator)
    circle.refresh_from_db()
    assert circle.status == C.PEER_GROUP

    meeting = _log(coordinator, circle=circle, attendees=mentees)

    assert meeting.attendees.count() == 2


@pytest.mark.parametrize("status", [C.FORMING, C.CLOSED])
def test_a_forming_or_closed_circle_takes_no_meeting(program, coordinator, status):
    circle = CircleFactory(program=program, status=status)

    with pytest.raises(ValidationError) as refused:
        _log(coordinator, circle=circle)

    label = Circle.Status(status).label
    assert refused.value.messages == [
        f"Meetings are logged for active circles and peer groups; this circle is “{label}”."
    ]
    assert not Meeting.objects.exists()
    assert not ActivityEntry.objects.filter(verb="meeting.logged").exists()


def test_only_current_members_attend(circle, program, coordinator):
    mentor, first_mentee, second_mentee = _members(circle)
    circle_services.circle_member_leave(membership=second_mentee, actor=coordinator)
    elsewhere = CircleFactory(program=program)
    stranger = CircleMembership.objects.create(
        circle=elsewhere, participation=ready_mentee(program), role=CircleMembership.Role.MENTEE
    )

    for attendees in ([mentor, second_mentee], [first_mentee, stranger]):
        with pytest.raises(ValidationError) as refused:
            _log(coordinator, circle=circle, attendees=attendees)
        assert refused.value.message_dict == {
            "attendees": ["Only the circle's current members can be recorded as attending."]
        }
    assert not Meeting.objects.exists()


# --- Logging a match's meeting --------------------------------------------------------------------


def test_an_active_match_meeting_is_logged_on_the_match(program, coordinator):
    match = _active_match(program)

    meeting = _log(coordinator, match=match, mode=Meeting.Mode.PHONE, logged_as=Meeting.LoggedAs.MENTEE)

    assert (meeting.match, meeting.circle, meeting.logged_as) == (match, None, "mentee")
    assert ActivityEntry.objects.get(verb="meeting.logged").target == match


@pytest.mark.parametrize("status", [M.PROPOSED, M.INTRODUCED, M.COMPLETED, M.CLOSED_EARLY, M.CANCELLED])
def test_a_match_that_is_not_active_takes_no_meeting(program, coordinator, status):
    match = MatchFactory(program=program, status=status, started_on=TODAY)

    with pytest.raises(ValidationError) as refused:
        _log(coordinator, match=match)

    label = Match.Status(status).label
    assert refused.value.messages == [f"Meetings are logged for active matches; this match is “{label}”."]
    assert not Meeting.objects.exists()


def test_a_match_meeting_has_no_attendance(circle, program, coordinator):
    with pytest.raises(ValidationError) as refused:
        _log(coordinator, match=_active_match(program), attendees=_members(circle)[:1])

    assert refused.value.message_dict == {"attendees": ["Attendance is recorded for circle meetings only."]}


def test_a_meeting_belongs_to_a_match_or_a_circle_not_both_nor_neither(circle, program, coordinator):
    for groups in ({}, {"circle": circle, "match": _active_match(program)}):
        with pytest.raises(ValidationError) as refused:
            _log(coordinator, **groups)
        assert refused.value.messages == ["A meeting belongs to either a match or a circle."]


# --- Rules of one meeting -------------------------------------------------------------------------


def test_today_is_the_latest_date_a_meeting_can_have(circle, coordinator):
    assert _log(coordinator, circle=circle, occurred_on=TODAY).occurred_on == TODAY

    with pytest.raises(ValidationError) as refused:
        _log(coordinator, circle=circle, occurred_on=TODAY + datetime.timedelta(days=1))

    assert refused.value.message_dict == {"occurred_on": ["A meeting is logged once it has happened."]}
    assert Meeting.objects.count() == 1


def test_today_is_the_local_date_not_the_utc_one(circle, coordinator):
    # 20:00 in Edmonton on 9 September is already 10 September in UTC.
    with time_machine.travel(
        datetime.datetime(2030, 9, 9, 20, tzinfo=ZoneInfo("America/Edmonton")), tick=False
    ):
        assert timezone.now().astimezone(datetime.UTC).date() == datetime.date(2030, 9, 10)
        with pytest.raises(ValidationError):
            _log(coordinator, circle=circle, occurred_on=datetime.date(2030, 9, 10))


@pytest.mark.parametrize(("minutes", "accepted"), [(0, False), (1, True), (600, True), (601, False)])
def test_a_meeting_lasts_one_to_six_hundred_minutes(circle, coordinator, minutes, accepted):
    if accepted:
        assert _log(coordinator, circle=circle, duration_minutes=minutes).duration_minutes == minutes
        return
    with pytest.raises(ValidationError) as refused:
        _log(coordinator, circle=circle, duration_minutes=minutes)
    assert list(refused.value.message_dict) == ["duration_minutes"]


def test_topics_are_needed_and_blanks_do_not_count(circle, coordinator):
    with pytest.raises(ValidationError) as refused:
        _log(coordinator, circle=circle, topics="   ")

    assert list(refused.value.message_dict) == ["topics"]


def test_the_database_refuses_a_meeting_of_both_or_neither(circle, program):
    match = _active_match(program)
    for groups in ({}, {"circle": circle, "match": match}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.create(
                occurred_on=YESTERDAY, duration_minutes=30, topics="x", logged_as="coordinator", **groups
            )


@pytest.mark.parametrize("minutes", [0, 601])
def test_the_database_refuses_a_length_out_of_range(circle, minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            circle=circle, occurred_on=YESTERDAY, duration_minutes=minutes, topics="x", logged_as="mentor"
        )


def test_a_match_with_meetings_cannot_be_deleted(program, coordinator):
    from django.db.models import ProtectedError

    match = _active_match(program)
    _log(coordinator, match=match)

    with pytest.raises(ProtectedError):
        match.delete()


# --- Mentoring hours ------------------------------------------------------------------------------


def test_hours_sum_per_match_and_per_mentor_and_year(circle, program, coordinator):
    """Hand-worked: the mentor of `mine` also leads the circle.

    - `mine` (2030): 60 + 45 minutes; (2029): 90 minutes
    - the circle (2030): 120 minutes attended, 30 minutes not attended
    - someone else's match (2030): 50 minutes
    Mentor, 2030: 60 + 45 + 120 = 225. Mentor, all years: 225 + 90 = 315. `mine`: 195.
    """
    circle_mentor, *mentees = _members(circle)
    mine = _active_match(program, mentor=circle_mentor.participation)
    others = _active_match(program)
    _log(coordinator, match=mine, duration_minutes=60)
    _log(coordinator, match=mine, duration_minutes=45, occurred_on=datetime.date(2030, 1, 1))
    _log(coordinator, match=mine, duration_minutes=90, occurred_on=datetime.date(2029, 12, 31))
    _log(coordinator, circle=circle, duration_minutes=120, attendees=[circle_mentor, *mentees])
    _log(coordinator, circle=circle, duration_minutes=30, attendees=mentees)
    _log(coordinator, match=others, duration_minutes=50)

    of_mentor = Meeting.objects.of_mentor(circle_mentor.participation)
    assert of_mentor.filter(occurred_on__year=2030).total_minutes() == 225
    assert of_mentor.total_minutes() == 315
    assert mine.meetings.all().total_minutes() == 195
    assert circle.meetings.all().total_minutes() == 150
    assert Meeting.objects.of_mentor(others.mentor).total_minutes() == 50
    assert Meeting.objects.none().total_minutes() == 0


def test_a_mentee_attending_a_circle_meeting_adds_no_mentor_hours(circle, coordinator):
    _mentor, mentee, _other = _members(circle)
    _log(coordinator, circle=circle, duration_minutes=40, attendees=[mentee])

    assert Meeting.objects.of_mentor(mentee.participation).total_minutes() == 0
