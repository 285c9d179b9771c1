"""A match's lifecycle: proposed, introduced (each side accepts or declines, in the portal or
through the coordinator), active, then completed or closed early; a proposal may be
cancelled. Every move allowed and refused, and what each one does to the people."""

from __future__ import annotations

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from matching import services
from matching.models import DoNotMatch, Match
from matching.selectors import forbidden_pairs
from matching.tasks import send_match_introduction
from participants.models import Participation
from programs.models import ActivityEntry

from .factories import BREAKDOWN, MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

M = Match.Status
S = Participation.Status
EDMONTON = ZoneInfo("America/Edmonton")

# Worked out by hand from the issue, not read from services.MATCH_TRANSITIONS.
ALLOWED = {
    ("proposed", "introduced"),
    ("proposed", "cancelled"),
    ("introduced", "active"),
    ("introduced", "declined"),
    ("active", "completed"),
    ("active", "closed_early"),
}


def test_the_match_transition_table_allows_exactly_the_moves_worked_out_by_hand():
    for start, end in itertools.product(M.values, M.values):
        assert services.can_move_match(start, end) == ((start, end) in ALLOWED), (start, end)


def _match_at(program, status: str) -> Match:
    """A match at the status, with its people where the real services would have put them."""
    started = status in (M.ACTIVE, M.COMPLETED, M.CLOSED_EARLY)
    people = S.MATCHED if status == M.ACTIVE else S.READY_TO_MATCH
    return MatchFactory(
        program=program,
        status=status,
        mentee__status=people,
        mentor__status=people,
        started_on=datetime.date(2030, 1, 7) if started else None,
        planned_end_on=datetime.date(2030, 4, 29) if started else None,
    )


def _act(match: Match, end: str, actor) -> None:
    """Takes the match to `end` through the service a coordinator's button would call."""
    if end == M.INTRODUCED:
        services.match_introduce(match=match, actor=actor)
    elif end == M.CANCELLED:
        services.match_cancel(match=match, actor=actor)
    elif end == M.ACTIVE:
        services.match_respond(match=match, side="mentee", accepted=True, actor=actor)
        services.match_respond(match=match, side="mentor", accepted=True, actor=actor)
    elif end == M.DECLINED:
        services.match_respond(match=match, side="mentor", accepted=False, reason="No time", actor=actor)
    elif end == M.COMPLETED:
        services.match_complete(match=match, actor=actor)
    elif end == M.CLOSED_EARLY:
        services.match_close_early(match=match, reason="The mentee moved away", actor=actor)
    else:
        raise AssertionError(f"no service leads to {end}")


SERVICE_ENDS = [M.INTRODUCED, M.CANCELLED, M.ACTIVE, M.DECLINED, M.COMPLETED, M.CLOSED_EARLY]


@pytest.mark.parametrize(("start", "end"), list(itertools.product(M.values, SERVICE_ENDS)))
def test_every_service_moves_a_match_only_along_the_allowed_transitions(
    start, end, program, coordinator, django_capture_on_commit_callbacks
):
    match = _match_at(program, start)
    with django_capture_on_commit_callbacks(execute=True):
        if (start, end) in ALLOWED:
            _act(match, end, coordinator)
        else:
            with pytest.raises(ValidationError):
                _act(match, end, coordinator)
    match.refresh_from_db()
    assert match.status == (end if (start, end) in ALLOWED else start)


@pytest.mark.parametrize(
    ("start", "call", "message"),
    [
        (M.PROPOSED, "complete", "A match that is “Proposed” cannot be completed; only an active one can."),
        (M.INTRODUCED, "cancel", "A match that is “Introduced” cannot be cancelled; only proposals can."),
        (M.ACTIVE, "introduce", "A match that is “Active” cannot be introduced."),
        (M.PROPOSED, "respond", "Only an introduced match waits for answers; this one is “Proposed”."),
        (
            M.DECLINED,
            "close_early",
            "A match that is “Declined” cannot be closed early; only an active one can.",
        ),
    ],
)
def test_a_refused_move_says_why(start, call, message, program, coordinator):
    match = _match_at(program, start)
    action = {
        "complete": lambda: services.match_complete(match=match, actor=coordinator),
        "cancel": lambda: services.match_cancel(match=match, actor=coordinator),
        "introduce": lambda: services.match_introduce(match=match, actor=coordinator),
        "respond": lambda: services.match_respond(
            match=match, side="mentee", accepted=True, actor=coordinator
        ),
        "close_early": lambda: services.match_close_early(match=match, reason="Moved", actor=coordinator),
    }[call]
    with pytest.raises(ValidationError) as refused:
        action()
    assert refused.value.messages == [message]


