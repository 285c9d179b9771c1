"""Reads for the participant portal: only what belongs to the signed-in person.

Every read starts from the user: their people (one record per organization, usually just one),
their participations and the matches they are in. An id in a portal URL that is not theirs gives
404, exactly like an id that does not exist, so that nobody can probe for other people's records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.checkin_services import participant_checkin_date
from matching.models import Agreement, CheckIn, CheckInSchedule, ClosingSurvey, FollowUp, Match
from matching.selectors import MATCH_RELATED
from programs.models import ProgramResource

from .models import (
    CLOSED_STATUSES,
    Participation,
    PartnerSharing,
    Person,
    PersonLanguage,
    ResourceRead,
    Resume,
)
from .pipeline import ACCEPTED_OR_LATER

M = Match.Status
# What the portal shows of matches: the coordinator's proposals and cancelled proposals stay
# with the coordinator (as in `matching.selectors.get_match_for_participant`).
HIDDEN_MATCH_STATUSES = (M.PROPOSED, M.CANCELLED)
CURRENT_MATCH_STATUSES = (M.INTRODUCED, M.ACTIVE)
# A participant reads the program's resources once accepted, and keeps them afterwards.
RESOURCE_STATUSES = ACCEPTED_OR_LATER


# --- People and participations ------------------------------------------------------------------


def portal_people(user) -> QuerySet[Person]:
    if not user.is_authenticated:
        return Person.objects.none()
    return Person.objects.filter(user=user).select_related("organization").order_by("pk")


def get_portal_person(user, person_id: int) -> Person:
    try:
        return portal_people(user).get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404 from None


def portal_participations(user) -> QuerySet[Participation]:
    if not user.is_authenticated:
        return Participation.objects.none()
    return (
        Participation.objects.filter(person__user=user)
        .select_related("person", "program__organization", "mentee_profile", "mentor_profile")
        .order_by("-created_at", "-pk")
    )


def get_portal_participation(user, participation_id: int) -> Participation:
    try:
        return portal_participations(user).get(pk=participation_id)
    except Participation.DoesNotExist:
        raise Http404 from None


def is_editable(participation: Participation) -> bool:
    """A participation that has ended is a record: its details are no longer the person's to change."""
    return participation.status not in CLOSED_STATUSES


def get_portal_resume(user, resume_id: int) -> Resume:
    try:
        return Resume.objects.select_related("person__organization", "participation__program").get(
            pk=resume_id, person__user=user
        )
    except Resume.DoesNotExist:
        raise Http404 from None


def resumes_of(person: Person) -> QuerySet[Resume]:
    return person.resumes.order_by("-uploaded_at", "-id")


def partner_sharing_of(person: Person) -> PartnerSharing:
    """The person's choices, or the defaults when they have not chosen yet (unsaved)."""
    return PartnerSharing.objects.filter(person=person).first() or PartnerSharing(person=person)


# --- Matches ------------------------------------------------------------------------------------


def portal_matches(user) -> QuerySet[Match]:
    """The matches the user is in, on either side, that the portal shows, newest first."""
    if not user.is_authenticated:
        return Match.objects.none()
    return (
        Match.objects.filter(Q(mentee__person__user=user) | Q(mentor__person__user=user))
        .exclude(status__in=HIDDEN_MATCH_STATUSES)
        .select_related(*MATCH_RELATED, "mentee__mentee_profile", "mentor__mentor_profile")
        .order_by("-proposed_at", "-id")
    )


def get_portal_match(user, match_id: int) -> tuple[Match, str]:
    """The match and the user's side in it ("mentee" or "mentor"); any other id gives 404.
    The same matches as `matching.selectors.get_match_for_participant`, with both profiles."""
    match = portal_matches(user).filter(pk=match_id).first()
    if match is None:
        raise Http404
    return match, side_of(match, user)


def side_of(match: Match, user) -> str:
    return "mentee" if match.mentee.person.user_id == user.pk else "mentor"


def partner_of(match: Match, side: str) -> Participation:
    return match.mentor if side == "mentee" else match.mentee


def match_reasons(match: Match) -> list[str]:
    """Why the pair was matched, in the scoring's own words (the criteria that gave points)."""
    return [
        str(item["label"])
        for item in match.breakdown or []
        if isinstance(item, dict) and item.get("label") and (item.get("points") or 0) > 0
    ]


def _profile(participation: Participation):
    if participation.role == Participation.Role.MENTOR:
        return getattr(participation, "mentor_profile", None)
    return getattr(participation, "mentee_profile", None)


def profession_of(participation: Participation) -> str:
    profile = _profile(participation)
    return profile.occupation_title if profile is not None else ""


