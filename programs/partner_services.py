"""Partners and funders: the outside organizations an organization works with.

Partners (and their contacts) refer people and offer services; funders (and their contacts)
pay for programs through fundings and expect reports for their reporting periods. Each
operation is atomic and logged on the partner's or funder's timeline.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .activity import activity_record, logged_update
from .models import (
    Funder,
    FunderContact,
    Funding,
    Organization,
    Partner,
    PartnerContact,
    Program,
    ReportingPeriod,
)

# --- Partners ---------------------------------------------------------------------------------


def _refuse_duplicate_partner_name(
    organization: Organization, name: str, partner: Partner | None = None
) -> None:
    others = organization.partners.filter(name__iexact=name)
    if partner is not None:
        others = others.exclude(pk=partner.pk)
    if others.exists():
        raise ValidationError({"name": _("You already have a partner called “%(name)s”.") % {"name": name}})


@transaction.atomic
def partner_create(*, organization: Organization, actor, **fields) -> Partner:
    partner = Partner(organization=organization, **fields)
    _refuse_duplicate_partner_name(organization, partner.name)
    partner.full_clean()
    partner.save()
    activity_record(
        actor=actor,
        verb="partner.created",
        target=partner,
        organization=organization,
        data={"name": partner.name},
    )
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, actor, **fields) -> Partner:
    logged_update(
        partner,
        fields=fields,
        actor=actor,
        verb="partner.updated",
        organization=partner.organization,
        check=lambda: _refuse_duplicate_partner_name(partner.organization, partner.name, partner),
    )
    return partner


@transaction.atomic
def partner_contact_save(
    *, partner: Partner, actor, contact: PartnerContact | None = None, **fields
) -> PartnerContact:
    """Add a contact (without `contact`) or change one. Logged on the partner's timeline."""
    contact = contact or PartnerContact(partner=partner)
    if contact.partner_id != partner.pk:
        raise ValidationError(_("This contact belongs to another partner."))
    return _contact_save(contact, owner=partner, verb="partner_contact.saved", actor=actor, fields=fields)


@transaction.atomic
def partner_contact_remove(*, contact: PartnerContact, actor) -> None:
    _contact_remove(contact, owner=contact.partner, verb="partner_contact.removed", actor=actor)


def _contact_save(contact, *, owner, verb: str, actor, fields: dict):
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    activity_record(
        actor=actor,
        verb=verb,
        target=owner,
        organization=owner.organization,
        data={"contact": contact.name, "contact_id": contact.pk},
    )
    return contact


def _contact_remove(contact, *, owner, verb: str, actor) -> None:
    activity_record(
        actor=actor, verb=verb, target=owner, organization=owner.organization, data={"contact": contact.name}
    )
    contact.delete()


# --- Funders ----------------------------------------------------------------------------------


def _unique_funder_slug(organization: Organization, name: str) -> str:
    """Funder slugs are unique across organizations, which each keep their own funder record."""
    base = slugify(f"{name} {organization.slug}")[:70] or "funder"
    slug, number = base, 2
    while Funder.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def funder_create(*, organization: Organization, actor, **fields) -> Funder:
    funder = Funder(organization=organization, **fields)
    funder.slug = _unique_funder_slug(organization, funder.name)
    funder.full_clean()
    funder.save()
    activity_record(
        actor=actor,
        verb="funder.created",
        target=funder,
        organization=organization,
        data={"name": funder.name},
    )
    return funder


@transaction.atomic
def funder_update(*, funder: Funder, actor, **fields) -> Funder:
    logged_update(funder, fields=fields, actor=actor, verb="funder.updated", organization=funder.organization)
    return funder


@transaction.atomic
def funder_contact_save(
    *, funder: Funder, actor, contact: FunderContact | None = None, **fields
) -> FunderContact:
    contact = contact or FunderContact(funder=funder)
    if contact.funder_id != funder.pk:
        raise ValidationError(_("This contact belongs to another funder."))
    return _contact_save(contact, owner=funder, verb="funder_contact.saved", actor=actor, fields=fields)


@transaction.atomic
def funder_contact_remove(*, contact: FunderContact, actor) -> None:
    _contact_remove(contact, owner=contact.funder, verb="funder_contact.removed", actor=actor)


@transaction.atomic
def funding_add(
    *,
    funder: Funder,
    program: Program,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    actor,
) -> Funding:
    """Record that the funder pays for one of the organization's own programs."""
    if program.organization_id != funder.organization_id:
        raise ValidationError({"program": _("A funder can only fund your organization's programs.")})
    if funder.fundings.filter(program=program).exists():
        raise ValidationError({"program": _("This funder already funds this program.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Funding cannot end before it starts.")})
    funding = Funding(funder=funder, program=program, starts_on=starts_on, ends_on=ends_on)
    funding.full_clean()
    funding.save()
    activity_record(
        actor=actor,
        verb="funding.added",
        target=funder,
        organization=funder.organization,
        program=program,
        data={"program": program.slug, "starts_on": starts_on, "ends_on": ends_on},
    )
    return funding


@transaction.atomic
def funding_remove(*, funding: Funding, actor) -> None:
    activity_record(
        actor=actor,
        verb="funding.removed",
        target=funding.funder,
        organization=funding.funder.organization,
        program=funding.program,
        data={"program": funding.program.slug},
    )
    funding.delete()


@transaction.atomic
def reporting_period_save(
    *, funder: Funder, actor, period: ReportingPeriod | None = None, **fields
) -> ReportingPeriod:
    """Add a reporting period (without `period`) or change one."""
    period = period or ReportingPeriod(funder=funder)
    if period.funder_id != funder.pk:
        raise ValidationError(_("This reporting period belongs to another funder."))
    for name, value in fields.items():
        setattr(period, name, value)
    period.full_clean()
    period.save()
    activity_record(
        actor=actor,
        verb="reporting_period.saved",
        target=funder,
        organization=funder.organization,
        data={"period": period.name, "starts_on": period.starts_on, "ends_on": period.ends_on},
    )
    return period


@transaction.atomic
def reporting_period_remove(*, period: ReportingPeriod, actor) -> None:
    funder = period.funder
    activity_record(
        actor=actor,
        verb="reporting_period.removed",
        target=funder,
        organization=funder.organization,
        data={"period": period.name},
    )
    period.delete()