# --- Proposing and introducing --------------------------------------------------------------------


@pytest.fixture
def mentee(program):
    return ready_mentee(
        program,
        participation__person__first_name="Amara",
        participation__person__last_name="Okafor",
        occupation_title="Structural engineer",
    )


@pytest.fixture
def mentor(program):
    return ready_mentor(
        program,
        participation__person__first_name="Grace",
        participation__person__last_name="Ho",
        occupation_title="Senior bridge engineer",
        employer_name="Prairie Bridges Ltd.",
    )


def _propose(mentee, mentor, actor, **kwargs) -> Match:
    return services.match_propose(
        mentee=mentee, mentor=mentor, score=72.5, breakdown=BREAKDOWN, actor=actor, **kwargs
    )


def test_a_proposal_keeps_the_score_its_breakdown_and_who_proposed_it(mentee, mentor, coordinator):
    match = _propose(mentee, mentor, coordinator)

    match.refresh_from_db()
    assert match.status == M.PROPOSED
    assert match.program == mentee.program
    assert str(match.score) == "72.50"
    assert match.breakdown == BREAKDOWN
    assert match.proposed_by == coordinator
    assert match.mentee_response == match.mentor_response == Match.Response.PENDING
    # Nobody moves in the pipeline until the match starts.
    mentee.refresh_from_db()
    mentor.refresh_from_db()
    assert mentee.status == mentor.status == S.READY_TO_MATCH


def test_each_change_is_logged_on_the_match_and_on_the_mentees_person(mentee, mentor, coordinator):
    match = _propose(mentee, mentor, coordinator)
    services.match_introduce(match=match, actor=coordinator)

    on_match = ActivityEntry.objects.filter(target_id=str(match.pk), target_type__model="match")
    on_person = ActivityEntry.objects.filter(target_id=str(mentee.person.pk), target_type__model="person")
    assert sorted(on_match.values_list("verb", flat=True)) == ["match.introduced", "match.proposed"]
    assert sorted(on_person.values_list("verb", flat=True)) == ["match.introduced", "match.proposed"]
    proposed = on_person.get(verb="match.proposed")
    assert proposed.actor == coordinator
    assert proposed.program == mentee.program
    assert proposed.data["match"] == match.pk
    assert proposed.data["mentor"] == "Grace Ho"


def test_introducing_emails_both_sides_once_the_change_has_committed(
    mentee, mentor, coordinator, django_capture_on_commit_callbacks
):
    match = _propose(mentee, mentor, coordinator)

    with django_capture_on_commit_callbacks() as callbacks:
        services.match_introduce(match=match, actor=coordinator)
        assert mail.outbox == []
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    match.refresh_from_db()
    assert match.status == M.INTRODUCED
    assert match.introduced_at is not None
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {mentee.person.email, mentor.person.email}
    to_mentee, to_mentor = by_recipient[mentee.person.email], by_recipient[mentor.person.email]
    assert to_mentee.subject == f"An introduction from {mentee.program.name}"
    assert "We would like to introduce you to Grace Ho, who could be your mentor" in to_mentee.body
    assert "Senior bridge engineer, Prairie Bridges Ltd." in to_mentee.body
    assert "We would like to introduce you to Amara Okafor, who could be your mentee" in to_mentor.body
    assert "Structural engineer" in to_mentor.body
    assert "/portal/" in to_mentee.body
    # Addresses are exchanged only once both have accepted.
    assert mentor.person.email not in to_mentee.body
    assert mentee.person.email not in to_mentor.body
    assert to_mentee.alternatives[0].mimetype == "text/html"


def test_an_introduction_that_is_refused_sends_nothing(
    mentee, mentor, coordinator, django_capture_on_commit_callbacks
):
    match = _propose(mentee, mentor, coordinator)
    Participation.objects.filter(pk=mentee.pk).update(status=S.WITHDRAWN)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        services.match_introduce(match=match, actor=coordinator)

    assert refused.value.messages == ["Amara Okafor is not ready to match (Withdrawn)."]
    assert callbacks == []
    assert mail.outbox == []


# --- Answers --------------------------------------------------------------------------------------


@pytest.fixture
def introduced(mentee, mentor, coordinator):
    match = _propose(mentee, mentor, coordinator)
    services.match_introduce(match=match, actor=coordinator)
    mail.outbox.clear()
    return match


