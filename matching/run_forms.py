from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class AssignmentRunForm(forms.Form):
    """Runs a cohort assignment. Going below the program's lowest score needs a reason, which
    is kept with every proposal of the run, as when proposing one mentor."""

    min_score = forms.IntegerField(
        label=_("Lowest score to propose"),
        min_value=0,
        max_value=100,
        help_text=_("No pair scoring less is proposed."),
    )
    override_reason = forms.CharField(
        label=_("Reason to go below the program's lowest score"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, program: Program, **kwargs):
        kwargs.setdefault("initial", {"min_score": program.min_match_score})
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["override_reason"].help_text = _(
            "Needed only below %(threshold)s, the program's lowest score. It is kept with each "
            "proposal and in the activity log."
        ) % {"threshold": program.min_match_score}

    def clean(self):
        cleaned = super().clean()
        min_score = cleaned.get("min_score")
        below = min_score is not None and min_score < self.program.min_match_score
        reason = (cleaned.get("override_reason") or "").strip()
        if below and not reason:
            self.add_error(
                "override_reason",
                _(
                    "%(score)s is below the program's lowest score of %(threshold)s. "
                    "Give a reason to propose pairs that score less."
                )
                % {"score": min_score, "threshold": self.program.min_match_score},
            )
        # A reason given when none is needed would be stored on every proposal: drop it.
        cleaned["override_reason"] = reason if below else ""
        return cleaned
