"""Staff pages for reminders: the outbox (what was sent to whom, what failed and why, resend) and
the current program's cadences. The public unsubscribe page is in unsubscribe_views.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.access import current_program, staff_required
from programs.rules import can_work_in_program

from .filters import OutboxFilter
from .forms import CadenceForm
from .registry import cadences_for_program
from .selectors import get_sent_reminder_for_user, sent_reminders_visible_to
from .services import cadence_update, reminder_resend


@staff_required
def outbox(request: HttpRequest) -> HttpResponse:
    outbox_filter = OutboxFilter(request.GET or None, queryset=sent_reminders_visible_to(request.user))
    page = Paginator(outbox_filter.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"filter": outbox_filter, "page_obj": page})


@staff_required
@require_POST
def resend(request: HttpRequest, reminder_id: int) -> HttpResponse:
    reminder = get_sent_reminder_for_user(request.user, reminder_id)
    try:
        reminder_resend(reminder=reminder, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The reminder to %(to)s is on its way again.")
            % {"to": reminder.recipient or reminder.kind_label},
        )
    return redirect("notifications:outbox")


@staff_required
def cadence_settings(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    if program is not None and not can_work_in_program(request.user, program):
        raise PermissionDenied
    form = None
    if program is not None:
        form = CadenceForm(request.POST or None, cadences=cadences_for_program(program))
        if request.method == "POST" and form.is_valid():
            try:
                cadence_update(program=program, cadences=form.cadences(), actor=request.user)
            except ValidationError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Reminder settings saved."))
                return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"program": program, "form": form})


def _add_error(form: CadenceForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)
