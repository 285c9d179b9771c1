"""Domain operations on organizations, programs and staff. Each is atomic and logged."""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.invitations import password_setup_link

from . import intake_questions
from .activity import activity_record
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

User = get_user_model()

PROGRAM_FIELDS = ("name", "slug", "description", "focus", "region", "is_active")


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
    changed = {
        name: [getattr(program, name), value]
        for name, value in fields.items()
        if getattr(program, name) != value
    }
    if not changed:
        return program
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    program.save()
    activity_record(
        actor=actor,
        verb="program.updated",
        target=program,
        organization=program.organization,
        program=program,
        data={"changed": changed},
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


# --- Program setup ----------------------------------------------------------------------------


def _changes(obj, fields: dict) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value differs, for the activity log."""
    return {
        name: [getattr(obj, name), value] for name, value in fields.items() if getattr(obj, name) != value
    }


@transaction.atomic
def intake_questions_update(*, program: Program, states: dict[str, str], actor) -> Program:
    """Save which application questions the program asks, and which of them are required.

    Every question that applies is stored explicitly, so that a later change of a default in
    `intake_questions.py` does not silently change what a program asks.
    """
    errors = {}
    for key, state in states.items():
        if key not in intake_questions.QUESTIONS_BY_KEY:
            errors[key] = _("There is no application question called “%(key)s”.") % {"key": key}
        elif state not in dict(intake_questions.STATES):
            errors[key] = _("Choose Required, Optional or Not asked.")
    if errors:
        raise ValidationError(errors)
    before = {q.key: intake_questions.question_state(program, q.key) for q in intake_questions.QUESTIONS}
    after = {**before, **states}
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changed:
        return program
    program.intake_questions = after
    program.full_clean()
    program.save(update_fields=["intake_questions"])
    activity_record(
        actor=actor,
        verb="intake_questions.updated",
        target=program,
        organization=program.organization,
        program=program,
        data={"changed": changed},
    )
    return program


def _refuse_duplicate_cohort_name(program: Program, name: str, cohort: Cohort | None = None) -> None:
    others = program.cohorts.filter(name__iexact=name)
    if cohort is not None:
        others = others.exclude(pk=cohort.pk)
    if others.exists():
        raise ValidationError(
            {"name": _("This program already has a cohort called “%(name)s”.") % {"name": name}}
        )


@transaction.atomic
def cohort_create(*, program: Program, actor, **fields) -> Cohort:
    cohort = Cohort(program=program, **fields)
    _refuse_duplicate_cohort_name(program, cohort.name)
    cohort.full_clean()
    cohort.save()
    activity_record(
        actor=actor,
        verb="cohort.created",
        target=cohort,
        organization=program.organization,
        program=program,
        data={"name": cohort.name},
    )
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, actor, **fields) -> Cohort:
    changed = _changes(cohort, fields)
    if not changed:
        return cohort
    for name, value in fields.items():
        setattr(cohort, name, value)
    _refuse_duplicate_cohort_name(cohort.program, cohort.name, cohort)
    cohort.full_clean()
    cohort.save()
    activity_record(
        actor=actor,
        verb="cohort.updated",
        target=cohort,
        organization=cohort.program.organization,
        program=cohort.program,
        data={"changed": changed},
    )
    return cohort


# --- Program resources (files are sniffed, never trusted by their name) ----------------------

RESOURCE_MAX_BYTES = 10 * 1024 * 1024

# What we accept, by the kind found in the content: (suffix stored, content type served).
RESOURCE_FILE_TYPES = {
    "pdf": (".pdf", "application/pdf"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": (".odt", "application/vnd.oasis.opendocument.text"),
    "pptx": (".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "png": (".png", "image/png"),
    "jpg": (".jpg", "image/jpeg"),
}
RESOURCE_CONTENT_TYPES = dict(RESOURCE_FILE_TYPES.values())  # {suffix: content type}

# Office files are ZIP archives; the part that only one format has tells them apart.
_OFFICE_PARTS = {"word/document.xml": "docx", "ppt/presentation.xml": "pptx", "xl/workbook.xml": "xlsx"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff_file_kind(file) -> str | None:
    """The kind of an accepted file, read from its first bytes (and ZIP directory), or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        file.seek(0)
    return next((kind for part, kind in _OFFICE_PARTS.items() if part in names), None)


def _checked_upload(file: UploadedFile) -> tuple[str, str]:
    """Refuses a file that is too big or not of an accepted kind; returns (suffix, original name)."""
    if file.size > RESOURCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; files can be at most 10 MB.")
                % {"size": f"{file.size / 1e6:.1f}"}
            }
        )
    kind = sniff_file_kind(file)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "This file is not a PDF, Word (DOCX), OpenDocument text (ODT), PowerPoint (PPTX), "
                    "Excel (XLSX), PNG or JPG file. Its content was checked, not only its name."
                )
            }
        )
    return RESOURCE_FILE_TYPES[kind][0], Path(file.name).name[:255]


