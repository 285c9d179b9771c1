"""The public application pages: no sign-in, one form per program and role.

Only active programs take applications, and only once they have published a privacy notice
for applicants to agree to.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from matching.models import Occupation
from programs.models import Program
from programs.selectors import current_privacy_notice

from .applications import ApplicationAlreadyOpen, application_submit
from .models import Participation
from .public_forms import FORMS_BY_ROLE, HONEYPOT_FIELD
from .resumes import MAX_RESUME_BYTES
from .tasks import send_application_already_open_notice

# Five applications per ten minutes from one address: enough for a family or a settlement
# worker helping several newcomers, too few for a script.
RATE = "5/10m"
# Bigger requests are refused before Django reads them to disk (the CSRF check would read the
# whole upload first); the form's own check refuses anything between this and 5 MB, keeping
# the typed answers.
MAX_REQUEST_BYTES = MAX_RESUME_BYTES * 4


def _active_program(slug: str) -> Program | None:
    return Program.objects.filter(slug=slug, is_active=True).select_related("organization").first()


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _program_not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "apply/program_not_found.html", status=404)


@require_GET
def apply_start(request: HttpRequest, slug: str) -> HttpResponse:
    program = _active_program(slug)
    if program is None:
        return _program_not_found(request)
    return render(
        request,
        "apply/start.html",
        {"program": program, "is_open": current_privacy_notice(program) is not None},
    )


@csrf_exempt  # only so that an oversized request is refused before anything reads it
@require_http_methods(["GET", "POST"])
def apply_form(request: HttpRequest, slug: str, role: str) -> HttpResponse:
    if _content_length(request) > MAX_REQUEST_BYTES:
        return render(request, "apply/too_large.html", status=413)
    return _apply_form(request, slug, role)


@csrf_protect
def _apply_form(request: HttpRequest, slug: str, role: str) -> HttpResponse:
    program = _active_program(slug)
    if program is None:
        return _program_not_found(request)
    notice = current_privacy_notice(program)
    context = {"program": program, "role": role, "is_mentor": role == Participation.Role.MENTOR}
    if notice is None:
        return render(request, "apply/not_open.html", context)
    form_class = FORMS_BY_ROLE[role]
    context["notice"] = notice
    if request.method != "POST":
        context["form"] = form_class(program=program)
        return render(request, "apply/form.html", context)

    form = form_class(request.POST, request.FILES, program=program)
    context["form"] = form
    trapped = bool(request.POST.get(HONEYPOT_FIELD))
    if not trapped and not form.is_valid():
        return render(request, "apply/form.html", context)
    # Counted only once a submission would be taken in, so that correcting mistakes is free.
    if is_ratelimited(request, group="apply", key="ip", rate=RATE, increment=True):
        context["rate_limited"] = True
        return render(request, "apply/form.html", context, status=429)
    if trapped:
        # A bot filled the hidden field: it gets the usual answer and nothing is stored.
        return redirect(f"apply:{role}_thanks", slug=program.slug)
    try:
        application_submit(
            program=program,
            role=role,
            cleaned=form.cleaned_data,
            answers=form.answers(),
            communication_style=form.communication_style(),
            privacy_notice=notice,
            resume=form.cleaned_data.get("resume"),
            actor=request.user,
        )
    except ApplicationAlreadyOpen:
        # The same thank-you as any applicant sees; the address's owner learns the rest by email.
        send_application_already_open_notice.delay(
            program.pk, role, form.cleaned_data["email"], translation.get_language()
        )
    return redirect(f"apply:{role}_thanks", slug=program.slug)


@require_GET
def apply_thanks(request: HttpRequest, slug: str, role: str) -> HttpResponse:
    program = _active_program(slug)
    if program is None:
        return _program_not_found(request)
    return render(
        request,
        "apply/thanks.html",
        {"program": program, "role": role, "is_mentor": role == Participation.Role.MENTOR},
    )


@require_GET
def occupation_options(request: HttpRequest) -> HttpResponse:
    """The NOC unit groups matching a search, as <option>s for the form's list (htmx)."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    selected = request.GET.get("occupation", "")
    occupations = Occupation.objects.filter(level=Occupation.Level.UNIT_GROUP)
    if query:
        matches = Q()
        for word in query.split():
            matches &= Q(title__icontains=word) | Q(code__startswith=word)
        occupations = occupations.filter(matches | Q(code=selected))
    return render(
        request,
        "apply/_occupation_options.html",
        {"occupations": occupations.order_by("title"), "selected": selected, "query": query},
    )
