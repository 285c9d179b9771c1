"""The applications inbox: the visible applications with filters and search, and the bulk
actions on ticked rows (move to screening, waitlist, CSV export)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from programs.access import staff_required
from programs.selectors import programs_visible_to

from . import pipeline
from .filters import ApplicationFilter
from .intake_forms import BulkActionForm
from .models import Participation
from .selectors import inbox_participations
from .tables import ApplicationTable, occupation_label, source_label

S = Participation.Status


def _inbox_filter(request: HttpRequest, data) -> ApplicationFilter:
    # Always bound, even to no data, so that the default (open applications) applies.
    return ApplicationFilter(
        data,
        queryset=inbox_participations(request.user),
        programs=programs_visible_to(request.user).order_by("name"),
    )


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    filterset = _inbox_filter(request, request.GET)
    table = ApplicationTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": settings.PAGE_SIZE}).configure(table)
    template = "participants/intake/_inbox_table.html" if request.htmx else "participants/intake/inbox.html"
    return render(
        request,
        template,
        {
            "filter": filterset,
            "table": table,
            "bulk_form": BulkActionForm(participations=Participation.objects.none()),
            # The filters travel with the bulk form in its body, so an export's URL names nobody.
            "filter_params": [
                (key, value)
                for key, values in request.GET.lists()
                for value in values
                if key in filterset.form.fields
            ],
        },
    )


@require_POST
@staff_required
def inbox_bulk(request: HttpRequest) -> HttpResponse:
    """Moves ticked rows to screening or the waitlist one by one, so that a row that may not
    move is reported and the others still move; or exports the rows as CSV."""
    visible = inbox_participations(request.user)
    form = BulkActionForm(request.POST, participations=visible)
    back = _safe_next(request, reverse("intake:inbox"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action, selected = form.cleaned_data["action"], list(form.cleaned_data["selected"])
    if action == BulkActionForm.EXPORT:
        rows = form.cleaned_data["selected"] if selected else _inbox_filter(request, request.POST).qs
        return _csv_response(rows.order_by("-submitted_on", "-pk"))
    if action == BulkActionForm.SCREENING:
        done, refusals = _each(
            selected,
            lambda p: pipeline.participation_move(participation=p, to_status=S.SCREENING, actor=request.user),
        )
        success = ngettext(
            "%(count)d application moved to screening.", "%(count)d applications moved to screening.", done
        )
    else:
        reason = form.cleaned_data["reason"]
        done, refusals = _each(
            selected,
            lambda p: pipeline.participation_waitlist(participation=p, reason=reason, actor=request.user),
        )
        success = ngettext(
            "%(count)d application put on the waitlist.", "%(count)d applications put on the waitlist.", done
        )
    if done:
        messages.success(request, success % {"count": done})
    if refusals:
        messages.warning(
            request,
            ngettext(
                "%(count)d application did not change: %(details)s",
                "%(count)d applications did not change: %(details)s",
                len(refusals),
            )
            % {"count": len(refusals), "details": " ".join(refusals)},
        )
    return redirect(back)


def _each(participations: Iterable[Participation], change: Callable) -> tuple[int, list[str]]:
    done, refusals = 0, []
    for participation in participations:
        try:
            change(participation)
        except ValidationError as error:
            refusals.append(f"{participation.person.full_name}: {' '.join(error.messages)}")
        else:
            done += 1
    return done, refusals


CSV_HEADER = ["name", "email", "program", "role", "status", "occupation", "submitted", "source"]


def _csv_cell(value: str) -> str:
    # A spreadsheet would run a cell that starts like a formula; applicants type these names.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_response(participations: Iterable[Participation]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="applications-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for p in participations:
        submitted = getattr(p, "submitted_on", None) or p.created_at
        row = [
            p.person.full_name,
            p.person.email,
            p.program.name,
            p.get_role_display(),
            p.get_status_display(),
            occupation_label(p),
            timezone.localtime(submitted).date().isoformat(),
            source_label(p),
        ]
        writer.writerow([_csv_cell(str(cell)) for cell in row])
    return response


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
