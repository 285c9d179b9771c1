"""Domain operations on organizations, programs and staff. Each is atomic and logged.

Program setup (application questions, cohorts, resources, privacy notices) is in
`setup_services.py`; partners and funders are in `partner_services.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.invitations import password_setup_link

from .activity import activity_record, logged_update
from .models import Organization, Program, StaffMembership

User = get_user_model()


@transaction.atomic
def program_create(*, organization: Organization, actor, **fields) -> Program:
    program = Program(organization=organization, **fields)
    program.full_clean()
    program.save()
    activity_record(
        actor=actor, verb="program.created", target=program, organization=organization, program=program
    )
    return program


@transaction.atomic
def program_update(*, program: Program, actor, **fields) -> Program:
    logged_update(
        program,
        fields=fields,
        actor=actor,
        verb="program.updated",
        organization=program.organization,
        program=program,
    )
    return program


def _check_programs_belong(organization: Organization, programs: Iterable[Program]) -> list[Program]:
    programs = list(programs)
    if any(program.organization_id != organization.pk for program in programs):
        raise ValidationError(_("A staff member can only be limited to their organization's programs."))
    return programs


@transaction.atomic
def staff_invite(
    *,
    organization: Organization,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    programs: Iterable[Program] = (),
    actor,
) -> StaffMembership:
    """Give someone a staff role and email them a link to choose their password.

    Steps: find or create the user by email; refuse a second membership in the same
    organization; create the membership with its program limits; log it; send the
    invitation from a Celery task once the transaction has committed.
    """
    programs = _check_programs_belong(organization, programs)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    if StaffMembership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError({"email": _("This person is already on your organization's staff.")})
    membership = StaffMembership(user=user, organization=organization, role=role)
    membership.full_clean()
    membership.save()
    membership.programs.set(programs)
    activity_record(
        actor=actor,
        verb="staff.invited",
        target=membership,
        organization=organization,
        data={"email": email, "role": role, "programs": [p.slug for p in programs]},
    )
    from .tasks import send_staff_invitation

    send_staff_invitation.delay_on_commit(membership.pk)
    return membership


@transaction.atomic
def staff_update(
    *, membership: StaffMembership, role: str, programs: Iterable[Program], actor
) -> StaffMembership:
    programs = _check_programs_belong(membership.organization, programs)
    if membership.is_admin and role != StaffMembership.Role.ADMIN:
        _refuse_removing_last_admin(membership)
    membership.role = role
    membership.full_clean()
    membership.save()
    membership.programs.set(programs)
    activity_record(
        actor=actor,
        verb="staff.updated",
        target=membership,
        organization=membership.organization,
        data={"role": role, "programs": [p.slug for p in programs]},
    )
    return membership


@transaction.atomic
def staff_set_active(*, membership: StaffMembership, is_active: bool, actor) -> StaffMembership:
    if membership.is_active == is_active:
        return membership
    if not is_active:
        if membership.user_id == actor.pk:
            raise ValidationError(_("You cannot remove your own access."))
        if membership.is_admin:
            _refuse_removing_last_admin(membership)
    membership.is_active = is_active
    membership.save(update_fields=["is_active"])
    activity_record(
        actor=actor,
        verb="staff.reactivated" if is_active else "staff.deactivated",
        target=membership,
        organization=membership.organization,
    )
    return membership


def _refuse_removing_last_admin(membership: StaffMembership) -> None:
    other_admins = StaffMembership.objects.filter(
        organization=membership.organization, role=StaffMembership.Role.ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    if not other_admins.exists():
        raise ValidationError(_("Every organization needs at least one active admin."))


def staff_invitation_send(*, membership: StaffMembership) -> None:
    """Email the invitation with a one-time link to choose a password (allauth's reset link)."""
    user = membership.user
    context = {
        "membership": membership,
        "user": user,
        "organization": membership.organization,
        "link": password_setup_link(user),
        "login_link": f"{settings.SITE_URL}{reverse('account_login')}",
    }
    subject = _("You are invited to %(organization)s's mentorship programs") % {
        "organization": membership.organization.name
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("programs/email/staff_invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("programs/email/staff_invitation.html", context), "text/html")
    message.send()
    activity_record(
        actor=None,
        verb="staff.invitation_sent",
        target=membership,
        organization=membership.organization,
        data={"email": user.email},
    )
