"""Soft rules: what a pair goes against without being forbidden.

A hard rule (capacity, readiness, "do not match", sharing between programs) stops a proposal;
see `services.match_refusals`. A soft rule only asks the coordinator for a reason, which the
activity log keeps with the proposal, because the coordinator may know what the profile does
not (the mentee will move to the mentor's city next month, a phone call suits them both).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import criteria
from .features import Candidate


def soft_rules_broken(mentee: Candidate, mentor: Candidate) -> list[str]:
    """Plain-language names of the soft rules this pair goes against; empty when none."""
    broken = []
    if mentee.wants_same_gender and (not mentor.gender or mentor.gender != mentee.gender):
        broken.append(_("the mentee asked for a mentor of the same gender"))
    if not _can_meet(mentee, mentor):
        broken.append(_("they live apart and are not both open to remote meetings"))
    if mentee.availability and mentor.availability and not mentee.availability & mentor.availability:
        broken.append(_("they have no time in common to meet"))
    return broken


def _can_meet(mentee: Candidate, mentor: Candidate) -> bool:
    """In the same city or region, or both open to the same kind of remote meeting."""
    for key in (criteria.city_key, criteria.region_key):
        if key(mentee) and key(mentee) == key(mentor):
            return True
    remote = mentee.open_to_remote and mentor.open_to_remote
    return remote and bool(criteria.remote_bits(mentee) & criteria.remote_bits(mentor))
