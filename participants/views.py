"""Staff pages about people: the participant list and the person page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from matching.hours import mentoring_years, year_of_mentoring
from programs.access import staff_required
from programs.intake_questions import QUESTIONS_BY_KEY
from programs.selectors import programs_visible_to

from . import pipeline
from .filters import ParticipationFilter
from .intake_forms import NoteForm
from .models import Interview, MenteeProfile, MentorProfile, Participation, Person, PersonLanguage, Referral
from .selectors import (
    decline_message_sent_at,
    get_person_for_user,
    participations_visible_to,
    person_timeline,
    possible_duplicates,
    requested_mentor_matches,
)
from .tables import ParticipationTable, role_profile

S = Participation.Status


@staff_required
def participant_list(request: HttpRequest) -> HttpResponse:
    programs = programs_visible_to(request.user).order_by("name")
    filterset = ParticipationFilter(
        request.GET or None,
        queryset=participations_visible_to(request.user).order_by("person__last_name", "person__first_name"),
        programs=programs,
    )
    table = ParticipationTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    template = (
        "participants/_participant_table.html" if request.htmx else "participants/participant_list.html"
    )
    return render(request, template, {"filter": filterset, "table": table})


@staff_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for_user(request.user, person_id)
    return _person_page(request, person)


@require_POST
@staff_required
def note_add(request: HttpRequest, person_id: int) -> HttpResponse:
    """An internal note; an invalid one comes back on the person page with what was typed."""
    person = get_person_for_user(request.user, person_id)
    form = NoteForm(request.POST, programs=_note_programs(request.user, person))
    if form.is_valid():
        try:
            pipeline.person_note_add(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Note added to the timeline."))
            return redirect(person.get_absolute_url())
    return _person_page(request, person, note_form=form)


def _note_programs(user, person: Person):
    """Programs a note about the person can belong to: theirs that the user works in."""
    return programs_visible_to(user).filter(participations__person=person).distinct().order_by("name")


# --- The person page ------------------------------------------------------------------------


@dataclass
class Action:
    label: str
    url: str
    post: bool = False
    style: str = "btn-outline-primary"
    reason: str = ""


@dataclass
class ParticipationCard:
    participation: Participation
    profile: MenteeProfile | MentorProfile | None
    profile_rows: list[tuple[str, str]]
    answers: list[tuple[str, str]]
    actions: list[Action]
    suggested: Action | None = None
    decline_sent_at: Any = None
    requested: list[Participation] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)


def _person_page(request: HttpRequest, person: Person, *, note_form: NoteForm | None = None) -> HttpResponse:
    visible_programs = programs_visible_to(request.user)
    participations = list(
        person.participations.filter(program__in=visible_programs)
        .select_related(
            "program__organization",
            "mentee_profile__occupation",
            "mentor_profile__occupation",
            "application",
            "source_partner",
            "cohort",
        )
        .prefetch_related(
            Prefetch("interviews", queryset=Interview.objects.select_related("interviewer")),
            Prefetch("referrals", queryset=Referral.objects.select_related("partner")),
        )
        .order_by("-created_at")
    )
    cards = [_card(participation, visible_programs) for participation in participations]
    in_my_programs = Q(participation__isnull=True) | Q(participation__program__in=visible_programs)
    resumes = list(person.resumes.filter(in_my_programs).select_related("uploaded_by"))
    consents = list(person.consents.filter(in_my_programs).select_related("privacy_notice"))
    related = [
        *participations,
        *[i for card in cards for i in card.interviews],
        *[r for card in cards for r in card.referrals],
        *[p.application for p in participations if _application(p)],
        *resumes,
        *consents,
    ]
    timeline = person_timeline(person, related=related, visible_programs=visible_programs)
    for entry in timeline:
        entry.detail = _entry_detail(entry)
    if note_form is None:
        note_form = NoteForm(programs=_note_programs(request.user, person))
    return render(
        request,
        "participants/person_detail.html",
        {
            "person": person,
            "participations": participations,
            "cards": cards,
            "languages": list(person.languages.all()),
            "resumes": resumes,
            "consents": consents,
            "duplicates": list(possible_duplicates(person, request.user)),
            "note_form": note_form,
            "timeline": timeline,
            "mentoring": _mentoring_hours(person, participations, visible_programs),
        },
    )


def _mentoring_hours(person: Person, participations: list[Participation], visible_programs) -> list:
    """A mentor's hours for each of the last five years they mentored, with a certificate each."""
    if not any(p.role == Participation.Role.MENTOR for p in participations):
        return []
    years = mentoring_years(person, visible_programs)[:5]
    return [year_of_mentoring(person, year, visible_programs) for year in years]


