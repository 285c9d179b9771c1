"""The screening pipeline: every allowed move, a set of refused ones, the waitlist, declining,
referring, and the requested-mentor flag."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from participants import interviews, pipeline
from participants.models import Interview, Participation, Referral
from participants.selectors import requested_mentor_matches
from participants.tests.factories import (
    InterviewFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    ParticipationFactory,
)
from programs.models import ActivityEntry
from programs.tests.factories import PartnerFactory, ProgramFactory

pytestmark = pytest.mark.django_db

S = Participation.Status
EARLY = ["submitted", "screening", "interview_scheduled", "interviewed", "accepted", "orientation_done"]
EXITS = ["waitlisted", "declined", "referred", "withdrawn"]

# Worked out by hand from the issue, not read from pipeline.TRANSITIONS.
ALLOWED = {
    ("submitted", "screening"),
    ("submitted", "interview_scheduled"),
    ("screening", "interview_scheduled"),
    ("interview_scheduled", "interviewed"),
    ("interview_scheduled", "screening"),
    ("interviewed", "accepted"),
    ("accepted", "orientation_done"),
    ("orientation_done", "ready_to_match"),
    ("waitlisted", "screening"),
    ("waitlisted", "accepted"),
    ("waitlisted", "ready_to_match"),
    ("waitlisted", "withdrawn"),
    ("ready_to_match", "withdrawn"),
} | {(start, end) for start in EARLY for end in EXITS}
# Made only by the match services when a match starts or ends (matching/tests cover them).
MATCHING = {("ready_to_match", "matched"), ("matched", "ready_to_match"), ("matched", "completed")}


def test_the_transition_table_allows_exactly_the_moves_worked_out_by_hand():
    for start, end in itertools.product(S.values, S.values):
        assert pipeline.can_move(start, end) == ((start, end) in ALLOWED | MATCHING), (start, end)


@pytest.fixture
def partner(organization):
    return PartnerFactory(organization=organization, name="Edmonton Language Centre")


def _make(program, status: str) -> Participation:
    participation = ParticipationFactory(program=program, status=status)
    if status == S.WAITLISTED:
        participation.waitlist_position = 1
        participation.save()
    return participation


def _move(participation: Participation, to: str, *, actor, partner) -> None:
    """Takes the move through the service a coordinator's button would call."""
    if to in pipeline.SIMPLE_STEPS and not (
        to == S.SCREENING and participation.status == S.INTERVIEW_SCHEDULED
    ):
        pipeline.participation_move(participation=participation, to_status=to, actor=actor)
    elif to == S.SCREENING:  # from a booked interview: cancelling it
        interview = InterviewFactory(participation=participation, interviewer=actor)
        interviews.interview_cancel(interview=interview, reason="Applicant is travelling", actor=actor)
    elif to == S.INTERVIEW_SCHEDULED:
        interviews.interview_schedule(
            participation=participation,
            scheduled_at=datetime.datetime(2030, 1, 15, 17, tzinfo=datetime.UTC),
            duration_minutes=45,
            mode=Interview.Mode.VIDEO,
            location="https://meet.example/abc",
            interviewer=actor,
            actor=actor,
        )
    elif to == S.INTERVIEWED:
        interview = InterviewFactory(participation=participation, interviewer=actor)
        interviews.interview_record(interview=interview, outcome=Interview.Outcome.ACCEPT, actor=actor)
    elif to == S.ACCEPTED:
        pipeline.participation_accept(participation=participation, actor=actor)
    elif to == S.WAITLISTED:
        pipeline.participation_waitlist(participation=participation, reason="Cohort is full", actor=actor)
    elif to == S.DECLINED:
        pipeline.participation_decline(
            participation=participation, reason="Outside our region", message="Dear applicant", actor=actor
        )
    elif to == S.REFERRED:
        pipeline.participation_refer(
            participation=participation,
            partner=partner,
            service="Language classes",
            reason="Needs CLB 7 first",
            actor=actor,
        )
    elif to == S.WITHDRAWN:
        pipeline.participation_withdraw(participation=participation, reason="Found a job", actor=actor)
    else:
        raise AssertionError(f"no service for {to}")


