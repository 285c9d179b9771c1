"""The application questions a program can switch on, off, or make required.

Name, email, role-specific essentials and the privacy consent are always asked. Everything
here is configurable per program in `Program.intake_questions` ({key: state}); a key that a
program has not set falls back to its default below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REQUIRED = "required"
OPTIONAL = "optional"
HIDDEN = "hidden"
STATES = [(REQUIRED, _("Required")), (OPTIONAL, _("Optional")), (HIDDEN, _("Not asked"))]


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    default: str
    roles: tuple[str, ...] = ("mentor", "mentee")


QUESTIONS: tuple[Question, ...] = (
    Question("phone", _("Phone number"), REQUIRED),
    Question("location", _("City and region"), REQUIRED),
    Question("languages", _("Languages and proficiency"), REQUIRED),
    Question("interests", _("Interests"), OPTIONAL),
    Question("communication_style", _("Communication-style questionnaire"), OPTIONAL),
    Question("availability", _("Availability and meeting modes"), REQUIRED),
    Question("other_regions", _("Willing to be matched across regions"), OPTIONAL),
    Question("heard_via", _("How they heard about the program"), OPTIONAL),
    Question("gender", _("Gender (self-described)"), OPTIONAL),
    Question("cultural_background", _("Cultural background"), OPTIONAL),
    Question("story_consent", _("Consent to be asked for a story"), OPTIONAL),
    Question("credentials", _("Education, credential country and assessment"), REQUIRED, ("mentee",)),
    Question("licensing", _("Regulated profession and licensing status"), OPTIONAL, ("mentee",)),
    Question("arrival", _("Arrival date in Canada"), REQUIRED, ("mentee",)),
    Question("language_level", _("English language level (CLB)"), OPTIONAL, ("mentee",)),
    Question("requested_mentor", _("Someone they would like as mentor"), OPTIONAL, ("mentee",)),
    Question("designation", _("Professional designation"), OPTIONAL, ("mentor",)),
    Question("hours_record", _("Record of hours for professional development"), OPTIONAL, ("mentor",)),
)
QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}


def question_state(program, key: str) -> str:
    state = (program.intake_questions or {}).get(key)
    return state if state in (REQUIRED, OPTIONAL, HIDDEN) else QUESTIONS_BY_KEY[key].default


def question_states(program, role: str) -> dict[str, str]:
    """Every question that applies to the role, with the state the program chose for it."""
    return {q.key: question_state(program, q.key) for q in QUESTIONS if role in q.roles}
