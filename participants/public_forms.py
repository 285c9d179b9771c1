"""The public application forms for mentors and mentees.

Each program chooses which optional questions its forms ask and which of them are required
(`programs.intake_questions`); a question a program does not ask is not a field of its form
at all, so it is neither shown nor accepted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matching.models import Occupation
from programs import intake_questions
from programs.models import Partner, Program

from .models import MenteeProfile, Participation, PersonLanguage
from .resumes import ACCEPT_ATTRIBUTE, resume_check

LANGUAGE_ROWS = 5
HONEYPOT_FIELD = "website"
OTHER_SOURCE = "other"

AVAILABILITY_CHOICES = [
    ("weekday_daytime", _("Weekdays, during the day")),
    ("weekday_evenings", _("Weekday evenings")),
    ("weekends", _("Weekends")),
]
MEETING_MODE_CHOICES = [
    ("in_person", _("In person")),
    ("video", _("Video call")),
    ("phone", _("Phone")),
]
# The short communication-style questionnaire: {field: (key in Participation.communication_style, ...)}
STYLE_QUESTIONS = {
    "style_agenda": (
        "agenda",
        _("In our meetings, I prefer…"),
        [
            ("structured", _("a clear agenda and plan")),
            ("open", _("an open conversation")),
            ("mixed", _("a bit of both")),
        ],
    ),
    "style_feedback": (
        "feedback",
        _("When someone gives me feedback, I prefer it…"),
        [("direct", _("direct and to the point")), ("diplomatic", _("gentle and encouraging"))],
    ),
    "style_frequency": (
        "frequency",
        _("I would like to meet…"),
        [("weekly", _("every week")), ("biweekly", _("every two weeks")), ("monthly", _("once a month"))],
    ),
    "style_contact": (
        "contact",
        _("Between meetings, I prefer to keep in touch by…"),
        [("email", _("email")), ("messages", _("text or chat messages")), ("phone", _("phone calls"))],
    ),
}


def _yes_no(label, help_text="") -> forms.TypedChoiceField:
    """A yes/no question that can be left unanswered, unlike a checkbox, so it can be required."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class _OccupationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Occupation) -> str:
        return f"{obj.title} ({obj.code})"


@dataclass
class Section:
    legend: str
    fields: list[forms.BoundField]
    description: str = ""