@pytest.mark.parametrize(("start", "end"), sorted(ALLOWED))
def test_every_allowed_move_goes_through_its_service_and_is_logged(
    start, end, program, coordinator, partner, django_capture_on_commit_callbacks
):
    participation = _make(program, start)
    with django_capture_on_commit_callbacks(execute=True):
        _move(participation, end, actor=coordinator, partner=partner)
    participation.refresh_from_db()
    assert participation.status == end
    assert participation.status_changed_at is not None
    # The newest entry that records a move (after it, only the invitation may have been logged).
    entry = next(e for e in ActivityEntry.objects.order_by("-id") if "from" in e.data)
    assert entry.data["from"] == start
    assert entry.data["to"] == end
    assert entry.actor == coordinator
    assert entry.program == program


def test_screening_never_offers_or_makes_the_moves_of_matching(program, coordinator):
    matched = _make(program, "matched")
    assert pipeline.next_statuses(matched) == []
    with pytest.raises(ValidationError, match="goes back to the pool"):
        pipeline.participation_move(participation=matched, to_status="ready_to_match", actor=coordinator)
    assert "matched" not in pipeline.next_statuses(_make(program, "ready_to_match"))


REFUSED = [
    ("declined", "waitlisted", "An application that is “Declined” cannot be put on the waitlist."),
    ("submitted", "accepted", "An application that is “Submitted” cannot be accepted."),
    ("withdrawn", "screening", "An application that is “Withdrawn” cannot be moved to screening."),
    ("referred", "declined", "An application that is “Referred” cannot be declined."),
    (
        "ready_to_match",
        "waitlisted",
        "An application that is “Ready to match” cannot be put on the waitlist.",
    ),
    ("waitlisted", "waitlisted", "An application that is “Waitlisted” cannot be put on the waitlist."),
    ("waitlisted", "declined", "An application that is “Waitlisted” cannot be declined."),
    ("accepted", "screening", "An application that is “Accepted” cannot be moved to screening."),
    (
        "interviewed",
        "interview_scheduled",
        "An application that is “Interviewed” cannot have an interview scheduled.",
    ),
    (
        "submitted",
        "orientation_done",
        "An application that is “Submitted” cannot be marked as having done orientation.",
    ),
    ("screening", "ready_to_match", "An application that is “Screening” cannot be marked ready to match."),
    ("matched", "withdrawn", "An application that is “Matched” cannot be marked as withdrawn."),
    ("declined", "referred", "An application that is “Declined” cannot be referred to a partner."),
]


@pytest.mark.parametrize(("start", "end", "message"), REFUSED)
def test_refused_moves_explain_why_and_change_nothing(start, end, message, program, coordinator, partner):
    participation = _make(program, start)
    with pytest.raises(ValidationError) as refusal:
        _move(participation, end, actor=coordinator, partner=partner)
    assert refusal.value.messages == [message]
    participation.refresh_from_db()
    assert participation.status == start
    assert not ActivityEntry.objects.exists()
    assert not Referral.objects.exists()


def test_moving_to_screening_with_a_booked_interview_asks_to_cancel_it_first(program, coordinator):
    participation = _make(program, S.INTERVIEW_SCHEDULED)
    InterviewFactory(participation=participation, interviewer=coordinator)
    with pytest.raises(ValidationError, match="Cancel the scheduled interview first"):
        pipeline.participation_move(participation=participation, to_status=S.SCREENING, actor=coordinator)


def test_side_exits_need_a_reason(program, coordinator):
    participation = _make(program, S.SCREENING)
    with pytest.raises(ValidationError) as refusal:
        pipeline.participation_waitlist(participation=participation, reason="  ", actor=coordinator)
    assert "reason" in refusal.value.message_dict
    participation.refresh_from_db()
    assert participation.status == S.SCREENING