@time_machine.travel(datetime.datetime(2030, 3, 4, 10, tzinfo=EDMONTON), tick=False)
def test_when_both_accept_the_match_starts_with_the_programs_dates(
    introduced, mentee, mentor, coordinator, django_capture_on_commit_callbacks
):
    program = mentee.program
    program.match_length_weeks = 12
    program.save()
    mentee.person.user = UserFactory(email=mentee.person.email)
    mentee.person.save()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.match_respond(
            match=introduced, side="mentee", accepted=True, actor=mentee.person.user
        )
    assert (first.activated, first.cascade) == (False, False)
    assert introduced.status == M.INTRODUCED
    assert introduced.mentee_response == Match.Response.ACCEPTED
    assert introduced.mentee_responded_at == datetime.datetime(2030, 3, 4, 10, tzinfo=EDMONTON)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        second = services.match_respond(match=introduced, side="mentor", accepted=True, actor=coordinator)

    assert (second.activated, second.cascade) == (True, False)
    introduced.refresh_from_db()
    assert introduced.status == M.ACTIVE
    assert introduced.started_on == datetime.date(2030, 3, 4)
    assert introduced.planned_end_on == datetime.date(2030, 5, 27)  # 12 weeks later
    mentee.refresh_from_db()
    mentor.refresh_from_db()
    assert mentee.status == mentor.status == S.MATCHED
    answers = ActivityEntry.objects.filter(verb="match.accepted", target_type__model="match")
    assert sorted(entry.data["via"] for entry in answers) == ["coordinator", "portal"]
    assert ActivityEntry.objects.filter(
        verb="participation.status_changed", target_id=str(mentee.pk), data__to=S.MATCHED
    ).exists()
    # Now they may write to each other.
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {mentee.person.email, mentor.person.email}
    assert f"You can write to Grace at {mentor.person.email}" in by_recipient[mentee.person.email]
    assert f"You can write to Amara at {mentee.person.email}" in by_recipient[mentor.person.email]
    assert "May 27, 2030" in by_recipient[mentee.person.email]