class MeetingPreferenceFields(forms.Form):
    """Interests and when and how a person can meet: asked on the application and kept up to
    date in the portal."""

    interests = forms.CharField(
        label=_("Interests"),
        max_length=500,
        required=False,
        help_text=_(
            "Professional or personal, separated by commas. For example: project management, hiking."
        ),
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you meet?"),
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting_modes = forms.MultipleChoiceField(
        label=_("How can you meet?"),
        choices=MEETING_MODE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ApplicationForm(MeetingPreferenceFields):
    """What both roles are asked. Subclasses add the role's own questions and sections."""

    role: str = ""
    # {question key: (its fields, the fields that become required when the question is)}
    QUESTION_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
        "phone": (("phone",), ("phone",)),
        "location": (("city", "region"), ("city", "region")),
        "languages": (
            tuple(
                f"{prefix}_{n}" for n in range(1, LANGUAGE_ROWS + 1) for prefix in ("language", "proficiency")
            ),
            (),  # at least one complete row, checked in clean()
        ),
        "interests": (("interests",), ("interests",)),
        "communication_style": (tuple(STYLE_QUESTIONS), tuple(STYLE_QUESTIONS)),
        "availability": (("availability", "meeting_modes"), ("availability", "meeting_modes")),
        "other_regions": (("open_to_other_regions",), ("open_to_other_regions",)),
        "heard_via": (("heard_via", "heard_via_other"), ("heard_via",)),
        "gender": (("gender",), ("gender",)),
        "cultural_background": (("cultural_background",), ("cultural_background",)),
        "story_consent": (("story_consent",), ("story_consent",)),
    }
    RESUME_REQUIRED = False

    first_name = forms.CharField(label=_("First name"), max_length=120)
    last_name = forms.CharField(label=_("Last name"), max_length=120)
    email = forms.EmailField(
        label=_("Email"), help_text=_("We will write to you at this address."), max_length=254
    )
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    city = forms.CharField(label=_("City or town"), max_length=120, required=False)
    region = forms.CharField(label=_("Province, territory or region"), max_length=120, required=False)
    gender = forms.CharField(
        label=_("Gender"),
        max_length=80,
        required=False,
        help_text=_("In your own words. You may leave this empty."),
    )
    cultural_background = forms.CharField(
        label=_("Cultural background"),
        max_length=200,
        required=False,
        help_text=_("In your own words. You may leave this empty."),
    )
    open_to_other_regions = _yes_no(
        _("Would you accept a match with someone in another city or region?"),
        _("You would then meet by video or phone."),
    )
    heard_via = forms.ChoiceField(label=_("How did you hear about the program?"), required=False)
    heard_via_other = forms.CharField(label=_("If somewhere else: where?"), max_length=200, required=False)
    resume = forms.FileField(
        label=_("Resume"),
        required=False,
        help_text=_("A PDF, Word (.docx) or OpenDocument (.odt) file, up to 5 MB."),
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and I agree to it."),
        error_messages={
            "required": _(
                "Please read the privacy notice and tick this box. "
                "We cannot take your application without it."
            )
        },
    )
    story_consent = _yes_no(
        _("May we ask you later whether you would like to share your story?"),
        _("Saying yes only lets us ask. You decide then, and you can change your mind at any time."),
    )
    # A trap for bots: hidden from people by a CSS class, filled in by scripts that fill everything.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self._add_style_and_language_fields()
        self.question_states = intake_questions.question_states(program, self.role)
        for key, state in self.question_states.items():
            names, required_names = self.QUESTION_FIELDS[key]
            for name in names:
                if state == intake_questions.HIDDEN:
                    del self.fields[name]
                else:
                    self.fields[name].required = state == intake_questions.REQUIRED and name in required_names
        self.fields["resume"].required = self.RESUME_REQUIRED
        if self.RESUME_REQUIRED:
            self.fields["resume"].error_messages["required"] = _(
                "Please add your resume: a PDF, Word or OpenDocument file up to 5 MB."
            )
        if "heard_via" in self.fields:
            self.fields["heard_via"].choices = self._source_choices()
        if "occupation" in self.fields:
            # Required as soon as the list is there; a site still loading NOC data can take applications.
            self.fields["occupation"].required = Occupation.objects.filter(level=5).exists()

    def _add_style_and_language_fields(self) -> None:
        for name, (_key, label, choices) in STYLE_QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )
        for n in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{n}"] = forms.CharField(
                label=_("Language %(number)s") % {"number": n}, max_length=60, required=False
            )
            self.fields[f"proficiency_{n}"] = forms.ChoiceField(
                label=_("Level for language %(number)s") % {"number": n},
                choices=[("", _("Choose…")), *PersonLanguage.Proficiency.choices],
                required=False,
            )

    def _source_choices(self) -> list:
        self.partners = {
            str(partner.pk): partner
            for partner in Partner.objects.filter(
                organization_id=self.program.organization_id, is_active=True
            ).order_by("kind", "name")
        }
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, partner in self.partners.items():
            groups.setdefault(str(partner.get_kind_display()), []).append((key, partner.name))
        return [("", _("Choose…")), *groups.items(), (OTHER_SOURCE, _("Somewhere else"))]

    # --- Cleaning --------------------------------------------------------------------------

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_interests(self) -> list[str]:
        seen: dict[str, str] = {}
        for item in self.cleaned_data.get("interests", "").split(","):
            item = " ".join(item.split())[:60]
            if item and item.lower() not in seen:
                seen[item.lower()] = item
        if self.fields["interests"].required and not seen:
            raise forms.ValidationError(_("Please tell us at least one interest."))
        return list(seen.values())[:20]

    def clean_resume(self):
        upload = self.cleaned_data.get("resume")
        if upload:
            resume_check(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "language_1" in self.fields:
            cleaned["languages"] = self._clean_languages()
        if "heard_via" in self.fields:
            self._clean_source(cleaned)
        self._ask_for_the_file_again()
        return cleaned

    def _clean_languages(self) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []
        seen: set[str] = set()
        for n in range(1, LANGUAGE_ROWS + 1):
            language = " ".join(self.cleaned_data.get(f"language_{n}", "").split())
            proficiency = self.cleaned_data.get(f"proficiency_{n}", "")
            if language and not proficiency:
                self.add_error(f"proficiency_{n}", _("Please choose how well you speak this language."))
            elif proficiency and not language:
                self.add_error(f"language_{n}", _("Please write the language's name."))
            elif language and language.lower() in seen:
                self.add_error(f"language_{n}", _("You have already listed this language."))
            elif language:
                seen.add(language.lower())
                rows.append({"language": language, "proficiency": proficiency})
        if not rows and self.question_states.get("languages") == intake_questions.REQUIRED:
            self.add_error("language_1", _("Please tell us at least one language you speak."))
        return rows

    def _clean_source(self, cleaned: dict[str, Any]) -> None:
        choice = cleaned.get("heard_via")
        cleaned["source_partner"] = self.partners.get(choice or "")
        if choice == OTHER_SOURCE and not cleaned.get("heard_via_other"):
            self.add_error("heard_via_other", _("Please tell us where you heard about the program."))

    def _ask_for_the_file_again(self) -> None:
        """Browsers never keep a chosen file when a form comes back with errors: say so."""
        upload = self.files.get(self.add_prefix("resume"))
        other_errors = any(name != "resume" for name in self.errors)
        if upload and other_errors and "resume" not in self.errors:
            self.add_error(
                "resume",
                _(
                    "Please choose your resume file again. Your browser does not keep a chosen file "
                    "when the form is shown again with corrections to make."
                ),
            )

    # --- What the service needs ------------------------------------------------------------

    def communication_style(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[name]
            for name, (key, _label, _choices) in STYLE_QUESTIONS.items()
            if self.cleaned_data.get(name)
        }

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as JSON, exactly as submitted: no file bytes, no bot trap."""
        # The language rows are kept once, as the "languages" list that clean() builds.
        rows = {
            f"{prefix}_{n}" for n in range(1, LANGUAGE_ROWS + 1) for prefix in ("language", "proficiency")
        }
        skipped = {HONEYPOT_FIELD, "resume", *rows}
        answers = {
            name: _json_safe(value) for name, value in self.cleaned_data.items() if name not in skipped
        }
        if self.cleaned_data.get("resume"):
            answers["resume"] = self.cleaned_data["resume"].name
        return answers

    def sections(self) -> list[Section]:
        result = []
        for legend, names, description in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                result.append(Section(legend, fields, description))
        return result

    def language_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"language_{n}"], self[f"proficiency_{n}"]) for n in range(1, LANGUAGE_ROWS + 1)]

    ABOUT_YOU = (
        _("About you"),
        ["first_name", "last_name", "email", "phone", "city", "region", "gender", "cultural_background"],
        "",
    )
    LANGUAGES = (
        _("Languages"),
        ["language_1", "language_clb"],
        _("The languages you speak, up to five."),
    )
    WORKING_TOGETHER = (
        _("How you like to work together"),
        [*STYLE_QUESTIONS, "availability", "meeting_modes", "open_to_other_regions"],
        _("There are no right answers: this helps us find someone who suits you."),
    )
    HEARD_VIA = (_("How you heard about us"), ["heard_via", "heard_via_other"], "")
    SECTIONS: list = []


class MenteeApplicationForm(ApplicationForm):
    role = Participation.Role.MENTEE
    RESUME_REQUIRED = True
    QUESTION_FIELDS = {
        **ApplicationForm.QUESTION_FIELDS,
        "credentials": (
            ("education", "credential_country", "credential_assessment"),
            ("education", "credential_country", "credential_assessment"),
        ),
        "licensing": (("regulated_profession", "licensing_status"), ("regulated_profession",)),
        "arrival": (("arrived_on", "not_yet_arrived", "residence_country"), ()),  # checked in clean()
        "language_level": (("language_clb",), ("language_clb",)),
        "requested_mentor": (("requested_mentor_name", "requested_mentor_email"), ("requested_mentor_name",)),
        # The wish is always optional, even where the program requires the gender question.
        "gender": (("gender", "wants_same_gender_mentor"), ("gender",)),
    }

    occupation = _OccupationChoiceField(
        label=_("Your profession before Canada"),
        queryset=Occupation.objects.filter(level=Occupation.Level.UNIT_GROUP).order_by("title"),
        required=False,
        empty_label=_("Choose the closest one…"),
        help_text=_("From Canada's National Occupational Classification (NOC 2021). Choose the closest one."),
    )
    occupation_title = forms.CharField(label=_("Your job title before Canada"), max_length=200)
    years_experience = forms.IntegerField(
        label=_("Years of experience in this profession"), min_value=0, max_value=60
    )
    education = forms.CharField(
        label=_("Highest education"),
        max_length=200,
        required=False,
        help_text=_("For example: Master's in civil engineering."),
    )
    credential_country = forms.CharField(
        label=_("Country where you studied or qualified"), max_length=80, required=False
    )
    credential_assessment = forms.ChoiceField(
        label=_("Assessment of your credentials in Canada"),
        choices=[("", _("Choose…")), *MenteeProfile.CredentialAssessment.choices],
        required=False,
        help_text=_("For example by WES or a professional regulator."),
    )
    regulated_profession = _yes_no(
        _("Is your profession regulated in Canada?"),
        _("A regulated profession needs a licence to practise, for example engineer, nurse or accountant."),
    )
    licensing_status = forms.CharField(
        label=_("Where are you with licensing?"),
        max_length=200,
        required=False,
        help_text=_("For example: working toward APEGA registration."),
    )
    arrived_on = forms.DateField(
        label=_("When did you arrive in Canada?"),
        required=False,
        widget=_DateInput,
        help_text=_("If you have not arrived yet, tick the box below instead."),
    )
    not_yet_arrived = forms.BooleanField(label=_("I have not arrived in Canada yet"), required=False)
    residence_country = forms.CharField(
        label=_("If you are not in Canada yet: the country where you live now"), max_length=80, required=False
    )
    language_clb = forms.TypedChoiceField(
        label=_("Your English level (CLB)"),
        choices=[("", _("I don't know")), *[(str(n), str(n)) for n in range(1, 13)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Canadian Language Benchmark, from a recent language test or assessment."),
    )
    employment = forms.ChoiceField(label=_("Your work now"), choices=MenteeProfile.Employment.choices)
    goals = forms.MultipleChoiceField(
        label=_("What do you want from mentoring?"),
        choices=MenteeProfile.Goal.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one goal.")},
    )
    requested_mentor_name = forms.CharField(
        label=_("Someone you would like as your mentor"),
        max_length=200,
        required=False,
        help_text=_("Only if you already know someone who could mentor you."),
    )
    requested_mentor_email = forms.EmailField(label=_("Their email"), required=False)
    wants_same_gender_mentor = forms.BooleanField(
        label=_("I would prefer a mentor of the same gender as me"),
        required=False,
        help_text=_(
            "Only if it matters to you. Tell us your gender above so that we can take it into account."
        ),  # noqa: E501
    )

    SECTIONS = [
        ApplicationForm.ABOUT_YOU,
        ApplicationForm.LANGUAGES,
        (_("Your arrival in Canada"), ["arrived_on", "not_yet_arrived", "residence_country"], ""),
        (
            _("Your profession"),
            [
                "occupation",
                "occupation_title",
                "years_experience",
                "education",
                "credential_country",
                "credential_assessment",
                "regulated_profession",
                "licensing_status",
                "employment",
            ],
            "",
        ),
        (
            _("Your goals"),
            [
                "goals",
                "interests",
                "requested_mentor_name",
                "requested_mentor_email",
                "wants_same_gender_mentor",
            ],
            "",
        ),
        ApplicationForm.WORKING_TOGETHER,
        (_("Your resume"), ["resume"], ""),
        ApplicationForm.HEARD_VIA,
    ]

    def clean_arrived_on(self) -> datetime.date | None:
        arrived_on = self.cleaned_data.get("arrived_on")
        if arrived_on and arrived_on > timezone.localdate():
            raise forms.ValidationError(
                _(
                    "This date is in the future. If you have not arrived yet, "
                    "tick “I have not arrived in Canada yet”."
                )
            )
        return arrived_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "arrived_on" in self.fields:
            if cleaned.get("not_yet_arrived"):
                cleaned["arrived_on"] = None
                if not cleaned.get("residence_country"):
                    self.add_error("residence_country", _("Please tell us which country you live in now."))
            elif (
                not cleaned.get("arrived_on")
                and "arrived_on" not in self.errors
                and self.question_states.get("arrival") == intake_questions.REQUIRED
            ):
                self.add_error(
                    "arrived_on",
                    _("Please give the date you arrived, or tick “I have not arrived in Canada yet”."),
                )
        return cleaned


class MentorApplicationForm(ApplicationForm):
    role = Participation.Role.MENTOR
    QUESTION_FIELDS = {
        **ApplicationForm.QUESTION_FIELDS,
        "designation": (("designation",), ("designation",)),
        "hours_record": (("wants_hours_record",), ("wants_hours_record",)),
    }

    occupation = _OccupationChoiceField(
        label=_("Your occupation"),
        queryset=Occupation.objects.filter(level=Occupation.Level.UNIT_GROUP).order_by("title"),
        required=False,
        empty_label=_("Choose the closest one…"),
        help_text=_("From Canada's National Occupational Classification (NOC 2021). Choose the closest one."),
    )
    occupation_title = forms.CharField(label=_("Your job title"), max_length=200)
    employer_name = forms.CharField(
        label=_("Your employer"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if you are retired."),
    )
    designation = forms.CharField(
        label=_("Professional designation"),
        max_length=80,
        required=False,
        help_text=_("For example P.Eng., CPA, RN."),
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience in your field"), min_value=0, max_value=70
    )
    is_retired = forms.BooleanField(label=_("I am retired"), required=False)
    max_mentees = forms.TypedChoiceField(
        label=_("How many mentees could you support at the same time?"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        initial="1",
    )
    open_to_group = forms.BooleanField(label=_("I am open to mentoring a small group"), required=False)
    open_to_remote = forms.BooleanField(
        label=_("I am open to mentoring someone in another region or still abroad"), required=False
    )
    wants_hours_record = _yes_no(
        _("Would you like a record of your volunteer hours?"),
        _("Some professional bodies count mentoring toward continuing professional development."),
    )

    SECTIONS = [
        ApplicationForm.ABOUT_YOU,
        ApplicationForm.LANGUAGES,
        (
            _("Your work"),
            [
                "occupation",
                "occupation_title",
                "employer_name",
                "designation",
                "years_experience",
                "is_retired",
            ],
            "",
        ),
        (
            _("How you would like to help"),
            ["max_mentees", "open_to_group", "open_to_remote", "wants_hours_record", "interests"],
            "",
        ),
        ApplicationForm.WORKING_TOGETHER,
        (_("Your resume (optional)"), ["resume"], _("It helps us understand your experience.")),
        ApplicationForm.HEARD_VIA,
    ]


FORMS_BY_ROLE: dict[str, type[ApplicationForm]] = {
    Participation.Role.MENTEE: MenteeApplicationForm,
    Participation.Role.MENTOR: MentorApplicationForm,
}


def _json_safe(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    return value
