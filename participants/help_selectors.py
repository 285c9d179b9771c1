"""Reads of help requests, scoped to the programs the staff member works in."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from programs.models import Program
from programs.selectors import programs_visible_to

from .models import HelpRequest


def help_requests_visible_to(user) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(program__in=programs_visible_to(user)).select_related(
        "person",
        "program__organization",
        "match__mentee__person",
        "match__mentor__person",
        "handled_by",
    )


def get_help_request_for_user(user, help_request_id: int) -> HelpRequest:
    try:
        return help_requests_visible_to(user).get(pk=help_request_id)
    except HelpRequest.DoesNotExist:
        raise Http404 from None


def open_help_request_count(program: Program) -> int:
    """Requests of the program that wait for a coordinator, for the dashboard's task card."""
    return HelpRequest.objects.filter(program=program, handled_at__isnull=True).count()
