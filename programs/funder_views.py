"""The funders' read-only front door: aggregates of the programs their funder funds."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from participants.selectors import program_totals

from .access import funder_required
from .selectors import funders_of, programs_funded_for


@funder_required
def funder_home(request: HttpRequest) -> HttpResponse:
    programs = program_totals(programs_funded_for(request.user).order_by("organization__name", "name"))
    page = Paginator(programs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "funders/home.html",
        {"funders": list(funders_of(request.user)), "page_obj": page},
    )
