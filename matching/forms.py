from __future__ import annotations

from dataclasses import fields

from django import forms
from django.utils.translation import gettext_lazy as _

from .scoring import Weights

CRITERION_LABELS = {
    "profession": _("Profession (NOC 2021)"),
    "licensing": _("Licensing or designation"),
    "keywords": _("Skills and keywords"),
    "goals": _("Mentee's goals"),
    "languages": _("Languages"),
    "interests": _("Interests"),
    "communication": _("Communication style"),
    "culture": _("Cultural background"),
    "gender": _("Same gender, when the mentee asks"),
    "place": _("Place and remote meetings"),
    "availability": _("Availability"),
}
WEIGHT_NAMES = [item.name for item in fields(Weights)]


class ProposeForm(forms.Form):
    """Proposes one suggested mentor. The score and its breakdown are never read from the form:
    the view computes them again. The reason field is there only when the pair needs one."""

    mentor = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Reason to match them anyway"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, override_note: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if override_note:
            self.fields["override_reason"].help_text = override_note
        else:
            del self.fields["override_reason"]


class ProposeMenteeForm(ProposeForm):
    """Proposes one mentee to the mentor whose page this is."""

    mentor = None
    mentee = forms.IntegerField(widget=forms.HiddenInput)


class MatchingSettingsForm(forms.Form):
    min_match_score = forms.IntegerField(
        label=_("Lowest match score without a reason"),
        min_value=0,
        max_value=100,
        help_text=_("Proposing a pair that scores lower needs a reason, which is kept in the activity log."),
    )
    shares_mentors = forms.BooleanField(
        label=_("Share mentors with the organization's other programs that share theirs"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WEIGHT_NAMES:
            self.fields[f"weight_{name}"] = forms.IntegerField(
                label=CRITERION_LABELS.get(name, name),
                min_value=0,
                max_value=1000,
                help_text=_(
                    "How much this criterion counts compared with the others. The weights are "
                    "scaled to add up to 100; 0 leaves the criterion out."
                ),
            )
        self.order_fields([f"weight_{name}" for name in WEIGHT_NAMES] + ["min_match_score", "shares_mentors"])

    @classmethod
    def initial_for(cls, program) -> dict:
        weights = Weights.from_dict(program.matching_weights)
        return {
            **{f"weight_{name}": round(getattr(weights, name)) for name in WEIGHT_NAMES},
            "min_match_score": program.min_match_score,
            "shares_mentors": program.shares_mentors,
        }

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(f"weight_{name}") for name in WEIGHT_NAMES]
        if all(value is not None for value in values) and sum(values) == 0:
            raise forms.ValidationError(_("At least one criterion must count more than 0."))
        return cleaned

    def weights(self) -> dict[str, int]:
        return {name: self.cleaned_data[f"weight_{name}"] for name in WEIGHT_NAMES}


class MatchAnswerForm(forms.Form):
    """One side's answer to an introduction, as the coordinator records it. A decline needs a
    reason; the service checks it too, but the form says so next to the field."""

    ACCEPT, DECLINE = "accept", "decline"

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[(ACCEPT, _("Accepts")), (DECLINE, _("Declines"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when they decline; it stays in the match's record."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == self.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for declining."))
        return cleaned

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["answer"] == self.ACCEPT
