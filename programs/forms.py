from __future__ import annotations

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import intake_questions
from .models import (
    Cohort,
    Funder,
    FunderContact,
    Partner,
    PartnerContact,
    PrivacyNotice,
    Program,
    ProgramResource,
    ReportingPeriod,
    StaffMembership,
)


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["name", "slug", "focus", "region", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class _ProgramLimitsMixin(forms.Form):
    programs = forms.ModelMultipleChoiceField(
        label=_("Limited to programs"),
        queryset=Program.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to give access to every program of the organization."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = organization.programs.order_by("name")


class StaffInviteForm(_ProgramLimitsMixin, forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=StaffMembership.Role.choices)

    field_order = ["email", "first_name", "last_name", "role", "programs"]


class StaffEditForm(_ProgramLimitsMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StaffMembership.Role.choices)


# --- Program setup ----------------------------------------------------------------------------

ELIGIBILITY_FIELDS = [
    "minimum_clb",
    "employment_ready_only",
    "eligibility_notes",
    "match_length_weeks",
    "meetings_per_month",
    "meeting_length_minutes",
]


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class EligibilityForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ELIGIBILITY_FIELDS
        widgets = {"eligibility_notes": forms.Textarea(attrs={"rows": 4})}


class IntakeQuestionsForm(forms.Form):
    """One Required / Optional / Not asked choice per configurable application question."""

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(intake_questions.QUESTIONS)
        for question in self.questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.label,
                choices=intake_questions.STATES,
                initial=intake_questions.question_state(program, question.key),
                widget=forms.RadioSelect,
            )

    def rows(self):
        """(question, bound field) pairs, for the table in the template."""
        return [(question, self[question.key]) for question in self.questions]


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "target_mentors", "target_mentees", "is_open"]
        widgets = {"starts_on": _DateInput(), "ends_on": _DateInput()}


class ResourceForm(forms.Form):
    """A link or a file. The file's type is checked by its content in the service."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(label=_("For"), choices=ProgramResource.Audience.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgramResource.Kind.choices)
    url = forms.URLField(
        label=_("Link"), required=False, assume_scheme="https", help_text=_("Give a link or upload a file.")
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, DOCX, ODT, PPTX, XLSX, PNG or JPG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.pptx,.xlsx,.png,.jpg,.jpeg"}),
    )
    is_required = forms.BooleanField(
        label=_("Part of orientation"), required=False, help_text=_("Participants are asked to read it.")
    )
    position = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=32767, initial=0, help_text=_("Lower numbers come first.")
    )

    def __init__(self, *args, resource: ProgramResource | None = None, **kwargs):
        self.resource = resource
        super().__init__(*args, **kwargs)
        if resource is not None and resource.file:
            self.fields["file"].help_text = _(
                "Now: %(name)s. Upload another file to replace it (PDF, DOCX, ODT, PPTX, XLSX, PNG or JPG, "
                "up to 10 MB)."
            ) % {"name": resource.original_filename}
            self.fields["file"].widget = forms.FileInput(attrs=self.fields["file"].widget.attrs)
            self.fields["url"].disabled = True
            self.fields["url"].help_text = _("This resource is a file. Remove it and add a link instead.")
        elif resource is not None:
            del self.fields["file"]

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or bool(self.resource and self.resource.file)
        if "url" in self.errors or "file" in self.errors:
            return cleaned
        if has_file and cleaned.get("url"):
            self.add_error("url", _("Give either a link or a file, not both."))
        elif not has_file and not cleaned.get("url"):
            self.add_error("url", _("Give a link or upload a file."))
        return cleaned


class PrivacyNoticeForm(forms.ModelForm):
    class Meta:
        model = PrivacyNotice
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}


# --- Partners and funders ---------------------------------------------------------------------


def _https_by_default(field, **kwargs):
    """Websites typed without a scheme get https://, as Django 6 will do for every URL field."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PartnerForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_by_default
        model = Partner
        fields = ["name", "kind", "is_champion", "website", "services", "notes", "is_active"]
        widgets = {"services": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3})}


class PartnerContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "title", "email", "phone"]


class FunderForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_by_default
        model = Funder
        fields = ["name", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class FunderContactForm(forms.ModelForm):
    class Meta:
        model = FunderContact
        fields = ["name", "title", "email", "phone"]


class FundingForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=_DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=_DateInput())

    def __init__(self, *args, funder: Funder, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the organization's own programs that this funder does not fund yet.
        self.fields["program"].queryset = funder.organization.programs.exclude(
            fundings__funder=funder
        ).order_by("name")


class ReportingPeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["name", "starts_on", "ends_on", "report_due_on"]
        widgets = {"starts_on": _DateInput(), "ends_on": _DateInput(), "report_due_on": _DateInput()}


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Partner.Kind.choices, empty_label=_("Any"))
    is_champion = django_filters.BooleanFilter(
        label=_("Champion"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Champions only")), ("false", _("Not champions"))]
        ),
    )
    is_active = django_filters.BooleanFilter(
        label=_("Active"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Active")), ("false", _("Inactive"))]),
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "is_champion", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "is_champion", "is_active"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        search = self.form.fields["q"].widget
        search.input_type = "search"
        search.attrs.update({"class": "form-control", "placeholder": _("Name, services or notes")})

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(services__icontains=word) | Q(notes__icontains=word)
            )
        return queryset
