"""The cohort assignment pages: the program's runs with the form that starts one, and a run's
page, where a draft is reviewed, changed, then published or discarded.

The pool is the hand-worked one of test_cohort.py: optimal 2 pairs for a total of 150,
first come 1 pair for 100, with the program's lowest score at 60."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from matching import services
from matching.models import AssignmentRun, Match
from participants.models import Participation
from participants.tests.factories import ParticipationFactory
from programs.models import ActivityEntry, StaffMembership
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .factories import BREAKDOWN, AssignmentRunFactory, MatchFactory
from .test_cohort import mentee, mentor, scored_on_languages

pytestmark = pytest.mark.django_db

M = Match.Status
R = AssignmentRun.Status
S = Participation.Status


@pytest.fixture
def pool(program):
    scored_on_languages(program)
    program.min_match_score = 60
    program.save()
    amara = mentee(program, "Amara", ("English", "French"), waited_days=10)
    bola = mentee(program, "Bola", ("Spanish",), waited_days=3)
    chidi = mentee(program, "Chidi", ("Tagalog",), waited_days=1)  # 50 at best: left out
    xavier = mentor(program, "Xavier", ("English", "French", "Spanish"))
    yusuf = mentor(program, "Yusuf", ("English",))
    return {"amara": amara, "bola": bola, "chidi": chidi, "xavier": xavier, "yusuf": yusuf}


@pytest.fixture
def draft(client, coordinator, pool):
    client.force_login(coordinator)
    response = client.post(reverse("matching:run_list"), {"min_score": 60})
    assert response.status_code == 302
    return AssignmentRun.objects.get()


def _proposal_of(run: AssignmentRun, participation: Participation) -> Match:
    return run.matches.get(mentee=participation, status=M.PROPOSED)


def _run_urls(run: AssignmentRun, match: Match) -> list[tuple[str, str]]:
    """(method, url) of every page that acts on one run."""
    return [
        ("get", reverse("matching:run_detail", args=[run.pk])),
        ("post", reverse("matching:run_publish", args=[run.pk])),
        ("post", reverse("matching:run_discard", args=[run.pk])),
        ("get", reverse("matching:run_proposal_change", args=[run.pk, match.pk])),
        ("post", reverse("matching:run_proposal_change", args=[run.pk, match.pk])),
        ("post", reverse("matching:run_proposal_remove", args=[run.pk, match.pk])),
    ]


@pytest.fixture
def some_run(program):
    run = AssignmentRunFactory(program=program, totals={})
    match = MatchFactory(program=program, assignment_run=run)
    return run, match


# --- Who may see what ----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_from_every_page(client, some_run):
    pages = [("get", reverse("matching:run_list")), ("post", reverse("matching:run_list"))]
    for method, url in pages + _run_urls(*some_run):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login"))


def test_participant_gets_403_everywhere(client, participant_user, some_run):
    client.force_login(participant_user)
    pages = [("get", reverse("matching:run_list")), ("post", reverse("matching:run_list"))]
    for method, url in pages + _run_urls(*some_run):
        assert getattr(client, method)(url, {"mentor": 1, "min_score": 0}).status_code == 403, url
    assert AssignmentRun.objects.count() == 1


def test_other_organizations_coordinator_gets_404_on_our_runs_and_changes_nothing(
    client, other_coordinator, some_run
):
    run, match = some_run
    client.force_login(other_coordinator)
    for method, url in _run_urls(run, match):
        assert getattr(client, method)(url, {"mentor": match.mentor_id}).status_code == 404, url
    run.refresh_from_db()
    match.refresh_from_db()
    assert (run.status, match.status) == (R.DRAFT, M.PROPOSED)


def test_other_organizations_coordinator_sees_and_runs_only_their_own_program(
    client, other_coordinator, other_program, pool, some_run
):
    client.force_login(other_coordinator)
    response = client.get(reverse("matching:run_list"))
    assert response.status_code == 200
    assert f'data-testid="run-{some_run[0].pk}"' not in response.content.decode()

    response = client.post(reverse("matching:run_list"), {"min_score": 50})

    assert response.status_code == 200
    assert "No mentee is waiting for a mentor" in response.content.decode()
    assert not AssignmentRun.objects.filter(program=other_program).exists()
    assert not Match.objects.filter(assignment_run__isnull=False).exclude(pk=some_run[1].pk).exists()


def test_coordinator_limited_to_another_program_gets_404_on_our_runs(client, organization, some_run):
    elsewhere = ProgramFactory(organization=organization, name="Health Mentorship")
    limited = StaffMembershipFactory(
        organization=organization, role=StaffMembership.Role.COORDINATOR, programs=[elsewhere]
    ).user
    client.force_login(limited)
    for method, url in _run_urls(*some_run):
        assert getattr(client, method)(url, {"mentor": some_run[1].mentor_id}).status_code == 404, url


# --- The list and a new run ----------------------------------------------------------------------


def test_the_list_offers_the_form_with_the_programs_lowest_score(client, coordinator, pool):
    client.force_login(coordinator)
    response = client.get(reverse("matching:run_list"))
    html = response.content.decode()
    assert response.context["form"]["min_score"].value() == 60
    assert "Run a cohort assignment" in html
    assert "No cohort assignment has been run in this program yet." in html


def test_a_run_makes_a_draft_and_its_page_compares_it_with_first_come(client, draft, pool):
    assert draft.status == R.DRAFT
    assert draft.min_score == 60
    assert {(m.mentee_id, m.mentor_id) for m in draft.matches.all()} == {
        (pool["amara"].pk, pool["yusuf"].pk),
        (pool["bola"].pk, pool["xavier"].pk),
    }

    response = client.get(reverse("matching:run_detail", args=[draft.pk]))

    assert response.status_code == 200
    measures = {m.label: (m.optimal, m.greedy, m.standing) for m in response.context["measures"]}
    assert measures == {
        "Pairs proposed": (2, 1, 2),
        "Total score": (150, 100, 150),
        "Mean score": (75, 100, 75),
        "Lowest score": (75, 100, 75),
    }
    html = response.content.decode()
    assert 'data-testid="comparison"' in html
    assert html.count("<svg") >= 3  # the charts, each with its table
    assert "Show as a table" in html
    assert "style=" not in html
    assert "Both speak English" in html  # the stored breakdown
    assert "Publish all" in html


def test_the_draft_lists_the_mentees_it_left_out_with_the_reason(client, draft, pool):
    response = client.get(reverse("matching:run_detail", args=[draft.pk]))
    html = response.content.decode()
    assert f'data-testid="unmatched-{pool["chidi"].pk}"' in html
    assert "No mentor with room left scores at least 60 with them; the best scores 50." in html
    assert reverse("matching:suggestions", args=[pool["chidi"].pk]) in html


def test_the_reasons_say_when_mentors_were_full_or_the_mentee_has_no_profile(
    client, coordinator, pool, program
):
    # Dana scores as Amara does: the two of them get Xavier and Yusuf, and Bola none.
    mentee(program, "Dana", ("English", "French"), waited_days=5)
    unprofiled = ParticipationFactory(program=program, status=S.READY_TO_MATCH)
    client.force_login(coordinator)
    client.post(reverse("matching:run_list"), {"min_score": 60})

    response = client.get(reverse("matching:run_detail", args=[AssignmentRun.objects.get().pk]))

    reasons = {row.participation.pk: row.reason for row in response.context["unmatched_page"]}
    assert reasons == {
        pool["bola"].pk: "Every mentor who scores at least 60 with them was needed for other mentees, "
        "and had no room left.",
        pool["chidi"].pk: "No mentor with room left scores at least 60 with them; the best scores 50.",
        unprofiled.pk: "They have no mentee profile yet, so no mentor could be scored for them.",
    }


def test_the_list_links_to_the_draft_instead_of_offering_a_new_run(client, draft):
    response = client.get(reverse("matching:run_list"))
    html = response.content.decode()
    assert 'data-testid="draft-waiting"' in html
    assert reverse("matching:run_detail", args=[draft.pk]) in html
    assert 'name="min_score"' not in html
    assert f'data-testid="run-{draft.pk}"' in html


def test_a_second_draft_is_refused_with_the_services_message(client, draft):
    response = client.post(reverse("matching:run_list"), {"min_score": 60})

    assert response.status_code == 200
    assert "This program already has a draft cohort assignment. Publish or discard it first." in (
        response.content.decode()
    )
    assert AssignmentRun.objects.count() == 1


def test_going_below_the_programs_lowest_score_without_a_reason_shows_the_error(client, coordinator, pool):
    client.force_login(coordinator)
    response = client.post(reverse("matching:run_list"), {"min_score": 50, "override_reason": " "})

    assert response.status_code == 200
    assert response.context["form"].errors["override_reason"] == [
        "50 is below the program's lowest score of 60. Give a reason to propose pairs that score less."
    ]
    assert 'value="50"' in response.content.decode()
    assert not AssignmentRun.objects.exists()


def test_going_below_the_programs_lowest_score_with_a_reason_keeps_it_on_the_pairs(
    client, coordinator, pool, program
):
    mentor(program, "Zora", ("German",))  # a third place, at 50 with anyone
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:run_list"), {"min_score": 50, "override_reason": "Small spring cohort"}
    )

    run = AssignmentRun.objects.get()
    assert response.url == reverse("matching:run_detail", args=[run.pk])
    assert run.min_score == 50
    assert run.matches.count() == 3  # Chidi too, at 50
    assert run.matches.get(mentee=pool["chidi"]).override_reason == "Small spring cohort"
    assert ActivityEntry.objects.filter(verb="match.override").exists()


def test_a_run_with_nothing_to_propose_says_why_and_saves_nothing(client, coordinator, program):
    client.force_login(coordinator)
    response = client.post(reverse("matching:run_list"), {"min_score": 60})

    assert response.status_code == 200
    assert "No mentee is waiting for a mentor, so there is nobody to assign." in response.content.decode()
    assert not AssignmentRun.objects.exists()


def test_an_invalid_lowest_score_re_renders_the_form(client, coordinator, pool):
    client.force_login(coordinator)
    response = client.post(reverse("matching:run_list"), {"min_score": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["min_score"]
    assert not AssignmentRun.objects.exists()


# --- Changing a draft ----------------------------------------------------------------------------


def test_change_mentor_lists_the_other_mentors_with_their_score(client, draft, pool, program):
    zora = mentor(program, "Zora", ("English", "French"))
    proposal = _proposal_of(draft, pool["amara"])

    response = client.get(reverse("matching:run_proposal_change", args=[draft.pk, proposal.pk]))

    assert response.status_code == 200
    choices = list(response.context["page_obj"])
    assert [(c.mentor.participation_id, c.score) for c in choices] == [(zora.pk, 100)]
    assert "Yusuf Mentor, who scores 75" in response.content.decode()


def test_changing_the_mentor_replaces_the_proposal_in_the_draft(client, draft, pool, program):
    zora = mentor(program, "Zora", ("English", "French"))
    proposal = _proposal_of(draft, pool["amara"])

    response = client.post(
        reverse("matching:run_proposal_change", args=[draft.pk, proposal.pk]),
        {"mentor": zora.pk, "score": 1},  # a score slipped into the form is ignored
    )

    assert response.url == reverse("matching:run_detail", args=[draft.pk])
    proposal.refresh_from_db()
    assert proposal.status == M.CANCELLED
    replacement = _proposal_of(draft, pool["amara"])
    assert replacement.mentor == zora
    assert str(replacement.score) == "100.00"
    assert sum(item["points"] for item in replacement.breakdown) == 100
    page = client.get(reverse("matching:run_detail", args=[draft.pk]))
    assert "Zora Mentor" in page.content.decode()


def test_choosing_a_mentor_below_the_threshold_needs_a_reason(client, draft, pool, program):
    low = mentor(program, "Wen", ("Tagalog",))  # 50 with Amara
    proposal = _proposal_of(draft, pool["amara"])
    url = reverse("matching:run_proposal_change", args=[draft.pk, proposal.pk])

    response = client.post(url, {"mentor": low.pk, "override_reason": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "below the program&#x27;s lowest score of 60" in html
    assert "Give a reason to match them anyway." in html
    assert _proposal_of(draft, pool["amara"]) == proposal

    response = client.post(url, {"mentor": low.pk, "override_reason": "Same industry, worth a try"})

    assert response.status_code == 302
    replacement = _proposal_of(draft, pool["amara"])
    assert (replacement.mentor, replacement.override_reason) == (low, "Same industry, worth a try")


def test_a_mentor_who_cannot_take_the_mentee_is_refused_with_a_message(client, draft, pool):
    proposal = _proposal_of(draft, pool["amara"])
    busy = pool["xavier"]  # his one place is Bola's

    response = client.post(
        reverse("matching:run_proposal_change", args=[draft.pk, proposal.pk]), {"mentor": busy.pk}
    )

    assert response.status_code == 200
    assert "This mentor cannot be matched with this mentee now." in response.content.decode()
    assert _proposal_of(draft, pool["amara"]) == proposal


def test_removing_a_proposal_sends_the_mentee_back_to_the_waiting_list(client, draft, pool):
    proposal = _proposal_of(draft, pool["amara"])

    response = client.post(reverse("matching:run_proposal_remove", args=[draft.pk, proposal.pk]))

    assert response.url == reverse("matching:run_detail", args=[draft.pk])
    proposal.refresh_from_db()
    assert proposal.status == M.CANCELLED
    waiting = client.get(reverse("matching:waiting")).content.decode()
    assert f'data-testid="waiting-{pool["amara"].pk}"' in waiting
    detail = client.get(reverse("matching:run_detail", args=[draft.pk]))
    assert f'data-testid="proposal-{proposal.pk}"' not in detail.content.decode()
    assert [m.label for m in detail.context["measures"]][0] == "Pairs proposed"
    assert detail.context["measures"][0].standing == 1


def test_removing_a_proposal_twice_says_it_is_already_out(client, draft, pool):
    proposal = _proposal_of(draft, pool["amara"])
    url = reverse("matching:run_proposal_remove", args=[draft.pk, proposal.pk])
    client.post(url)

    response = client.post(url, follow=True)

    assert "cannot be cancelled; only proposals can." in response.content.decode()


# --- Publishing and discarding -------------------------------------------------------------------


def test_publishing_introduces_every_pair_and_emails_them(
    client, draft, pool, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:run_publish", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    assert draft.status == R.PUBLISHED
    assert set(draft.matches.values_list("status", flat=True)) == {M.INTRODUCED}
    people = [pool[name] for name in ("amara", "bola", "xavier", "yusuf")]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.person.email for p in people)
    html = response.content.decode()
    assert "2 pairs are introduced" in html
    # Read-only now: links to the matches, no change or publish buttons.
    for match in draft.matches.all():
        assert reverse("matching:match_detail", args=[match.pk]) in html
        assert reverse("matching:run_proposal_change", args=[draft.pk, match.pk]) not in html
    assert "Publish all" not in html


def test_a_published_run_cannot_be_changed_or_published_again(client, draft, pool):
    client.post(reverse("matching:run_publish", args=[draft.pk]))
    match = draft.matches.first()

    response = client.post(reverse("matching:run_publish", args=[draft.pk]), follow=True)
    assert "Only a draft can be published; this one is “Published”." in response.content.decode()
    response = client.post(reverse("matching:run_proposal_remove", args=[draft.pk, match.pk]), follow=True)
    assert "Only the proposals of a draft cohort assignment can be changed." in response.content.decode()
    response = client.get(reverse("matching:run_proposal_change", args=[draft.pk, match.pk]), follow=True)
    assert "Only the proposals of a draft cohort assignment can be changed." in response.content.decode()
    match.refresh_from_db()
    assert match.status == M.INTRODUCED


def test_a_publish_refused_for_one_pair_shows_why_and_introduces_nobody(client, draft, pool):
    Participation.objects.filter(pk=pool["bola"].pk).update(status=S.WITHDRAWN)

    response = client.post(reverse("matching:run_publish", args=[draft.pk]), follow=True)

    assert "Bola Mentee is not ready to match (Withdrawn)." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == R.DRAFT
    assert mail.outbox == []


def test_discarding_frees_the_mentees_for_a_new_run(client, draft, pool):
    response = client.post(reverse("matching:run_discard", args=[draft.pk]))

    assert response.url == reverse("matching:run_list")
    draft.refresh_from_db()
    assert draft.status == R.DISCARDED
    assert set(draft.matches.values_list("status", flat=True)) == {M.CANCELLED}
    waiting = client.get(reverse("matching:waiting")).content.decode()
    assert f'data-testid="waiting-{pool["amara"].pk}"' in waiting
    page = client.get(reverse("matching:run_detail", args=[draft.pk])).content.decode()
    assert "This draft was discarded" in page
    assert "Publish all" not in page

    response = client.post(reverse("matching:run_list"), {"min_score": 60})
    assert response.status_code == 302
    assert AssignmentRun.objects.filter(status=R.DRAFT).get().matches.count() == 2


# --- Query counts --------------------------------------------------------------------------------


def _draft_of(program, actor, size: int) -> AssignmentRun:
    """A draft of `size` proposals, and as many mentees it left out, made through the service."""
    pairs = []
    for index in range(size):
        pairs.append(
            (
                mentee(program, f"Mentee{index}", ("English",)),
                mentor(program, f"Mentor{index}", ("English",)),
                70 + index % 20,
                BREAKDOWN,
            )
        )
    left_out = [mentee(program, f"Left{index}", ("Tagalog",)) for index in range(size)]
    totals = {
        "optimal": {"count": size, "total": 75.0 * size, "lowest": 70.0, "mean": 75.0},
        "greedy": {"count": size - 1, "total": 72.0 * size, "lowest": 61.0, "mean": 72.0},
        "unmatched": [{"mentee": p.pk, "reason": "no_mentor", "best_score": 50.0} for p in left_out],
    }
    return services.assignment_run_create(
        program=program, pairs_with_scores=pairs, totals=totals, actor=actor
    )


def test_the_review_page_makes_the_same_number_of_queries_for_small_and_larger_drafts(
    client, coordinator, program, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for size in (2, 30):
        AssignmentRun.objects.filter(status=R.DRAFT).update(status=R.DISCARDED)
        run = _draft_of(program, coordinator, size)
        url = reverse("matching:run_detail", args=[run.pk])
        client.get(url)  # sessions and caches warm
        # Session, user, staff memberships and the programs they are limited to, the current
        # program, the run, the proposals as they stand, the proposals (count and page), the
        # mentees left out, the run's author.
        with django_assert_max_num_queries(11):
            response = client.get(url)
        assert len(response.context["page_obj"].object_list) == min(size, 25)
        assert len(response.context["unmatched_page"].object_list) == min(size, 25)


def test_the_list_makes_the_same_number_of_queries_for_few_and_many_runs(
    client, coordinator, program, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for count in (1, 30):
        for _ in range(count - AssignmentRun.objects.count()):
            run = AssignmentRunFactory(program=program, status=R.PUBLISHED, created_by=coordinator)
            MatchFactory(program=program, assignment_run=run, status=M.INTRODUCED)
        client.get(reverse("matching:run_list"))
        # Session, user, staff memberships and the programs they are limited to, the current
        # program, the draft, the runs (count, then the page with authors and proposals).
        with django_assert_max_num_queries(8):
            response = client.get(reverse("matching:run_list"))
        assert len(response.context["page_obj"].object_list) == min(count, 25)


def test_the_change_mentor_page_makes_the_same_number_of_queries_for_few_and_many_mentors(
    client, draft, pool, program, django_assert_max_num_queries
):
    proposal = _proposal_of(draft, pool["amara"])
    url = reverse("matching:run_proposal_change", args=[draft.pk, proposal.pk])
    client.get(url)
    for count in (3, 40):
        for index in range(count - Participation.objects.filter(role="mentor").count()):
            mentor(program, f"Extra{index}", ("English",))
        # Session, user, staff memberships and the programs they are limited to, the current
        # program, the run, the proposal, open matches, the candidates (participations and
        # languages; no occupation to title here), pairs not to match.
        with django_assert_max_num_queries(11):
            response = client.get(url)
        assert len(response.context["page_obj"].object_list) == min(count - 2, 25)
