"""Staff pages for matching: mentees waiting for a mentor, the suggestions for one mentee with a
"Propose" button per mentor, and the program's matching settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from participants.models import Participation
from participants.selectors import get_participation_for_user
from programs.access import current_program, staff_required
from programs.models import Program
from programs.rules import administers_program

from . import scoring
from .features import Candidate, candidates_for_program
from .forms import MatchingSettingsForm, ProposeForm
from .models import OPEN_MATCH_STATUSES, Match
from .selectors import forbidden_pairs, mentors_available_to, open_match_counts
from .services import match_propose, override_needed
from .settings_services import matching_settings_update

S = Participation.Status
SUGGESTION_COUNT = 10


@staff_required
def waiting(request: HttpRequest) -> HttpResponse:
    """Mentees of the current program ready to match and not yet in a proposal, longest wait first."""
    program = current_program(request)
    mentees = Participation.objects.none()
    if program is not None:
        open_match = Match.objects.filter(mentee=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
        mentees = (
            Participation.objects.filter(
                program=program, role=Participation.Role.MENTEE, status=S.READY_TO_MATCH
            )
            .exclude(Exists(open_match))
            .select_related("person", "mentee_profile")
            .order_by("status_changed_at", "pk")
        )
    page = Paginator(mentees, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/waiting.html",
        {
            "program": program,
            "page_obj": page,
            "can_change_settings": program is not None and administers_program(request.user, program),
        },
    )


@dataclass
class Row:
    """One suggested mentor as the page shows it."""

    mentor: Candidate
    score: int
    reasons: list[scoring.Reason]
    override_note: str
    program_name: str
    form: ProposeForm


@dataclass
class Pool:
    """Everything scored for one mentee: loaded once, for the page and for a proposal."""

    program: Program
    weights: scoring.Weights
    mentee: Candidate | None = None
    has_open_match: bool = False
    mentors: list[Candidate] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    suggestions: list[scoring.Suggestion] = field(default_factory=list)


def _pool_for(mentee: Participation) -> Pool:
    """The mentee's suggestions, in a fixed number of queries however many mentors there are:
    open matches, candidates (three), pairs not to match."""
    program = mentee.program
    pool = Pool(program=program, weights=scoring.Weights.from_dict(program.matching_weights))
    taken = open_match_counts(program.organization_id)
    pool.has_open_match = taken[mentee.pk] > 0
    mentees, mentors = candidates_for_program(program, include_shared=True, taken=taken)
    pool.mentee = next((c for c in mentees if c.participation_id == mentee.pk), None)
    pool.mentors = mentors
    if pool.mentee is None or not mentors:
        return pool
    engine_pool = scoring.MentorPool(mentors)
    row = scoring.score_matrix([pool.mentee], engine_pool, pool.weights)[0]
    pool.scores = {mentor.participation_id: float(row[i]) for i, mentor in enumerate(mentors)}
    sharing = {program.pk, *(mentor.program_id for mentor in mentors)} if program.shares_mentors else ()
    pool.suggestions = scoring.suggestions(
        pool.mentee,
        engine_pool,
        weights=pool.weights,
        k=SUGGESTION_COUNT,
        do_not_match=forbidden_pairs(program),
        sharing_program_ids=sharing,
    )
    return pool


def _propose_form(program: Program, mentor_id: int, score: float, data=None) -> ProposeForm:
    return ProposeForm(
        data,
        initial={"mentor": mentor_id},
        override_note=override_needed(program=program, score=score),
        auto_id=f"propose-{mentor_id}-%s",
    )


@staff_required
def suggestions(request: HttpRequest, participation_id: int) -> HttpResponse:
    mentee = get_participation_for_user(request.user, participation_id)
    if mentee.role != Participation.Role.MENTEE or mentee.status != S.READY_TO_MATCH:
        raise Http404
    pool = _pool_for(mentee)
    posted: ProposeForm | None = None
    if request.method == "POST":
        posted, response = _propose(request, mentee, pool)
        if response is not None:
            return response
    program_names = {}
    if any(s.mentor.program_id != pool.program.pk for s in pool.suggestions):
        program_names = dict(
            Program.objects.filter(organization_id=pool.program.organization_id).values_list("pk", "name")
        )
    rows = []
    for suggestion in pool.suggestions:
        mentor_id = suggestion.mentor.participation_id
        form = posted if posted is not None and posted.initial["mentor"] == mentor_id else None
        rows.append(
            Row(
                mentor=suggestion.mentor,
                score=scoring.rounded_score(suggestion.score),
                reasons=suggestion.reasons,
                override_note=override_needed(program=pool.program, score=suggestion.score),
                program_name=program_names.get(suggestion.mentor.program_id, ""),
                form=form or _propose_form(pool.program, mentor_id, suggestion.score),
            )
        )
    posted_elsewhere = posted if posted is not None and not any(row.form is posted for row in rows) else None
    return render(
        request,
        "matching/suggestions.html",
        {
            "mentee": mentee,
            "pool": pool,
            "rows": rows,
            "posted_elsewhere": posted_elsewhere,
        },
    )


def _propose(request: HttpRequest, mentee: Participation, pool: Pool):
    """(the form with its errors, None) when the proposal fails; (None, redirect) when it is made."""
    try:
        mentor_id = int(request.POST.get("mentor", ""))
    except ValueError:
        mentor_id = 0
    candidate = next((c for c in pool.mentors if c.participation_id == mentor_id), None)
    score = pool.scores.get(mentor_id, 0.0)
    form = _propose_form(pool.program, mentor_id, score, data=request.POST)
    if not form.is_valid():
        return form, None
    if candidate is None or pool.mentee is None:
        form.add_error(None, _("This mentor cannot be matched with this mentee now."))
        return form, None
    # The mentor comes from the program's own pool of mentors, never from an id alone.
    mentor = (
        mentors_available_to(pool.program)
        .select_related("person", "program__organization")
        .filter(pk=mentor_id)
        .first()
    )
    if mentor is None:
        form.add_error(None, _("This mentor cannot be matched with this mentee now."))
        return form, None
    try:
        match = match_propose(
            mentee=mentee,
            mentor=mentor,
            score=score,
            breakdown=scoring.explain(pool.mentee, candidate, pool.weights),
            actor=request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
        )
    except ValidationError as error:
        _add_error(form, error)
        return form, None
    messages.success(
        request,
        _("%(mentor)s is proposed as the mentor of %(mentee)s.")
        % {"mentor": mentor.person.full_name, "mentee": mentee.person.full_name},
    )
    return None, redirect("matching:match_detail", match.pk)


def _add_error(form: ProposeForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and not set(error.error_dict) <= set(form.fields):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, error)


@staff_required
def matching_settings(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    if program is not None and not administers_program(request.user, program):
        raise PermissionDenied
    form = None
    if program is not None:
        form = MatchingSettingsForm(request.POST or None, initial=MatchingSettingsForm.initial_for(program))
        if request.method == "POST" and form.is_valid():
            try:
                matching_settings_update(
                    program=program,
                    weights=form.weights(),
                    min_match_score=form.cleaned_data["min_match_score"],
                    shares_mentors=form.cleaned_data["shares_mentors"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Matching settings saved."))
                return redirect("matching:settings")
    return render(request, "matching/settings.html", {"program": program, "form": form})
