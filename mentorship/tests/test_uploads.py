"""The kind of an upload is read from its bytes, and the check refuses with the caller's words."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.uploads import file_kind, upload_check


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def check(content: bytes, **options):
    options = {
        "kinds": {"pdf", "docx"},
        "max_bytes": 1000,
        "too_large_message": "The file is %(size)s MB; too big.",
        "wrong_type_message": "Not a PDF or Word file.",
        **options,
    }
    return upload_check(SimpleUploadedFile("anything.pdf", content), **options)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%%EOF\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 8, "jpg"),
        (zipped({"word/document.xml": b"<w:document/>"}), "docx"),
        (zipped({"ppt/presentation.xml": b"<p:presentation/>"}), "pptx"),
        (zipped({"xl/workbook.xml": b"<workbook/>"}), "xlsx"),
        (zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "odt"),
    ],
)
def test_kind_is_read_from_the_content_and_the_file_is_left_at_its_start(content, kind):
    file = io.BytesIO(content)
    assert file_kind(file) == kind
    assert file.tell() == 0


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"MZ\x90\x00 a Windows program",
        b"PK\x03\x04 not really a zip",
        zipped({"notes.txt": b"hello"}),
        zipped({"mimetype": b"application/vnd.oasis.opendocument.text-template"}),
    ],
)
def test_unknown_content_has_no_kind(content):
    assert file_kind(io.BytesIO(content)) is None


def test_accepted_upload_gives_its_kind():
    assert check(zipped({"word/document.xml": b"<w:document/>"})) == "docx"


def test_kind_outside_the_allowed_set_is_refused_with_the_callers_message():
    with pytest.raises(ValidationError) as excinfo:
        check(b"\x89PNG\r\n\x1a\n")
    assert excinfo.value.code == "wrong_type"
    assert excinfo.value.messages == ["Not a PDF or Word file."]


def test_too_large_upload_is_refused_with_its_size_before_its_content_is_read():
    with pytest.raises(ValidationError) as excinfo:
        check(b"not even a known kind" + b"0" * 1_500_000, max_bytes=1_000_000)
    assert excinfo.value.code == "too_large"
    assert excinfo.value.messages == ["The file is 1.5 MB; too big."]
