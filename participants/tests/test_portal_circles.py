"""My group in the portal: the circles I am in, what I see of the other members and when (as for
a one-to-one partner: contact details only while the circle meets and we are both in it), the
circle's meetings, and logging one as the mentor or mentee I am."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.circle_services import circle_add_member, circle_member_leave, circle_start
from matching.meeting_services import meeting_log
from matching.models import Circle, Meeting
from matching.tests.factories import CircleFactory
from participants.models import PartnerSharing, PersonLanguage
from programs.models import ActivityEntry

from .portal_helpers import mentee, mentor

pytestmark = pytest.mark.django_db


def _circle(
    program, coordinator, *, mentees: int = 2, start: bool = True, name: str = "Physicians"
) -> Circle:
    """A circle of Grace (mentor) with Amina, Li and more mentees."""
    circle = CircleFactory(program=program, name=name)
    members = [mentor(program, first_name="Grace", last_name="Hopper", email=f"grace-{name}@example.org")]
    people = [("Amina", "Okafor"), ("Li", "Wei")] + [(f"Member{n}", f"Last{n}") for n in range(mentees - 2)]
    for number, (first, last) in enumerate(people):
        members.append(
            mentee(
                program,
                first_name=first,
                last_name=last,
                email=f"{first.lower()}-{name}@example.org",
                phone=f"780-555-{number:04d}",
            )
        )
    for participation in members:
        circle_add_member(circle=circle, participation=participation, actor=coordinator)
    if start:
        circle_start(circle=circle, actor=coordinator)
    return circle


def _member(circle: Circle, first_name: str):
    return circle.memberships.get(participation__person__first_name=first_name)


def _login_as(client, circle: Circle, first_name: str):
    client.force_login(_member(circle, first_name).participation.person.user)


# --- Who may come in ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, program, coordinator):
    circle = _circle(program, coordinator)
    for url in (
        reverse("portal:circles"),
        reverse("portal:circle", args=[circle.pk]),
        reverse("portal:circle_meeting", args=[circle.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_circle_i_am_not_in_gives_404(client, program, coordinator):
    mine = _circle(program, coordinator, name="Mine")
    theirs = _circle(program, coordinator, name="Theirs")
    _login_as(client, mine, "Amina")
    assert client.get(reverse("portal:circle", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("portal:circle_meeting", args=[theirs.pk])).status_code == 404
    form = {"occurred_on": timezone.localdate(), "duration_minutes": 60, "mode": "video", "topics": "Hi"}
    assert client.post(reverse("portal:circle_meeting", args=[theirs.pk]), form).status_code == 404
    assert not Meeting.objects.exists()
    body = client.get(reverse("portal:circles")).content.decode()
    assert "Mine" in body and "Theirs" not in body


def test_staff_are_refused(client, program, coordinator):
    circle = _circle(program, coordinator)
    client.force_login(coordinator)
    assert client.get(reverse("portal:circle", args=[circle.pk])).status_code == 403


def test_no_circle_shows_a_plain_empty_state(client, program):
    client.force_login(mentee(program).person.user)
    body = client.get(reverse("portal:circles")).content.decode()
    assert "You are not in a mentoring circle." in body


# --- What I see of the others ---------------------------------------------------------------------


def test_while_the_circle_meets_current_members_see_each_others_contacts(client, program, coordinator):
    circle = _circle(program, coordinator)
    li = _member(circle, "Li").participation.person
    PartnerSharing.objects.create(person=li, phone=True, languages=True)
    PersonLanguage.objects.create(person=li, language="Mandarin", proficiency="fluent")
    _login_as(client, circle, "Amina")
    body = client.get(reverse("portal:circle", args=[circle.pk])).content.decode()
    assert "Grace Hopper" in body and "grace-Physicians@example.org" in body
    assert "Li Wei" in body and li.email in body
    assert "780-555-0001" in body  # Li shares their phone
    assert "Mandarin" in body
    grace = _member(circle, "Grace").participation.person
    assert grace.phone not in body  # Grace does not


def test_before_the_circle_starts_only_first_names_show(client, program, coordinator):
    circle = _circle(program, coordinator, start=False)
    _login_as(client, circle, "Amina")
    body = client.get(reverse("portal:circle", args=[circle.pk])).content.decode()
    assert "Grace" in body and "Li" in body
    for hidden in ("Hopper", "Wei", "li-Physicians@example.org", "780-555-0001"):
        assert hidden not in body, hidden
    assert 'data-testid="member-contact"' not in body


def test_a_member_who_left_is_no_longer_listed_nor_reachable(client, program, coordinator):
    circle = _circle(program, coordinator, mentees=3)
    circle_member_leave(membership=_member(circle, "Li"), actor=coordinator, reason="Moved")
    _login_as(client, circle, "Amina")
    body = client.get(reverse("portal:circle", args=[circle.pk])).content.decode()
    li = _member(circle, "Li")
    assert f'data-testid="member-{li.pk}"' not in body
    assert "Li Wei" not in body and "li-Physicians@example.org" not in body
    assert "Grace Hopper" in body


def test_after_i_left_i_see_no_members_and_only_meetings_until_then(client, program, coordinator):
    circle = _circle(program, coordinator, mentees=3)
    today = timezone.localdate()
    amina = _member(circle, "Amina")
    for topics, day in (("Before I left", today - datetime.timedelta(days=3)),):
        meeting_log(
            circle=circle,
            occurred_on=day,
            duration_minutes=60,
            mode="video",
            topics=topics,
            actor=coordinator,
        )
    circle_member_leave(membership=amina, actor=coordinator)
    amina.left_at = timezone.now() - datetime.timedelta(days=2)
    amina.save(update_fields=["left_at"])
    meeting_log(
        circle=circle, occurred_on=today, duration_minutes=45, mode="video", topics="After", actor=coordinator
    )
    _login_as(client, circle, "Amina")
    body = client.get(reverse("portal:circle", args=[circle.pk])).content.decode()
    assert "You left this circle" in body
    assert "Grace" not in body and "grace-Physicians@example.org" not in body
    assert "Before I left" in body and ">After<" not in body
    assert reverse("portal:circle_meeting", args=[circle.pk]) not in body
    response = client.get(reverse("portal:circle_meeting", args=[circle.pk]), follow=True)
    assert "Meetings are logged while the circle meets and you are in it." in response.content.decode()


# --- Meetings ------------------------------------------------------------------------------------


def test_a_member_logs_a_meeting_as_their_role(client, program, coordinator):
    circle = _circle(program, coordinator)
    _login_as(client, circle, "Amina")
    url = reverse("portal:circle_meeting", args=[circle.pk])
    form = client.get(url).content.decode()
    assert "Me" in form and "Grace (Mentor)" in form
    assert "Hopper" not in form
    amina, grace = _member(circle, "Amina"), _member(circle, "Grace")
    response = client.post(
        url,
        {
            "occurred_on": timezone.localdate().isoformat(),
            "duration_minutes": 75,
            "mode": "in_person",
            "topics": "Mock interviews",
            "attendees": [amina.pk, grace.pk],
        },
        follow=True,
    )
    assert "The meeting is logged." in response.content.decode()
    meeting = Meeting.objects.get()
    assert (meeting.circle, meeting.logged_as, meeting.duration_minutes) == (circle, "mentee", 75)
    assert set(meeting.attendees.all()) == {amina, grace}
    assert meeting.logged_by == amina.participation.person.user
    assert ActivityEntry.objects.filter(verb="meeting.logged", target_id=str(circle.pk)).exists()
    page = client.get(reverse("portal:circle", args=[circle.pk])).content.decode()
    assert "Mock interviews" in page and "you came" in page
    assert 'data-testid="total-hours">1.3<' in page


def test_the_mentor_logs_as_mentor(client, program, coordinator):
    circle = _circle(program, coordinator)
    _login_as(client, circle, "Grace")
    client.post(
        reverse("portal:circle_meeting", args=[circle.pk]),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "duration_minutes": 60,
            "mode": "video",
            "topics": "Hi",
        },
    )
    assert Meeting.objects.get().logged_as == "mentor"


def test_a_meeting_in_the_future_comes_back_with_the_error(client, program, coordinator):
    circle = _circle(program, coordinator)
    _login_as(client, circle, "Amina")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("portal:circle_meeting", args=[circle.pk]),
        {"occurred_on": tomorrow.isoformat(), "duration_minutes": 60, "mode": "video", "topics": "Soon"},
    )
    assert response.status_code == 200
    assert "A meeting is logged once it has happened." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_forming_circle_takes_no_meetings(client, program, coordinator):
    circle = _circle(program, coordinator, start=False)
    _login_as(client, circle, "Amina")
    response = client.get(reverse("portal:circle_meeting", args=[circle.pk]), follow=True)
    assert "Meetings are logged while the circle meets and you are in it." in response.content.decode()


@pytest.mark.parametrize(("mentees", "meetings"), [(2, 1), (8, 30)])
def test_circle_page_query_count_does_not_grow(
    client, program, coordinator, mentees, meetings, django_assert_max_num_queries
):
    circle = _circle(program, coordinator, mentees=mentees)
    for person in circle.memberships.values_list("participation__person", flat=True):
        PartnerSharing.objects.create(person_id=person, phone=True)
        PersonLanguage.objects.create(person_id=person, language="English", proficiency="fluent")
    everyone = list(circle.memberships.all())
    for number in range(meetings):
        meeting_log(
            circle=circle,
            occurred_on=timezone.localdate(),
            duration_minutes=30 + number,
            mode="video",
            topics=f"Meeting {number}",
            attendees=everyone,
            actor=coordinator,
        )
    _login_as(client, circle, "Amina")
    # Session, user, my people, my membership, the members with their profiles, sharing choices,
    # languages, the meetings' count, total and page, and the navbar's staff and funder checks.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:circle", args=[circle.pk]))
    assert response.status_code == 200
