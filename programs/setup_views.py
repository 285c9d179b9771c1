"""Program setup pages: eligibility, application questions, cohorts, resources, privacy notices.

Who may do what: every staff member of a program sees its setup. Coordinators of the program
also keep its cohorts and resources up to date, which is day-to-day work. Eligibility, the
application questions and the privacy notice change what applicants are asked and agree to,
so only organization admins change those.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services, setup_services
from .access import org_admin_required, staff_required
from .forms import (
    ELIGIBILITY_FIELDS,
    CohortForm,
    EligibilityForm,
    IntakeQuestionsForm,
    PrivacyNoticeForm,
    ResourceForm,
)
from .models import Cohort, Program, ProgramResource
from .selectors import (
    cohorts_with_counts,
    current_privacy_notice,
    get_administered_program,
    get_cohort,
    get_privacy_notice,
    get_program_for_user,
    get_resource,
    get_resource_for_download,
    privacy_notices_with_consent_counts,
)


def _render(request: HttpRequest, template: str, program: Program, section: str, **context) -> HttpResponse:
    context.update(
        program=program,
        section=section,
        can_administer=request.user.has_perm("programs.change_program", program),
    )
    return render(request, f"programs/setup/{template}", context)


@staff_required
def program_setup(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    return _render(request, "program_setup.html", program, "eligibility")


@org_admin_required
def eligibility_edit(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_administered_program(request.user, slug)
    form = EligibilityForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        # The ModelForm copied the data onto the instance; reload so the service logs the change.
        program.refresh_from_db()
        try:
            services.program_update(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Eligibility and expectations saved."))
            return redirect("setup:program_setup", slug=program.slug)
    return _render(
        request, "eligibility_form.html", program, "eligibility", form=form, fields=ELIGIBILITY_FIELDS
    )


@staff_required
def intake_questions(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    can_administer = request.user.has_perm("programs.change_program", program)
    if request.method == "POST" and not can_administer:
        raise PermissionDenied
    form = IntakeQuestionsForm(request.POST or None, program=program)
    if not can_administer:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.intake_questions_update(
                program=program, states=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Application questions saved."))
            return redirect("setup:intake_questions", slug=program.slug)
    return _render(request, "intake_questions.html", program, "questions", form=form)


# --- Cohorts ----------------------------------------------------------------------------------


@staff_required
def cohort_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    page = Paginator(cohorts_with_counts(program), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "cohort_list.html", program, "cohorts", page_obj=page)


@staff_required
def cohort_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    form = CohortForm(request.POST or None, instance=Cohort(program=program))
    if request.method == "POST" and form.is_valid():
        try:
            cohort = setup_services.cohort_create(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cohort “%(name)s” created.") % {"name": cohort.name})
            return redirect("setup:cohort_list", slug=program.slug)
    return _render(request, "cohort_form.html", program, "cohorts", form=form)


@staff_required
def cohort_edit(request: HttpRequest, slug: str, cohort_id: int) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    cohort = get_cohort(program, cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        cohort.refresh_from_db()
        try:
            setup_services.cohort_update(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("setup:cohort_list", slug=program.slug)
    return _render(request, "cohort_form.html", program, "cohorts", form=form, cohort=cohort)


# --- Resources --------------------------------------------------------------------------------


@staff_required
def resource_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    resources = program.resources.order_by("position", "title")
    page = Paginator(resources, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "resource_list.html", program, "resources", page_obj=page)


@staff_required
def resource_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        file = fields.pop("file") or None
        try:
            resource = setup_services.resource_add(program=program, actor=request.user, file=file, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(title)s” added.") % {"title": resource.title})
            return redirect("setup:resource_list", slug=program.slug)
    return _render(request, "resource_form.html", program, "resources", form=form)


@staff_required
def resource_edit(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    resource = get_resource(program, resource_id)
    initial = {name: getattr(resource, name) for name in setup_services.RESOURCE_FIELDS}
    form = ResourceForm(request.POST or None, request.FILES or None, initial=initial, resource=resource)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        file = fields.pop("file", None) or None
        try:
            setup_services.resource_update(resource=resource, actor=request.user, file=file, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Resource saved."))
            return redirect("setup:resource_list", slug=program.slug)
    return _render(request, "resource_form.html", program, "resources", form=form, resource=resource)


@staff_required
def resource_remove(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    resource = get_resource(program, resource_id)
    if request.method == "POST":
        setup_services.resource_remove(resource=resource, actor=request.user)
        messages.success(request, _("“%(title)s” removed.") % {"title": resource.title})
        return redirect("setup:resource_list", slug=program.slug)
    return _render(
        request,
        "confirm_remove.html",
        program,
        "resources",
        heading=_("Remove “%(title)s”?") % {"title": resource.title},
        explanation=_("Participants will no longer see it. A file is deleted for good."),
        cancel_url=reverse("setup:resource_list", kwargs={"slug": program.slug}),
    )


@login_required
def resource_download(request: HttpRequest, resource_id: int) -> FileResponse:
    """The only way to a resource's file: no URL serves the media folder."""
    resource: ProgramResource = get_resource_for_download(request.user, resource_id)
    suffix = "." + resource.file.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=resource.original_filename or f"resource{suffix}",
        content_type=setup_services.RESOURCE_CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )


