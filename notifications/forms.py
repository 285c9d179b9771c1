from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import Cadence, ReminderKind, participant_choice_kinds, scheduled_kinds


@dataclass
class CadenceRow:
    kind: ReminderKind
    enabled: forms.BoundField
    days: forms.BoundField


class CadenceForm(forms.Form):
    """One row per scheduled kind of reminder: whether the program sends it, and its number of
    days. (Immediate emails, such as the interview invitation, always go out.)"""

    def __init__(self, *args, cadences: dict[str, Cadence], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in scheduled_kinds():
            cadence = cadences[kind.key]
            self.fields[f"{kind.key}-enabled"] = forms.BooleanField(
                label=_("Send “%(kind)s”") % {"kind": kind.label}, required=False, initial=cadence.enabled
            )
            self.fields[f"{kind.key}-days"] = forms.IntegerField(
                label=kind.days_label, min_value=kind.min_days, max_value=kind.max_days, initial=cadence.days
            )

    @property
    def rows(self) -> list[CadenceRow]:
        return [
            CadenceRow(kind=kind, enabled=self[f"{kind.key}-enabled"], days=self[f"{kind.key}-days"])
            for kind in scheduled_kinds()
        ]

    def cadences(self) -> dict[str, Cadence]:
        data = self.cleaned_data
        return {
            kind.key: Cadence(enabled=data[f"{kind.key}-enabled"], days=data[f"{kind.key}-days"])
            for kind in scheduled_kinds()
        }


class NotificationChoicesForm(forms.Form):
    """A participant's switches: one per reminder they may turn off, on when it is sent to them."""

    def __init__(self, *args, off: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in participant_choice_kinds():
            self.fields[kind.key] = forms.BooleanField(
                label=kind.label, help_text=kind.description, required=False, initial=kind.key not in off
            )

    def enabled(self) -> set[str]:
        return {key for key, value in self.cleaned_data.items() if value}
