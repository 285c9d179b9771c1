from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClosingSurvey, Closure, EmploymentStatus, FollowUp, Goal


class CloseMatchForm(forms.Form):
    """Ending a match: how and why, the outcome of each goal, and what happens to the people."""

    PLANNED, EARLY = "planned", "early"

    ending = forms.ChoiceField(
        label=_("How the match ends"),
        choices=[(PLANNED, _("As planned: the mentoring ran its course")), (EARLY, _("Early"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Main reason"), choices=[("", "—"), *Closure.Reason.choices])
    note = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the match ends early. It stays in the match's record."),
    )
    mentee_returns_to_pool = forms.BooleanField(
        label=_("The mentee goes back to the pool to be matched again"),
        required=False,
        help_text=_("For a match that ends early. Otherwise the mentee completes the program."),
    )
    mentor_available_again = forms.BooleanField(
        label=_("The mentor will take another mentee"), required=False, initial=True
    )
    do_not_match_again = forms.BooleanField(
        label=_("Never match these two again"),
        required=False,
        help_text=_("For a match that ends early because the pair did not work."),
    )

    def __init__(self, *args, goals: list[Goal], **kwargs):
        kwargs.setdefault("auto_id", "close-%s")
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.title,
                choices=Goal.Status.choices,
                initial=goal.status,
                help_text=_("Outcome of this goal"),
            )

    def clean(self):
        cleaned = super().clean()
        early = cleaned.get("ending") == self.EARLY
        if early and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say what happened; it stays in the match's record."))
        if not early and cleaned.get("do_not_match_again"):
            self.add_error(
                "do_not_match_again", _("Only a match that ended early is marked not to be repeated.")
            )
        return cleaned

    def goal_outcomes(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def goal_fields(self):
        return [self[f"goal_{goal.pk}"] for goal in self.goals]


class ClosingSurveyForm(forms.ModelForm):
    class Meta:
        model = ClosingSurvey
        fields = ["satisfaction", "would_take_part_again", "employment_status", "comments"]
        widgets = {
            "satisfaction": forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)]),
            "would_take_part_again": forms.RadioSelect,
            "comments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, side: str, **kwargs):
        kwargs.setdefault("auto_id", f"survey-{side}-%s")
        super().__init__(*args, **kwargs)
        self.side = side
        if side == ClosingSurvey.Side.MENTOR:
            del self.fields["employment_status"]
        else:
            self.fields["employment_status"].required = True
            self.fields["employment_status"].choices = [("", "—"), *EmploymentStatus.choices]

    def _post_clean(self):
        # The service builds and validates the survey with its match and side.
        pass


class FollowUpForm(forms.Form):
    employment_status = forms.ChoiceField(
        label=_("Where the mentee stands with work"), choices=[("", "—"), *EmploymentStatus.choices]
    )
    still_in_region = forms.NullBooleanField(
        label=_("Still living in the region"),
        widget=forms.Select(choices=[("unknown", _("Don't know")), ("true", _("Yes")), ("false", _("No"))]),
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, follow_up: FollowUp, **kwargs):
        kwargs.setdefault("auto_id", f"follow-up-{follow_up.pk}-%s")
        super().__init__(*args, **kwargs)
