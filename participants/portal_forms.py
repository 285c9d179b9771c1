"""Forms of the participant portal, in plain words: the person fills them in about themselves."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.models import MAX_MEETING_MINUTES, Meeting, Occupation

from .models import MenteeProfile, Participation, PartnerSharing, Person, PersonLanguage
from .portal_services import (
    MENTEE_PROFILE_FIELDS,
    MENTOR_PROFILE_FIELDS,
    PERSON_FIELDS,
    SHARING_FIELDS,
    occupation_is_locked,
)
from .public_forms import (
    ACCEPT_ATTRIBUTE,
    LANGUAGE_ROWS,
    STYLE_QUESTIONS,
    MeetingPreferenceFields,
    _DateInput,
    _OccupationChoiceField,
)
from .resumes import resume_check


class ContactForm(forms.ModelForm):
    """The person's contact details and languages. Name and email are not here: see the view."""

    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        labels = {
            "phone": _("Phone number"),
            "city": _("City or town"),
            "region": _("Province, territory or region"),
            "country": _("Country where you live now"),
            "gender": _("Gender"),
            "cultural_background": _("Cultural background"),
        }
        help_texts = {
            "gender": _("In your own words. You may leave this empty."),
            "cultural_background": _("In your own words. You may leave this empty."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "contact-%s")
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
        self.fields["time_zone"].choices = [("", _("Choose…")), *[(zone, zone) for zone in zones]]
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        known = list(self.instance.languages.order_by("language")) if self.instance.pk else []
        for n in range(1, LANGUAGE_ROWS + 1):
            row = known[n - 1] if n <= len(known) else None
            self.fields[f"language_{n}"] = forms.CharField(
                label=_("Language %(number)s") % {"number": n},
                max_length=60,
                required=False,
                initial=row.language if row else "",
            )
            self.fields[f"proficiency_{n}"] = forms.ChoiceField(
                label=_("Level for language %(number)s") % {"number": n},
                choices=[("", _("Choose…")), *PersonLanguage.Proficiency.choices],
                required=False,
                initial=row.proficiency if row else "",
            )

    def language_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"language_{n}"], self[f"proficiency_{n}"]) for n in range(1, LANGUAGE_ROWS + 1)]

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PERSON_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        rows: list[dict[str, str]] = []
        seen: set[str] = set()
        for n in range(1, LANGUAGE_ROWS + 1):
            language = " ".join(cleaned.get(f"language_{n}", "").split())
            proficiency = cleaned.get(f"proficiency_{n}", "")
            if language and not proficiency:
                self.add_error(f"proficiency_{n}", _("Please choose how well you speak this language."))
            elif proficiency and not language:
                self.add_error(f"language_{n}", _("Please write the language's name."))
            elif language and language.lower() in seen:
                self.add_error(f"language_{n}", _("You have already listed this language."))
            elif language:
                seen.add(language.lower())
                rows.append({"language": language, "proficiency": proficiency})
        cleaned["languages"] = rows
        return cleaned

    def person_fields(self) -> dict[str, Any]:
        return {name: (self.cleaned_data.get(name) or "").strip() for name in PERSON_FIELDS}