@dataclass(frozen=True)
class PartnerCard:
    """What the user may see of their match partner, and nothing more.

    Before both have accepted: the first name, the profession and why they were matched.
    While the match is active: the full name, the email address, and the profile details the
    partner chose to share. After the match has ended: the full name and the profession.
    """

    first_name: str
    profession: str
    reasons: list[str]
    full_name: str = ""
    email: str = ""
    phone: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def shows_contact(self) -> bool:
        return bool(self.email)


def partner_card(match: Match, side: str) -> PartnerCard:
    partner = partner_of(match, side)
    person = partner.person
    card = {
        "first_name": person.first_name,
        "profession": profession_of(partner),
        "reasons": match_reasons(match),
    }
    if match.status in (M.COMPLETED, M.CLOSED_EARLY):
        return PartnerCard(**card, full_name=person.full_name)
    if match.status != M.ACTIVE:
        return PartnerCard(**card)
    sharing = partner_sharing_of(person)
    return PartnerCard(
        **card,
        full_name=person.full_name,
        email=person.email,
        phone=person.phone if sharing.phone else "",
        details=shared_details(
            partner,
            _profile(partner),
            sharing,
            list(PersonLanguage.objects.filter(person=person).order_by("language"))
            if sharing.languages
            else [],
        ),
    )


def shared_details(
    participation: Participation, profile, sharing: PartnerSharing, languages: list[PersonLanguage]
) -> list[tuple[str, str]]:
    """What a partner or a fellow circle member sees of a person, under the person's sharing
    choices: place, languages, background, interests; always when and how they can meet."""
    from .public_forms import AVAILABILITY_CHOICES, MEETING_MODE_CHOICES, STYLE_QUESTIONS

    person = participation.person
    details: list[tuple[str, str]] = []

    def add(label, value) -> None:
        if value not in (None, "", []):
            details.append((str(label), str(value)))

    if sharing.location:
        add(_("Lives in"), ", ".join(part for part in (person.city, person.region, person.country) if part))
        add(_("Time zone"), person.time_zone)
    if sharing.languages:
        add(_("Languages"), ", ".join(str(language) for language in languages))
    if sharing.background and profile is not None:
        add(_("Years of experience"), profile.years_experience)
        if participation.role == Participation.Role.MENTOR:
            add(_("Employer"), profile.employer_name)
            add(_("Professional designation"), profile.designation)
        else:
            add(_("Education"), profile.education)
            add(_("Country of credentials"), profile.credential_country)
            add(_("Licensing"), profile.licensing_status)
    if sharing.interests:
        add(_("Interests"), ", ".join(participation.interests or []))
    labels = dict(AVAILABILITY_CHOICES)
    add(_("Can meet"), ", ".join(str(labels.get(value, value)) for value in participation.availability or []))
    modes = dict(MEETING_MODE_CHOICES)
    add(_("Meets by"), ", ".join(str(modes.get(value, value)) for value in participation.meeting_modes or []))
    style = participation.communication_style or {}
    for _name, (key, label, choices) in STYLE_QUESTIONS.items():
        if style.get(key):
            add(label, dict(choices).get(style[key], style[key]))
    return details


def agreement_of_match(match: Match) -> Agreement | None:
    return Agreement.objects.filter(match=match).first()


# --- Resources ----------------------------------------------------------------------------------


def portal_resources(user) -> QuerySet[ProgramResource]:
    """The resources of the programs the user was accepted into, for the role they have there
    ("mentors and mentees", or their own role), in one query."""
    if not user.is_authenticated:
        return ProgramResource.objects.none()
    mine = Participation.objects.filter(
        person__user=user, program=OuterRef("program"), status__in=RESOURCE_STATUSES
    )
    return (
        ProgramResource.objects.filter(
            Q(Exists(mine), audience=ProgramResource.Audience.EVERYONE)
            | Q(Exists(mine.filter(role=OuterRef("audience"))))
        )
        .select_related("program")
        .annotate(is_read=Exists(ResourceRead.objects.filter(person__user=user, resource=OuterRef("pk"))))
        .order_by("program__name", "-is_required", "position", "title")
    )


def get_portal_resource(user, resource_id: int) -> ProgramResource:
    try:
        return portal_resources(user).get(pk=resource_id)
    except ProgramResource.DoesNotExist:
        raise Http404 from None


def person_for_program(people: list[Person], program) -> Person | None:
    """The user's record in the program's organization."""
    return next((person for person in people if person.organization_id == program.organization_id), None)


# --- The onboarding checklist -------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    done: bool
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.items else 100

    @property
    def is_complete(self) -> bool:
        return self.done_count == self.total


