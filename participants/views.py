"""Staff pages about people: the participant list and the person page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from programs.access import staff_required
from programs.activity import activity_for_object
from programs.selectors import programs_visible_to

from .filters import ParticipationFilter
from .selectors import get_person_for_user, participations_visible_to
from .tables import ParticipationTable


@staff_required
def participant_list(request: HttpRequest) -> HttpResponse:
    programs = programs_visible_to(request.user).order_by("name")
    filterset = ParticipationFilter(
        request.GET or None,
        queryset=participations_visible_to(request.user).order_by("person__last_name", "person__first_name"),
        programs=programs,
    )
    table = ParticipationTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    template = (
        "participants/_participant_table.html" if request.htmx else "participants/participant_list.html"
    )
    return render(request, template, {"filter": filterset, "table": table})


@staff_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for_user(request.user, person_id)
    visible_programs = programs_visible_to(request.user)
    participations = person.participations.filter(program__in=visible_programs).select_related("program")
    return render(
        request,
        "participants/person_detail.html",
        {
            "person": person,
            "participations": participations,
            "timeline": activity_for_object(person, visible_programs=visible_programs),
        },
    )
