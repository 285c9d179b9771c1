"""Reads scoped to what a user may see. Every staff or funder page starts from these."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Funder, Organization, Program, StaffMembership


def staff_memberships_of(user) -> list[StaffMembership]:
    """The user's active memberships, fetched once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_staff_memberships_cache", None)
    if cached is None:
        cached = list(
            StaffMembership.objects.filter(user=user, is_active=True)
            .select_related("organization")
            .prefetch_related("programs")
        )
        user._staff_memberships_cache = cached
    return cached


def _visible_programs_filter(user) -> Q | None:
    memberships = staff_memberships_of(user)
    if not memberships:
        return None
    condition = Q(pk__in=[])
    for membership in memberships:
        limited_to = [program.pk for program in membership.programs.all()]
        if limited_to:
            condition |= Q(pk__in=limited_to, organization_id=membership.organization_id)
        else:
            condition |= Q(organization_id=membership.organization_id)
    return condition


def programs_visible_to(user) -> QuerySet[Program]:
    """Programs a staff member works in: all of an organization's, or the ones they are limited to."""
    condition = _visible_programs_filter(user)
    if condition is None:
        return Program.objects.none()
    return Program.objects.filter(condition).select_related("organization")


def organizations_visible_to(user) -> QuerySet[Organization]:
    ids = [membership.organization_id for membership in staff_memberships_of(user)]
    return Organization.objects.filter(pk__in=ids)


def organizations_administered_by(user) -> QuerySet[Organization]:
    ids = [m.organization_id for m in staff_memberships_of(user) if m.is_admin]
    return Organization.objects.filter(pk__in=ids)


def get_program_for_user(user, slug: str) -> Program:
    try:
        return programs_visible_to(user).get(slug=slug)
    except Program.DoesNotExist:
        raise Http404 from None


def get_administered_program(user, slug: str) -> Program:
    try:
        return Program.objects.select_related("organization").get(
            slug=slug, organization__in=organizations_administered_by(user)
        )
    except Program.DoesNotExist:
        raise Http404 from None


def get_administered_membership(user, membership_id: int) -> StaffMembership:
    try:
        return (
            StaffMembership.objects.select_related("user", "organization")
            .prefetch_related("programs")
            .get(pk=membership_id, organization__in=organizations_administered_by(user))
        )
    except StaffMembership.DoesNotExist:
        raise Http404 from None


def staff_of_organizations(organizations: QuerySet[Organization]) -> QuerySet[StaffMembership]:
    return (
        StaffMembership.objects.filter(organization__in=organizations)
        .select_related("user", "organization")
        .prefetch_related("programs")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email")
    )


def funders_of(user) -> QuerySet[Funder]:
    if not user.is_authenticated:
        return Funder.objects.none()
    return Funder.objects.filter(memberships__user=user)


def programs_funded_for(user) -> QuerySet[Program]:
    """Programs a funder user may read aggregates of: those their funder funds."""
    if not user.is_authenticated:
        return Program.objects.none()
    return (
        Program.objects.filter(fundings__funder__memberships__user=user)
        .select_related("organization")
        .distinct()
    )
