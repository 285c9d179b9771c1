"""The portal home's card of surveys waiting for an answer. A tag, so that the home page shows
it without the home view knowing about surveys. It costs the queries of `portal_surveys` (two
at most), and none for someone without a match."""

from __future__ import annotations

from django import template
from django.utils import timezone

from participants.portal_selectors import portal_surveys

register = template.Library()

MAX_SHOWN = 3


@register.inclusion_tag("portal/surveys/_due_card.html", takes_context=True)
def portal_surveys_due(context) -> dict:
    if not (context.get("current_matches") or context.get("past_match_count")):
        return {}  # no match, so nothing to ask: spare the queries
    due = [item for item in portal_surveys(context["request"].user, timezone.localdate()) if not item.done]
    return {"due_items": due[:MAX_SHOWN], "due_count": len(due)}