def _application(participation: Participation):
    return getattr(participation, "application", None)


def _card(participation: Participation, visible_programs) -> ParticipationCard:
    interviews = list(participation.interviews.all())
    application = _application(participation)
    card = ParticipationCard(
        participation=participation,
        profile=role_profile(participation),
        profile_rows=_profile_rows(participation),
        answers=readable_answers(application.answers, role=participation.role) if application else [],
        actions=_actions(participation),
        requested=requested_mentor_matches(participation, visible_programs=visible_programs),
        interviews=interviews,
        referrals=list(participation.referrals.all()),
    )
    if participation.status == S.INTERVIEWED:
        card.suggested = _suggested_step(participation, interviews)
        if card.suggested is not None:
            card.actions = [a for a in card.actions if a.url != card.suggested.url]
    if participation.status == S.DECLINED:
        card.decline_sent_at = decline_message_sent_at(participation)
    return card


def _actions(participation: Participation) -> list[Action]:
    """A button for each status the application may move to from here."""
    pk = participation.pk
    offered = {
        S.SCREENING: Action(
            _("Move to screening"), reverse("intake:step", args=[pk, S.SCREENING]), post=True
        ),
        S.INTERVIEW_SCHEDULED: Action(
            _("Schedule an interview"), reverse("intake:interview_schedule", args=[pk]), style="btn-primary"
        ),
        S.ACCEPTED: Action(_("Accept"), reverse("intake:accept", args=[pk]), post=True, style="btn-success"),
        S.ORIENTATION_DONE: Action(
            _("Orientation done"), reverse("intake:step", args=[pk, S.ORIENTATION_DONE]), post=True
        ),
        S.READY_TO_MATCH: Action(
            _("Ready to match"), reverse("intake:step", args=[pk, S.READY_TO_MATCH]), post=True
        ),
        S.WAITLISTED: Action(_("Put on the waitlist"), reverse("intake:waitlist", args=[pk])),
        S.REFERRED: Action(_("Refer to a partner"), reverse("intake:refer", args=[pk])),
        S.DECLINED: Action(_("Decline"), reverse("intake:decline", args=[pk]), style="btn-outline-danger"),
        S.WITHDRAWN: Action(
            _("Record a withdrawal"), reverse("intake:withdraw", args=[pk]), style="btn-outline-secondary"
        ),
    }
    actions = []
    for status in pipeline.next_statuses(participation):
        # Back to screening from a booked interview means cancelling it, on the interview itself.
        if status == S.SCREENING and participation.status == S.INTERVIEW_SCHEDULED:
            continue
        if status in offered:
            actions.append(offered[status])
    return actions


def _suggested_step(participation: Participation, interviews: list[Interview]) -> Action | None:
    """The next step the interviewer recommended, to take in one click."""
    recorded = [i for i in interviews if i.status == Interview.Status.COMPLETED and i.outcome]
    if not recorded:
        return None
    latest = max(recorded, key=lambda i: i.scheduled_at)
    reason = _("Recommended at the interview of %(date)s.") % {"date": latest.scheduled_at.date().isoformat()}
    pk = participation.pk
    outcome = Interview.Outcome
    return {
        outcome.ACCEPT: Action(
            _("Accept"), reverse("intake:accept", args=[pk]), post=True, style="btn-success", reason=reason
        ),
        outcome.WAITLIST: Action(
            _("Put on the waitlist"), reverse("intake:waitlist", args=[pk]), post=True, reason=reason
        ),
        outcome.REFER: Action(_("Refer to a partner"), reverse("intake:refer", args=[pk])),
        outcome.DECLINE: Action(_("Decline"), reverse("intake:decline", args=[pk]), style="btn-danger"),
    }.get(latest.outcome)