def _attach_file(resource: ProgramResource, file: UploadedFile) -> None:
    suffix, original_name = _checked_upload(file)
    # The stored name is random (private_upload_path) with the suffix of the sniffed kind, so
    # that the download's content type follows the content, not what the uploader named it.
    file.name = f"resource{suffix}"
    resource.file = file
    resource.original_filename = original_name


def _delete_file_after_commit(file) -> None:
    name, storage = file.name, file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


RESOURCE_FIELDS = ("title", "description", "audience", "kind", "url", "is_required", "position")


@transaction.atomic
def resource_add(*, program: Program, actor, file: UploadedFile | None = None, **fields) -> ProgramResource:
    """Add a link or a file to the program's library. A file is checked by its content."""
    resource = ProgramResource(program=program, **fields)
    if file is not None:
        _attach_file(resource, file)
    resource.full_clean()
    resource.save()
    activity_record(
        actor=actor,
        verb="resource.added",
        target=resource,
        organization=program.organization,
        program=program,
        data={"title": resource.title, "file": resource.original_filename, "url": resource.url},
    )
    return resource


@transaction.atomic
def resource_update(
    *, resource: ProgramResource, actor, file: UploadedFile | None = None, **fields
) -> ProgramResource:
    """Change a resource's details; a new file replaces the old one, which is deleted."""
    changed = _changes(resource, fields)
    old_file = resource.file if file is not None and resource.file else None
    old_filename = resource.original_filename
    for name, value in fields.items():
        setattr(resource, name, value)
    if file is not None:
        _attach_file(resource, file)
        changed["file"] = [old_filename, resource.original_filename]
    if not changed:
        return resource
    resource.full_clean()
    resource.save()
    if old_file is not None:
        _delete_file_after_commit(old_file)
    activity_record(
        actor=actor,
        verb="resource.updated",
        target=resource,
        organization=resource.program.organization,
        program=resource.program,
        data={"changed": changed},
    )
    return resource


@transaction.atomic
def resource_remove(*, resource: ProgramResource, actor) -> None:
    activity_record(
        actor=actor,
        verb="resource.removed",
        target=resource,
        organization=resource.program.organization,
        program=resource.program,
        data={"title": resource.title},
    )
    if resource.file:
        _delete_file_after_commit(resource.file)
    resource.delete()


# --- Privacy notices: drafts may change, published versions never do -------------------------


@transaction.atomic
def privacy_notice_draft(*, program: Program, text: str, actor) -> PrivacyNotice:
    """Start the next version of the program's privacy notice as a draft.

    Only one draft at a time: versions are numbered when drafted, and one draft keeps the
    numbering in the order of publication.
    """
    Program.objects.select_for_update().filter(pk=program.pk).first()  # serialise numbering
    if program.privacy_notices.filter(published_at__isnull=True).exists():
        raise ValidationError(_("There is already a draft. Edit and publish it before starting another."))
    last = program.privacy_notices.order_by("-version").values_list("version", flat=True).first() or 0
    notice = PrivacyNotice(program=program, version=last + 1, text=text)
    notice.full_clean()
    notice.save()
    activity_record(
        actor=actor,
        verb="privacy_notice.drafted",
        target=notice,
        organization=program.organization,
        program=program,
        data={"version": notice.version},
    )
    return notice


def _refuse_published(notice: PrivacyNotice) -> None:
    if notice.is_published:
        raise ValidationError(
            _(
                "Version %(version)s is published and cannot change: people agreed to this exact "
                "text. Draft a new version instead."
            )
            % {"version": notice.version}
        )


