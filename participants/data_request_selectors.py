"""Reads of data requests, for the staff who may see the person: someone with a participation in
a program the staff member works in. Anyone else's request gives 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from programs.selectors import programs_visible_to

from .models import DataRequest, Participation, Person
from .selectors import people_visible_to


def data_requests_visible_to(user) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(person__in=people_visible_to(user)).select_related(
        "person", "participation__program", "handled_by"
    )


def get_data_request_for_user(user, data_request_id: int) -> DataRequest:
    try:
        return data_requests_visible_to(user).get(pk=data_request_id)
    except DataRequest.DoesNotExist:
        raise Http404 from None


def open_data_request_count(user) -> int:
    """Requests waiting for a coordinator, for the dashboard's task card."""
    return data_requests_visible_to(user).filter(handled_at__isnull=True).count()


def may_erase(user, person: Person) -> bool:
    """Erasing touches every program the person took part in: only someone who works in all of
    them may do it (an organization admin, or a coordinator of each)."""
    programs = Participation.objects.filter(person=person).values_list("program_id", flat=True)
    visible = set(programs_visible_to(user).values_list("pk", flat=True))
    return set(programs) <= visible
