from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Match, Meeting


class MatchMeetingForm(forms.ModelForm):
    """A meeting of a match, logged by the coordinator for either side or for themselves."""

    logged_as = forms.ChoiceField(
        label=_("Who reported it"),
        choices=Meeting.LoggedAs.choices,
        initial=Meeting.LoggedAs.COORDINATOR,
        help_text=_("When the mentor or the mentee told you about it, say so."),
    )

    class Meta:
        model = Meeting
        fields = ["occurred_on", "duration_minutes", "mode", "topics", "next_steps"]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, match: Match, **kwargs):
        kwargs.setdefault("auto_id", "meeting-%s")
        super().__init__(*args, instance=Meeting(match=match), **kwargs)
        today = timezone.localdate()
        self.fields["occurred_on"].widget = forms.DateInput(
            attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d"
        )
        self.fields["duration_minutes"].widget.attrs.update({"min": 1, "max": 600, "step": 5})
        if not self.is_bound:
            self.initial.update({"occurred_on": today, "duration_minutes": 60})