@transaction.atomic
def privacy_notice_update(*, notice: PrivacyNotice, text: str, actor) -> PrivacyNotice:
    notice = (
        PrivacyNotice.objects.select_for_update().select_related("program__organization").get(pk=notice.pk)
    )
    _refuse_published(notice)
    if notice.text == text:
        return notice
    notice.text = text
    notice.full_clean()
    notice.save(update_fields=["text"])
    activity_record(
        actor=actor,
        verb="privacy_notice.updated",
        target=notice,
        organization=notice.program.organization,
        program=notice.program,
        data={"version": notice.version},
    )
    return notice


@transaction.atomic
def privacy_notice_publish(*, notice: PrivacyNotice, actor) -> PrivacyNotice:
    """Publish a draft: from now on applicants agree to it, and it can no longer change."""
    notice = (
        PrivacyNotice.objects.select_for_update().select_related("program__organization").get(pk=notice.pk)
    )
    _refuse_published(notice)
    if not notice.text.strip():
        raise ValidationError({"text": _("Write the notice before publishing it.")})
    notice.published_at = timezone.now()
    notice.save(update_fields=["published_at"])
    activity_record(
        actor=actor,
        verb="privacy_notice.published",
        target=notice,
        organization=notice.program.organization,
        program=notice.program,
        data={"version": notice.version},
    )
    return notice


# --- Partners ---------------------------------------------------------------------------------

PARTNER_FIELDS = ("name", "kind", "is_champion", "website", "services", "notes", "is_active")


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
    changed = _changes(partner, fields)
    if not changed:
        return partner
    for name, value in fields.items():
        setattr(partner, name, value)
    _refuse_duplicate_partner_name(partner.organization, partner.name, partner)
    partner.full_clean()
    partner.save()
    activity_record(
        actor=actor,
        verb="partner.updated",
        target=partner,
        organization=partner.organization,
        data={"changed": changed},
    )
    return partner


CONTACT_FIELDS = ("name", "title", "email", "phone")


@transaction.atomic
def partner_contact_save(
    *, partner: Partner, actor, contact: PartnerContact | None = None, **fields
) -> PartnerContact:
    """Add a contact (without `contact`) or change one. Logged on the partner's timeline."""
    contact = contact or PartnerContact(partner=partner)
    if contact.partner_id != partner.pk:
        raise ValidationError(_("This contact belongs to another partner."))
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    activity_record(
        actor=actor,
        verb="partner_contact.saved",
        target=partner,
        organization=partner.organization,
        data={"contact": contact.name, "contact_id": contact.pk},
    )
    return contact


@transaction.atomic
def partner_contact_remove(*, contact: PartnerContact, actor) -> None:
    partner = contact.partner
    activity_record(
        actor=actor,
        verb="partner_contact.removed",
        target=partner,
        organization=partner.organization,
        data={"contact": contact.name},
    )
    contact.delete()


# --- Funders ----------------------------------------------------------------------------------

FUNDER_FIELDS = ("name", "website", "notes")


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
    changed = _changes(funder, fields)
    if not changed:
        return funder
    for name, value in fields.items():
        setattr(funder, name, value)
    funder.full_clean()
    funder.save()
    activity_record(
        actor=actor,
        verb="funder.updated",
        target=funder,
        organization=funder.organization,
        data={"changed": changed},
    )
    return funder


@transaction.atomic
def funder_contact_save(
    *, funder: Funder, actor, contact: FunderContact | None = None, **fields
) -> FunderContact:
    contact = contact or FunderContact(funder=funder)
    if contact.funder_id != funder.pk:
        raise ValidationError(_("This contact belongs to another funder."))
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    activity_record(
        actor=actor,
        verb="funder_contact.saved",
        target=funder,
        organization=funder.organization,
        data={"contact": contact.name, "contact_id": contact.pk},
    )
    return contact


@transaction.atomic
def funder_contact_remove(*, contact: FunderContact, actor) -> None:
    funder = contact.funder
    activity_record(
        actor=actor,
        verb="funder_contact.removed",
        target=funder,
        organization=funder.organization,
        data={"contact": contact.name},
    )
    contact.delete()


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
