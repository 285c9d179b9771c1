"""What erasing a person does to each model that holds rows about them: one rule per model
(`RULES`), with the rows it concerns and what happens to them. `erasure.person_erase` applies
them; a test checks that every model linked to a person has a rule. The reasons for each choice
are in `erasure`'s docstring."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.models import CircleMembership, GoalCategory, Match
from programs.models import FunderMembership, StaffMembership

from .models import Interview, Participation, Person

ERASED_EMAIL_DOMAIN = "erased.invalid"


def erased_email(person: Person) -> str:
    return f"deleted-{person.pk}@{ERASED_EMAIL_DOMAIN}"


def erased_name(person: Person) -> tuple[str, str]:
    return _("Deleted person"), f"#{person.pk}"


# --- What the erasure works on --------------------------------------------------------------------


@dataclass
class Erasure:
    """The person and the ids of their rows, read before anything changes."""

    person: Person
    actor: Any
    participation_ids: list[int]
    match_sides: dict[int, str]
    membership_ids: list[int]
    circle_ids: list[int]
    interview_ids: list[int]
    # Replaced in the whole organization's log; the shorter ones only in records tied to the person.
    needles: list[str]
    near_needles: list[str]
    placeholder: str
    now: Any = field(default_factory=timezone.now)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def match_ids(self) -> list[int]:
        return list(self.match_sides)


def erasure_of(person: Person, actor) -> Erasure:
    matches = Match.objects.filter(Q(mentee__person=person) | Q(mentor__person=person)).values_list(
        "pk", "mentee__person_id"
    )
    memberships = list(
        CircleMembership.objects.filter(participation__person=person).values_list("pk", "circle_id")
    )
    user_email = person.user.email if person.user_id else ""
    needles = [n for n in {person.full_name, person.email, user_email} if len(n.strip()) >= 3]
    near = [n for n in {person.first_name, person.last_name, person.phone} if len(n.strip()) >= 2]
    first, last = erased_name(person)
    return Erasure(
        person=person,
        actor=actor,
        participation_ids=list(person.participations.values_list("pk", flat=True)),
        match_sides={pk: "mentee" if mentee == person.pk else "mentor" for pk, mentee in matches},
        membership_ids=[pk for pk, _circle in memberships],
        circle_ids=sorted({circle for _pk, circle in memberships}),
        interview_ids=list(
            Interview.objects.filter(participation__person=person).values_list("pk", flat=True)
        ),
        needles=sorted(needles, key=len, reverse=True),
        near_needles=sorted(needles + near, key=len, reverse=True),
        placeholder=f"{first} {last}",
    )


def replace_names(text: str, needles: Iterable[str], placeholder: str) -> str:
    for needle in needles:
        text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", placeholder, text, flags=re.IGNORECASE)
    return text


def replace_names_in(value: Any, needles: list[str], placeholder: str) -> Any:
    if isinstance(value, str):
        return replace_names(value, needles, placeholder)
    if isinstance(value, list):
        return [replace_names_in(item, needles, placeholder) for item in value]
    if isinstance(value, dict):
        return {key: replace_names_in(item, needles, placeholder) for key, item in value.items()}
    return value


# --- The rules: one per model that holds rows about a person ---------------------------------------


@dataclass(frozen=True)
class Rule:
    model_label: str
    what: Promise
    rows: Callable[[Erasure], QuerySet]
    apply: Callable[[Erasure, QuerySet], int] | None = None  # None: kept as it is

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


def _rows(model: str, **lookup) -> Callable[[Erasure], QuerySet]:
    def rows(erasure: Erasure) -> QuerySet:
        filters = {key: getattr(erasure, value) for key, value in lookup.items()}
        return apps.get_model(model)._default_manager.filter(**filters)

    return rows


def _blank(*names: str, **values) -> Callable[[Erasure, QuerySet], int]:
    def apply(erasure: Erasure, rows: QuerySet) -> int:
        return rows.update(**dict.fromkeys(names, ""), **values)

    return apply


def _delete(erasure: Erasure, rows: QuerySet) -> int:
    return rows.delete()[1].get(rows.model._meta.label, 0)


def _user_rows(erasure: Erasure) -> QuerySet:
    return get_user_model().objects.filter(pk=erasure.person.user_id)


def _release_login(erasure: Erasure, rows: QuerySet) -> int:
    """Closes the login, or only unlinks it when it serves elsewhere."""
    user = rows.first()
    if user is None:
        return 0
    serves_elsewhere = (
        user.is_staff
        or user.is_superuser
        or Person.objects.filter(user=user).exclude(pk=erasure.person.pk).exists()
        or StaffMembership.objects.filter(user=user).exists()
        or FunderMembership.objects.filter(user=user).exists()
    )
    Person.objects.filter(pk=erasure.person.pk).update(user=None)
    if serves_elsewhere:
        return 0
    user.email = f"deleted-user-{user.pk}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()  # also ends the login's sessions
    user.save()
    apps.get_model("account.EmailAddress").objects.filter(user=user).delete()
    if apps.is_installed("allauth.mfa"):
        apps.get_model("mfa.Authenticator").objects.filter(user=user).delete()
    return 1


def _anonymise_person(erasure: Erasure, rows: QuerySet) -> int:
    first, last = erased_name(erasure.person)
    return rows.update(
        first_name=first,
        last_name=last,
        email=erased_email(erasure.person),
        phone="",
        city="",
        region="",
        country="",
        time_zone="",
        gender="",
        cultural_background="",
        updated_at=erasure.now,
    )


def _delete_resumes(erasure: Erasure, rows: QuerySet) -> int:
    files = [(resume.file.storage, resume.file.name) for resume in rows if resume.file]
    count = _delete(erasure, rows)

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    # Only once the rows are surely gone: a rolled-back erasure keeps its files.
    transaction.on_commit(remove_files)
    return count


def _cancel_interviews(erasure: Erasure, rows: QuerySet) -> int:
    rows.filter(status=Interview.Status.SCHEDULED).update(status=Interview.Status.CANCELLED)
    return _blank("location", "background_notes", "personality_notes", "recommended_focus")(erasure, rows)


def _consents_withdrawn(erasure: Erasure, rows: QuerySet) -> int:
    rows.filter(withdrawn_at__isnull=True).update(withdrawn_at=erasure.now)
    return rows.count()


def _alumni_invitations(erasure: Erasure) -> QuerySet:
    model = apps.get_model("participants.AlumniInvitation")
    return model.objects.filter(
        Q(participation_id__in=erasure.participation_ids) | Q(converted_to_id__in=erasure.participation_ids)
    )


def _matches_words(erasure: Erasure, rows: QuerySet) -> int:
    matches = list(rows)
    for match in matches:
        match.decline_reason = match.end_reason = match.override_reason = ""
        # The explanations quote the person ("Shares Yoruba"); the points are statistics.
        match.breakdown = [
            {key: item.get(key) for key in ("criterion", "points")}
            for item in match.breakdown or []
            if isinstance(item, dict)
        ]
    Match.objects.bulk_update(matches, ["decline_reason", "end_reason", "override_reason", "breakdown"])
    return len(matches)


def _do_not_match(erasure: Erasure) -> QuerySet:
    model = apps.get_model("matching.DoNotMatch")
    return model.objects.filter(Q(mentee=erasure.person) | Q(mentor=erasure.person))


def _meetings(erasure: Erasure) -> QuerySet:
    model = apps.get_model("matching.Meeting")
    return model.objects.filter(Q(match_id__in=erasure.match_ids) | Q(circle_id__in=erasure.circle_ids))


def _meetings_words(erasure: Erasure, rows: QuerySet) -> int:
    """A match's meetings are about the pair: their words go. A circle's are the group's: they
    keep their words, with the person's name replaced."""
    count = rows.filter(match__isnull=False).update(topics="", next_steps="")
    circle_meetings = list(rows.filter(circle__isnull=False))
    for meeting in circle_meetings:
        meeting.topics = replace_names(meeting.topics, erasure.near_needles, erasure.placeholder)
        meeting.next_steps = replace_names(meeting.next_steps, erasure.near_needles, erasure.placeholder)
    rows.model.objects.bulk_update(circle_meetings, ["topics", "next_steps"])
    return count + len(circle_meetings)


