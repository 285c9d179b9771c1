"""Resumes: which files we accept, how they are stored, searched and handed to staff.

A resume is personal data. It is stored under a random name in MEDIA_ROOT, which no URL
serves; staff open it only through `resume_views.resume_download`, which checks that they may
see the person and logs every opening. Every uploaded version is kept; the newest is current.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO
from xml.etree import ElementTree

from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mentorship.uploads import file_kind, upload_check
from programs.activity import activity_record

from .models import Participation, Person, Resume
from .selectors import people_visible_to

logger = logging.getLogger(__name__)

MAX_RESUME_BYTES = 5 * 1024 * 1024
MAX_EXTRACTED_CHARS = 100_000
# Extraction must stay cheap whatever the upload: a resume rarely has more than a few pages,
# and a small zip can expand to gigabytes of XML.
MAX_PDF_PAGES = 30
MAX_XML_BYTES = 20 * 1024 * 1024

WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass(frozen=True)
class DocumentKind:
    name: str
    extension: str
    content_type: str


PDF = DocumentKind("PDF", ".pdf", "application/pdf")
DOCX = DocumentKind(
    "Word", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
ODT = DocumentKind("OpenDocument", ".odt", "application/vnd.oasis.opendocument.text")
_KINDS = {"pdf": PDF, "docx": DOCX, "odt": ODT}  # by the kind mentorship.uploads finds

# For the file chooser only: what the browser offers. The content decides what we accept.
ACCEPT_ATTRIBUTE = ",".join([".pdf", ".docx", ".odt", PDF.content_type, DOCX.content_type, ODT.content_type])

TOO_LARGE_MESSAGE = _(
    "This file is larger than 5 MB. Please choose a smaller file, for example your resume saved "
    "as a PDF without pictures."
)
WRONG_TYPE_MESSAGE = _(
    "This file is not a PDF, Word or OpenDocument document. Please choose your resume again as a "
    ".pdf, .docx or .odt file."
)


def document_kind(file: IO[bytes]) -> DocumentKind | None:
    """The kind of document, read from the content: the name and the browser's claim can lie."""
    return _KINDS.get(file_kind(file))


def resume_check(file) -> DocumentKind:
    """The document kind of an acceptable resume, or a ValidationError that says what to do."""
    kind = upload_check(
        file,
        kinds=_KINDS,
        max_bytes=MAX_RESUME_BYTES,
        too_large_message=TOO_LARGE_MESSAGE,
        wrong_type_message=WRONG_TYPE_MESSAGE,
    )
    return _KINDS[kind]


def resume_text(file: IO[bytes], kind: DocumentKind) -> str:
    """The document's text for search and matching, or "" when it cannot be read.

    A resume whose text we cannot read is still a resume a coordinator can open, so failure
    here never refuses the upload.
    """
    file.seek(0)
    try:
        if kind is PDF:
            text = _pdf_text(file)
        elif kind is DOCX:
            text = _zipped_xml_text(file, "word/document.xml", {f"{WORD_NS}p"}, text_tag=f"{WORD_NS}t")
        else:
            text = _zipped_xml_text(file, "content.xml", {f"{ODF_TEXT_NS}p", f"{ODF_TEXT_NS}h"})
    # Parsers of untrusted documents fail in many ways (pypdf alone raises a dozen kinds);
    # every one of them means the same thing here: no text.
    except Exception:
        logger.info("Could not extract text from a %s resume", kind.name, exc_info=True)
        text = ""
    finally:
        file.seek(0)
    return text[:MAX_EXTRACTED_CHARS]


def _pdf_text(file: IO[bytes]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted and not reader.decrypt(""):
        return ""
    parts: list[str] = []
    length = 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = (page.extract_text() or "").strip()
        parts.append(text)
        length += len(text)
        if length >= MAX_EXTRACTED_CHARS:
            break
    return "\n".join(part for part in parts if part)


class _CappedReader:
    """Reads at most `limit` bytes from a stream, so that a zip bomb stops early."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.remaining = limit

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size < 0 else min(size, self.remaining)
        data = self.stream.read(size)
        self.remaining -= len(data)
        return data


def _zipped_xml_text(
    file: IO[bytes], member: str, paragraph_tags: set[str], text_tag: str | None = None
) -> str:
    parts: list[str] = []
    length = 0
    with zipfile.ZipFile(file) as archive, archive.open(member) as stream:
        try:
            for _event, element in ElementTree.iterparse(
                _CappedReader(stream, MAX_XML_BYTES), events=("end",)
            ):
                if element.tag not in paragraph_tags:
                    continue
                if text_tag:
                    text = "".join(node.text or "" for node in element.iter(text_tag))
                else:
                    text = "".join(element.itertext())
                element.clear()
                text = text.strip()
                if text:
                    parts.append(text)
                    length += len(text) + 1
                if length >= MAX_EXTRACTED_CHARS:
                    break
        except ElementTree.ParseError:
            # Truncated by the cap, or malformed after some text: keep what was read.
            pass
    return "\n".join(parts)


def _sha256(file: IO[bytes]) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _display_filename(name: str) -> str:
    """The name the person gave the file, without any folder, kept for downloads."""
    filename = PurePath(name.replace("\\", "/")).name.strip() or "resume"
    if len(filename) > 255:
        suffix = PurePath(filename).suffix[:10]
        filename = filename[: 255 - len(suffix)] + suffix
    return filename


@transaction.atomic
def resume_add(*, person: Person, upload: File, participation: Participation | None = None, actor) -> Resume:
    """Store a new version of the person's resume.

    Steps: check size and kind from the content; hash it; extract its text; save it under a
    random name with the extension of its real kind; log the upload.
    """
    kind = resume_check(upload)
    resume = Resume(
        person=person,
        participation=participation,
        original_filename=_display_filename(upload.name or ""),
        content_type=kind.content_type,
        size=upload.size,
        sha256=_sha256(upload),
        extracted_text=resume_text(upload, kind),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    resume.full_clean(exclude=["file"])
    # The stored name is random (private_upload_path); only the extension comes from us.
    resume.file.save(f"resume{kind.extension}", upload, save=False)
    resume.save()
    activity_record(
        actor=actor,
        verb="resume.uploaded",
        target=person,
        organization=person.organization,
        program=participation.program if participation else None,
        data={"resume": resume.pk, "filename": resume.original_filename, "size": resume.size},
    )
    return resume


def resumes_visible_to(user):
    return Resume.objects.filter(person__in=people_visible_to(user))


def get_resume_for_user(user, resume_id: int) -> Resume:
    try:
        return (
            resumes_visible_to(user)
            .select_related("person__organization", "participation__program")
            .get(pk=resume_id)
        )
    except Resume.DoesNotExist:
        raise Http404 from None


def resume_open_for_download(*, resume: Resume, actor) -> IO[bytes]:
    """The stored file, opened for reading; every opening is logged."""
    handle = resume.file.open("rb")
    activity_record(
        actor=actor,
        verb="resume.downloaded",
        target=resume.person,
        organization=resume.person.organization,
        program=resume.participation.program if resume.participation else None,
        data={"resume": resume.pk, "filename": resume.original_filename},
    )
    return handle
