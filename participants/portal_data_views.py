"""My data, in the portal: download everything the program holds about me (JSON or PDF), ask
for a correction I cannot make myself, leave a program, or ask for my data to be deleted."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from .data_export import export_json
from .data_export_pdf import export_pdf
from .data_request_services import (
    MAX_MESSAGE_CHARS,
    can_leave,
    data_request_send,
    personal_data_exported,
    portal_withdraw,
    withdrawal_needs_coordinator,
)
from .models import DataRequest, Person
from .portal_access import participant_required
from .portal_selectors import get_portal_participation, get_portal_person, portal_participations

K = DataRequest.Kind


class CorrectionForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("What is wrong, and what should it say?"),
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Please tell us what is wrong and what it should say.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "correction-%s")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Would you like to tell us why? (optional)"),
        required=False,
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("It helps us improve the program. Your match partner does not see it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "withdraw-%s")
        super().__init__(*args, **kwargs)


class DeletionForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Anything your coordinator should know? (optional)"),
        required=False,
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, I want my data deleted."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "deletion-%s")
        super().__init__(*args, **kwargs)


def _deletion_waiting(person: Person) -> bool:
    return DataRequest.objects.filter(person=person, kind=K.DELETION, handled_at__isnull=True).exists()


@participant_required
def data_home(request: HttpRequest) -> HttpResponse:
    people = request.portal_people
    participations = list(portal_participations(request.user))
    waiting = {
        (row.person_id, row.kind, row.participation_id)
        for row in DataRequest.objects.filter(person__in=people, handled_at__isnull=True)
    }
    requests = DataRequest.objects.filter(person__in=people).select_related("participation__program")
    page = Paginator(requests, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/data/home.html",
        {
            "people": [
                {
                    "person": person,
                    "deletion_waiting": (person.pk, K.DELETION, None) in waiting,
                    "participations": [
                        {
                            "participation": p,
                            "can_leave": can_leave(p),
                            "waiting": (person.pk, K.WITHDRAWAL, p.pk) in waiting,
                        }
                        for p in participations
                        if p.person_id == person.pk
                    ],
                }
                for person in people
            ],
            "page_obj": page,
        },
    )


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename(person: Person, extension: str) -> str:
    return f"my-data-{person.organization.slug}-{timezone.localdate().isoformat()}.{extension}"


@participant_required
@require_GET
def export_json_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_portal_person(request.user, person_id)
    content = export_json(person)
    personal_data_exported(person=person, export_format="json", actor=request.user)
    return _download(content, content_type="application/json", filename=_filename(person, "json"))


@participant_required
@require_GET
def export_pdf_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_portal_person(request.user, person_id)
    content = export_pdf(person)
    personal_data_exported(person=person, export_format="pdf", actor=request.user)
    return _download(content, content_type="application/pdf", filename=_filename(person, "pdf"))


@participant_required
def correction(request: HttpRequest, person_id: int) -> HttpResponse:
    """Something wrong that the profile pages do not let the person change."""
    person = get_portal_person(request.user, person_id)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            data_request_send(
                person=person, kind=K.CORRECTION, message=form.cleaned_data["message"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request is on its way. Your coordinator will correct it."))
            return redirect("portal:data")
    return render(request, "portal/data/correction.html", {"form": form, "person": person})


@participant_required
def withdraw(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_portal_participation(request.user, participation_id)
    if not can_leave(participation):
        messages.info(request, _("You have already left this program."))
        return redirect("portal:data")
    through_coordinator = withdrawal_needs_coordinator(participation)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = portal_withdraw(
                participation=participation, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if sent is None:
                messages.success(
                    request,
                    _("You have left %(program)s. Thank you for the time you gave it.")
                    % {"program": participation.program.name},
                )
            else:
                messages.success(
                    request,
                    _("Your coordinator has your request and will get in touch to close things properly."),
                )
            return redirect("portal:data")
    return render(
        request,
        "portal/data/withdraw.html",
        {"form": form, "participation": participation, "through_coordinator": through_coordinator},
    )


@participant_required
def deletion(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_portal_person(request.user, person_id)
    if _deletion_waiting(person):
        messages.info(request, _("Your request to delete your data is with your coordinator."))
        return redirect("portal:data")
    form = DeletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            data_request_send(
                person=person, kind=K.DELETION, message=form.cleaned_data["message"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request is on its way to your coordinator, who will delete your data.")
            )
            return redirect("portal:data")
    return render(request, "portal/data/deletion.html", {"form": form, "person": person})
