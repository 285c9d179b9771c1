"""Reads scoped to what a user may see. Every staff or funder page starts from these."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from participants.models import MentorProfile, Participation, Referral

from .models import (
    Cohort,
    Funder,
    FunderContact,
    Funding,
    Organization,
    Partner,
    PartnerContact,
    PrivacyNotice,
    Program,
    ProgramResource,
    ReportingPeriod,
    StaffMembership,
)


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


# --- Program setup, partners and funders ------------------------------------------------------


def get_cohort(program: Program, cohort_id: int) -> Cohort:
    """A cohort of a program the caller has already authorised; any other id gives 404."""
    try:
        return program.cohorts.get(pk=cohort_id)
    except Cohort.DoesNotExist:
        raise Http404 from None


def cohorts_with_counts(program: Program) -> QuerySet[Cohort]:
    """The program's cohorts with how many mentors and mentees joined each, in one query."""
    return program.cohorts.annotate(
        mentor_count=Count("participations", filter=Q(participations__role=Participation.Role.MENTOR)),
        mentee_count=Count("participations", filter=Q(participations__role=Participation.Role.MENTEE)),
    ).order_by("-starts_on", "name")


def get_resource(program: Program, resource_id: int) -> ProgramResource:
    try:
        return program.resources.get(pk=resource_id)
    except ProgramResource.DoesNotExist:
        raise Http404 from None


def resources_downloadable_by(user) -> QuerySet[ProgramResource]:
    """Resources whose file the user may download.

    Staff download the resources of the programs they work in. When the portal serves
    resources, this is where participants of a program join in, for the audience they are in
    (OR another condition onto `condition`), so that every download view keeps one rule.
    """
    if not user.is_authenticated:
        return ProgramResource.objects.none()
    condition = Q(program__in=programs_visible_to(user))
    return ProgramResource.objects.filter(condition).select_related("program")


def get_resource_for_download(user, resource_id: int) -> ProgramResource:
    try:
        return resources_downloadable_by(user).exclude(file="").get(pk=resource_id)
    except ProgramResource.DoesNotExist:
        raise Http404 from None


def privacy_notices_with_consent_counts(program: Program) -> QuerySet[PrivacyNotice]:
    return program.privacy_notices.annotate(consent_count=Count("consents")).order_by("-version")


def current_privacy_notice(program: Program) -> PrivacyNotice | None:
    """The version applicants agree to now: the newest published one (None before the first).

    Versions are numbered when drafted and only one draft exists at a time, so the highest
    published version number is also the one published last.
    """
    return program.privacy_notices.filter(published_at__isnull=False).order_by("-version").first()


def get_privacy_notice(program: Program, notice_id: int) -> PrivacyNotice:
    try:
        return program.privacy_notices.get(pk=notice_id)
    except PrivacyNotice.DoesNotExist:
        raise Http404 from None


def partners_visible_to(user) -> QuerySet[Partner]:
    """Partners of the organizations the user is on the staff of."""
    return Partner.objects.filter(organization__in=organizations_visible_to(user))


def get_partner_for_user(user, partner_id: int) -> Partner:
    try:
        return partners_visible_to(user).select_related("organization").get(pk=partner_id)
    except Partner.DoesNotExist:
        raise Http404 from None


def get_administered_partner(user, partner_id: int) -> Partner:
    try:
        return Partner.objects.select_related("organization").get(
            pk=partner_id, organization__in=organizations_administered_by(user)
        )
    except Partner.DoesNotExist:
        raise Http404 from None


def get_partner_contact(partner: Partner, contact_id: int) -> PartnerContact:
    try:
        return partner.contacts.get(pk=contact_id)
    except PartnerContact.DoesNotExist:
        raise Http404 from None


def partner_involvement(partner: Partner, programs: QuerySet[Program]) -> dict:
    """How much a partner is involved in the given programs: counts only, in three queries.

    Callers pass the programs the user works in, so that a coordinator limited to one program
    does not learn the numbers of another.
    """
    referral_rows = (
        Referral.objects.filter(partner=partner, participation__program__in=programs)
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_outcome = {row["outcome"]: row["n"] for row in referral_rows}
    return {
        "referred_participants": partner.referred_participations.filter(program__in=programs).count(),
        "employed_mentors": MentorProfile.objects.filter(
            employer_partner=partner, participation__program__in=programs
        ).count(),
        "referrals_total": sum(by_outcome.values()),
        "referrals_by_outcome": [
            (value, label, by_outcome.get(value, 0)) for value, label in Referral.Outcome.choices
        ],
    }


def funders_administered_by(user) -> QuerySet[Funder]:
    return Funder.objects.filter(organization__in=organizations_administered_by(user))


def get_administered_funder(user, funder_id: int) -> Funder:
    try:
        return funders_administered_by(user).select_related("organization").get(pk=funder_id)
    except Funder.DoesNotExist:
        raise Http404 from None


def get_funder_contact(funder: Funder, contact_id: int) -> FunderContact:
    try:
        return funder.contacts.get(pk=contact_id)
    except FunderContact.DoesNotExist:
        raise Http404 from None


def get_funding(funder: Funder, funding_id: int) -> Funding:
    try:
        return funder.fundings.select_related("program").get(pk=funding_id)
    except Funding.DoesNotExist:
        raise Http404 from None


def get_reporting_period(funder: Funder, period_id: int) -> ReportingPeriod:
    try:
        return funder.reporting_periods.get(pk=period_id)
    except ReportingPeriod.DoesNotExist:
        raise Http404 from None