def test_status_reason_and_time_are_kept(program, coordinator):
    participation = _make(program, S.SCREENING)
    before = participation.status_changed_at
    pipeline.participation_withdraw(participation=participation, reason="Moved to Toronto", actor=coordinator)
    participation.refresh_from_db()
    assert participation.status_reason == "Moved to Toronto"
    assert participation.status_changed_at > before


# --- The waitlist -------------------------------------------------------------------------------


def _positions(*participations) -> list[int | None]:
    for participation in participations:
        participation.refresh_from_db()
    return [p.waitlist_position for p in participations]


def test_waitlist_appends_at_the_end_of_the_programs_list_for_the_role(program, organization, coordinator):
    a, b, c = (_make(program, S.SCREENING) for _ in range(3))
    mentor = ParticipationFactory(program=program, role=Participation.Role.MENTOR, status=S.SCREENING)
    elsewhere = _make(ProgramFactory(organization=organization), S.SCREENING)
    for participation in (a, b, c, mentor, elsewhere):
        pipeline.participation_waitlist(participation=participation, reason="Full", actor=coordinator)
    assert _positions(a, b, c, mentor, elsewhere) == [1, 2, 3, 1, 1]
    assert ActivityEntry.objects.filter(verb="participation.waitlisted").first().data["position"] == 1


def test_positions_stay_compact_when_someone_leaves_the_waitlist(program, coordinator):
    a, b, c = (_make(program, S.SCREENING) for _ in range(3))
    for participation in (a, b, c):
        pipeline.participation_waitlist(participation=participation, reason="Full", actor=coordinator)

    pipeline.participation_move(participation=b, to_status=S.SCREENING, actor=coordinator)
    assert _positions(a, b, c) == [1, None, 2]

    d = _make(program, S.SUBMITTED)
    pipeline.participation_waitlist(participation=d, reason="Full", actor=coordinator)
    assert _positions(a, c, d) == [1, 2, 3]

    pipeline.participation_withdraw(participation=a, reason="Found work", actor=coordinator)
    assert _positions(a, c, d) == [None, 1, 2]

    pipeline.participation_move(participation=d, to_status=S.READY_TO_MATCH, actor=coordinator)
    assert _positions(c, d) == [1, None]


# --- Declining ----------------------------------------------------------------------------------


def test_declining_sends_nothing_until_the_coordinator_sends_the_message(
    program, coordinator, django_capture_on_commit_callbacks
):
    participation = _make(program, S.INTERVIEWED)
    draft = pipeline.decline_message_draft(participation, sender=coordinator)
    assert participation.person.first_name in draft and program.name in draft

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_decline(
            participation=participation, reason="Not employment-ready", message=draft, actor=coordinator
        )
    participation.refresh_from_db()
    assert participation.status == S.DECLINED
    assert participation.decline_message == draft
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.participation_decline_message_send(
            participation=participation, message="Dear Amina,\n\nThank you.", actor=coordinator
        )
    [email] = mail.outbox
    assert email.to == [participation.person.email]
    assert email.reply_to == [coordinator.email]
    assert email.body.strip() == "Dear Amina,\n\nThank you."
    assert "Thank you." in email.alternatives[0].content
    participation.refresh_from_db()
    assert participation.decline_message == "Dear Amina,\n\nThank you."
    assert ActivityEntry.objects.filter(verb="participation.decline_message_sent").count() == 1


def test_the_decline_message_goes_only_once_and_only_for_a_declined_application(program, coordinator):
    participation = _make(program, S.SCREENING)
    with pytest.raises(ValidationError, match="Only a declined application"):
        pipeline.participation_decline_message_send(
            participation=participation, message="Hi", actor=coordinator
        )
    pipeline.participation_decline(
        participation=participation, reason="Full", message="Hi", actor=coordinator
    )
    pipeline.participation_decline_message_send(participation=participation, message="Hi", actor=coordinator)
    with pytest.raises(ValidationError, match="already sent"):
        pipeline.participation_decline_message_send(
            participation=participation, message="Hi", actor=coordinator
        )


# --- Referrals ----------------------------------------------------------------------------------