def test_a_decline_returns_the_mentee_to_the_pool_and_the_pair_is_never_suggested_again(
    introduced, mentee, mentor, program, coordinator
):
    result = services.match_respond(
        match=introduced, side="mentor", accepted=False, reason="I mentor her cousin", actor=coordinator
    )

    assert result.cascade is True
    assert result.activated is False
    introduced.refresh_from_db()
    assert introduced.status == M.DECLINED
    assert introduced.mentor_response == Match.Response.DECLINED
    assert introduced.decline_reason == "I mentor her cousin"
    mark = DoNotMatch.objects.get(mentee=mentee.person, mentor=mentor.person)
    assert mark.kind == DoNotMatch.Kind.DECLINED
    assert mark.note == "I mentor her cousin"
    assert mark.created_by == coordinator
    assert (mentee.pk, mentor.pk) in forbidden_pairs(program)
    assert ActivityEntry.objects.filter(
        verb="do_not_match.added", target_id=str(mentee.person.pk), target_type__model="person"
    ).exists()
    declined = ActivityEntry.objects.get(verb="match.declined", target_type__model="match")
    assert declined.data == {"side": "mentor", "via": "coordinator", "reason": "I mentor her cousin"}

    # The mentee is free for the next suggestion, but never again with this mentor.
    mentee.refresh_from_db()
    assert mentee.status == S.READY_TO_MATCH
    assert _propose(mentee, ready_mentor(program), coordinator).status == M.PROPOSED
    Match.objects.filter(mentee=mentee, status=M.PROPOSED).update(status=M.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        _propose(mentee, mentor, coordinator)
    assert refused.value.messages == [
        "Amara Okafor and Grace Ho are marked not to be matched: declined an introduction."
    ]


def test_a_mentee_may_decline_too(introduced, mentee, coordinator):
    result = services.match_respond(
        match=introduced,
        side="mentee",
        accepted=False,
        reason="Prefers a mentor in Calgary",
        actor=coordinator,
    )

    assert result.cascade is True
    assert introduced.mentee_response == Match.Response.DECLINED
    assert DoNotMatch.objects.filter(mentee=mentee.person).count() == 1


def test_declining_needs_a_reason(introduced, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.match_respond(
            match=introduced, side="mentee", accepted=False, reason="  ", actor=coordinator
        )

    assert refused.value.message_dict == {
        "reason": ["Give a reason for declining; it stays in the match's record."]
    }
    introduced.refresh_from_db()
    assert introduced.status == M.INTRODUCED


def test_a_side_answers_only_once(introduced, coordinator):
    services.match_respond(match=introduced, side="mentor", accepted=True, actor=coordinator)

    with pytest.raises(ValidationError) as refused:
        services.match_respond(
            match=introduced, side="mentor", accepted=False, reason="Changed my mind", actor=coordinator
        )

    assert refused.value.messages == ["The mentor has already answered."]


# --- Ending ---------------------------------------------------------------------------------------


@pytest.fixture
def active(introduced, coordinator):
    services.match_respond(match=introduced, side="mentee", accepted=True, actor=coordinator)
    services.match_respond(match=introduced, side="mentor", accepted=True, actor=coordinator)
    return introduced


@time_machine.travel(datetime.datetime(2030, 6, 30, 15, tzinfo=EDMONTON), tick=False)
def test_completing_closes_the_mentees_participation_and_frees_the_mentor(
    active, mentee, mentor, coordinator
):
    services.match_complete(match=active, actor=coordinator, note="Hired as EIT at a Calgary firm")

    active.refresh_from_db()
    assert active.status == M.COMPLETED
    assert active.ended_on == datetime.date(2030, 6, 30)
    assert active.end_reason == "Hired as EIT at a Calgary firm"
    mentee.refresh_from_db()
    mentor.refresh_from_db()
    assert mentee.status == S.COMPLETED
    assert mentor.status == S.READY_TO_MATCH
    entry = ActivityEntry.objects.get(verb="match.completed", target_type__model="match")
    assert entry.data == {"note": "Hired as EIT at a Calgary firm", "mentor_status": "ready_to_match"}


def test_a_mentor_who_will_not_mentor_again_completes_too(active, mentor, coordinator):
    services.match_complete(match=active, actor=coordinator, mentor_available_again=False)

    mentor.refresh_from_db()
    assert mentor.status == S.COMPLETED


def test_a_mentor_still_mentoring_someone_else_stays_matched(program, coordinator):
    mentor = ready_mentor(program, max_mentees=2)
    matches = []
    for _ in range(2):
        match = _propose(ready_mentee(program), mentor, coordinator)
        services.match_introduce(match=match, actor=coordinator)
        services.match_respond(match=match, side="mentee", accepted=True, actor=coordinator)
        services.match_respond(match=match, side="mentor", accepted=True, actor=coordinator)
        matches.append(match)

    services.match_complete(match=matches[0], actor=coordinator)
    mentor.refresh_from_db()
    assert mentor.status == S.MATCHED

    services.match_close_early(match=matches[1], reason="The mentee found work", actor=coordinator)
    mentor.refresh_from_db()
    assert mentor.status == S.READY_TO_MATCH


def test_closing_early_returns_the_mentee_to_the_pool_by_default(active, mentee, mentor, coordinator):
    services.match_close_early(match=active, reason="The mentor moved to Toronto", actor=coordinator)

    active.refresh_from_db()
    assert active.status == M.CLOSED_EARLY
    assert active.end_reason == "The mentor moved to Toronto"
    assert active.ended_on is not None
    mentee.refresh_from_db()
    mentor.refresh_from_db()
    assert mentee.status == S.READY_TO_MATCH
    assert mentor.status == S.READY_TO_MATCH
    assert not DoNotMatch.objects.exists()


def test_closing_early_may_complete_the_mentee_and_mark_the_pair_not_to_match(
    active, mentee, mentor, coordinator
):
    services.match_close_early(
        match=active,
        reason="They did not get along",
        actor=coordinator,
        mentee_returns_to_pool=False,
        mentor_available_again=False,
        do_not_match=True,
    )

    mentee.refresh_from_db()
    mentor.refresh_from_db()
    assert mentee.status == S.COMPLETED
    assert mentor.status == S.COMPLETED
    mark = DoNotMatch.objects.get(mentee=mentee.person, mentor=mentor.person)
    assert mark.kind == DoNotMatch.Kind.PREVIOUS_MATCH_FAILED
    assert mark.note == "They did not get along"


def test_closing_early_needs_a_reason(active, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.match_close_early(match=active, reason="", actor=coordinator)

    assert refused.value.message_dict == {"reason": ["Give a reason; it stays in the match's record."]}
    active.refresh_from_db()
    assert active.status == M.ACTIVE


def test_cancelling_a_proposal_frees_the_mentee_and_the_mentors_place(mentee, mentor, program, coordinator):
    match = _propose(mentee, mentor, coordinator)

    services.match_cancel(match=match, actor=coordinator, reason="Wrong mentor picked")

    match.refresh_from_db()
    assert match.status == M.CANCELLED
    entry = ActivityEntry.objects.get(verb="match.cancelled", target_type__model="match")
    assert entry.data == {"reason": "Wrong mentor picked"}
    assert _propose(mentee, mentor, coordinator).status == M.PROPOSED


def test_an_introduction_answered_before_its_email_left_is_not_sent(introduced, coordinator):
    services.match_respond(
        match=introduced, side="mentee", accepted=False, reason="Found a mentor", actor=coordinator
    )

    send_match_introduction(introduced.pk)
    assert mail.outbox == []