def _profile_rows(participation: Participation) -> list[tuple[str, str]]:
    profile = role_profile(participation)
    if profile is None:
        return []
    names = (
        [
            "occupation",
            "occupation_title",
            "years_experience",
            "education",
            "credential_country",
            "credential_assessment",
            "regulated_profession",
            "licensing_status",
            "arrived_on",
            "language_clb",
            "employment",
            "requested_mentor_name",
            "requested_mentor_email",
            "wants_same_gender_mentor",
        ]
        if isinstance(profile, MenteeProfile)
        else [
            "occupation",
            "occupation_title",
            "employer_name",
            "designation",
            "years_experience",
            "is_retired",
            "max_mentees",
            "open_to_group",
            "open_to_remote",
        ]
    )
    rows = []
    for name in names:
        model_field = profile._meta.get_field(name)
        display = getattr(profile, f"get_{name}_display", None)
        value = display() if display else getattr(profile, name)
        rows.append((capfirst(model_field.verbose_name), _answer_text(value)))
    if isinstance(profile, MenteeProfile) and profile.goals:
        labels = dict(MenteeProfile.Goal.choices)
        rows.append((_("Goals"), ", ".join(str(labels.get(g, g)) for g in profile.goals)))
    return rows


def readable_answers(answers: dict, *, role: str) -> list[tuple[str, str]]:
    """The application as submitted, each answer under a readable label, coded answers spelt out."""
    profile_model = MenteeProfile if role == Participation.Role.MENTEE else MentorProfile
    rows = []
    for key, value in (answers or {}).items():
        label, choices = _answer_field(key, profile_model)
        if choices:
            value = (
                [choices.get(v, v) for v in value] if isinstance(value, list) else choices.get(value, value)
            )
        rows.append((label, _answer_text(value)))
    return rows


# Answers kept as lists of codes, without choices on their model field.
_LIST_CHOICES = {"goals": dict(MenteeProfile.Goal.choices)}


def _answer_field(key: str, profile_model) -> tuple[str, dict]:
    """The label of an answer, from the field it fills, and its choices when it has some."""
    for model in (Person, profile_model, Participation):
        try:
            model_field = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if not model_field.concrete:
            continue
        choices = dict(model_field.choices) if model_field.choices else _LIST_CHOICES.get(key, {})
        return capfirst(model_field.verbose_name), choices
    if key in QUESTIONS_BY_KEY:
        return str(QUESTIONS_BY_KEY[key].label), {}
    return capfirst(key.replace("_", " ")), {}


def _answer_text(value) -> str:
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict):
        if "language" in value:
            proficiency = dict(PersonLanguage.Proficiency.choices).get(value.get("proficiency"), "")
            return f"{value.get('language')} ({proficiency})" if proficiency else str(value.get("language"))
        return "; ".join(f"{k.replace('_', ' ')}: {_answer_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_answer_text(item) for item in value)
    return str(value)


def _entry_detail(entry) -> str:
    """What a timeline line adds to its verb: the note, the move, the partner."""
    data = entry.data or {}
    if entry.verb == "note.added":
        return data.get("text", "")
    parts = []
    if "from" in data and "to" in data and data["from"] in S.values and data["to"] in S.values:
        parts.append(f"{S(data['from']).label} → {S(data['to']).label}")
    if data.get("position"):
        parts.append(_("position %(position)s") % {"position": data["position"]})
    if data.get("partner"):
        parts.append(" · ".join(filter(None, [data["partner"], data.get("service", "")])))
    if data.get("outcome") and entry.verb == "interview.recorded":
        parts.append(str(Interview.Outcome(data["outcome"]).label))
    if data.get("outcome") and entry.verb == "referral.outcome_recorded":
        parts.append(str(Referral.Outcome(data["outcome"]).label))
    if data.get("email") and entry.verb == "participation.invited":
        parts.append(data["email"])
    if data.get("reason") and entry.verb == "interview.cancelled":
        parts.append(data["reason"])
    return " · ".join(parts)
