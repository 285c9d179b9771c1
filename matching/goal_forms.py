"""Forms of the agreement and goals pages. They check what a person can fix on the form; the
services keep the rules (active matches only, target date after the start, a note when a goal
is dropped) and their refusals show on the form."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programs.models import Program

from .models import AgreementTemplate, Goal, GoalTemplate, Match


class GoalForm(forms.ModelForm):
    """A goal, new or edited. A new goal may start from a template, whose texts fill the form."""

    class Meta:
        model = Goal
        fields = ["category", "title", "description", "target_date", "steps"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, match: Match, template: GoalTemplate | None = None, **kwargs):
        kwargs.setdefault("instance", Goal(match=match))
        super().__init__(*args, **kwargs)
        self.match = match
        self.template = template
        attrs = {"type": "date"}
        if match.started_on:
            attrs["min"] = match.started_on.isoformat()
        self.fields["target_date"].widget = forms.DateInput(attrs=attrs, format="%Y-%m-%d")
        if match.planned_end_on:
            self.fields["target_date"].help_text = _("The match is planned to end on %(date)s.") % {
                "date": date_format(match.planned_end_on, "DATE_FORMAT")
            }
        if template is not None and not self.is_bound:
            self.initial.update(
                category=template.category,
                title=template.title,
                description=template.description,
                steps=template.suggested_steps,
                target_date=match.planned_end_on,
            )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Goal.Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the goal changed or was dropped: say why."),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        # Several goals' forms share the page; distinct ids keep their labels apart.
        kwargs.setdefault("auto_id", f"goal-{goal.pk}-status-%s")
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["status"].choices = [
            (value, label) for value, label in Goal.Status.choices if value != goal.status
        ]


class GoalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Progress note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        kwargs.setdefault("auto_id", f"goal-{goal.pk}-note-%s")
        super().__init__(*args, **kwargs)
        self.goal = goal


class GoalTemplateForm(forms.ModelForm):
    class Meta:
        model = GoalTemplate
        fields = ["category", "title", "description", "suggested_steps"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "suggested_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, program: Program, **kwargs):
        kwargs.setdefault("instance", GoalTemplate(program=program))
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        others = GoalTemplate.objects.filter(program=self.program, title__iexact=title)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This program already has a goal template with this title."))
        return title


class AgreementTextForm(forms.ModelForm):
    class Meta:
        model = AgreementTemplate
        fields = ["roles_and_expectations", "confidentiality"]
        widgets = {
            "roles_and_expectations": forms.Textarea(attrs={"rows": 8}),
            "confidentiality": forms.Textarea(attrs={"rows": 5}),
        }