GAP_LABELS = {
    "location": gettext_lazy("where you live"),
    "languages": gettext_lazy("the languages you speak"),
    "interests": gettext_lazy("your interests"),
    "availability": gettext_lazy("when you can meet"),
    "meeting_modes": gettext_lazy("how you can meet"),
    "communication_style": gettext_lazy("how you like to work together"),
}


def profile_gaps(person: Person, participations: list[Participation]) -> list[str]:
    """What the person has not told us yet that matching and their partner use. Reads the
    person's prefetched `languages`."""
    gaps = []
    if not (person.city or person.country):
        gaps.append("location")
    if not list(person.languages.all()):
        gaps.append("languages")
    for name in ("interests", "availability", "meeting_modes", "communication_style"):
        if any(not getattr(participation, name) for participation in participations):
            gaps.append(name)
    return gaps


def people_with_languages(user) -> list[Person]:
    return list(
        portal_people(user).prefetch_related(
            Prefetch("languages", queryset=PersonLanguage.objects.order_by("language"))
        )
    )


def onboarding_checklist(
    user, *, people: list[Person], participations: list[Participation], matches: list[Match]
) -> Checklist:
    """The steps a new participant takes, each shown only when it applies:

    - complete the profile (while a participation is open);
    - add a resume (mentees, and anyone who already has one);
    - read the orientation resources the program marked as part of orientation;
    - read and accept the agreement of each active match.
    """
    open_participations = [p for p in participations if is_editable(p)]
    items: list[ChecklistItem] = []
    if open_participations and people:
        gaps = []
        for person in people:
            gaps += profile_gaps(person, [p for p in open_participations if p.person_id == person.pk])
        items.append(
            ChecklistItem(
                key="profile",
                title=_("Complete your profile"),
                done=not gaps,
                url=reverse("portal:profile"),
                detail=_("Still to tell us: %(items)s.")
                % {"items": ", ".join(str(GAP_LABELS[g]) for g in gaps)}
                if gaps
                else "",
            )
        )
    newest_resume = Resume.objects.filter(person__user=user).aggregate(newest=Max("uploaded_at"))["newest"]
    is_mentee = any(p.role == Participation.Role.MENTEE for p in open_participations)
    if people and (is_mentee or newest_resume):
        items.append(
            ChecklistItem(
                key="resume",
                title=_("Add your resume") if newest_resume is None else _("Keep your resume up to date"),
                done=newest_resume is not None,
                url=reverse("portal:resume", args=[people[0].pk]),
            )
        )
    orientation = list(portal_resources(user).filter(is_required=True).values_list("is_read", flat=True))
    if orientation:
        items.append(
            ChecklistItem(
                key="orientation",
                title=_("Read the orientation materials"),
                done=all(orientation),
                url=reverse("portal:resources"),
                detail=_("%(read)s of %(total)s read.")
                % {"read": sum(orientation), "total": len(orientation)},
            )
        )
    active = {match.pk: match for match in matches if match.status == M.ACTIVE}
    if active:
        for agreement in Agreement.objects.filter(match__in=list(active)).order_by("match_id"):
            match = active[agreement.match_id]
            side = side_of(match, user)
            items.append(
                ChecklistItem(
                    key=f"agreement-{match.pk}",
                    title=_("Read and accept your mentorship agreement with %(name)s")
                    % {"name": partner_of(match, side).person.first_name},
                    done=agreement.acknowledged_at(side) is not None,
                    url=reverse("portal:agreement", args=[match.pk]),
                )
            )
    return Checklist(items=items)


# --- Surveys and check-ins ----------------------------------------------------------------------

ENDED_MATCH_STATUSES = (M.COMPLETED, M.CLOSED_EARLY)
OPEN_FOLLOW_UP_STATUSES = (FollowUp.Status.DUE, FollowUp.Status.NO_ANSWER)


@dataclass(frozen=True)
class SurveyItem:
    """Something the program asks the person: a check-in, a closing survey or a follow-up."""

    key: str
    kind: str  # "checkin", "closing" or "follow_up"
    title: str
    url: str
    done: bool
    on: datetime.date | None = None  # when it became due, or when it was answered
    detail: str = ""


def _closing_survey_of(side: str, field_name: str) -> Subquery:
    return Subquery(ClosingSurvey.objects.filter(match=OuterRef("pk"), side=side).values(field_name)[:1])


def _portal_answer_of(side: str) -> Subquery:
    rows = CheckIn.objects.filter(match=OuterRef("pk"), answered_by_side=side).order_by("-due_on")
    return Subquery(rows.values("due_on")[:1])