# --- Privacy notices --------------------------------------------------------------------------


@staff_required
def privacy_notice_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    notices = list(privacy_notices_with_consent_counts(program))
    return _render(
        request,
        "privacy_notice_list.html",
        program,
        "privacy",
        notices=notices,
        current=current_privacy_notice(program),
        draft=next((notice for notice in notices if not notice.is_published), None),
    )


@org_admin_required
def privacy_notice_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_administered_program(request.user, slug)
    current = current_privacy_notice(program)
    form = PrivacyNoticeForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            notice = setup_services.privacy_notice_draft(
                program=program, text=form.cleaned_data["text"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft of version %(version)s saved.") % {"version": notice.version})
            return redirect("setup:privacy_notice_detail", slug=program.slug, notice_id=notice.pk)
    return _render(request, "privacy_notice_form.html", program, "privacy", form=form)


@staff_required
def privacy_notice_detail(request: HttpRequest, slug: str, notice_id: int) -> HttpResponse:
    """A version's text; admins edit a draft here. Published versions are read-only."""
    program = get_program_for_user(request.user, slug)
    notice = get_privacy_notice(program, notice_id)
    can_administer = request.user.has_perm("programs.change_program", program)
    if request.method == "POST" and not can_administer:
        raise PermissionDenied
    form = None
    if can_administer and not notice.is_published:
        form = PrivacyNoticeForm(request.POST or None, initial={"text": notice.text})
    if request.method == "POST":
        if form is None:
            # Someone posted to a published version (a stale tab): refuse, and say why.
            try:
                setup_services.privacy_notice_update(
                    notice=notice, text=request.POST.get("text", ""), actor=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("setup:privacy_notice_detail", slug=program.slug, notice_id=notice.pk)
        if form.is_valid():
            try:
                setup_services.privacy_notice_update(
                    notice=notice, text=form.cleaned_data["text"], actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("setup:privacy_notice_detail", slug=program.slug, notice_id=notice.pk)
    current = current_privacy_notice(program)
    return _render(
        request,
        "privacy_notice_detail.html",
        program,
        "privacy",
        notice=notice,
        form=form,
        is_current=current is not None and current.pk == notice.pk,
        consent_count=notice.consents.count(),
    )


@require_POST
@org_admin_required
def privacy_notice_publish(request: HttpRequest, slug: str, notice_id: int) -> HttpResponse:
    program = get_administered_program(request.user, slug)
    notice = get_privacy_notice(program, notice_id)
    try:
        setup_services.privacy_notice_publish(notice=notice, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("setup:privacy_notice_detail", slug=program.slug, notice_id=notice.pk)
    messages.success(
        request,
        _("Version %(version)s is published. New applicants agree to it from now on.")
        % {"version": notice.version},
    )
    return redirect("setup:privacy_notice_list", slug=program.slug)
