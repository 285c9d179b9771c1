"""Reads for "My group" in the portal: the mentoring circles the signed-in person is or was a
member of, and what they may see of the other members.

The rule for contact details follows the one-to-one partner card (`portal_selectors.PartnerCard`):
a circle's members are introduced by the coordinator, so while the circle meets (active, or a
peer group) a current member sees the other current members' full names, email addresses and
what each chose to share with a match partner. Before the circle starts, after it closes, or
once the person has left it, they see first names and professions only. Members who left are
not listed. A circle the person was never in gives 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from matching.meeting_services import CIRCLE_MEETING_STATUSES
from matching.models import Circle, CircleMembership, Meeting

from .models import Participation, PartnerSharing, PersonLanguage
from .portal_selectors import shared_details


def portal_circles(user) -> QuerySet[Circle]:
    """The user's circles, those they are still in first, annotated with `i_am_member`."""
    if not user.is_authenticated:
        return Circle.objects.none()
    mine = CircleMembership.objects.filter(participation__person__user=user)
    return (
        Circle.objects.filter(pk__in=mine.values("circle_id"))
        .annotate(i_am_member=Exists(mine.filter(circle=OuterRef("pk"), left_at__isnull=True)))
        .select_related("program")
        .order_by("-i_am_member", "name", "pk")
    )


def get_portal_circle(user, circle_id: int) -> tuple[Circle, CircleMembership]:
    """The circle and the user's membership in it: the current one, else the latest."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        CircleMembership.objects.filter(participation__person__user=user, circle_id=circle_id)
        .select_related("circle__program__organization", "participation")
        .order_by(F("left_at").desc(nulls_first=True), "-joined_at", "-pk")
        .first()
    )
    if membership is None:
        raise Http404
    return membership.circle, membership


def shows_contacts(circle: Circle, me: CircleMembership) -> bool:
    return me.left_at is None and circle.status in CIRCLE_MEETING_STATUSES


def can_log_meeting(circle: Circle, me: CircleMembership) -> bool:
    return me.left_at is None and circle.status in CIRCLE_MEETING_STATUSES


@dataclass(frozen=True)
class MemberCard:
    membership: CircleMembership
    first_name: str
    role: str
    profession: str
    is_me: bool
    full_name: str = ""
    email: str = ""
    phone: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def shows_contact(self) -> bool:
        return bool(self.email)


def current_members(circle: Circle) -> list[CircleMembership]:
    """Current members, mentors first, in the order they joined, with their profiles."""
    return list(
        circle.memberships.filter(left_at__isnull=True)
        .select_related(
            "participation__person", "participation__mentee_profile", "participation__mentor_profile"
        )
        .order_by("-role", "joined_at", "pk")
    )


def _profile(participation: Participation):
    name = "mentor_profile" if participation.role == Participation.Role.MENTOR else "mentee_profile"
    return getattr(participation, name, None)


def member_cards(circle: Circle, me: CircleMembership, members: list[CircleMembership]) -> list[MemberCard]:
    """What the person sees of each current member, in two more queries when contacts show."""
    contacts = shows_contacts(circle, me)
    sharing: dict[int, PartnerSharing] = {}
    languages: dict[int, list[PersonLanguage]] = defaultdict(list)
    if contacts:
        person_ids = [member.participation.person_id for member in members]
        sharing = {row.person_id: row for row in PartnerSharing.objects.filter(person_id__in=person_ids)}
        for row in PersonLanguage.objects.filter(person_id__in=person_ids).order_by("language"):
            languages[row.person_id].append(row)
    cards = []
    for member in members:
        participation = member.participation
        person = participation.person
        profile = _profile(participation)
        card = {
            "membership": member,
            "first_name": person.first_name,
            "role": member.get_role_display(),
            "profession": profile.occupation_title if profile is not None else "",
            "is_me": participation.person_id == me.participation.person_id,
        }
        if contacts and not card["is_me"]:
            choices = sharing.get(person.pk) or PartnerSharing(person=person)
            card |= {
                "full_name": person.full_name,
                "email": person.email,
                "phone": person.phone if choices.phone else "",
                "details": shared_details(participation, profile, choices, languages[person.pk]),
            }
        cards.append(MemberCard(**card))
    return cards


def circle_meetings_for(circle: Circle, me: CircleMembership) -> QuerySet[Meeting]:
    """The circle's meetings, newest first; someone who left sees those up to their leaving."""
    meetings = circle.meetings.order_by("-occurred_on", "-id")
    if me.left_at is not None:
        meetings = meetings.filter(occurred_on__lte=timezone.localdate(me.left_at))
    return meetings.annotate(
        i_attended=Exists(
            Meeting.attendees.through.objects.filter(
                meeting_id=OuterRef("pk"),
                circlemembership__participation__person_id=me.participation.person_id,
            )
        )
    )