def test_referral_is_created_and_its_outcome_recorded_later(program, coordinator, partner):
    participation = _make(program, S.SCREENING)
    referral = pipeline.participation_refer(
        participation=participation,
        partner=partner,
        service="Enhanced Language Training",
        reason="CLB 5; needs 7",
        actor=coordinator,
    )
    assert referral.outcome == Referral.Outcome.PENDING
    assert referral.referred_by == coordinator
    entry = ActivityEntry.objects.get(verb="participation.referred")
    assert entry.data["partner"] == "Edmonton Language Centre"

    pipeline.referral_record_outcome(
        referral=referral, outcome=Referral.Outcome.ENROLLED, notes="Started in May", actor=coordinator
    )
    referral.refresh_from_db()
    assert referral.outcome == Referral.Outcome.ENROLLED
    assert referral.outcome_notes == "Started in May"
    assert referral.outcome_at is not None
    assert ActivityEntry.objects.get(verb="referral.outcome_recorded").data["outcome"] == "enrolled"

    with pytest.raises(ValidationError):
        pipeline.referral_record_outcome(
            referral=referral, outcome=Referral.Outcome.PENDING, actor=coordinator
        )


def test_referral_to_another_organizations_partner_is_refused(program, coordinator, other_organization):
    participation = _make(program, S.SCREENING)
    foreign = PartnerFactory(organization=other_organization)
    with pytest.raises(ValidationError) as refusal:
        pipeline.participation_refer(
            participation=participation, partner=foreign, service="Jobs", reason="Fit", actor=coordinator
        )
    assert "partner" in refusal.value.message_dict
    participation.refresh_from_db()
    assert participation.status == S.SCREENING


# --- The requested mentor -----------------------------------------------------------------------


def test_a_requested_mentor_is_flagged_once_accepted_as_a_mentor_in_the_organization(
    program, organization, other_program, coordinator
):
    mentee = MenteeProfileFactory(
        participation__program=program, requested_mentor_email="Grace.Ho@example.org"
    ).participation
    mentor = MentorProfileFactory(
        participation__program=ProgramFactory(organization=organization),
        participation__person__email="grace.ho@example.org",
        participation__status=S.INTERVIEWED,
    ).participation
    MentorProfileFactory(  # same address in another organization: not the same person for us
        participation__program=other_program,
        participation__person__email="grace.ho@example.org",
        participation__status=S.ACCEPTED,
    )
    assert requested_mentor_matches(mentee) == []
    assert requested_mentor_matches(mentor) == []

    pipeline.participation_accept(participation=mentor, actor=coordinator)

    assert requested_mentor_matches(mentee) == [mentor]
    assert requested_mentor_matches(mentor) == [mentee]
    assert (
        requested_mentor_matches(mentee, visible_programs=program.organization.programs.filter(pk=program.pk))
        == []
    )


@pytest.mark.parametrize("leave", ["waitlist", "decline", "withdraw"])
def test_leaving_the_pipeline_cancels_the_booked_interview_and_tells_the_applicant(
    leave, program, coordinator, django_capture_on_commit_callbacks
):
    from django.core import mail

    from participants.models import Interview
    from participants.tests.factories import InterviewFactory

    booked = InterviewFactory(participation=_make(program, "interview_scheduled"), interviewer=coordinator)
    participation = booked.participation
    with django_capture_on_commit_callbacks(execute=True):
        if leave == "waitlist":
            pipeline.participation_waitlist(
                participation=participation, reason="Cohort full", actor=coordinator
            )
        elif leave == "decline":
            pipeline.participation_decline(
                participation=participation, reason="Not eligible", message="", actor=coordinator
            )
        else:
            pipeline.participation_withdraw(
                participation=participation, reason="Found work", actor=coordinator
            )
    booked.refresh_from_db()
    participation.refresh_from_db()
    assert booked.status == Interview.Status.CANCELLED
    assert (
        participation.status
        == {"waitlist": "waitlisted", "decline": "declined", "withdraw": "withdrawn"}[leave]
    )
    assert [message.to for message in mail.outbox] == [[participation.person.email]]
    assert "cancel" in mail.outbox[0].subject.lower()
