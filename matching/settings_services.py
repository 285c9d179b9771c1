"""A program's matching settings: how much each criterion counts, the lowest score that needs no
reason, and whether the program shares its mentors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.activity import logged_update
from programs.models import Program

from .scoring import Weights


@transaction.atomic
def matching_settings_update(
    *,
    program: Program,
    weights: Weights | Mapping[str, float],
    min_match_score: int,
    shares_mentors: bool,
    actor,
) -> Program:
    """Saves the settings and logs `program.updated` with what changed (nothing when nothing did).

    Weights are stored as given (whole numbers stay whole); scoring scales them to add up to 100.
    """
    raw = asdict(weights) if isinstance(weights, Weights) else dict(weights)
    unknown = set(raw) - set(asdict(Weights()))
    if unknown:
        raise ValidationError(
            _("Unknown matching criteria: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if any(value < 0 for value in raw.values()):
        raise ValidationError(_("A criterion cannot count less than nothing."))
    if sum(raw.values()) <= 0:
        raise ValidationError(_("At least one criterion must count."))
    logged_update(
        program,
        fields={
            "matching_weights": {name: _number(value) for name, value in raw.items()},
            "min_match_score": min_match_score,
            "shares_mentors": shares_mentors,
        },
        actor=actor,
        verb="program.updated",
        organization=program.organization,
        program=program,
    )
    return program


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)