def _goals_words(erasure: Erasure, rows: QuerySet) -> int:
    count = 0
    for value, label in GoalCategory.choices:
        count += rows.filter(category=value).update(title=str(label)[:200], description="", steps="")
    return count


def _goal_notes(erasure: Erasure, rows: QuerySet) -> int:
    # A note is words, except when it records a change of status: that stays, without words.
    deleted = rows.filter(new_status="").delete()[1].get(rows.model._meta.label, 0)
    return deleted + rows.exclude(new_status="").update(text="")


def _closing_surveys(erasure: Erasure, rows: QuerySet) -> int:
    """The person's own answers lose their words; the partner's keep theirs, without the name."""
    count = 0
    surveys = list(rows)
    for survey in surveys:
        if erasure.match_sides.get(survey.match_id) == survey.side:
            survey.comments = ""
        else:
            survey.comments = replace_names(survey.comments, erasure.near_needles, erasure.placeholder)
        count += 1
    rows.model.objects.bulk_update(surveys, ["comments"])
    return count


def _follow_ups(erasure: Erasure) -> QuerySet:
    model = apps.get_model("matching.FollowUp")
    return model.objects.filter(
        match_id__in=[pk for pk, side in erasure.match_sides.items() if side == "mentee"]
    )


def _unsubscribes(erasure: Erasure) -> QuerySet:
    model = apps.get_model("notifications.Unsubscribe")
    return model.objects.filter(Q(person=erasure.person) | Q(email__iexact=erasure.person.email))


