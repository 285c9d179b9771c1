"""Staff pages for cohort assignment: the current program's runs with the form that starts one,
and a run's page: how it compares with first-come matching, its proposals, and the mentees it
left out and why. While the run is a draft the coordinator changes a proposal's mentor,
removes a proposal, then publishes all (each pair is introduced and emailed) or discards it.

Every run is fetched through the current program (`get_assignment_run`), so a run of another
program or organization gives 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError
from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participants.models import Participation
from programs.access import current_program, staff_required
from programs.charts import BarChart, grouped_bar_chart
from programs.models import Program

from . import cohort, scoring
from .features import Candidate
from .forms import ProposeForm
from .models import OPEN_MATCH_STATUSES, AssignmentRun, Match
from .run_forms import AssignmentRunForm
from .selectors import (
    MATCH_RELATED,
    assignment_run_proposals,
    get_assignment_run,
    mentors_available_to,
)
from .services import (
    assignment_run_create,
    assignment_run_discard,
    assignment_run_publish,
    match_cancel,
    override_needed,
    proposal_replace,
)

M = Match.Status
R = AssignmentRun.Status
OPTIMAL_CLASS, GREEDY_CLASS = "mentee", "mentor"  # the two colours the chart styles define


def _run_for(request: HttpRequest, run_id: int) -> AssignmentRun:
    program = current_program(request)
    if program is None:
        raise Http404
    return get_assignment_run(program, run_id)


def _proposal_for(run: AssignmentRun, match_id: int) -> Match:
    """A match of the run, whatever its status: the service says what may be done with it."""
    match = run.matches.select_related(*MATCH_RELATED).filter(pk=match_id).first()
    if match is None:
        raise Http404
    return match


# --- The runs of the program ---------------------------------------------------------------------


@staff_required
def run_list(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    form = draft = None
    runs = AssignmentRun.objects.none()
    if program is not None:
        draft = program.assignment_runs.filter(status=R.DRAFT).first()
        if request.method == "POST":
            form = AssignmentRunForm(request.POST, program=program)
            if form.is_valid():
                run = _create_run(request, program, form, draft_exists=draft is not None)
                if run is not None:
                    return redirect("matching:run_detail", run.pk)
        form = form or AssignmentRunForm(program=program)
        runs = (
            program.assignment_runs.select_related("created_by")
            .annotate(proposals=Count("matches", filter=~Q(matches__status=M.CANCELLED)))
            .order_by("-created_at", "-id")
        )
    page = Paginator(runs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/runs/list.html",
        {"program": program, "form": form, "draft": draft, "page_obj": page},
    )


def _create_run(
    request: HttpRequest, program: Program, form: AssignmentRunForm, *, draft_exists: bool
) -> AssignmentRun | None:
    """Solves the pool and saves the draft; None, with the reason on the form, when it cannot."""
    solved = cohort.solve(program, min_score=form.cleaned_data["min_score"])
    # With a draft in the way, the service's refusal says what to do; nothing else matters.
    if not solved.pairs and not draft_exists:
        form.add_error(None, _nothing_to_propose(solved))
        return None
    try:
        run = assignment_run_create(
            program=program,
            pairs_with_scores=cohort.pairs_for_run(solved),
            totals=solved.totals(),
            actor=request.user,
            min_score=solved.min_score,
            override_reason=form.cleaned_data["override_reason"],
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None
    except IntegrityError:
        # Another coordinator saved a draft, or a proposal, in the same instant: the database's
        # constraints (one draft per program, one open match per mentee) refused this one.
        form.add_error(None, _("Someone changed these proposals at the same time. Try again."))
        return None
    messages.success(
        request,
        ngettext(
            "The assignment proposes %(count)d pair. Review it, then publish it.",
            "The assignment proposes %(count)d pairs. Review them, then publish them.",
            len(solved.pairs),
        )
        % {"count": len(solved.pairs)},
    )
    return run


def _nothing_to_propose(solved: cohort.Cohort) -> str:
    if not solved.mentees:
        return _("No mentee is waiting for a mentor, so there is nobody to assign.")
    if not any(mentor.capacity > 0 for mentor in solved.mentors):
        return _("No mentor has room for another mentee, so nobody can be assigned.")
    return _(
        "No pair scores at least %(score)s. Try a lower score, with a reason, or wait for more mentors."
    ) % {"score": solved.min_score}


# --- One run -------------------------------------------------------------------------------------


@dataclass
class Measure:
    label: str
    optimal: float
    greedy: float
    standing: float | None
    decimals: int


@dataclass
class Unmatched:
    participation: Participation | None
    reason: str
    still_waiting: bool


@staff_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    if run.status == R.DISCARDED:
        # Every proposal was cancelled with the draft; they are listed as they were.
        proposals = run.matches.select_related(*MATCH_RELATED).order_by("-score", "id")
    else:
        proposals = assignment_run_proposals(run)
    standing = None
    if run.status != R.DISCARDED:
        standing = assignment_run_proposals(run).aggregate(
            count=Count("pk"), total=Sum("score"), lowest=Min("score"), mean=Avg("score")
        )
    measures = _measures(run.totals, standing)
    return render(
        request,
        "matching/runs/detail.html",
        {
            "run": run,
            "program": run.program,
            "is_draft": run.status == R.DRAFT,
            "page_obj": Paginator(proposals, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            "measures": measures,
            "has_totals": bool(measures),
            "charts": _charts(measures),
            "unmatched_page": _unmatched_page(run, request.GET.get("unmatched")),
        },
    )


def _summary(totals: Any, key: str) -> dict[str, float]:
    value = totals.get(key) if isinstance(totals, dict) else None
    return value if isinstance(value, dict) else {}


def _measures(totals: Any, standing: dict[str, Any] | None) -> list[Measure]:
    """Pairs, total, lowest and mean of the optimal and greedy assignments (as computed when the
    run was made), and of the proposals as they stand now."""
    optimal, greedy = _summary(totals, "optimal"), _summary(totals, "greedy")
    if not optimal and not greedy:
        return []
    standing = standing or {}

    def now(key: str) -> float | None:
        if not standing:
            return None
        return float(standing.get(key) or 0)

    return [
        Measure(label, float(optimal.get(key) or 0), float(greedy.get(key) or 0), now(key), decimals)
        for key, label, decimals in (
            ("count", _("Pairs proposed"), 0),
            ("total", _("Total score"), 0),
            ("mean", _("Mean score"), 1),
            ("lowest", _("Lowest score"), 0),
        )
    ]


def _charts(measures: list[Measure]) -> list[BarChart]:
    """One chart for the number of pairs, one for the total, one for the mean and lowest
    scores: each on its own scale, so that no bar shrinks to nothing next to a larger one."""
    if not measures:
        return []
    series = [(_("Optimal assignment"), OPTIMAL_CLASS), (_("First come, first served"), GREEDY_CLASS)]
    by_key = dict(zip(("count", "total", "mean", "lowest"), measures, strict=True))
    groups = (
        (_("How many mentees get a mentor"), ("count",)),
        (_("Total score of the pairs"), ("total",)),
        (_("Scores of the pairs"), ("mean", "lowest")),
    )
    return [
        grouped_bar_chart(
            title=title,
            series=series,
            rows=[
                (by_key[key].label, [round(by_key[key].optimal), round(by_key[key].greedy)]) for key in keys
            ],
        )
        for title, keys in groups
    ]


def _unmatched_page(run: AssignmentRun, number: str | None) -> Page:
    """A page of the mentees the run left out, each with the reason in plain words, in one query."""
    page = Paginator(cohort.unmatched_entries(run.totals), settings.PAGE_SIZE).get_page(number)
    open_match = Match.objects.filter(mentee=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
    people = {
        participation.pk: participation
        for participation in Participation.objects.filter(
            program=run.program, role=Participation.Role.MENTEE, pk__in=[e["mentee"] for e in page]
        )
        .select_related("person")
        .annotate(has_open_match=Exists(open_match))
    }
    rows = []
    for entry in page:
        participation = people.get(entry["mentee"])
        rows.append(
            Unmatched(
                participation=participation,
                reason=_unmatched_reason(entry, run.min_score),
                still_waiting=participation is not None
                and participation.status == Participation.Status.READY_TO_MATCH
                and not participation.has_open_match,
            )
        )
    page.object_list = rows
    return page


def _unmatched_reason(entry: dict[str, Any], min_score: int) -> str:
    if entry.get("reason") == cohort.NO_PROFILE:
        return _("They have no mentee profile yet, so no mentor could be scored for them.")
    if entry.get("reason") == cohort.NO_ROOM:
        return _(
            "Every mentor who scores at least %(score)s with them was needed for other mentees, "
            "and had no room left."
        ) % {"score": min_score}
    best = entry.get("best_score")
    if best is None:
        return _(
            "No mentor with room left could be matched with them: the others are full, "
            "marked not to be matched with them, or in a program that does not share mentors."
        )
    return _("No mentor with room left scores at least %(score)s with them; the best scores %(best)s.") % {
        "score": min_score,
        "best": scoring.rounded_score(best),
    }


# --- Acting on a draft ---------------------------------------------------------------------------


@staff_required
@require_POST
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    try:
        assignment_run_publish(run=run, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching:run_detail", run.pk)
    count = run.matches.filter(status=M.INTRODUCED).count()
    messages.success(
        request,
        ngettext(
            "%(count)d pair is introduced; both are emailed and asked to answer.",
            "%(count)d pairs are introduced; each mentee and mentor is emailed and asked to answer.",
            count,
        )
        % {"count": count},
    )
    return redirect("matching:run_detail", run.pk)


@staff_required
@require_POST
def run_discard(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    try:
        assignment_run_discard(run=run, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching:run_detail", run.pk)
    messages.success(request, _("The draft is discarded. Its mentees are waiting for a mentor again."))
    return redirect("matching:run_list")


@staff_required
@require_POST
def proposal_remove(request: HttpRequest, run_id: int, match_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    proposal = _proposal_for(run, match_id)
    if run.status != R.DRAFT:
        messages.error(request, _("Only the proposals of a draft cohort assignment can be changed."))
        return redirect("matching:run_detail", run.pk)
    try:
        match_cancel(match=proposal, actor=request.user, reason=_("Removed from the cohort assignment."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matching:run_detail", run.pk)
    messages.success(
        request,
        _("%(mentee)s is out of the draft and waiting for a mentor again.")
        % {"mentee": proposal.mentee.person.full_name},
    )
    return redirect("matching:run_detail", run.pk)


@dataclass
class Choice:
    """Another mentor for the proposal, as the page shows it."""

    mentor: Candidate
    score: int
    reasons: list[scoring.Reason]
    override_note: str
    program_name: str
    form: ProposeForm


def _choice_form(program: Program, mentor_id: int, score: float, data=None) -> ProposeForm:
    return ProposeForm(
        data,
        initial={"mentor": mentor_id},
        override_note=override_needed(program=program, score=score),
        auto_id=f"choose-{mentor_id}-%s",
    )


@staff_required
def proposal_change(request: HttpRequest, run_id: int, match_id: int) -> HttpResponse:
    """The mentors the proposed mentee could have instead, best score first, each with a
    button that puts them in the proposal's place."""
    run = _run_for(request, run_id)
    proposal = _proposal_for(run, match_id)
    if run.status != R.DRAFT or proposal.status != M.PROPOSED:
        messages.error(request, _("Only the proposals of a draft cohort assignment can be changed."))
        return redirect("matching:run_detail", run.pk)
    options = cohort.mentor_options(run.program, proposal.mentee_id)
    posted: ProposeForm | None = None
    page_number = request.GET.get("page")
    if request.method == "POST":
        posted, response = _replace(request, run, proposal, options)
        if response is not None:
            return response
        # Show the page that holds the mentor the coordinator chose, with the form's errors.
        index = options.position(posted.initial["mentor"])
        if index is not None:
            page_number = str(index // settings.PAGE_SIZE + 1)
    page = Paginator(options.options, settings.PAGE_SIZE).get_page(page_number)
    program_names = {}
    if any(option.mentor.program_id != run.program_id for option in page):
        program_names = dict(
            Program.objects.filter(organization_id=run.program.organization_id).values_list("pk", "name")
        )
    choices = []
    for option in page:
        mentor_id = option.mentor.participation_id
        form = posted if posted is not None and posted.initial["mentor"] == mentor_id else None
        choices.append(
            Choice(
                mentor=option.mentor,
                score=scoring.rounded_score(option.score),
                reasons=options.explain(option),
                override_note=override_needed(program=run.program, score=option.score),
                program_name=program_names.get(option.mentor.program_id, ""),
                form=form or _choice_form(run.program, mentor_id, option.score),
            )
        )
    page.object_list = choices
    posted_elsewhere = posted if posted is not None and not any(c.form is posted for c in choices) else None
    return render(
        request,
        "matching/runs/change_mentor.html",
        {
            "run": run,
            "proposal": proposal,
            "options": options,
            "page_obj": page,
            "posted_elsewhere": posted_elsewhere,
        },
    )


def _replace(request: HttpRequest, run: AssignmentRun, proposal: Match, options: cohort.MentorOptions):
    """(the form with its errors, None) when the change fails; (None, redirect) when it is made."""
    try:
        mentor_id = int(request.POST.get("mentor", ""))
    except ValueError:
        mentor_id = 0
    option = options.get(mentor_id)
    form = _choice_form(run.program, mentor_id, option.score if option else 0.0, data=request.POST)
    if not form.is_valid():
        return form, None
    # The mentor comes from the program's own pool of mentors, never from an id alone.
    mentor = (
        mentors_available_to(run.program)
        .select_related("person", "program__organization")
        .filter(pk=mentor_id)
        .first()
    )
    if option is None or mentor is None or options.mentee is None:
        form.add_error(None, _("This mentor cannot be matched with this mentee now."))
        return form, None
    try:
        proposal_replace(
            match=proposal,
            mentor=mentor,
            score=option.score,
            breakdown=options.explain(option),
            actor=request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except ValidationError as error:
        proposal.refresh_from_db(fields=["status"])  # the service set it before rolling back
        if hasattr(error, "error_dict") and not set(error.error_dict) <= set(form.fields):
            form.add_error(None, error.messages)
        else:
            form.add_error(None, error)
        return form, None
    messages.success(
        request,
        _("%(mentor)s is now proposed as the mentor of %(mentee)s.")
        % {"mentor": mentor.person.full_name, "mentee": proposal.mentee.person.full_name},
    )
    return None, redirect("matching:run_detail", run.pk)
