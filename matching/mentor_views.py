"""The mentor's side of suggestions: the waiting mentees who fit a mentor best, each with the
score's breakdown and a "Propose" button. Coordinators open it when a mentor joins or has room
again, to find them a mentee rather than wait for a mentee's page to suggest them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentorship.forms import add_service_error
from participants.models import Participation
from participants.selectors import get_participation_for_user
from programs.access import staff_required
from programs.models import Program

from . import scoring
from .features import Candidate, candidates_for_program
from .forms import ProposeMenteeForm
from .selectors import forbidden_pairs, open_match_counts
from .services import MENTOR_MATCHABLE, match_propose, override_needed
from .soft_rules import soft_rules_broken
from .views import SUGGESTION_COUNT

S = Participation.Status


@dataclass
class MenteeRow:
    mentee: Candidate
    program: Program
    score: int
    reasons: list[scoring.Reason]
    override_note: str
    form: ProposeMenteeForm


@dataclass
class MentorPool:
    """The mentor as the engine sees them and every mentee who could take them now."""

    mentor: Candidate | None = None
    mentees: list[tuple[Candidate, Program]] = field(default_factory=list)
    scores: dict[int, float] = field(default_factory=dict)
    weights: dict[int, scoring.Weights] = field(default_factory=dict)

    def entry(self, mentee_id: int) -> tuple[Candidate, Program] | None:
        return next((item for item in self.mentees if item[0].participation_id == mentee_id), None)


def _programs_lending_to(mentor: Participation) -> list[Program]:
    """The mentor's program, and the organization's other programs when both share mentors."""
    program = mentor.program
    if not program.shares_mentors:
        return [program]
    sharing = Program.objects.filter(organization_id=program.organization_id, shares_mentors=True)
    return [program, *sharing.exclude(pk=program.pk).order_by("name")]


def _pool_for_mentor(mentor: Participation) -> MentorPool:
    """Queries grow with the organization's programs that share mentors (a handful), never with
    the number of mentees or mentors."""
    pool = MentorPool()
    taken = open_match_counts(mentor.program.organization_id)
    for program in _programs_lending_to(mentor):
        mentees, mentors = candidates_for_program(program, taken=taken)
        if program.pk == mentor.program_id:
            pool.mentor = next((c for c in mentors if c.participation_id == mentor.pk), None)
            if pool.mentor is None:
                return pool
        forbidden = forbidden_pairs(program)
        weights = scoring.Weights.from_dict(program.matching_weights)
        free = [
            mentee
            for mentee in mentees
            if taken[mentee.participation_id] == 0 and (mentee.participation_id, mentor.pk) not in forbidden
        ]
        if not free:
            continue
        column = scoring.score_matrix(free, scoring.MentorPool([pool.mentor]), weights)[:, 0]
        for mentee, score in zip(free, column.tolist(), strict=True):
            pool.mentees.append((mentee, program))
            pool.scores[mentee.participation_id] = score
            pool.weights[mentee.participation_id] = weights
    return pool


def _note(pool: MentorPool, mentee: Candidate, program: Program) -> str:
    return override_needed(
        program=program,
        score=pool.scores[mentee.participation_id],
        soft_rules_broken=soft_rules_broken(mentee, pool.mentor),
    )


def _form(mentee_id: int, note: str, data=None) -> ProposeMenteeForm:
    return ProposeMenteeForm(
        data, initial={"mentee": mentee_id}, override_note=note, auto_id=f"propose-{mentee_id}-%s"
    )


@staff_required
def mentor_suggestions(request: HttpRequest, participation_id: int) -> HttpResponse:
    mentor = get_participation_for_user(request.user, participation_id)
    if mentor.role != Participation.Role.MENTOR or mentor.status not in MENTOR_MATCHABLE:
        raise Http404
    pool = _pool_for_mentor(mentor)
    posted: ProposeMenteeForm | None = None
    if request.method == "POST" and pool.mentor is not None:
        posted, response = _propose(request, mentor, pool)
        if response is not None:
            return response
    best = sorted(pool.mentees, key=lambda item: -pool.scores[item[0].participation_id])[:SUGGESTION_COUNT]
    rows = []
    for mentee, program in best:
        note = _note(pool, mentee, program)
        form = posted if posted is not None and posted.initial["mentee"] == mentee.participation_id else None
        rows.append(
            MenteeRow(
                mentee=mentee,
                program=program,
                score=scoring.rounded_score(pool.scores[mentee.participation_id]),
                reasons=scoring.explain(mentee, pool.mentor, pool.weights[mentee.participation_id]),
                override_note=note,
                form=form or _form(mentee.participation_id, note),
            )
        )
    shown = {row.mentee.participation_id for row in rows}
    posted_elsewhere = posted if posted is not None and posted.initial["mentee"] not in shown else None
    return render(
        request,
        "matching/mentor_suggestions.html",
        {"mentor": mentor, "pool": pool, "rows": rows, "posted_elsewhere": posted_elsewhere},
    )


def _propose(request: HttpRequest, mentor: Participation, pool: MentorPool):
    try:
        mentee_id = int(request.POST.get("mentee", ""))
    except ValueError:
        mentee_id = 0
    entry = pool.entry(mentee_id)
    note = _note(pool, *entry) if entry is not None else ""
    form = _form(mentee_id, note, data=request.POST)
    if not form.is_valid():
        return form, None
    if entry is None:
        form.add_error(None, _("This mentee cannot be matched with this mentor now."))
        return form, None
    candidate, program = entry
    # The mentee comes from a program this mentor may serve, never from an id alone.
    mentee = (
        Participation.objects.select_related("person", "program__organization", "mentee_profile")
        .filter(program=program, role=Participation.Role.MENTEE, status=S.READY_TO_MATCH, pk=mentee_id)
        .first()
    )
    if mentee is None:
        form.add_error(None, _("This mentee cannot be matched with this mentor now."))
        return form, None
    try:
        match = match_propose(
            mentee=mentee,
            mentor=mentor,
            score=pool.scores[mentee_id],
            breakdown=scoring.explain(candidate, pool.mentor, pool.weights[mentee_id]),
            actor=request.user,
            override_reason=form.cleaned_data.get("override_reason", ""),
            soft_rules_broken=soft_rules_broken(candidate, pool.mentor),
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