def _reminders(erasure: Erasure) -> QuerySet:
    model = apps.get_model("notifications.SentReminder")
    types = ContentType.objects.get_for_models(Participation, Interview)
    return model.objects.filter(
        Q(recipient__iexact=erasure.person.email)
        | Q(content_type=types[Participation], object_id__in=erasure.participation_ids)
        | Q(content_type=types[Interview], object_id__in=erasure.interview_ids),
        organization_id=erasure.person.organization_id,
    )


def _stories_withdrawn(erasure: Erasure, rows: QuerySet) -> int:
    # One statement each: a story is withdrawn exactly when it has a withdrawal time.
    count = rows.filter(withdrawn_at__isnull=True).update(
        status="withdrawn", withdrawn_at=erasure.now, title="", text=""
    )
    return count + rows.exclude(title="", text="").update(title="", text="")


RULES: list[Rule] = [
    Rule(
        "participants.personlanguage",
        gettext_lazy("Deleted."),
        _rows("participants.PersonLanguage", person="person"),
        _delete,
    ),
    Rule(
        "participants.partnersharing",
        gettext_lazy("Deleted."),
        _rows("participants.PartnerSharing", person="person"),
        _delete,
    ),
    Rule(
        "participants.resourceread",
        gettext_lazy("Deleted."),
        _rows("participants.ResourceRead", person="person"),
        _delete,
    ),
    Rule(
        "participants.resume",
        gettext_lazy("Deleted, with their files."),
        _rows("participants.Resume", person="person"),
        _delete_resumes,
    ),
    Rule(
        "participants.participation",
        gettext_lazy(
            "Open ones are withdrawn. Kept as numbers (program, role, status, dates); "
            "reasons and preferences emptied."
        ),
        _rows("participants.Participation", pk__in="participation_ids"),
        _blank(
            "status_reason",
            "decline_message",
            "source_detail",
            interests=[],
            availability=[],
            meeting_modes=[],
            communication_style={},
        ),
    ),
    Rule(
        "participants.menteeprofile",
        gettext_lazy("Job title, education, credentials and requested mentor emptied; codes kept."),
        _rows("participants.MenteeProfile", participation_id__in="participation_ids"),
        _blank(
            "occupation_title",
            "education",
            "credential_country",
            "licensing_status",
            "requested_mentor_name",
            "requested_mentor_email",
        ),
    ),
    Rule(
        "participants.mentorprofile",
        gettext_lazy("Job title, employer and designation emptied; codes kept."),
        _rows("participants.MentorProfile", participation_id__in="participation_ids"),
        _blank("occupation_title", "employer_name", "designation"),
    ),
    Rule(
        "participants.application",
        gettext_lazy("The answers are deleted; the date and the privacy notice version stay."),
        _rows("participants.Application", participation_id__in="participation_ids"),
        _blank(answers={}),
    ),
    Rule(
        "participants.interview",
        gettext_lazy("Notes and place emptied; scheduled ones cancelled; dates and outcome kept."),
        _rows("participants.Interview", pk__in="interview_ids"),
        _cancel_interviews,
    ),
    Rule(
        "participants.referral",
        gettext_lazy("Reasons and notes emptied; partner and outcome kept."),
        _rows("participants.Referral", participation_id__in="participation_ids"),
        _blank("reason", "outcome_notes"),
    ),
    Rule(
        "participants.consent",
        gettext_lazy("Kept as proof (which notice, when); marked withdrawn."),
        _rows("participants.Consent", person="person"),
        _consents_withdrawn,
    ),
    Rule(
        "participants.helprequest",
        gettext_lazy("Messages and notes emptied."),
        _rows("participants.HelpRequest", person="person"),
        _blank("message", "handled_note"),
    ),
    Rule(
        "participants.alumniinvitation",
        gettext_lazy("Messages emptied."),
        _alumni_invitations,
        _blank("message"),
    ),
    Rule(
        "participants.datarequest",
        gettext_lazy("Messages emptied; the requests and what was done stay."),
        _rows("participants.DataRequest", person="person"),
        _blank("message"),
    ),
    Rule(
        "matching.match",
        gettext_lazy("Kept for the program's numbers (dates, status, score); reasons emptied."),
        _rows("matching.Match", pk__in="match_ids"),
        _matches_words,
    ),
    Rule(
        "matching.donotmatch",
        gettext_lazy("Kept, so that the pair is never proposed again; notes emptied."),
        _do_not_match,
        _blank("note"),
    ),
    Rule(
        "matching.circlemembership",
        gettext_lazy("Kept (dates of joining and leaving); current ones ended."),
        _rows("matching.CircleMembership", pk__in="membership_ids"),
    ),
    Rule(
        "matching.meeting",
        gettext_lazy("Dates and lengths kept (the mentoring hours); a match's notes emptied."),
        _meetings,
        _meetings_words,
    ),
    Rule(
        "matching.agreement",
        gettext_lazy("Kept: the program's own text and the dates of acknowledgement."),
        _rows("matching.Agreement", match_id__in="match_ids"),
    ),
    Rule(
        "matching.goal",
        gettext_lazy("Category, status and dates kept; the words emptied."),
        _rows("matching.Goal", match_id__in="match_ids"),
        _goals_words,
    ),
    Rule(
        "matching.goalnote",
        gettext_lazy("Deleted, except changes of status (kept without words)."),
        _rows("matching.GoalNote", goal__match_id__in="match_ids"),
        _goal_notes,
    ),
    Rule(
        "matching.checkin",
        gettext_lazy("Dates, status and satisfaction kept; notes emptied."),
        _rows("matching.CheckIn", match_id__in="match_ids"),
        _blank("how_it_is_going", "concerns", "follow_up_actions"),
    ),
    Rule(
        "matching.closure",
        gettext_lazy("Reason kept; notes emptied."),
        _rows("matching.Closure", match_id__in="match_ids"),
        _blank("note"),
    ),
    Rule(
        "matching.closingsurvey",
        gettext_lazy("Scores kept; the person's comments emptied."),
        _rows("matching.ClosingSurvey", match_id__in="match_ids"),
        _closing_surveys,
    ),
    Rule(
        "matching.followup",
        gettext_lazy("Employment outcome kept; notes emptied."),
        _follow_ups,
        _blank("notes"),
    ),
    Rule(
        "notifications.unsubscribe",
        gettext_lazy("Deleted (no email goes to the person any more)."),
        _unsubscribes,
        _delete,
    ),
    Rule(
        "notifications.sentreminder",
        gettext_lazy("Kept as counts; address, name and subject emptied."),
        _reminders,
        _blank("recipient", "recipient_name", "subject", "last_error"),
    ),
    Rule(
        "stories.story",
        gettext_lazy("Withdrawn and emptied."),
        _rows("stories.Story", person="person"),
        _stories_withdrawn,
    ),
    Rule(
        "stories.storyconsentchange",
        gettext_lazy("Kept as proof of consent."),
        _rows("stories.StoryConsentChange", story__person="person"),
    ),
    Rule(
        "accounts.user",
        gettext_lazy("The login is closed and emptied (only unlinked if it also serves elsewhere)."),
        _user_rows,
        _release_login,
    ),
    Rule(
        "participants.person",
        gettext_lazy("Name replaced by “Deleted person”, email by a placeholder, the rest emptied."),
        lambda erasure: Person.objects.filter(pk=erasure.person.pk),
        _anonymise_person,
    ),
]


def installed_rules() -> list[Rule]:
    rules = []
    for rule in RULES:
        try:
            rule.model  # noqa: B018 - resolves the label
        except LookupError:
            continue
        rules.append(rule)
    return rules
