"""Staff pages for "need help" messages from the portal: the current program's requests, open
ones first, and marking one handled with what was done."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs.access import current_program, staff_required

from .help_selectors import get_help_request_for_user, help_requests_visible_to
from .help_services import help_request_handle
from .models import HelpRequest

OPEN, HANDLED = "open", "handled"


class HelpRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Show"),
        choices=[(OPEN, gettext_lazy("Waiting for a coordinator")), (HANDLED, gettext_lazy("Handled"))],
        empty_label=gettext_lazy("All requests"),
        method="filter_status",
    )

    class Meta:
        model = HelpRequest
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["status"].widget.attrs["class"] = "form-select"

    def filter_status(self, queryset, name, value):
        return queryset.filter(handled_at__isnull=value == OPEN)


class HandleForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What you did (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@staff_required
def help_request_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


def _render_list(
    request: HttpRequest, *, invalid_id: int | None = None, invalid_form: HandleForm | None = None
) -> HttpResponse:
    program = current_program(request)
    requests = HelpRequest.objects.none()
    if program is not None:
        # Open requests first, the oldest of them on top: they have waited longest.
        requests = (
            help_requests_visible_to(request.user)
            .filter(program=program)
            .order_by(F("handled_at").desc(nulls_first=True), "created_at", "id")
        )
    data = request.GET.copy()
    data.setdefault("status", OPEN)
    help_filter = HelpRequestFilter(data, queryset=requests)
    page = Paginator(help_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (item, invalid_form if item.pk == invalid_id else HandleForm(auto_id=f"handle-{item.pk}-%s"))
        for item in page.object_list
    ]
    return render(
        request,
        "participants/help/help_request_list.html",
        {"program": program, "filter": help_filter, "page_obj": page, "rows": rows},
    )


@staff_required
@require_POST
def help_request_handle_view(request: HttpRequest, help_request_id: int) -> HttpResponse:
    help_request = get_help_request_for_user(request.user, help_request_id)
    form = HandleForm(request.POST, auto_id=f"handle-{help_request.pk}-%s")
    if not form.is_valid():
        return _render_list(request, invalid_id=help_request.pk, invalid_form=form)
    try:
        help_request_handle(help_request=help_request, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The request from %(name)s is handled.") % {"name": help_request.person.full_name}
        )
    return redirect("help_requests:list")
