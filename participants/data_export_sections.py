"""The export's registry: one `Section` per model that holds rows about a person, with the
query for the person's rows and what of each row is theirs to see (`data_export` explains the
rules). A test compares this registry with every model linked to a person."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.models import Match
from programs.activity import verb_label
from programs.models import ActivityEntry

from .models import Interview, Participation, Person

if TYPE_CHECKING:
    from .data_export import Subject

ACTIVITY_DATA_KEYS = frozenset(
    {
        "from",
        "to",
        "via",
        "kind",
        "role",
        "status",
        "changed",
        "side",
        "position",
        "occurred_on",
        "duration_minutes",
        "mode",
        "logged_as",
        "title",
        "filename",
        "privacy_notice_version",
        "outcome",
        "reason",
        "note",
        "text",
        "format",
    }
)


Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    """One model's rows about the person.

    `rows` returns them (a queryset or a list); every concrete field is exported except those
    in `omit`; `adjust` may drop or add fields of one row (for what depends on the row, such as
    whose words a text is).
    """

    model_label: str  # "app_label.modelname", as `Model._meta.label_lower`
    title: Promise
    rows: Callable[[Subject], Iterable[models.Model]]
    omit: tuple[str, ...] = ()
    adjust: Callable[[models.Model, Row, Subject], None] | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


def _mine(model: str, **lookup):
    def rows(subject: Subject):
        filters = {key: getattr(subject, value) for key, value in lookup.items()}
        return apps.get_model(model)._default_manager.filter(**filters).order_by("pk")

    return rows


def _of_my_matches(model: str, path: str = "match_id__in"):
    def rows(subject: Subject):
        return (
            apps.get_model(model)._default_manager.filter(**{path: list(subject.match_sides)}).order_by("pk")
        )

    return rows


def _person_rows(subject: Subject):
    return [subject.person]


def _user_rows(subject: Subject):
    return get_user_model().objects.filter(pk=subject.user_id) if subject.user_id else []


def _matches(subject: Subject):
    return Match.objects.filter(pk__in=list(subject.match_sides)).order_by("proposed_at", "pk")


def _adjust_match(match: Match, row: Row, subject: Subject) -> None:
    side = subject.match_sides[match.pk]
    row["my_side"] = side
    if match.pk not in subject.visible_match_ids:
        # A proposal the person was never told about: who it was with stays with the coordinator.
        row["mentee" if side == "mentor" else "mentor"] = {"id": None, "name": _("not introduced")}
        row.pop("breakdown", None)
    # One field holds the reason of whoever declined: the person's own only.
    if getattr(match, f"{side}_response") != Match.Response.DECLINED:
        row.pop("decline_reason", None)


def _do_not_match(subject: Subject):
    model = apps.get_model("matching.DoNotMatch")
    return model.objects.filter(Q(mentee=subject.person) | Q(mentor=subject.person)).order_by("pk")


def _meetings(subject: Subject):
    model = apps.get_model("matching.Meeting")
    circle_meetings = Q(attendees__in=subject.membership_ids)
    if subject.user_id:
        circle_meetings |= Q(circle__isnull=False, logged_by_id=subject.user_id)
    return (
        model.objects.filter(Q(match_id__in=subject.visible_match_ids) | circle_meetings)
        .distinct()
        .order_by("occurred_on", "pk")
    )


CHECKIN_TEXTS = ("how_it_is_going", "concerns", "follow_up_actions")


def _adjust_checkin(checkin, row: Row, subject: Subject) -> None:
    # What the coordinator heard from the partner alone is the partner's.
    if checkin.with_whom not in (subject.match_sides[checkin.match_id], "both"):
        for name in CHECKIN_TEXTS:
            row.pop(name, None)


def _closing_surveys(subject: Subject):
    model = apps.get_model("matching.ClosingSurvey")
    condition = Q(pk__in=[])
    for match_id, side in subject.match_sides.items():
        condition |= Q(match_id=match_id, side=side)
    return model.objects.filter(condition).order_by("pk")


def _follow_ups(subject: Subject):
    model = apps.get_model("matching.FollowUp")
    mentee_matches = [pk for pk, side in subject.match_sides.items() if side == "mentee"]
    return model.objects.filter(match_id__in=mentee_matches).order_by("pk")


def _unsubscribes(subject: Subject):
    model = apps.get_model("notifications.Unsubscribe")
    return model.objects.filter(Q(person=subject.person) | Q(email__iexact=subject.person.email)).order_by(
        "pk"
    )


def _reminders(subject: Subject):
    model = apps.get_model("notifications.SentReminder")
    types = ContentType.objects.get_for_models(Participation, Interview)
    return model.objects.filter(
        Q(recipient__iexact=subject.person.email)
        | Q(content_type=types[Participation], object_id__in=subject.participation_ids)
        | Q(content_type=types[Interview], object_id__in=subject.interview_ids),
        organization_id=subject.person.organization_id,
    ).order_by("created_at", "pk")


def _activity(subject: Subject):
    types = ContentType.objects.get_for_models(Person, Participation)
    about_me = Q(target_type=types[Person], target_id=str(subject.person.pk)) | Q(
        target_type=types[Participation], target_id__in=[str(pk) for pk in subject.participation_ids]
    )
    if subject.user_id:
        about_me |= Q(actor_id=subject.user_id)
    return ActivityEntry.objects.filter(about_me, organization_id=subject.person.organization_id).order_by(
        "created_at", "pk"
    )


def _adjust_activity(entry: ActivityEntry, row: Row, subject: Subject) -> None:
    row["what"] = verb_label(entry.verb)
    data = entry.data if isinstance(entry.data, dict) else {}
    row["data"] = {key: value for key, value in data.items() if key in ACTIVITY_DATA_KEYS}
    target_model = ContentType.objects.get_for_id(entry.target_type_id).model_class()
    if target_model in (Person, Participation):
        row["target"] = entry.target_repr
    else:
        # Another record's name may carry someone else's (a match names both people).
        row["target"] = str(target_model._meta.verbose_name) if target_model is not None else ""
    if entry.actor_id is None:
        row["actor"] = {"id": None, "name": _("the system")}


def _stories(subject: Subject):
    return apps.get_model("stories.Story")._default_manager.filter(person=subject.person).order_by("pk")


def _story_consents(subject: Subject):
    model = apps.get_model("stories.StoryConsentChange")
    return model._default_manager.filter(story__person=subject.person).order_by("pk")


S = Section
SECTIONS: list[Section] = [
    S("accounts.user", gettext_lazy("Your login"), _user_rows, omit=("password", "is_staff", "is_superuser")),
    S("participants.person", gettext_lazy("About you"), _person_rows),
    S(
        "participants.personlanguage",
        gettext_lazy("Languages"),
        _mine("participants.PersonLanguage", person="person"),
    ),
    S(
        "participants.partnersharing",
        gettext_lazy("What your match partner may see"),
        _mine("participants.PartnerSharing", person="person"),
    ),
    S(
        "participants.participation",
        gettext_lazy("Your participations"),
        _mine("participants.Participation", pk__in="participation_ids"),
    ),
    S(
        "participants.menteeprofile",
        gettext_lazy("Your mentee profile"),
        _mine("participants.MenteeProfile", participation_id__in="participation_ids"),
    ),
    S(
        "participants.mentorprofile",
        gettext_lazy("Your mentor profile"),
        _mine("participants.MentorProfile", participation_id__in="participation_ids"),
    ),
    S(
        "participants.application",
        gettext_lazy("Your applications, as you sent them"),
        _mine("participants.Application", participation_id__in="participation_ids"),
    ),
    S("participants.resume", gettext_lazy("Your resumes"), _mine("participants.Resume", person="person")),
    S(
        "participants.interview",
        gettext_lazy("Interviews"),
        _mine("participants.Interview", pk__in="interview_ids"),
        omit=("uid",),
    ),
    S(
        "participants.referral",
        gettext_lazy("Referrals to partner programs"),
        _mine("participants.Referral", participation_id__in="participation_ids"),
    ),
    S("participants.consent", gettext_lazy("Your consents"), _mine("participants.Consent", person="person")),
    S(
        "participants.helprequest",
        gettext_lazy("Your messages to the coordinator"),
        _mine("participants.HelpRequest", person="person"),
    ),
    S(
        "participants.resourceread",
        gettext_lazy("Resources you have read"),
        _mine("participants.ResourceRead", person="person"),
    ),
    S(
        "participants.alumniinvitation",
        gettext_lazy("Invitations to come back"),
        _mine("participants.AlumniInvitation", participation_id__in="participation_ids"),
    ),
    S(
        "participants.datarequest",
        gettext_lazy("Your requests about your data"),
        _mine("participants.DataRequest", person="person"),
    ),
    S("matching.match", gettext_lazy("Your matches"), _matches, adjust=_adjust_match),
    S("matching.donotmatch", gettext_lazy("People you will not be matched with"), _do_not_match),
    S(
        "matching.circlemembership",
        gettext_lazy("Your mentoring circles"),
        _mine("matching.CircleMembership", pk__in="membership_ids"),
    ),
    S("matching.meeting", gettext_lazy("Meetings"), _meetings),
    S(
        "matching.agreement",
        gettext_lazy("Mentorship agreements"),
        _of_my_matches("matching.Agreement"),
    ),
    S("matching.goal", gettext_lazy("Goals"), _of_my_matches("matching.Goal")),
    S(
        "matching.goalnote",
        gettext_lazy("Progress notes on goals"),
        _of_my_matches("matching.GoalNote", "goal__match_id__in"),
    ),
    S(
        "matching.checkin",
        gettext_lazy("Coordinator check-ins"),
        _of_my_matches("matching.CheckIn"),
        adjust=_adjust_checkin,
    ),
    S("matching.closure", gettext_lazy("How your matches ended"), _of_my_matches("matching.Closure")),
    S("matching.closingsurvey", gettext_lazy("Your closing surveys"), _closing_surveys),
    S("matching.followup", gettext_lazy("Employment follow-ups"), _follow_ups),
    S("notifications.unsubscribe", gettext_lazy("Reminders you turned off"), _unsubscribes),
    S(
        "notifications.sentreminder",
        gettext_lazy("Reminders sent to you"),
        _reminders,
        omit=("content_type", "object_id", "claimed_by", "claimed_at", "organization"),
    ),
    S("stories.story", gettext_lazy("Your stories"), _stories),
    S("stories.storyconsentchange", gettext_lazy("Your story consents"), _story_consents),
    S(
        "programs.activityentry",
        gettext_lazy("What was done with your records"),
        _activity,
        omit=("target_type", "target_id", "target_repr", "data", "organization"),
        adjust=_adjust_activity,
    ),
]


def installed_sections() -> list[Section]:
    """The sections whose model exists (an app may be switched off in a deployment)."""
    sections = []
    for section in SECTIONS:
        try:
            section.model  # noqa: B018 - resolves the label
        except LookupError:
            continue
        sections.append(section)
    return sections
