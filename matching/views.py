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

from mentorship.forms import add_service_error
from participants.models import Participation
from participants.selectors import get_participation_for_user, requested_mentor_matches
from programs.access import current_program, staff_required
from programs.charts import grouped_bar_chart
from programs.models import Program
from programs.rules import administers_program
from programs.selectors import get_program_for_user, programs_visible_to

from . import scoring
from .features import Candidate, candidates_for_program
from .forms import MatchingSettingsForm, ProposeForm
from .models import OPEN_MATCH_STATUSES, Match
from .selectors import forbidden_pairs, mentors_available_to, open_match_counts
from .services import match_propose, override_needed
from .settings_services import matching_settings_update
from .soft_rules import soft_rules_broken
from .supply import supply_and_demand

S = Participation.Status
SUGGESTION_COUNT = 10
SEARCH_RESULTS = 10


@staff_required
def waiting(request: HttpRequest) -> HttpResponse:
    """Mentees of the current program ready to match and not yet in a proposal, longest wait first."""
    program = current_program(request)
    mentees = Participation.objects.none()
    if program is not None:
        open_match = Match.objects.filter(mentee=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
        # The mentor the mentee asked for has been accepted and can be matched now.
        requested_ready = mentors_available_to(program).filter(
            person__email__iexact=OuterRef("mentee_profile__requested_mentor_email")
        )
        mentees = (
            Participation.objects.filter(
                program=program, role=Participation.Role.MENTEE, status=S.READY_TO_MATCH
            )
            .exclude(Exists(open_match))
            .annotate(requested_mentor_ready=Exists(requested_ready))
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
    """One mentor as the page shows them: suggested, found by a search, or asked for."""

    mentor: Candidate
    score: int
    reasons: list[scoring.Reason]
    override_note: str
    program_name: str
    form: ProposeForm | None
    requested: bool = False
    refusal: str = ""


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
    forbidden: set[tuple[int, int]] = field(default_factory=set)
    requested_ids: set[int] = field(default_factory=set)

    def candidate(self, mentor_id: int) -> Candidate | None:
        return next((c for c in self.mentors if c.participation_id == mentor_id), None)

    def refusal(self, mentor: Candidate) -> str:
        """Why the coordinator cannot propose this mentor now, or ""."""
        pair = (self.mentee.participation_id if self.mentee else 0, mentor.participation_id)
        if pair in self.forbidden:
            return _("Marked not to be matched with this mentee.")
        if mentor.capacity <= 0:
            return _("No room for another mentee.")
        if mentor.program_id != self.program.pk and not self.program.shares_mentors:
            return _("A mentor of another program; this program does not share mentors.")
        return ""

    def override_note(self, mentor: Candidate) -> str:
        assert self.mentee is not None
        return override_needed(
            program=self.program,
            score=self.scores.get(mentor.participation_id, 0.0),
            soft_rules_broken=soft_rules_broken(self.mentee, mentor),
        )


def _pool_for(mentee: Participation) -> Pool:
    """The mentee's suggestions, in a fixed number of queries however many mentors there are:
    open matches, candidates (three), pairs not to match, the mentor the mentee asked for."""
    program = mentee.program
    pool = Pool(program=program, weights=scoring.Weights.from_dict(program.matching_weights))
    taken = open_match_counts(program.organization_id)
    pool.has_open_match = taken[mentee.pk] > 0
    mentees, mentors = candidates_for_program(program, include_shared=True, taken=taken)
    pool.mentee = next((c for c in mentees if c.participation_id == mentee.pk), None)
    pool.mentors = mentors
    if pool.mentee is None or not mentors:
        return pool
    pool.forbidden = forbidden_pairs(program)
    pool.requested_ids = {mentor.pk for mentor in requested_mentor_matches(mentee)}
    engine_pool = scoring.MentorPool(mentors)
    row = scoring.score_matrix([pool.mentee], engine_pool, pool.weights)[0]
    pool.scores = {mentor.participation_id: float(row[i]) for i, mentor in enumerate(mentors)}
    sharing = {program.pk, *(mentor.program_id for mentor in mentors)} if program.shares_mentors else ()
    pool.suggestions = scoring.suggestions(
        pool.mentee,
        engine_pool,
        weights=pool.weights,
        k=SUGGESTION_COUNT,
        do_not_match=pool.forbidden,
        sharing_program_ids=sharing,
    )
    return pool


def _propose_form(mentor_id: int, override_note: str, data=None) -> ProposeForm:
    return ProposeForm(
        data,
        initial={"mentor": mentor_id},
        override_note=override_note,
        auto_id=f"propose-{mentor_id}-%s",
    )


def _row(pool: Pool, mentor: Candidate, posted: ProposeForm | None, program_names: dict[int, str]) -> Row:
    mentor_id = mentor.participation_id
    score = pool.scores.get(mentor_id, 0.0)
    note = pool.override_note(mentor)
    refusal = pool.refusal(mentor)
    form = None
    if not refusal:
        form = posted if posted is not None and posted.initial["mentor"] == mentor_id else None
        form = form or _propose_form(mentor_id, note)
    return Row(
        mentor=mentor,
        score=scoring.rounded_score(score),
        reasons=scoring.explain(pool.mentee, mentor, pool.weights),
        override_note=note,
        program_name=program_names.get(mentor.program_id, ""),
        form=form,
        requested=mentor_id in pool.requested_ids,
        refusal=refusal,
    )


def _search(pool: Pool, query: str, *, shown: set[int]) -> list[Candidate]:
    """Mentors not `shown` yet whose name or profession contains every word typed, best first."""
    words = query.lower().split()
    if not words or pool.mentee is None:
        return []

    def matches(mentor: Candidate) -> bool:
        text = " ".join([mentor.name, *(title for _code, title in mentor.occupation_path)]).lower()
        return all(word in text for word in words)

    found = [m for m in pool.mentors if m.participation_id not in shown and matches(m)]
    found.sort(key=lambda mentor: -pool.scores.get(mentor.participation_id, 0.0))
    return found[:SEARCH_RESULTS]


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
    if any(mentor.program_id != pool.program.pk for mentor in pool.mentors):
        program_names = dict(
            Program.objects.filter(organization_id=pool.program.organization_id).values_list("pk", "name")
        )
    suggested = [suggestion.mentor for suggestion in pool.suggestions]
    # The mentor the mentee asked for is always in view, even when the scores rank them lower.
    requested = [
        mentor
        for mentor in pool.mentors
        if mentor.participation_id in pool.requested_ids and mentor not in suggested
    ]
    rows = [_row(pool, mentor, posted, program_names) for mentor in requested + suggested]
    query = request.GET.get("q", "").strip()[:100]
    shown = {row.mentor.participation_id for row in rows}
    found = [_row(pool, mentor, posted, program_names) for mentor in _search(pool, query, shown=shown)]
    shown |= {row.mentor.participation_id for row in found}
    # A proposal posted from a search result reappears with its errors among the results.
    if posted is not None and posted.initial["mentor"] not in shown:
        candidate = pool.candidate(posted.initial["mentor"])
        if candidate is not None and pool.mentee is not None:
            found.insert(0, _row(pool, candidate, posted, program_names))
            shown.add(candidate.participation_id)
    posted_elsewhere = posted if posted is not None and posted.initial["mentor"] not in shown else None
    return render(
        request,
        "matching/suggestions.html",
        {
            "mentee": mentee,
            "pool": pool,
            "rows": rows,
            "found": found,
            "query": query,
            "posted_elsewhere": posted_elsewhere,
        },
    )


def _propose(request: HttpRequest, mentee: Participation, pool: Pool):
    """(the form with its errors, None) when the proposal fails; (None, redirect) when it is made."""
    try:
        mentor_id = int(request.POST.get("mentor", ""))
    except ValueError:
        mentor_id = 0
    candidate = pool.candidate(mentor_id)
    note = pool.override_note(candidate) if candidate is not None and pool.mentee is not None else ""
    form = _propose_form(mentor_id, note, data=request.POST)
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
            score=pool.scores.get(mentor_id, 0.0),
            breakdown=scoring.explain(pool.mentee, candidate, pool.weights),
            actor=request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
            soft_rules_broken=soft_rules_broken(pool.mentee, candidate),
        )
    except ValidationError as error:
        add_service_error(form, error)
        return form, None
    messages.success(
        request,
        _("%(mentor)s is proposed as the mentor of %(mentee)s.")
        % {"mentor": mentor.person.full_name, "mentee": mentee.person.full_name},
    )
    return None, redirect("matching:match_detail", match.pk)


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


@staff_required
def supply(request: HttpRequest) -> HttpResponse:
    """Waiting mentees against free mentor places, for every program the coordinator works in
    or for one of them."""
    visible = programs_visible_to(request.user).order_by("name")
    chosen = None
    if request.GET.get("program"):
        chosen = get_program_for_user(request.user, request.GET["program"])
    figures = supply_and_demand([chosen] if chosen is not None else visible)
    series = [(_("Mentees waiting"), "mentee"), (_("Free mentor places"), "mentor")]
    charts = [
        grouped_bar_chart(
            title=title, series=series, rows=[(line.label, [line.waiting, line.places]) for line in lines]
        )
        for title, lines in (
            (_("By profession (NOC broad category)"), figures.by_category),
            (_("By region"), figures.by_region),
        )
    ]
    return render(
        request,
        "matching/supply.html",
        {"figures": figures, "charts": charts, "programs": visible, "chosen": chosen},
    )
