"""Cohort assignment: a run's pairs become proposals in a draft, which the coordinator reviews,
changes, then publishes (every pair introduced at once) or discards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from matching import services
from matching.models import AssignmentRun, Match
from participants.models import Participation
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory

from .factories import BREAKDOWN, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db

M = Match.Status
R = AssignmentRun.Status
S = Participation.Status

TOTALS = {
    "optimal": {"total": Decimal("214.5"), "lowest": 61, "count": 3},
    "greedy": {"total": 201.0, "lowest": 48, "count": 3},
}


@pytest.fixture
def people(program):
    mentees = [
        ready_mentee(
            program, participation__person__first_name=name, participation__person__last_name="Okafor"
        )
        for name in ("Amara", "Chidi", "Ngozi")
    ]
    mentors = [
        ready_mentor(program, participation__person__first_name=name, participation__person__last_name="Ho")
        for name in ("Grace", "Henry", "Iris")
    ]
    return mentees, mentors


def _create(program, people, actor, scores=(80, 73.5, 61), **kwargs) -> AssignmentRun:
    mentees, mentors = people
    pairs = [(e, r, s, BREAKDOWN) for e, r, s in zip(mentees, mentors, scores, strict=True)]
    return services.assignment_run_create(
        program=program, pairs_with_scores=pairs, totals=TOTALS, actor=actor, **kwargs
    )


def test_a_run_saves_its_pairs_as_proposals_in_a_draft(program, people, coordinator):
    run = _create(program, people, coordinator)

    run.refresh_from_db()
    assert run.status == R.DRAFT
    assert run.min_score == 40
    assert run.created_by == coordinator
    assert run.totals == {
        "optimal": {"total": 214.5, "lowest": 61, "count": 3},
        "greedy": {"total": 201.0, "lowest": 48, "count": 3},
    }
    proposals = list(run.matches.order_by("-score"))
    assert [(m.mentee.person.first_name, m.mentor.person.first_name, str(m.score)) for m in proposals] == [
        ("Amara", "Grace", "80.00"),
        ("Chidi", "Henry", "73.50"),
        ("Ngozi", "Iris", "61.00"),
    ]
    assert {m.status for m in proposals} == {M.PROPOSED}
    entry = ActivityEntry.objects.get(verb="assignment_run.created")
    assert entry.data["proposals"] == 3
    assert ActivityEntry.objects.filter(verb="match.proposed", target_type__model="match").count() == 3
    assert mail.outbox == []


def test_a_program_has_one_draft_at_a_time(program, people, coordinator):
    _create(program, people, coordinator)

    with pytest.raises(ValidationError) as refused:
        services.assignment_run_create(program=program, pairs_with_scores=[], totals={}, actor=coordinator)

    assert refused.value.messages == [
        "This program already has a draft cohort assignment. Publish or discard it first."
    ]


def test_a_pair_that_breaks_a_rule_refuses_the_whole_run_and_names_the_pair(program, people, coordinator):
    mentees, _ = people
    Participation.objects.filter(pk=mentees[1].pk).update(status=S.WITHDRAWN)

    with pytest.raises(ValidationError) as refused:
        _create(program, people, coordinator)

    assert refused.value.messages == [
        "Chidi Okafor with Henry Ho: Chidi Okafor is not ready to match (Withdrawn)."
    ]
    assert not AssignmentRun.objects.exists()
    assert not Match.objects.exists()


def test_a_run_below_the_programs_threshold_needs_a_reason(program, people, coordinator):
    with pytest.raises(ValidationError) as refused:
        _create(program, people, coordinator, scores=(80, 73.5, 35), min_score=30)
    assert refused.value.messages == [
        "Ngozi Okafor with Iris Ho: This pair scores 35, below the program's lowest score of 40. "
        "Give a reason to match them anyway."
    ]

    run = _create(
        program,
        people,
        coordinator,
        scores=(80, 73.5, 35),
        min_score=30,
        override_reason="Small cohort this spring",
    )
    assert run.min_score == 30
    assert run.matches.get(score=35).override_reason == "Small cohort this spring"


def test_publishing_introduces_every_proposal_and_emails_each_pair(
    program, people, coordinator, django_capture_on_commit_callbacks
):
    run = _create(program, people, coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_run_publish(run=run, actor=coordinator)

    run.refresh_from_db()
    assert run.status == R.PUBLISHED
    assert run.published_at is not None
    assert set(run.matches.values_list("status", flat=True)) == {M.INTRODUCED}
    mentees, mentors = people
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        p.person.email for p in mentees + mentors
    )
    assert ActivityEntry.objects.get(verb="assignment_run.published").data == {"introduced": 3}


def test_a_published_run_cannot_be_published_or_discarded_again(program, people, coordinator):
    run = _create(program, people, coordinator)
    services.assignment_run_publish(run=run, actor=coordinator)

    with pytest.raises(ValidationError) as refused:
        services.assignment_run_publish(run=run, actor=coordinator)
    assert refused.value.messages == ["Only a draft can be published; this one is “Published”."]
    with pytest.raises(ValidationError) as refused:
        services.assignment_run_discard(run=run, actor=coordinator)
    assert refused.value.messages == ["Only a draft can be discarded; this one is “Published”."]


def test_a_publish_refused_for_one_pair_introduces_nobody(
    program, people, coordinator, django_capture_on_commit_callbacks
):
    run = _create(program, people, coordinator)
    mentees, _ = people
    Participation.objects.filter(pk=mentees[2].pk).update(status=S.WITHDRAWN)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.assignment_run_publish(run=run, actor=coordinator)

    assert refused.value.messages == [
        "Ngozi Okafor with Iris Ho: Ngozi Okafor is not ready to match (Withdrawn)."
    ]
    run.refresh_from_db()
    assert run.status == R.DRAFT
    assert set(run.matches.values_list("status", flat=True)) == {M.PROPOSED}
    assert mail.outbox == []


def test_cancelled_proposals_stay_out_of_the_publication(program, people, coordinator):
    run = _create(program, people, coordinator)
    dropped = run.matches.get(score=61)
    services.match_cancel(match=dropped, actor=coordinator)

    services.assignment_run_publish(run=run, actor=coordinator)

    dropped.refresh_from_db()
    assert dropped.status == M.CANCELLED
    assert run.matches.filter(status=M.INTRODUCED).count() == 2


def test_an_empty_draft_cannot_be_published(program, coordinator):
    run = services.assignment_run_create(program=program, pairs_with_scores=[], totals={}, actor=coordinator)

    with pytest.raises(ValidationError) as refused:
        services.assignment_run_publish(run=run, actor=coordinator)
    assert refused.value.messages == ["The draft has no proposals left to publish."]


def test_discarding_cancels_the_proposals_and_frees_the_mentees_for_a_new_run(program, people, coordinator):
    run = _create(program, people, coordinator)

    services.assignment_run_discard(run=run, actor=coordinator)

    run.refresh_from_db()
    assert run.status == R.DISCARDED
    assert set(run.matches.values_list("status", flat=True)) == {M.CANCELLED}
    assert ActivityEntry.objects.get(verb="assignment_run.discarded").data == {"cancelled": 3}
    assert _create(program, people, coordinator).matches.count() == 3


def test_the_coordinator_gives_a_proposed_mentee_another_mentor(program, people, coordinator):
    run = _create(program, people, coordinator)
    proposal = run.matches.get(mentee=people[0][0])
    substitute = ready_mentor(program, participation__person__first_name="Jun")

    replacement = services.proposal_replace(
        match=proposal, mentor=substitute, score=77, breakdown=[], actor=coordinator
    )

    proposal.refresh_from_db()
    assert proposal.status == M.CANCELLED
    assert replacement.assignment_run == run
    assert replacement.mentee == proposal.mentee
    assert replacement.mentor == substitute
    assert replacement.status == M.PROPOSED
    assert str(replacement.score) == "77.00"
    cancelled = ActivityEntry.objects.get(
        verb="match.cancelled", target_id=str(proposal.pk), target_type__model="match"
    )
    assert cancelled.data == {"replaced_by_mentor": substitute.person.full_name}


def test_a_replacement_that_breaks_a_rule_leaves_the_proposal_as_it_was(program, people, coordinator):
    run = _create(program, people, coordinator)
    proposal = run.matches.get(mentee=people[0][0])
    busy = people[1][1]  # Henry already has his one mentee in this draft

    with pytest.raises(ValidationError) as refused:
        services.proposal_replace(match=proposal, mentor=busy, score=77, breakdown=[], actor=coordinator)

    assert refused.value.messages == ["Henry Ho has no room for another mentee."]
    proposal.refresh_from_db()
    assert proposal.status == M.PROPOSED


def test_proposals_of_a_published_run_are_not_replaced(program, people, coordinator):
    run = _create(program, people, coordinator)
    services.assignment_run_publish(run=run, actor=coordinator)

    with pytest.raises(ValidationError) as refused:
        services.proposal_replace(
            match=run.matches.first(), mentor=ready_mentor(program), score=77, breakdown=[], actor=coordinator
        )
    assert refused.value.messages == ["Only the proposals of a draft cohort assignment can be changed."]


def test_a_run_proposes_only_mentees_of_its_own_program(program, organization, people, coordinator):
    outsider = ready_mentee(
        ProgramFactory(organization=organization),
        participation__person__first_name="Omar",
        participation__person__last_name="Haddad",
    )

    with pytest.raises(ValidationError) as refused:
        services.assignment_run_create(
            program=program,
            pairs_with_scores=[(outsider, people[1][0], 80, [])],
            totals={},
            actor=coordinator,
        )
    assert refused.value.messages == ["Omar Haddad is not a mentee of this program."]
    assert not AssignmentRun.objects.exists()
