from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import Cadence, ReminderKind, all_kinds


@dataclass
class CadenceRow:
    kind: ReminderKind
    enabled: forms.BoundField
    days: forms.BoundField


class CadenceForm(forms.Form):
    """One row per kind of reminder: whether the program sends it, and its number of days."""

    def __init__(self, *args, cadences: dict[str, Cadence], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in all_kinds():
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
            for kind in all_kinds()
        ]

    def cadences(self) -> dict[str, Cadence]:
        data = self.cleaned_data
        return {
            kind.key: Cadence(enabled=data[f"{kind.key}-enabled"], days=data[f"{kind.key}-days"])
            for kind in all_kinds()
        }
