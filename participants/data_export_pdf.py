"""The personal data export as a PDF to read: the same sections as the JSON
(`data_export.export_sections`), one small table per row, field names in words, codes as their
labels. Drawn with fpdf2 and the DejaVu font shipped in mentorship/fonts, like the certificate of
mentoring hours."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF
from fpdf.enums import TableBordersLayout

from matching.hours import FONTS

from .data_export import export_sections
from .models import Person

PDF_MAX_CHARS = 3000
NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}


def _label_of(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # an added key, such as "my_side"
        return EXTRA_LABELS.get(name, name.replace("_", " ").capitalize())


EXTRA_LABELS = {
    "my_side": gettext_lazy("Your side"),
    "what": gettext_lazy("What happened"),
    "target": gettext_lazy("About"),
}


def _display(model: type[models.Model], name: str, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict) and set(value) == {"id", "name"}:
        return str(value["name"])
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        model_field = None
    if model_field is not None and model_field.choices and not isinstance(value, list | dict):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | dict):
        text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    else:
        text = str(value)
    if len(text) > PDF_MAX_CHARS:
        text = text[:PDF_MAX_CHARS] + " … " + _("(the full text is in the JSON download)")
    return text


def export_pdf(person: Person) -> bytes:
    """The same sections as the JSON, for reading: one table per row, field names in words."""
    sections = export_sections(person)
    organization = person.organization.name
    pdf = FPDF(format="Letter")
    pdf.set_title(_("Your data"))
    pdf.set_author(organization)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 10, _("Your data at %(organization)s") % {"organization": organization}, **NEXT_LINE)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        5,
        _(
            "Everything the program holds about you on %(date)s. Your match partners and other "
            "members appear by first name only. If something is wrong, you can ask us to correct "
            "it from the “My data” page of your portal."
        )
        % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
        **NEXT_LINE,
    )
    for item in sections:
        model = item.section.model
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 7, f"{item.section.title} ({len(item.rows)})", **NEXT_LINE)
        pdf.set_font("DejaVu", "", 9)
        if not item.rows:
            pdf.multi_cell(0, 5, _("Nothing recorded."), **NEXT_LINE)
            continue
        for row in item.rows:
            with pdf.table(
                col_widths=(35, 65),
                first_row_as_headings=False,
                line_height=4.5,
                borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            ) as table:
                for name, value in row.items():
                    cells = table.row()
                    cells.cell(_label_of(model, name))
                    cells.cell(_display(model, name, value))
            pdf.ln(2)
    return bytes(pdf.output())
