"""The portal's story forms: telling a story with a consent, and sharing it less widely later."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    CONSENT_ORDER,
    MAX_STORY_CHARS,
    ConsentLevel,
    Story,
    consent_choices_version,
    consent_text,
    is_lower,
)


def consent_options(levels: list[str]) -> list[tuple[str, str, str]]:
    """(level, name, the exact consent words) for the template, narrowest first."""
    labels = dict(ConsentLevel.choices)
    return [(level, str(labels[level]), consent_text(level)) for level in levels]


class StoryForm(forms.Form):
    participation = forms.TypedChoiceField(label=_("Which program is your story about?"), coerce=int)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("A few words, for example “My first job as an engineer in Canada”."),
    )
    text = forms.CharField(
        label=_("Your story"),
        max_length=MAX_STORY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In your own words: where you started, what the mentoring changed, where you are now."),
    )
    consent_level = forms.ChoiceField(
        label=_("How far may your story go?"),
        choices=ConsentLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how far your story may go.")},
    )
    shown_consent_version = forms.CharField(widget=forms.HiddenInput())

    def __init__(self, *args, participations: list, **kwargs):
        kwargs.setdefault("auto_id", "story-%s")
        super().__init__(*args, **kwargs)
        self.participations = {participation.pk: participation for participation in participations}
        self.fields["participation"].choices = [
            (p.pk, f"{p.program.name} · {p.get_role_display()}") for p in participations
        ]
        if len(participations) == 1:
            self.fields["participation"].initial = participations[0].pk
            self.fields["participation"].widget = forms.HiddenInput()
        self.fields["shown_consent_version"].initial = consent_choices_version()

    def consent_options(self) -> list[tuple[str, str, str]]:
        return consent_options(CONSENT_ORDER)

    def chosen_participation(self):
        return self.participations[self.cleaned_data["participation"]]


class ConsentLowerForm(forms.Form):
    consent_level = forms.ChoiceField(
        label=_("Share my story less widely"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a level that shares your story less widely.")},
    )

    def __init__(self, *args, story: Story, **kwargs):
        kwargs.setdefault("auto_id", "consent-%s")
        super().__init__(*args, **kwargs)
        self.lower_levels = [level for level in CONSENT_ORDER if is_lower(level, story.consent_level)]
        self.fields["consent_level"].choices = [
            (level, name) for level, name, _words in consent_options(self.lower_levels)
        ]

    def consent_options(self) -> list[tuple[str, str, str]]:
        return consent_options(self.lower_levels)
