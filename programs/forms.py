from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Program, StaffMembership


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