class ParticipationForm(MeetingPreferenceFields):
    """How the person takes part in one program: what matching and their partner use, and the
    profile of their role. The NOC code is offered only until the application is screened."""

    open_to_other_regions = forms.BooleanField(
        label=_("I would accept a match with someone in another city or region"),
        required=False,
        help_text=_("You would then meet by video or phone."),
    )

    def __init__(self, *args, participation: Participation, profile=None, **kwargs):
        kwargs.setdefault("auto_id", "details-%s")
        super().__init__(*args, **kwargs)
        self.participation = participation
        self.profile = profile
        for name, (_key, label, choices) in STYLE_QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )
        self.profile_names: list[str] = []
        if profile is not None:
            self._add_profile_fields()
        if not self.is_bound:
            self.initial.update(self._initial())

    def _add_profile_fields(self) -> None:
        is_mentor = self.participation.role == Participation.Role.MENTOR
        names = MENTOR_PROFILE_FIELDS if is_mentor else MENTEE_PROFILE_FIELDS
        if occupation_is_locked(self.participation):
            names = tuple(name for name in names if name != "occupation")
        for name in names:
            self.fields[name] = self._profile_field(name)
        self.profile_names = list(names)

    def _profile_field(self, name: str) -> forms.Field:
        if name == "occupation":
            return _OccupationChoiceField(
                label=_("Your profession (NOC 2021)"),
                queryset=Occupation.objects.filter(level=Occupation.Level.UNIT_GROUP).order_by("title"),
                required=False,
                empty_label=_("Choose the closest one…"),
            )
        if name == "arrived_on":
            return forms.DateField(
                label=_("When did you arrive in Canada?"), required=False, widget=_DateInput
            )
        if name == "goals":
            return forms.MultipleChoiceField(
                label=_("What do you want from mentoring?"),
                choices=MenteeProfile.Goal.choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Please choose at least one goal.")},
            )
        field = self.profile._meta.get_field(name).formfield()
        if isinstance(field, forms.CharField):
            field.required = name == "occupation_title"
        field.label = PROFILE_LABELS.get(name, field.label)
        field.help_text = PROFILE_HELP.get(name, field.help_text)
        return field

    def _initial(self) -> dict[str, Any]:
        participation = self.participation
        initial: dict[str, Any] = {
            "interests": ", ".join(participation.interests or []),
            "availability": participation.availability or [],
            "meeting_modes": participation.meeting_modes or [],
            "open_to_other_regions": participation.open_to_other_regions,
        }
        style = participation.communication_style or {}
        for name, (key, _label, _choices) in STYLE_QUESTIONS.items():
            initial[name] = style.get(key, "")
        for name in self.profile_names:
            value = getattr(self.profile, name)
            initial[name] = value.pk if name == "occupation" and value is not None else value
        return initial

    def clean_interests(self) -> list[str]:
        seen: dict[str, str] = {}
        for item in self.cleaned_data.get("interests", "").split(","):
            item = " ".join(item.split())[:60]
            if item and item.lower() not in seen:
                seen[item.lower()] = item
        return list(seen.values())[:20]

    def clean_arrived_on(self):
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
        if cleaned.get("not_yet_arrived"):
            cleaned["arrived_on"] = None
        return cleaned

    def participation_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "interests": data["interests"],
            "availability": list(data["availability"]),
            "meeting_modes": list(data["meeting_modes"]),
            "open_to_other_regions": data["open_to_other_regions"],
            "communication_style": {
                key: data[name] for name, (key, _label, _choices) in STYLE_QUESTIONS.items() if data.get(name)
            },
        }

    def profile_fields(self) -> dict[str, Any]:
        fields = {}
        for name in self.profile_names:
            value = self.cleaned_data.get(name)
            if isinstance(value, str):
                value = value.strip()
            if name == "goals":
                value = list(value)
            if value is None and name not in ("occupation", "arrived_on"):
                continue  # an empty number keeps the stored one
            fields[name] = value
        return fields

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        working = ["interests", *STYLE_QUESTIONS, "availability", "meeting_modes", "open_to_other_regions"]
        about = [name for name in self.profile_names if name not in ("goals", "wants_same_gender_mentor")]
        wishes = [name for name in self.profile_names if name in ("goals", "wants_same_gender_mentor")]
        result = [
            (_("Your work and experience"), [self[name] for name in about]),
            (_("What you want from mentoring"), [self[name] for name in wishes]),
            (_("How you like to work together"), [self[name] for name in working]),
        ]
        return [(legend, fields) for legend, fields in result if fields]


