"""Setting up a program: its application questions, cohorts, resource library and privacy notices.

Each operation is atomic and logged. The program's own details, eligibility included, are
changed with `services.program_update`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.uploads import upload_check

from . import intake_questions
from .activity import activity_record, field_changes, logged_update
from .models import Cohort, PrivacyNotice, Program, ProgramResource

# --- Application questions and cohorts --------------------------------------------------------


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
    logged_update(
        cohort,
        fields=fields,
        actor=actor,
        verb="cohort.updated",
        organization=cohort.program.organization,
        program=cohort.program,
        check=lambda: _refuse_duplicate_cohort_name(cohort.program, cohort.name, cohort),
    )
    return cohort


# --- Program resources (files are checked by their content, never trusted by their name) ------

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


def _checked_upload(file: UploadedFile) -> tuple[str, str]:
    """Refuses a file that is too big or not of an accepted kind; returns (suffix, original name)."""
    try:
        kind = upload_check(
            file,
            kinds=RESOURCE_FILE_TYPES,
            max_bytes=RESOURCE_MAX_BYTES,
            too_large_message=_("The file is %(size)s MB; files can be at most 10 MB."),
            wrong_type_message=_(
                "This file is not a PDF, Word (DOCX), OpenDocument text (ODT), PowerPoint (PPTX), "
                "Excel (XLSX), PNG or JPG file. Its content was checked, not only its name."
            ),
        )
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
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
    changed = field_changes(resource, fields)
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
