"""The staff pages for mentoring circles: the current program's list, a new circle, and one
circle with its members, meetings and the actions its status allows, each calling its service."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import circle_services
from matching.meeting_services import meeting_log
from matching.models import Circle, CircleMembership, Meeting
from participants.models import Participation
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .factories import CircleFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

C = Circle.Status
S = Participation.Status

# Every page: (url name, what it needs: nothing, the circle, or one of its members).
PAGES = [
    ("matching:circle_list", None),
    ("matching:circle_create", None),
    ("matching:circle_detail", "circle"),
    ("matching:circle_member_leave", "member"),
    ("matching:circle_meeting_log", "circle"),
]
# Every action, with data that would succeed for the coordinator of the circle's program.
ACTIONS = [
    ("matching:circle_add_member", "circle"),
    ("matching:circle_start", "circle"),
    ("matching:circle_member_leave", "member"),
    ("matching:circle_close", "circle"),
    ("matching:circle_meeting_log", "circle"),
]

POST_ONLY = {"matching:circle_add_member", "matching:circle_start", "matching:circle_close"}


def _url(name: str, circle: Circle | None = None, member: CircleMembership | None = None) -> str:
    if member is not None:
        return reverse(name, args=[member.circle_id, member.pk])
    return reverse(name, args=[circle.pk] if circle is not None else [])


def _detail(circle: Circle) -> str:
    return reverse("matching:circle_detail", args=[circle.pk])


def _add(circle: Circle, participation: Participation, actor) -> CircleMembership:
    return circle_services.circle_add_member(circle=circle, participation=participation, actor=actor)


def _named(factory, program, first: str, last: str, **kwargs) -> Participation:
    return factory(
        program, participation__person__first_name=first, participation__person__last_name=last, **kwargs
    )


@pytest.fixture
def forming(program, coordinator) -> Circle:
    """A forming circle with one mentor and two mentees: ready to start."""
    circle = circle_services.circle_create(
        program=program, name="Internationally trained physicians", focus="Licensure", actor=coordinator
    )
    _add(circle, _named(ready_mentor, program, "Grace", "Ho"), coordinator)
    _add(circle, _named(ready_mentee, program, "Amara", "Okafor"), coordinator)
    _add(circle, _named(ready_mentee, program, "Tomas", "Silva"), coordinator)
    return circle


@pytest.fixture
def active(forming, coordinator) -> Circle:
    circle_services.circle_start(circle=forming, actor=coordinator)
    forming.refresh_from_db()
    return forming


def _member(circle: Circle, last_name: str) -> CircleMembership:
    return circle.memberships.get(participation__person__last_name=last_name, left_at__isnull=True)


def _action_data(circle: Circle) -> dict:
    """Data each action would accept; with it, a refused request proves the refusal is about who
    asks, not about the form."""
    mentee = ready_mentee(circle.program)
    return {
        "participation": mentee.pk,
        "reason": "Moved to Calgary",
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": "60",
        "mode": "video",
        "topics": "Exam preparation",
    }


def _unchanged(circle: Circle, members_before: int) -> None:
    circle_status = circle.status
    circle.refresh_from_db()
    assert circle.status == circle_status
    assert circle.memberships.filter(left_at__isnull=True).count() == members_before
    assert not Meeting.objects.exists()


# --- Who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "needs"), PAGES)
def test_anonymous_visitor_is_sent_to_login_from_every_page(client, active, name, needs):
    response = client.get(
        _url(name, active if needs else None, _member(active, "Ho") if needs == "member" else None)
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "needs"), ACTIONS)
def test_anonymous_visitor_cannot_act_on_a_circle(client, active, name, needs):
    data = _action_data(active)
    response = client.post(_url(name, active, _member(active, "Ho") if needs == "member" else None), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    _unchanged(active, 3)


def test_anonymous_visitor_cannot_create_a_circle(client, program):
    response = client.post(reverse("matching:circle_create"), {"name": "Nurses"})
    assert response.url.startswith(reverse("account_login"))
    assert not Circle.objects.exists()


@pytest.mark.parametrize(("name", "needs"), PAGES + ACTIONS)
def test_participant_is_refused_every_page_and_action(client, participant_user, active, name, needs):
    client.force_login(participant_user)
    url = _url(name, active if needs else None, _member(active, "Ho") if needs == "member" else None)
    assert client.get(url).status_code == 403
    assert client.post(url, _action_data(active)).status_code == 403
    _unchanged(active, 3)


@pytest.mark.parametrize(("name", "needs"), [page for page in PAGES + ACTIONS if page[1]])
def test_coordinator_of_other_organization_gets_404_on_every_circle_page_and_action(
    client, other_coordinator, active, name, needs
):
    client.force_login(other_coordinator)
    url = _url(name, active, _member(active, "Ho") if needs == "member" else None)
    entries = ActivityEntry.objects.count()
    if name not in POST_ONLY:
        assert client.get(url).status_code == 404
    assert client.post(url, _action_data(active)).status_code == 404
    _unchanged(active, 3)
    assert ActivityEntry.objects.count() == entries


@pytest.mark.parametrize(("name", "needs"), [page for page in PAGES + ACTIONS if page[1]])
def test_coordinator_limited_to_another_program_gets_404(client, organization, active, name, needs):
    health = ProgramFactory(organization=organization, name="Health Mentorship")
    limited = StaffMembershipFactory(organization=organization, programs=[health]).user
    client.force_login(limited)
    url = _url(name, active, _member(active, "Ho") if needs == "member" else None)
    if name not in POST_ONLY:
        assert client.get(url).status_code == 404
    assert client.post(url, _action_data(active)).status_code == 404
    _unchanged(active, 3)


def test_list_shows_only_the_current_programs_circles(
    client, coordinator, organization, active, other_program
):
    elsewhere = CircleFactory(program=other_program, name="Riverbend welders")
    sibling = CircleFactory(program=ProgramFactory(organization=organization), name="Zeta nurses")
    client.force_login(coordinator)
    response = client.get(reverse("matching:circle_list"))
    assert list(response.context["page_obj"].object_list) == [active]
    html = response.content.decode()
    assert _detail(elsewhere) not in html
    assert _detail(sibling) not in html


def test_other_organizations_coordinator_creates_circles_in_their_own_program(
    client, other_coordinator, other_program, program
):
    client.force_login(other_coordinator)
    client.post(reverse("matching:circle_create"), {"name": "Welders"})
    assert Circle.objects.get().program == other_program


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_action_urls_refuse_get(client, coordinator, active, name):
    client.force_login(coordinator)
    assert client.get(_url(name, active)).status_code == 405


def test_a_person_of_another_organization_cannot_be_added_by_id(client, coordinator, active, other_program):
    stranger = ready_mentee(other_program)
    client.force_login(coordinator)
    response = client.post(_url("matching:circle_add_member", active), {"participation": stranger.pk})
    assert response.status_code == 200
    assert response.context["add_form"].errors["participation"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not CircleMembership.objects.filter(participation=stranger).exists()


def test_a_member_of_another_circle_gives_404_on_leave(client, coordinator, active, program):
    other = CircleFactory(program=program)
    outsider = CircleMembership.objects.create(
        circle=other, participation=ready_mentee(program), role=CircleMembership.Role.MENTEE
    )
    client.force_login(coordinator)
    url = reverse("matching:circle_member_leave", args=[active.pk, outsider.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.left_at is None


# --- The list -------------------------------------------------------------------------------------


def test_list_shows_status_focus_counts_and_last_meeting(client, coordinator, active):
    today = timezone.localdate()
    for days_ago in (14, 7):
        meeting_log(
            circle=active,
            occurred_on=today - datetime.timedelta(days=days_ago),
            duration_minutes=60,
            mode=Meeting.Mode.VIDEO,
            topics="Exam preparation",
            actor=coordinator,
        )
    circle_services.circle_member_leave(membership=_member(active, "Silva"), actor=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("matching:circle_list"))
    row = response.context["page_obj"].object_list[0]
    assert (row.mentor_count, row.mentee_count, row.meeting_count) == (1, 1, 2)
    assert row.last_meeting_on == today - datetime.timedelta(days=7)
    html = response.content.decode()
    assert "Licensure" in html
    assert "Active" in html


def test_list_explains_what_to_do_when_there_is_no_circle(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(reverse("matching:circle_list"))
    assert "There are no circles in this program yet" in response.content.decode()


def test_list_is_paginated(client, coordinator, program, settings):
    settings.PAGE_SIZE = 2
    CircleFactory.create_batch(3, program=program)
    client.force_login(coordinator)
    response = client.get(reverse("matching:circle_list"))
    assert len(response.context["page_obj"].object_list) == 2
    assert "?page=2" in response.content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_list_runs_a_fixed_number_of_queries(
    client, coordinator, program, count, django_assert_max_num_queries
):
    for index in range(count):
        circle = CircleFactory(program=program, status=C.ACTIVE, started_on=timezone.localdate())
        member = CircleMembership.objects.create(
            circle=circle, participation=ready_mentee(program), role=CircleMembership.Role.MENTEE
        )
        meeting = Meeting.objects.create(
            circle=circle,
            occurred_on=timezone.localdate() - datetime.timedelta(days=index),
            duration_minutes=45,
            topics="Networking",
            logged_as=Meeting.LoggedAs.COORDINATOR,
        )
        meeting.attendees.add(member)
    client.force_login(coordinator)
    # Session, user, staff memberships and their programs (the staff check and the program
    # switcher), the current program, the count, and one page of circles with their counts.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("matching:circle_list"))
    assert len(response.context["page_obj"].object_list) == min(count, 25)


# --- A new circle ---------------------------------------------------------------------------------


def test_new_circle_is_created_in_the_current_program(client, coordinator, program):
    client.force_login(coordinator)
    assert client.get(reverse("matching:circle_create")).status_code == 200
    response = client.post(
        reverse("matching:circle_create"), {"name": " Nurses ", "focus": "Internationally educated nurses"}
    )
    circle = Circle.objects.get()
    assert response.url == _detail(circle)
    assert (circle.program, circle.name, circle.status) == (program, "Nurses", C.FORMING)
    assert ActivityEntry.objects.filter(verb="circle.created", actor=coordinator).exists()


def test_new_circle_needs_a_name_and_keeps_what_was_typed(client, coordinator, program):
    client.force_login(coordinator)
    response = client.post(reverse("matching:circle_create"), {"name": "", "focus": "Pharmacists"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["This field is required."]
    assert 'value="Pharmacists"' in response.content.decode()
    assert not Circle.objects.exists()


def test_new_circle_name_must_be_new_in_the_program(client, coordinator, forming):
    client.force_login(coordinator)
    response = client.post(reverse("matching:circle_create"), {"name": "internationally trained PHYSICIANS"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This program already has a circle with this name."]
    assert Circle.objects.count() == 1


# --- One circle ----------------------------------------------------------------------------------


def test_circle_page_shows_members_past_members_meetings_and_timeline(client, coordinator, active):
    silva = _member(active, "Silva")
    meeting_log(
        circle=active,
        occurred_on=timezone.localdate(),
        duration_minutes=90,
        mode=Meeting.Mode.IN_PERSON,
        topics="Residency matching",
        next_steps="Draft personal letters",
        attendees=[_member(active, "Ho"), silva],
        actor=coordinator,
    )
    circle_services.circle_member_leave(membership=silva, actor=coordinator, reason="Found a residency")
    client.force_login(coordinator)
    response = client.get(_detail(active))
    html = response.content.decode()
    assert [m.participation.person.last_name for m in response.context["current_members"]] == ["Ho", "Okafor"]
    assert [m.participation.person.last_name for m in response.context["past_members"]] == ["Silva"]
    assert f'data-testid="past-member-{silva.pk}"' in html
    assert "Residency matching" in html
    assert "Draft personal letters" in html
    assert "Grace Ho, Tomas Silva" in html
    assert "1 meeting, 1.5 hours in all." in html
    assert [entry.verb for entry in response.context["timeline"]][:2] == [
        "circle.member_left",
        "meeting.logged",
    ]


def test_add_member_offers_exactly_who_the_circle_may_take(
    client, coordinator, organization, program, forming, other_program
):
    program.shares_mentors = True
    program.save()
    sharing = ProgramFactory(organization=organization, name="Health Mentorship", shares_mentors=True)
    not_sharing = ProgramFactory(organization=organization, name="Trades Mentorship")
    offered = {
        _named(ready_mentee, program, "Lina", "Haddad"),
        _named(ready_mentee, program, "Ravi", "Patel", status=S.MATCHED),
        _named(ready_mentor, sharing, "Mei", "Chen"),
    }
    _named(ready_mentee, program, "Not", "Ready", status=S.ORIENTATION_DONE)
    _named(ready_mentee, sharing, "Other", "Mentee")
    _named(ready_mentor, not_sharing, "Unshared", "Mentor")
    _named(ready_mentee, other_program, "Other", "Organization")
    client.force_login(coordinator)
    response = client.get(_detail(forming))
    choices = set(response.context["add_form"].fields["participation"].queryset)
    assert choices == offered
    assert "Mei Chen — Mentor (Health Mentorship)" in response.content.decode()


def test_add_member_offers_no_mentor_once_the_circle_has_two(client, coordinator, program, forming):
    _add(forming, ready_mentor(program), coordinator)
    waiting_mentor = ready_mentor(program)
    client.force_login(coordinator)
    response = client.get(_detail(forming))
    assert waiting_mentor not in response.context["add_form"].fields["participation"].queryset
    assert "only mentees can join" in response.content.decode()


def test_add_member_adds_them_in_their_program_role(client, coordinator, program, forming):
    mentee = _named(ready_mentee, program, "Lina", "Haddad")
    client.force_login(coordinator)
    response = client.post(
        _url("matching:circle_add_member", forming), {"participation": mentee.pk}, follow=True
    )
    assert response.redirect_chain == [(_detail(forming), 302)]
    assert "Lina Haddad has joined the circle." in response.content.decode()
    assert forming.memberships.get(participation=mentee, left_at__isnull=True).role == "mentee"


def test_add_member_without_a_choice_shows_the_error_on_the_page(client, coordinator, forming):
    client.force_login(coordinator)
    response = client.post(_url("matching:circle_add_member", forming), {"participation": ""})
    assert response.status_code == 200
    assert response.context["add_form"].errors["participation"] == ["This field is required."]
    assert forming.memberships.count() == 3


def test_a_mentor_joining_a_peer_group_makes_it_active_again(client, coordinator, program, active):
    circle_services.circle_member_leave(membership=_member(active, "Ho"), actor=coordinator)
    mentor = ready_mentor(program)
    client.force_login(coordinator)
    response = client.post(
        _url("matching:circle_add_member", active), {"participation": mentor.pk}, follow=True
    )
    assert "the peer group is an active circle" in response.content.decode()
    active.refresh_from_db()
    assert active.status == C.ACTIVE


def test_a_closed_circle_offers_no_action(client, coordinator, active):
    circle_services.circle_close(circle=active, actor=coordinator, reason="Finished")
    client.force_login(coordinator)
    response = client.get(_detail(active))
    html = response.content.decode()
    assert response.context["add_form"] is None
    assert response.context["close_form"] is None
    for name in ("matching:circle_add_member", "matching:circle_start", "matching:circle_meeting_log"):
        assert _url(name, active) not in html
    response = client.post(_url("matching:circle_add_member", active), {"participation": ""}, follow=True)
    assert "A closed circle takes no new members." in response.content.decode()


# --- Start ---------------------------------------------------------------------------------------


def test_start_starts_a_circle_with_its_mentor_and_mentees(client, coordinator, forming):
    client.force_login(coordinator)
    assert _url("matching:circle_start", forming) in client.get(_detail(forming)).content.decode()
    response = client.post(_url("matching:circle_start", forming))
    assert response.url == _detail(forming)
    forming.refresh_from_db()
    assert (forming.status, forming.started_on) == (C.ACTIVE, timezone.localdate())


def test_start_refused_shows_the_reason_and_leaves_the_circle_forming(client, coordinator, program):
    circle = CircleFactory(program=program)
    client.force_login(coordinator)
    response = client.post(_url("matching:circle_start", circle), follow=True)
    assert response.redirect_chain == [(_detail(circle), 302)]
    assert "A circle needs one or two mentors to start." in response.content.decode()
    circle.refresh_from_db()
    assert circle.status == C.FORMING


# --- A member leaves ------------------------------------------------------------------------------


def test_leave_page_warns_when_the_last_mentor_leaves(client, coordinator, active):
    client.force_login(coordinator)
    response = client.get(_url("matching:circle_member_leave", member=_member(active, "Ho")))
    assert response.context["last_mentor"] is True
    assert 'data-testid="last-mentor-warning"' in response.content.decode()
    response = client.get(_url("matching:circle_member_leave", member=_member(active, "Okafor")))
    assert response.context["last_mentor"] is False


def test_the_last_mentor_leaving_turns_the_circle_into_a_peer_group(client, coordinator, active):
    mentor = _member(active, "Ho")
    client.force_login(coordinator)
    response = client.post(
        _url("matching:circle_member_leave", member=mentor), {"reason": "Moved to Halifax"}, follow=True
    )
    assert response.redirect_chain == [(_detail(active), 302)]
    html = response.content.decode()
    assert "Grace Ho has left the circle." in html
    assert "Grace Ho was the last mentor: the circle carries on as a peer group" in html
    assert 'data-testid="peer-group-note"' in html
    mentor.refresh_from_db()
    assert mentor.left_at is not None
    active.refresh_from_db()
    assert active.status == C.PEER_GROUP
    entry = ActivityEntry.objects.get(verb="circle.member_left", target_type__model="circle")
    assert entry.data["reason"] == "Moved to Halifax"


def test_a_mentee_leaving_leaves_the_circle_active(client, coordinator, active):
    client.force_login(coordinator)
    response = client.post(
        _url("matching:circle_member_leave", member=_member(active, "Silva")),
        {"reason": "Found work"},
        follow=True,
    )
    assert "peer group" not in response.content.decode()
    active.refresh_from_db()
    assert active.status == C.ACTIVE


def test_leave_needs_a_reason_and_keeps_the_page(client, coordinator, active):
    mentor = _member(active, "Ho")
    client.force_login(coordinator)
    response = client.post(_url("matching:circle_member_leave", member=mentor), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    assert response.context["last_mentor"] is True
    mentor.refresh_from_db()
    assert mentor.left_at is None


def test_a_member_who_left_cannot_leave_again(client, coordinator, active):
    mentee = _member(active, "Silva")
    circle_services.circle_member_leave(membership=mentee, actor=coordinator)
    client.force_login(coordinator)
    for method in (client.get, client.post):
        response = method(_url("matching:circle_member_leave", member=mentee), {"reason": "x"}, follow=True)
        assert response.redirect_chain == [(_detail(active), 302)]
        assert "Tomas Silva has already left the circle." in response.content.decode()
    assert ActivityEntry.objects.filter(verb="circle.member_left", target_type__model="circle").count() == 1


# --- Close ---------------------------------------------------------------------------------------


def test_close_ends_the_circle_and_every_membership(client, coordinator, active):
    client.force_login(coordinator)
    response = client.post(_url("matching:circle_close", active), {"reason": "The cohort finished"})
    assert response.url == _detail(active)
    active.refresh_from_db()
    assert active.status == C.CLOSED
    assert not active.memberships.filter(left_at__isnull=True).exists()
    assert ActivityEntry.objects.get(verb="circle.closed").data["reason"] == "The cohort finished"


def test_close_needs_a_reason(client, coordinator, active):
    client.force_login(coordinator)
    response = client.post(_url("matching:circle_close", active), {"reason": ""})
    assert response.status_code == 200
    assert response.context["close_form"].errors["reason"] == ["This field is required."]
    active.refresh_from_db()
    assert active.status == C.ACTIVE


def test_closing_a_closed_circle_shows_the_refusal(client, coordinator, active):
    circle_services.circle_close(circle=active, actor=coordinator)
    client.force_login(coordinator)
    response = client.post(_url("matching:circle_close", active), {"reason": "Again"}, follow=True)
    assert "The circle is already closed." in response.content.decode()


# --- Log a meeting --------------------------------------------------------------------------------


def test_meeting_form_starts_with_every_current_member_ticked(client, coordinator, active):
    circle_services.circle_member_leave(membership=_member(active, "Silva"), actor=coordinator)
    client.force_login(coordinator)
    response = client.get(_url("matching:circle_meeting_log", active))
    form = response.context["form"]
    current = {_member(active, "Ho").pk, _member(active, "Okafor").pk}
    assert set(form["attendees"].value()) == current
    assert {choice.pk for choice in form.fields["attendees"].queryset} == current
    html = response.content.decode()
    assert "Grace Ho (Mentor)" in html
    assert "Tomas Silva" not in html


def test_logging_a_meeting_records_who_attended(client, coordinator, active):
    okafor = _member(active, "Okafor")
    client.force_login(coordinator)
    response = client.post(
        _url("matching:circle_meeting_log", active),
        {
            "occurred_on": "2020-03-02",
            "duration_minutes": "75",
            "mode": "phone",
            "topics": "Clinical observership options",
            "next_steps": "Email two hospitals",
            "attendees": [okafor.pk],
        },
        follow=True,
    )
    assert response.redirect_chain == [(_detail(active), 302)]
    meeting = Meeting.objects.get()
    assert (meeting.circle, meeting.occurred_on, meeting.duration_minutes) == (
        active,
        datetime.date(2020, 3, 2),
        75,
    )
    assert list(meeting.attendees.all()) == [okafor]
    assert (meeting.logged_by, meeting.logged_as) == (coordinator, Meeting.LoggedAs.COORDINATOR)
    assert "Clinical observership options" in response.content.decode()


def test_meeting_form_shows_errors_and_keeps_what_was_typed(client, coordinator, active):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(coordinator)
    response = client.post(
        _url("matching:circle_meeting_log", active),
        {
            "occurred_on": tomorrow.isoformat(),
            "duration_minutes": "601",
            "mode": "video",
            "topics": "",
            "next_steps": "Keep this text",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["occurred_on"] == ["A meeting is logged once it has happened."]
    assert errors["duration_minutes"] == ["Ensure this value is less than or equal to 600."]
    assert errors["topics"] == ["This field is required."]
    html = response.content.decode()
    assert "Keep this text" in html
    assert f'value="{tomorrow.isoformat()}"' in html
    assert not Meeting.objects.exists()


def test_meeting_attendee_who_is_not_a_current_member_is_an_invalid_choice(client, coordinator, active):
    silva = _member(active, "Silva")
    circle_services.circle_member_leave(membership=silva, actor=coordinator)
    client.force_login(coordinator)
    response = client.post(
        _url("matching:circle_meeting_log", active),
        {
            "occurred_on": "2020-03-02",
            "duration_minutes": "60",
            "mode": "video",
            "topics": "x",
            "attendees": [silva.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attendees"]
    assert not Meeting.objects.exists()


def test_a_forming_circle_has_no_meeting_to_log(client, coordinator, forming):
    client.force_login(coordinator)
    assert _url("matching:circle_meeting_log", forming) not in client.get(_detail(forming)).content.decode()
    response = client.get(_url("matching:circle_meeting_log", forming), follow=True)
    assert response.redirect_chain == [(_detail(forming), 302)]
    assert "Meetings are logged for active circles and peer groups." in response.content.decode()
    # Posted anyway (a page left open while the circle changed): the service's refusal shows on the form.
    response = client.post(
        _url("matching:circle_meeting_log", forming),
        {"occurred_on": "2020-03-02", "duration_minutes": "60", "mode": "video", "topics": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Meetings are logged for active circles and peer groups; this circle is “Forming”."
    ]
    assert not Meeting.objects.exists()


# --- Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 30])
def test_circle_page_runs_a_fixed_number_of_queries(
    client, coordinator, program, count, django_assert_max_num_queries
):
    # Built directly, so that two members can be an active circle: a mentor and a mentee.
    circle = CircleFactory(program=program, status=C.ACTIVE, started_on=timezone.localdate())
    people = [ready_mentor(program)] + [ready_mentee(program) for _ in range(count - 1)]
    members = [
        CircleMembership.objects.create(circle=circle, participation=person, role=person.role)
        for person in people
    ]
    for index in range(count):
        meeting_log(
            circle=circle,
            occurred_on=timezone.localdate() - datetime.timedelta(days=index),
            duration_minutes=60,
            mode=Meeting.Mode.VIDEO,
            topics="Interview practice",
            attendees=members,
            actor=coordinator,
        )
    for member in members[count // 2 :]:
        circle_services.circle_member_leave(membership=member, actor=coordinator)
    ready_mentee(program)
    client.force_login(coordinator)
    # Session, user, staff memberships and their programs, the program switcher, the circle,
    # its members, whether anyone can join and the people who can, the meetings' count, page,
    # attendees and total, and the timeline.
    with django_assert_max_num_queries(14):
        response = client.get(_detail(circle))
    assert len(response.context["current_members"]) + len(response.context["past_members"]) == count
    assert len(response.context["page_obj"].object_list) == min(count, 25)
