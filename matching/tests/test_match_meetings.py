"""Meetings of a one-to-one match: the coordinator's "Meetings" tab, hours summed per match and
per mentor and year, and the certificate of mentoring hours, read back with pypdf."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from matching.hours import hours, mentoring_years, year_of_mentoring
from matching.models import Circle, CircleMembership, Match, Meeting
from participants.models import Participation
from programs.tests.factories import ProgramFactory

from .factories import CircleFactory, MatchFactory, ready_mentor

pytestmark = pytest.mark.django_db


def _active(program, mentor=None, **kwargs) -> Match:
    return MatchFactory(
        program=program,
        mentor=mentor or ready_mentor(program),
        status=Match.Status.ACTIVE,
        started_on=datetime.date(2025, 1, 6),
        **kwargs,
    )


def _meeting(match=None, *, on: str, minutes: int, circle=None) -> Meeting:
    return Meeting.objects.create(
        match=match,
        circle=circle,
        occurred_on=datetime.date.fromisoformat(on),
        duration_minutes=minutes,
        topics="Resume review",
        logged_as=Meeting.LoggedAs.MENTOR,
    )


@pytest.mark.parametrize(
    ("minutes", "expected"), [(90, "1.5"), (50, "0.8"), (45, "0.8"), (20, "0.3"), (0, "0.0")]
)
def test_minutes_become_hours_with_one_decimal_rounded_half_up(minutes, expected):
    assert hours(minutes) == Decimal(expected)


def test_a_mentors_year_adds_matches_and_attended_circle_meetings_by_program(program, organization):
    mentor = ready_mentor(program)
    person = mentor.person
    first, second = _active(program, mentor), _active(program, mentor)
    _meeting(first, on="2025-02-03", minutes=60)
    _meeting(first, on="2025-03-03", minutes=90)
    _meeting(second, on="2025-03-10", minutes=45)
    _meeting(second, on="2024-12-20", minutes=120)  # another year
    _active(program)  # someone else's match
    _meeting(Match.objects.exclude(mentor=mentor).get(), on="2025-02-03", minutes=300)
    health = ProgramFactory(organization=organization, name="Health circles")
    circle = CircleFactory(program=health, status=Circle.Status.ACTIVE)
    health_mentor = Participation.objects.create(
        program=health, person=person, role=Participation.Role.MENTOR, status="matched"
    )
    member = CircleMembership.objects.create(circle=circle, participation=health_mentor, role="mentor")
    attended = _meeting(circle=circle, on="2025-05-05", minutes=120)
    attended.attendees.set([member])
    _meeting(circle=circle, on="2025-06-05", minutes=60)  # the mentor was not there

    year = year_of_mentoring(person, 2025)
    assert {p.program: (p.meetings, p.mentees, p.minutes) for p in year.programs} == {
        "Health circles": (1, 0, 120),
        program.name: (3, 2, 195),
    }
    assert (year.meetings, year.minutes, year.hours) == (4, 315, Decimal("5.3"))
    assert mentoring_years(person) == [2025, 2024]
    # A coordinator of one program counts that program only.
    assert year_of_mentoring(person, 2025, [program]).hours == Decimal("3.3")


def test_meetings_tab_lists_meetings_with_the_total_and_logs_a_new_one(client, coordinator, program):
    match = _active(program)
    _meeting(match, on="2025-02-03", minutes=60)
    _meeting(match, on="2025-03-03", minutes=90)
    client.force_login(coordinator)
    url = reverse("matching:match_meetings", args=[match.pk])
    response = client.get(url)
    html = response.content.decode()
    assert 'data-testid="total-hours">2.5<' in html and 'data-testid="meeting-count">2<' in html
    assert 'data-testid="match-tabs"' in html
    today = datetime.date.today().isoformat()
    response = client.post(
        url,
        {
            "occurred_on": today,
            "duration_minutes": 45,
            "mode": "video",
            "topics": "Mock interview for a project engineer role",
            "next_steps": "Send the revised resume",
            "logged_as": "mentee",
        },
    )
    assert response.status_code == 302
    meeting = match.meetings.get(duration_minutes=45)
    assert (meeting.logged_as, meeting.logged_by) == ("mentee", coordinator)
    assert "3.3" in client.get(url).content.decode()


def test_a_future_or_empty_meeting_re_renders_with_the_data_and_errors(client, coordinator, program):
    match = _active(program)
    client.force_login(coordinator)
    url = reverse("matching:match_meetings", args=[match.pk])
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        url,
        {
            "occurred_on": tomorrow,
            "duration_minutes": 700,
            "mode": "video",
            "topics": "Kept",
            "logged_as": "mentor",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A meeting is logged once it has happened." in html
    assert "Kept" in html
    assert not Meeting.objects.exists()


def test_an_ended_match_shows_its_meetings_but_takes_no_new_one(client, coordinator, program):
    match = _active(program)
    _meeting(match, on="2025-02-03", minutes=60)
    match.status = Match.Status.COMPLETED
    match.ended_on = datetime.date(2025, 6, 1)
    match.save()
    client.force_login(coordinator)
    url = reverse("matching:match_meetings", args=[match.pk])
    response = client.get(url)
    assert response.context["form"] is None
    assert "Meetings are logged while the match is active." in response.content.decode()
    response = client.post(
        url, {"occurred_on": "2025-06-01", "duration_minutes": 30, "topics": "x"}, follow=True
    )
    assert "Meetings are logged for active matches only." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_certificate_shows_the_mentors_name_year_and_total_hours(client, coordinator, program):
    mentor = ready_mentor(
        program, participation__person__first_name="Nguyễn", participation__person__last_name="Thị Lan"
    )
    match = _active(program, mentor)
    _meeting(match, on="2025-02-03", minutes=60)
    _meeting(match, on="2025-03-03", minutes=90)
    client.force_login(coordinator)
    person_page = client.get(reverse("participants:person_detail", args=[mentor.person_id]))
    assert 'data-testid="mentoring-hours"' in person_page.content.decode()
    response = client.get(reverse("matching:mentor_certificate", args=[mentor.person_id, 2025]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Certificate of mentoring hours" in text
    assert "Nguyễn Thị Lan" in text
    assert "in 2025, for 2.5 hours of mentoring" in text
    assert match.mentee.person.full_name not in text  # mentees are never named


def test_certificate_of_a_year_without_hours_is_404(client, coordinator, program):
    mentor = ready_mentor(program)
    client.force_login(coordinator)
    assert (
        client.get(reverse("matching:mentor_certificate", args=[mentor.person_id, 2025])).status_code == 404
    )


def test_permissions_on_meetings_and_certificates(
    client, coordinator, other_coordinator, participant_user, program
):
    match = _active(program)
    _meeting(match, on="2025-02-03", minutes=60)
    urls = [
        reverse("matching:match_meetings", args=[match.pk]),
        reverse("matching:mentor_certificate", args=[match.mentor.person_id, 2025]),
    ]
    for url in urls:
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(other_coordinator)
        assert client.get(url).status_code == 404
        client.force_login(participant_user)
        assert client.get(url).status_code == 403
    client.force_login(other_coordinator)
    client.post(
        urls[0],
        {
            "occurred_on": "2025-02-04",
            "duration_minutes": 30,
            "mode": "video",
            "topics": "x",
            "logged_as": "mentor",
        },
    )
    assert Meeting.objects.count() == 1


def test_meetings_tab_makes_the_same_number_of_queries_for_2_and_40_meetings(
    client, coordinator, program, django_assert_max_num_queries
):
    match = _active(program)
    client.force_login(coordinator)
    url = reverse("matching:match_meetings", args=[match.pk])
    client.get(url)
    for count in (2, 40):
        while match.meetings.count() < count:
            _meeting(match, on="2025-02-03", minutes=30)
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.context["meeting_count"] == count