PROFILE_LABELS = {
    "occupation_title": _("Your job title"),
    "years_experience": _("Years of experience in this profession"),
    "education": _("Highest education"),
    "credential_country": _("Country where you studied or qualified"),
    "credential_assessment": _("Assessment of your credentials in Canada"),
    "regulated_profession": _("My profession is regulated in Canada"),
    "licensing_status": _("Where are you with licensing?"),
    "not_yet_arrived": _("I have not arrived in Canada yet"),
    "employment": _("Your work now"),
    "wants_same_gender_mentor": _("I would prefer a mentor of the same gender as me"),
    "employer_name": _("Your employer"),
    "designation": _("Professional designation"),
    "is_retired": _("I am retired"),
    "open_to_group": _("I am open to mentoring a small group"),
    "open_to_remote": _("I am open to mentoring someone in another region or still abroad"),
    "wants_hours_record": _("I would like a record of my volunteer hours"),
}


PROFILE_HELP = {
    "wants_same_gender_mentor": _("Only if it matters to you. You can tell us your gender in your details."),
    "regulated_profession": _(
        "A regulated profession needs a licence to practise, for example engineer or nurse."
    ),
}


class ResumeForm(forms.Form):
    file = forms.FileField(
        label=_("Your resume"),
        help_text=_("A PDF, Word (.docx) or OpenDocument (.odt) file, up to 5 MB."),
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        resume_check(upload)
        return upload


class SharingForm(forms.ModelForm):
    class Meta:
        model = PartnerSharing
        fields = list(SHARING_FIELDS)


class AnswerForm(forms.Form):
    """The participant's own answer to an introduction."""

    ACCEPT, DECLINE = "accept", "decline"

    answer = forms.ChoiceField(
        label=_("Would you like to start mentoring together?"),
        choices=[(ACCEPT, _("Yes, I would like to start")), (DECLINE, _("No, thank you"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose yes or no.")},
    )
    reason = forms.CharField(
        label=_("Why not?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when you say no. Only your coordinator reads it: it helps them find a better "
            "match. We do not pass it on."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "answer-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == self.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Please tell your coordinator briefly why not."))
        return cleaned

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["answer"] == self.ACCEPT


class MeetingForm(forms.ModelForm):
    """A meeting the participant had with their match partner."""

    class Meta:
        model = Meeting
        fields = ["occurred_on", "duration_minutes", "mode", "topics", "next_steps"]
        labels = {
            "occurred_on": _("Date"),
            "duration_minutes": _("How long (minutes)"),
            "mode": _("How you met"),
            "topics": _("What you talked about"),
            "next_steps": _("Next steps"),
        }
        help_texts = {"next_steps": _("What each of you will do before you meet again. Optional.")}
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, match, **kwargs):
        kwargs.setdefault("auto_id", "meeting-%s")
        super().__init__(*args, instance=Meeting(match=match, logged_as=Meeting.LoggedAs.MENTEE), **kwargs)
        today = timezone.localdate()
        self.fields["occurred_on"].widget = forms.DateInput(
            attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d"
        )
        self.fields["duration_minutes"].widget.attrs.update(
            {"min": 1, "max": MAX_MEETING_MINUTES, "step": 5, "inputmode": "numeric"}
        )
        if not self.is_bound:
            self.initial.update({"occurred_on": today, "duration_minutes": 60})


class HelpForm(forms.Form):
    message = forms.CharField(
        label=_("How can your coordinator help?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your coordinator sees this on their dashboard and will get back to you."),
        error_messages={
            "required": _("Please write a few words so that your coordinator knows how to help.")
        },
    )
    program = forms.ChoiceField(label=_("Which program is it about?"))

    def __init__(self, *args, programs: list, **kwargs):
        kwargs.setdefault("auto_id", "help-%s")
        super().__init__(*args, **kwargs)
        self.programs = {str(program.pk): program for program in programs}
        if len(self.programs) > 1:
            self.fields["program"].choices = [(key, program.name) for key, program in self.programs.items()]
        else:
            del self.fields["program"]

    def chosen_program(self):
        if "program" in self.fields:
            return self.programs[self.cleaned_data["program"]]
        return next(iter(self.programs.values()))
