"""What kind of file an upload really is, read from its bytes, and the check forms run on it.

The file's name and the content type the browser sends are chosen by the uploader, so they
decide nothing: only the content does. Each caller says which kinds it accepts, how big a file
may be, and what to tell the person when the file is refused.
"""

from __future__ import annotations

import zipfile
from collections.abc import Container
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Office Open XML files are ZIP archives; the main part that only one format has tells them apart.
_OFFICE_PARTS = {"word/document.xml": "docx", "ppt/presentation.xml": "pptx", "xl/workbook.xml": "xlsx"}


def file_kind(file: IO[bytes]) -> str | None:
    """ "pdf", "docx", "odt", "pptx", "xlsx", "png" or "jpg", read from the content; else None.

    The file is left at its start.
    """
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
        return _zip_kind(file)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        KeyError,
        NotImplementedError,  # a member with an unknown compression
        RuntimeError,  # an encrypted member
    ):
        return None
    finally:
        file.seek(0)


def _zip_kind(file: IO[bytes]) -> str | None:
    with zipfile.ZipFile(file) as archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            # Read no more than the expected value: a small archive can expand to gigabytes.
            with archive.open("mimetype") as mimetype:
                if mimetype.read(len(_ODT_MIMETYPE) + 2).strip() == _ODT_MIMETYPE:
                    return "odt"
    return next((kind for part, kind in _OFFICE_PARTS.items() if part in names), None)


def upload_check(
    file: File,
    *,
    kinds: Container[str],
    max_bytes: int,
    too_large_message: str,
    wrong_type_message: str,
) -> str:
    """The kind of an acceptable upload, or a ValidationError with the caller's message.

    The size is checked first, so that a huge file is refused before any of it is read.
    `too_large_message` may use %(size)s, the file's size in MB.
    """
    if file.size > max_bytes:
        raise ValidationError(too_large_message, code="too_large", params={"size": f"{file.size / 1e6:.1f}"})
    kind = file_kind(file)
    if kind not in kinds:
        raise ValidationError(wrong_type_message, code="wrong_type")
    return kind