def survey_matches(user) -> QuerySet[Match]:
    """The user's active and ended matches, each with both sides' closing surveys and portal
    check-in answers as annotations, in one query."""
    return (
        portal_matches(user)
        .filter(status__in=(M.ACTIVE, *ENDED_MATCH_STATUSES))
        .select_related("program__checkin_schedule")
        .annotate(
            mentee_survey_at=_closing_survey_of("mentee", "submitted_at"),
            mentee_survey_by_coordinator=_closing_survey_of("mentee", "by_coordinator"),
            mentor_survey_at=_closing_survey_of("mentor", "submitted_at"),
            mentor_survey_by_coordinator=_closing_survey_of("mentor", "by_coordinator"),
            mentee_answered_on=_portal_answer_of("mentee"),
            mentor_answered_on=_portal_answer_of("mentor"),
        )
    )


def portal_follow_ups(user) -> QuerySet[FollowUp]:
    """The employment follow-ups of the matches the user was the mentee of: the follow-up is
    about the mentee's work, so a mentor never sees it."""
    if not user.is_authenticated:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        match__mentee__person__user=user, match__status__in=ENDED_MATCH_STATUSES
    ).select_related("match__program", "match__mentee__person", "match__mentor__person")


def get_portal_follow_up(user, follow_up_id: int) -> FollowUp:
    follow_up = portal_follow_ups(user).filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    return follow_up


def _date_of(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def portal_surveys(user, today: datetime.date) -> list[SurveyItem]:
    """What the program asks the user, in two queries at most (matches, follow-ups): the things still
    to answer first, the oldest on top, then those answered, the newest on top.

    - A check-in for each active match, once its first check-in date has come: one answer per
      date of the program's schedule (`checkin_services.participant_checkin_date`).
    - The closing survey of each ended match, until the user's side has one (answered in the
      portal or recorded by a coordinator).
    - The mentee's employment follow-ups, once due.
    """
    items: list[SurveyItem] = []
    was_mentee_of_ended = False
    for match in survey_matches(user):
        side = side_of(match, user)
        partner = partner_of(match, side).person.first_name
        if match.status == M.ACTIVE:
            due_on = participant_checkin_date(
                match, today=today, schedule=CheckInSchedule.for_program(match.program)
            )
            if due_on is None:
                continue
            answered = getattr(match, f"{side}_answered_on") == due_on
            items.append(
                SurveyItem(
                    key=f"checkin-{match.pk}",
                    kind="checkin",
                    title=_("Check-in: how is it going with %(name)s?") % {"name": partner},
                    url=reverse("portal:checkin", args=[match.pk]),
                    done=answered,
                    on=due_on,
                    detail=_("Answered. Thank you!") if answered else "",
                )
            )
            continue
        was_mentee_of_ended = was_mentee_of_ended or side == "mentee"
        answered_at = getattr(match, f"{side}_survey_at")
        by_coordinator = getattr(match, f"{side}_survey_by_coordinator")
        items.append(
            SurveyItem(
                key=f"closing-{match.pk}",
                kind="closing",
                title=_("Closing survey: your mentoring with %(name)s") % {"name": partner},
                url=reverse("portal:closing_survey", args=[match.pk]),
                done=answered_at is not None,
                on=_date_of(answered_at) or match.ended_on,
                detail=(
                    _("Your coordinator recorded your answers.")
                    if by_coordinator
                    else _("You answered. Thank you!")
                )
                if answered_at is not None
                else "",
            )
        )
    # Follow-ups are the mentee's, after the end: no need to ask when there is no such match.
    follow_ups = portal_follow_ups(user).filter(due_on__lte=today) if was_mentee_of_ended else []
    for follow_up in follow_ups:
        done = follow_up.status == FollowUp.Status.DONE
        if done:
            detail = (
                _("You answered. Thank you!")
                if follow_up.recorded_by_id == user.pk
                else _("Your coordinator recorded your answers.")
            )
        else:
            detail = ""
        items.append(
            SurveyItem(
                key=f"follow-up-{follow_up.pk}",
                kind="follow_up",
                title=_("%(months)s months after your mentoring with %(name)s: where are you with work?")
                % {"months": follow_up.months_after, "name": follow_up.match.mentor.person.first_name},
                url=reverse("portal:follow_up", args=[follow_up.pk]),
                done=done,
                on=_date_of(follow_up.recorded_at) if done else follow_up.due_on,
                detail=detail,
            )
        )
    to_do = sorted((item for item in items if not item.done), key=lambda item: (item.on, item.key))
    answered = sorted(
        (item for item in items if item.done), key=lambda item: (item.on, item.key), reverse=True
    )
    return to_do + answered
