"""Staff pages for what people ask about their data: the requests of the people the staff member
may see, open ones first, each handled with a note; a deletion request is handled by erasing the
data, after a page that lists what will be erased and what is kept."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs.access import staff_required

from .data_request_selectors import data_requests_visible_to, get_data_request_for_user, may_erase
from .data_request_services import data_request_erase, data_request_handle
from .erasure import erasure_blockers, erasure_plan
from .models import DataRequest

OPEN, HANDLED = "open", "handled"


class DataRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Show"),
        choices=[(OPEN, gettext_lazy("Waiting for a coordinator")), (HANDLED, gettext_lazy("Handled"))],
        empty_label=gettext_lazy("All requests"),
        method="filter_status",
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Request"), choices=DataRequest.Kind.choices, empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = DataRequest
        fields = ["status", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "kind"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_status(self, queryset, name, value):
        return queryset.filter(handled_at__isnull=value == OPEN)


class HandleForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What you did"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The person's timeline keeps this note. Leave out personal details."),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Leave out personal details: the note is kept after the erasure."),
    )


@staff_required
def data_request_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


def _render_list(
    request: HttpRequest, *, invalid_id: int | None = None, invalid_form: HandleForm | None = None
) -> HttpResponse:
    # Open requests first, the oldest on top: the law gives the organization a deadline.
    requests = data_requests_visible_to(request.user).order_by(
        F("handled_at").desc(nulls_first=True), "created_at", "id"
    )
    data = request.GET.copy()
    data.setdefault("status", OPEN)
    request_filter = DataRequestFilter(data, queryset=requests)
    page = Paginator(request_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (item, invalid_form if item.pk == invalid_id else HandleForm(auto_id=f"handle-{item.pk}-%s"))
        for item in page.object_list
    ]
    return render(
        request,
        "participants/data_requests/data_request_list.html",
        {"filter": request_filter, "page_obj": page, "rows": rows},
    )


@staff_required
@require_POST
def data_request_handle_view(request: HttpRequest, data_request_id: int) -> HttpResponse:
    data_request = get_data_request_for_user(request.user, data_request_id)
    form = HandleForm(request.POST, auto_id=f"handle-{data_request.pk}-%s")
    if not form.is_valid():
        return _render_list(request, invalid_id=data_request.pk, invalid_form=form)
    try:
        data_request_handle(data_request=data_request, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for message in error.message_dict.get("note", []):
                form.add_error("note", message)
            return _render_list(request, invalid_id=data_request.pk, invalid_form=form)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The request from %(name)s is handled.") % {"name": data_request.person.full_name}
        )
    return redirect("participants:data_requests")


@staff_required
def data_request_erase_view(request: HttpRequest, data_request_id: int) -> HttpResponse:
    """What the erasure will do, and the confirmation."""
    data_request = get_data_request_for_user(request.user, data_request_id)
    if data_request.kind != DataRequest.Kind.DELETION or not data_request.is_open:
        messages.info(request, _("This request is not an open deletion request."))
        return redirect("participants:data_requests")
    person = data_request.person
    allowed = may_erase(request.user, person)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = person.full_name
        try:
            data_request_erase(data_request=data_request, note=form.cleaned_data["note"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The data of %(name)s is erased.") % {"name": name})
            return redirect("participants:data_requests")
    return render(
        request,
        "participants/data_requests/erase_confirm.html",
        {
            "data_request": data_request,
            "person": person,
            "form": form,
            "allowed": allowed,
            "blockers": erasure_blockers(person),
            "plan": erasure_plan(person),
        },
    )
