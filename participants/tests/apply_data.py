"""Real documents and filled-in answers for the application and resume tests."""

from __future__ import annotations

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from matching.models import Occupation


def pdf_bytes(text: str = "Amina Okafor, civil engineer with 8 years of experience") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def docx_bytes(paragraphs: tuple[str, ...] = ("Mei Zhang", "Senior structural engineer")) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes(paragraphs: tuple[str, ...] = ("Lucía Fernández", "Registered nurse")) -> bytes:
    body = "".join(f"<text:p>{text}</text:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


def html_bytes() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def occupations() -> dict[str, Occupation]:
    Occupation.objects.create(code="2", title="Natural and applied sciences", level=1)
    return {
        "civil": Occupation.objects.create(code="21300", title="Civil engineers", level=5),
        "nurse": Occupation.objects.create(code="31301", title="Registered nurses", level=5),
        "mechanical": Occupation.objects.create(code="21301", title="Mechanical engineers", level=5),
    }


def mentee_answers(**overrides) -> dict:
    """A mentee's answers to the questions a program asks by default, as the browser posts them."""
    data = {
        "first_name": "Amina",
        "last_name": "Okafor",
        "email": "Amina.Okafor@Example.com",
        "phone": "587-555-0101",
        "city": "Edmonton",
        "region": "Alberta",
        "language_1": "English",
        "proficiency_1": "professional",
        "language_2": "Yoruba",
        "proficiency_2": "fluent",
        "interests": "bridges, project management, , Bridges",
        "style_agenda": "structured",
        "style_feedback": "direct",
        "availability": ["weekday_evenings", "weekends"],
        "meeting_modes": ["video", "in_person"],
        "open_to_other_regions": "yes",
        "occupation": "21300",
        "occupation_title": "Structural engineer",
        "years_experience": "8",
        "education": "Master's in civil engineering",
        "credential_country": "Nigeria",
        "credential_assessment": "completed",
        "regulated_profession": "yes",
        "licensing_status": "Working toward APEGA registration",
        "arrived_on": "2024-03-15",
        "language_clb": "8",
        "employment": "survival",
        "goals": ["employment_in_field", "certification"],
        "privacy_consent": "on",
        "story_consent": "yes",
    }
    data.update(overrides)
    return data


def mentor_answers(**overrides) -> dict:
    data = {
        "first_name": "Mei",
        "last_name": "Zhang",
        "email": "mei.zhang@example.com",
        "phone": "780-555-0199",
        "city": "Calgary",
        "region": "Alberta",
        "language_1": "English",
        "proficiency_1": "fluent",
        "language_2": "Mandarin",
        "proficiency_2": "fluent",
        "availability": ["weekday_daytime"],
        "meeting_modes": ["video"],
        "occupation": "21300",
        "occupation_title": "Senior structural engineer",
        "employer_name": "  prairie   infrastructure ltd. ",
        "designation": "P.Eng.",
        "years_experience": "22",
        "max_mentees": "2",
        "open_to_group": "on",
        "wants_hours_record": "yes",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


# Required fields are named with an asterisk ("Email*"); "Their email" is another field.
EMAIL_LABEL = re.compile(r"^Email")


def fill_about_me(page) -> None:
    """Fills the applicant's name and email on the open form (a Playwright page)."""
    page.get_by_label("First name").fill("Amina")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_role("textbox", name=EMAIL_LABEL).fill("amina@example.com")


def fill_the_rest(page) -> None:
    """Fills the other questions a program asks mentees by default."""
    page.get_by_label("Phone number").fill("587-555-0101")
    page.get_by_label("City or town").fill("Edmonton")
    page.get_by_label("Province, territory or region").fill("Alberta")
    page.get_by_label("Language 1", exact=True).fill("English")
    page.get_by_label("Level for language 1").select_option(label="Professional working")
    page.get_by_label("When did you arrive in Canada?").fill("2024-03-15")
    page.get_by_label("Your job title before Canada").fill("Structural engineer")
    page.get_by_label("Years of experience in this profession").fill("8")
    page.get_by_label("Highest education").fill("Master's in civil engineering")
    page.get_by_label("Country where you studied or qualified").fill("Nigeria")
    page.get_by_label("Assessment of your credentials in Canada").select_option(label="Completed")
    page.get_by_label("Employment in my field").check()
    page.get_by_label("Weekday evenings").check()
    page.get_by_label("Video call").check()
