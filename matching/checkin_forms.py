from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckIn, CheckInSchedule

SATISFACTION_CHOICES = [
    ("", _("Not asked")),
    ("1", _("1 – very unhappy")),
    ("2", _("2 – unhappy")),
    ("3", _("3 – it is fine")),
    ("4", _("4 – happy")),
    ("5", _("5 – very happy")),
]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CheckInForm(forms.Form):
    """What the coordinator heard at a check-in."""

    due_on = forms.DateField(
        label=_("Check-in date"),
        widget=_date_widget(),
        help_text=_("The date on the schedule this check-in is for. It covers any missed before it."),
    )
    with_whom = forms.ChoiceField(
        label=_("With whom"), choices=CheckIn.WithWhom.choices, initial=CheckIn.WithWhom.BOTH
    )
    how_it_is_going = forms.CharField(
        label=_("How it is going"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    concerns = forms.CharField(
        label=_("Concerns"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("How happy they are with the match, from 1 to 5."),
    )
    follow_up_actions = forms.CharField(
        label=_("Follow-up actions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        help_text=_("What you will do next, such as calling the mentor or suggesting a resource."),
    )

    def __init__(self, *args, due_on: datetime.date | None = None, **kwargs):
        kwargs.setdefault("auto_id", "checkin-%s")
        super().__init__(*args, **kwargs)
        if due_on is not None and not self.is_bound:
            self.initial["due_on"] = due_on


class UnansweredForm(forms.Form):
    """A check-in the coordinator asked for and got no reply to."""

    due_on = forms.DateField(label=_("Check-in date"), widget=_date_widget())
    with_whom = forms.ChoiceField(
        label=_("Who did not reply"), choices=CheckIn.WithWhom.choices, initial=CheckIn.WithWhom.BOTH
    )

    def __init__(self, *args, due_on: datetime.date | None = None, **kwargs):
        kwargs.setdefault("auto_id", "unanswered-%s")
        super().__init__(*args, **kwargs)
        if due_on is not None and not self.is_bound:
            self.initial["due_on"] = due_on


class CheckInScheduleForm(forms.ModelForm):
    class Meta:
        model = CheckInSchedule
        fields = [
            "first_after_days",
            "then_every_days",
            "at_risk_no_meeting_days",
            "low_satisfaction_at_most",
            "unanswered_after_days",
        ]
