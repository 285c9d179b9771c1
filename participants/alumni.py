"""Alumni: people whose participation completed. Mentee alumni are invited to become mentors,
mentors back for the next cohort; when they apply in that role the invitation is converted.

"Alumni multiply": programs count how many mentees came back as mentors and how many mentors
returned, whether an invitation brought them or they came on their own (an application is
linked to the person's earlier participation either way).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.activity import activity_record
from programs.models import Program

from .models import AlumniInvitation, Participation

S = Participation.Status
ALUMNI_STATUSES = (S.COMPLETED, S.ALUMNI)
# Statuses of a participation that is open: a person there is already back.
OPEN_STATUSES = [
    status for status in S.values if status not in (S.WITHDRAWN, S.DECLINED, S.REFERRED, *ALUMNI_STATUSES)
]
REINVITE_AFTER = datetime.timedelta(days=30)


def alumni_in(programs: Iterable[Program] | QuerySet[Program]) -> QuerySet[Participation]:
    """Completed participations of these programs, newest first, each with the date of its
    latest invitation (`invited_at`) and whether the person is back as a mentor (`came_back`)."""
    latest_invitation = AlumniInvitation.objects.filter(participation=OuterRef("pk")).order_by("-sent_at")
    back_as_mentor = Participation.objects.exclude(pk=OuterRef("pk")).filter(
        person=OuterRef("person"),
        role=Participation.Role.MENTOR,
        created_at__gt=OuterRef("status_changed_at"),
    )
    return (
        Participation.objects.filter(program__in=programs, status__in=ALUMNI_STATUSES)
        .select_related("person", "program")
        .annotate(
            invited_at=Subquery(latest_invitation.values("sent_at")[:1]),
            came_back=Exists(back_as_mentor),
        )
        .order_by("-status_changed_at", "-pk")
    )


def _kind(participation: Participation) -> str:
    if participation.role == Participation.Role.MENTEE:
        return AlumniInvitation.Kind.MENTEE_TO_MENTOR
    return AlumniInvitation.Kind.MENTOR_RETURN


@transaction.atomic
def alumni_invite(
    *, participation: Participation, program: Program, message: str = "", actor
) -> AlumniInvitation:
    """Invites a person whose participation completed to apply as a mentor in `program`.

    Refused when the participation has not completed, the program belongs to another
    organization, the person already has an open mentor participation, or they were invited
    to the same program less than 30 days ago. The email leaves once the transaction commits.
    """
    if participation.status not in ALUMNI_STATUSES:
        raise ValidationError(_("Only people who completed the program are invited as alumni."))
    if program.organization_id != participation.program.organization_id:
        raise ValidationError(_("Choose one of your organization's programs."))
    if Participation.objects.filter(
        person=participation.person, role=Participation.Role.MENTOR, status__in=OPEN_STATUSES
    ).exists():
        raise ValidationError(
            _("%(name)s is already a mentor with us.") % {"name": participation.person.full_name}
        )
    recent = AlumniInvitation.objects.filter(
        participation__person=participation.person,
        program=program,
        sent_at__gte=timezone.now() - REINVITE_AFTER,
    ).first()
    if recent is not None:
        raise ValidationError(
            _("%(name)s was invited to %(program)s on %(date)s. Give them time to answer.")
            % {
                "name": participation.person.full_name,
                "program": program.name,
                "date": timezone.localtime(recent.sent_at).date().isoformat(),
            }
        )
    invitation = AlumniInvitation(
        participation=participation,
        kind=_kind(participation),
        program=program,
        message=(message or "").strip(),
        sent_by=actor if actor is not None and actor.is_authenticated else None,
    )
    invitation.full_clean()
    invitation.save()
    activity_record(
        actor=actor,
        verb="alumni.invited",
        target=participation.person,
        organization=program.organization,
        program=program,
        data={"invitation": invitation.pk, "kind": invitation.kind, "participation": participation.pk},
    )
    from .tasks import send_alumni_invitation

    send_alumni_invitation.delay_on_commit(invitation.pk)
    return invitation


def alumni_invitation_send(*, invitation: AlumniInvitation) -> None:
    person = invitation.participation.person
    context = {
        "person": person,
        "program": invitation.program,
        "organization": invitation.program.organization,
        "invitation": invitation,
        "returning_mentor": invitation.kind == AlumniInvitation.Kind.MENTOR_RETURN,
        "apply_link": f"{settings.SITE_URL}{reverse('apply:mentor', args=[invitation.program.slug])}",
    }
    email = EmailMultiAlternatives(
        subject=(
            _("Would you mentor again with %(program)s?")
            if invitation.kind == AlumniInvitation.Kind.MENTOR_RETURN
            else _("Would you become a mentor with %(program)s?")
        )
        % {"program": invitation.program.name},
        body=render_to_string("participants/email/alumni_invitation.txt", context),
        to=[person.email],
    )
    email.attach_alternative(
        render_to_string("participants/email/alumni_invitation.html", context), "text/html"
    )
    email.send()


def alumni_invitation_convert(*, participation: Participation, actor) -> AlumniInvitation | None:
    """Links a new mentor application to the latest invitation that asked the person to
    apply, if any is still open; called when the application is saved."""
    if participation.role != Participation.Role.MENTOR:
        return None
    invitation = (
        AlumniInvitation.objects.select_for_update()
        .filter(participation__person=participation.person, converted_to__isnull=True)
        .order_by("-sent_at", "-pk")
        .first()
    )
    if invitation is None:
        return None
    invitation.converted_to = participation
    invitation.save(update_fields=["converted_to"])
    activity_record(
        actor=actor,
        verb="alumni.converted",
        target=participation.person,
        organization=participation.program.organization,
        program=participation.program,
        data={"invitation": invitation.pk, "kind": invitation.kind, "participation": participation.pk},
    )
    return invitation


@dataclass(frozen=True)
class AlumniFigures:
    mentee_alumni: int
    mentor_alumni: int
    invited: int
    mentees_now_mentors: int
    mentors_returned: int
    after_invitation: int


def alumni_figures(programs: Iterable[Program] | QuerySet[Program]) -> AlumniFigures:
    """How many alumni, how many were invited, and how many came back as mentors (from any
    earlier completed participation in these programs), in four queries."""
    alumni = Participation.objects.filter(program__in=programs, status__in=ALUMNI_STATUSES)
    counts = dict.fromkeys(Participation.Role.values, 0)
    for role in alumni.values_list("role", flat=True):
        counts[role] += 1
    invited = (
        AlumniInvitation.objects.filter(participation__in=alumni).values("participation").distinct().count()
    )
    came_back = Participation.objects.filter(
        role=Participation.Role.MENTOR,
        previous_participation__in=alumni,
    ).values_list("previous_participation__role", "from_alumni_invitation")
    mentees_now_mentors = mentors_returned = after_invitation = 0
    for previous_role, invitation in came_back:
        if previous_role == Participation.Role.MENTEE:
            mentees_now_mentors += 1
        else:
            mentors_returned += 1
        after_invitation += invitation is not None
    return AlumniFigures(
        mentee_alumni=counts[Participation.Role.MENTEE],
        mentor_alumni=counts[Participation.Role.MENTOR],
        invited=invited,
        mentees_now_mentors=mentees_now_mentors,
        mentors_returned=mentors_returned,
        after_invitation=after_invitation,
    )
