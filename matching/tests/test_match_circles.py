"""Group mentoring circles: one or two mentors with several mentees, which carry on as a peer
group when the last mentor leaves."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from matching import circle_services
from matching.models import Circle, CircleMembership
from participants.models import Participation
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory

from .factories import CircleFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

C = Circle.Status
S = Participation.Status


@pytest.fixture
def circle(program, coordinator):
    return circle_services.circle_create(
        program=program,
        name="  Internationally trained physicians  ",
        focus="Licensure with the College of Physicians and Surgeons",
        actor=coordinator,
    )


def _add(circle, participation, actor) -> CircleMembership:
    return circle_services.circle_add_member(circle=circle, participation=participation, actor=actor)


def _start(circle, program, actor, *, mentors=1, mentees=3) -> list[CircleMembership]:
    members = [_add(circle, ready_mentor(program), actor) for _ in range(mentors)]
    members += [_add(circle, ready_mentee(program), actor) for _ in range(mentees)]
    circle_services.circle_start(circle=circle, actor=actor)
    return members


def test_a_new_circle_is_forming_and_logged(circle, coordinator):
    assert circle.name == "Internationally trained physicians"
    assert circle.status == C.FORMING
    entry = ActivityEntry.objects.get(verb="circle.created")
    assert entry.target == circle
    assert entry.actor == coordinator


def test_members_join_in_their_program_role_and_each_join_is_logged_for_the_person(
    circle, program, coordinator
):
    mentor = ready_mentor(
        program, participation__person__first_name="Grace", participation__person__last_name="Ho"
    )
    mentee = ready_mentee(program)

    assert _add(circle, mentor, coordinator).role == CircleMembership.Role.MENTOR
    assert _add(circle, mentee, coordinator).role == CircleMembership.Role.MENTEE
    entry = ActivityEntry.objects.get(
        verb="circle.member_added", target_id=str(mentor.person.pk), target_type__model="person"
    )
    assert entry.data == {
        "circle": circle.pk,
        "name": "Grace Ho",
        "role": "mentor",
        "participation": mentor.pk,
        "circle_status": "forming",
    }


def test_a_circle_has_at_most_two_mentors_and_many_mentees(circle, program, coordinator):
    _add(circle, ready_mentor(program), coordinator)
    _add(circle, ready_mentor(program), coordinator)
    for _ in range(6):
        _add(circle, ready_mentee(program), coordinator)

    with pytest.raises(ValidationError) as refused:
        _add(circle, ready_mentor(program), coordinator)
    assert refused.value.messages == ["A circle has at most two mentors."]
    assert circle.memberships.filter(role=CircleMembership.Role.MENTEE).count() == 6


def test_members_must_be_ready_to_match_or_already_matched(circle, program, coordinator):
    _add(circle, ready_mentee(program, status=S.MATCHED), coordinator)
    waiting = ready_mentee(
        program,
        status=S.ORIENTATION_DONE,
        participation__person__first_name="Amara",
        participation__person__last_name="Okafor",
    )

    with pytest.raises(ValidationError) as refused:
        _add(circle, waiting, coordinator)
    assert refused.value.messages == ["Amara Okafor is not ready to match (Orientation done)."]


def test_a_member_joins_once(circle, program, coordinator):
    mentee = ready_mentee(
        program, participation__person__first_name="Amara", participation__person__last_name="Okafor"
    )
    _add(circle, mentee, coordinator)

    with pytest.raises(ValidationError) as refused:
        _add(circle, mentee, coordinator)
    assert refused.value.messages == ["Amara Okafor is already in the circle."]


def test_mentees_come_from_the_circles_program_and_mentors_also_from_programs_sharing_mentors(
    circle, program, organization, other_program, coordinator
):
    program.shares_mentors = True
    program.save()
    sharing = ProgramFactory(organization=organization, name="Health Mentorship", shares_mentors=True)

    _add(circle, ready_mentor(sharing), coordinator)
    with pytest.raises(ValidationError, match="is not a participant of Engineering Mentorship"):
        _add(circle, ready_mentee(sharing), coordinator)
    with pytest.raises(ValidationError, match="is not a participant of Engineering Mentorship"):
        _add(circle, ready_mentor(other_program), coordinator)


@time_machine.travel(datetime.datetime(2030, 9, 9, 9, tzinfo=ZoneInfo("America/Edmonton")), tick=False)
def test_a_circle_starts_with_one_or_two_mentors_and_two_mentees_for_the_programs_length(
    circle, program, coordinator
):
    program.match_length_weeks = 16
    program.save()
    with pytest.raises(ValidationError) as refused:
        circle_services.circle_start(circle=circle, actor=coordinator)
    assert refused.value.messages == ["A circle needs one or two mentors to start."]

    _add(circle, ready_mentor(program), coordinator)
    _add(circle, ready_mentee(program), coordinator)
    with pytest.raises(ValidationError) as refused:
        circle_services.circle_start(circle=circle, actor=coordinator)
    assert refused.value.messages == ["A circle needs at least two mentees to start."]

    _add(circle, ready_mentee(program), coordinator)
    circle_services.circle_start(circle=circle, actor=coordinator)

    circle.refresh_from_db()
    assert circle.status == C.ACTIVE
    assert circle.started_on == datetime.date(2030, 9, 9)
    assert circle.planned_end_on == datetime.date(2030, 12, 30)  # 16 weeks later
    with pytest.raises(ValidationError) as refused:
        circle_services.circle_start(circle=circle, actor=coordinator)
    assert refused.value.messages == ["Only a forming circle can start."]


def test_when_the_last_mentor_leaves_an_active_circle_it_becomes_a_peer_group(circle, program, coordinator):
    first, second, *_ = _start(circle, program, coordinator, mentors=2)

    circle_services.circle_member_leave(membership=first, actor=coordinator, reason="Retired to Victoria")
    circle.refresh_from_db()
    assert circle.status == C.ACTIVE

    circle_services.circle_member_leave(membership=second, actor=coordinator)
    circle.refresh_from_db()
    assert circle.status == C.PEER_GROUP
    assert circle.memberships.filter(role=CircleMembership.Role.MENTEE, left_at__isnull=True).count() == 3
    left = ActivityEntry.objects.filter(verb="circle.member_left", target_type__model="circle").order_by("id")
    assert [entry.data["circle_status"] for entry in left] == ["active", "peer_group"]
    assert left[0].data["reason"] == "Retired to Victoria"


def test_a_peer_group_that_gains_a_mentor_is_an_active_circle_again(circle, program, coordinator):
    (mentor, *_) = _start(circle, program, coordinator)
    circle_services.circle_member_leave(membership=mentor, actor=coordinator)

    _add(circle, ready_mentor(program), coordinator)

    circle.refresh_from_db()
    assert circle.status == C.ACTIVE


def test_a_mentor_leaving_a_forming_circle_leaves_it_forming(circle, program, coordinator):
    mentor = _add(circle, ready_mentor(program), coordinator)

    circle_services.circle_member_leave(membership=mentor, actor=coordinator)

    circle.refresh_from_db()
    assert circle.status == C.FORMING


def test_a_member_leaves_once_and_may_join_again(circle, program, coordinator):
    participation = ready_mentee(program)
    membership = _add(circle, participation, coordinator)
    circle_services.circle_member_leave(membership=membership, actor=coordinator)

    with pytest.raises(ValidationError) as refused:
        circle_services.circle_member_leave(membership=membership, actor=coordinator)
    assert refused.value.messages == ["This member has already left the circle."]
    assert _add(circle, participation, coordinator).left_at is None


def test_closing_a_circle_ends_every_membership_and_takes_no_new_members(circle, program, coordinator):
    _start(circle, program, coordinator)

    circle_services.circle_close(circle=circle, actor=coordinator, reason="The cohort finished")

    circle.refresh_from_db()
    assert circle.status == C.CLOSED
    assert circle.ended_on is not None
    assert not circle.memberships.filter(left_at__isnull=True).exists()
    assert ActivityEntry.objects.get(verb="circle.closed").data == {
        "reason": "The cohort finished",
        "members": 4,
    }
    with pytest.raises(ValidationError) as refused:
        _add(circle, ready_mentee(program), coordinator)
    assert refused.value.messages == ["A closed circle takes no new members."]
    with pytest.raises(ValidationError):
        circle_services.circle_close(circle=circle, actor=coordinator)


def test_circle_names_are_unique_within_a_program(circle, program, coordinator):
    with pytest.raises(ValidationError) as refused:
        circle_services.circle_create(
            program=program, name="Internationally trained physicians", actor=coordinator
        )
    assert "name" in str(refused.value).lower()


def test_a_membership_takes_the_role_the_participation_has(program):
    membership = CircleMembership(
        circle=CircleFactory(program=program),
        participation=ready_mentee(program),
        role=CircleMembership.Role.MENTOR,
    )

    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert refused.value.message_dict == {"role": ["A member takes the role they have in the program."]}
