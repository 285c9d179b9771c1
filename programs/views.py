"""Staff pages: home, dashboard, program switcher, and the organization settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.data_request_selectors import open_data_request_count
from participants.help_selectors import open_help_request_count
from participants.models import Participation
from participants.selectors import participation_counts, program_totals

from . import services
from .access import CURRENT_PROGRAM_SESSION_KEY, current_program, org_admin_required, staff_required
from .activity import activity_for_object
from .charts import BarChart, grouped_bar_chart
from .forms import ProgramForm, StaffEditForm, StaffInviteForm
from .models import ActivityEntry, Organization
from .rules import is_funder_user, is_staff_member
from .selectors import (
    get_administered_membership,
    get_administered_program,
    get_program_for_user,
    organizations_administered_by,
    programs_visible_to,
    staff_of_organizations,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Sends each person to their own front door after signing in."""
    if is_staff_member(request.user):
        return redirect("programs:dashboard")
    if is_funder_user(request.user):
        return redirect("funders:home")
    if request.user.is_superuser:
        return redirect("admin:index")
    return redirect("portal:home")


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    context: dict = {"program": program}
    if program is not None:
        counts = participation_counts(program)
        mentees, mentors = counts[Participation.Role.MENTEE], counts[Participation.Role.MENTOR]
        status = Participation.Status
        context.update(
            mentee_total=sum(mentees.values()),
            mentor_total=sum(mentors.values()),
            new_applications=mentees.get(status.SUBMITTED, 0) + mentors.get(status.SUBMITTED, 0),
            waiting_mentees=mentees.get(status.READY_TO_MATCH, 0),
            available_mentors=mentors.get(status.READY_TO_MATCH, 0),
            matched_mentees=mentees.get(status.MATCHED, 0),
            open_help_requests=open_help_request_count(program),
            open_data_requests=open_data_request_count(request.user),
            pipeline_chart=_pipeline_chart(mentees, mentors),
            recent_activity=ActivityEntry.objects.filter(program=program)
            .select_related("actor")
            .order_by("-created_at", "-id")[:10],
        )
    return render(request, "programs/dashboard.html", context)


def _pipeline_chart(mentees: dict[str, int], mentors: dict[str, int]) -> BarChart:
    return grouped_bar_chart(
        title=_("Mentees and mentors at each stage"),
        series=[(_("Mentees"), "mentee"), (_("Mentors"), "mentor")],
        rows=[
            (str(label), [mentees.get(value, 0), mentors.get(value, 0)])
            for value, label in Participation.Status.choices
        ],
    )


@require_POST
@staff_required
def program_switch(request: HttpRequest) -> HttpResponse:
    program = get_program_for_user(request.user, request.POST.get("program", ""))
    request.session[CURRENT_PROGRAM_SESSION_KEY] = program.pk
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("programs:dashboard")
    return redirect(next_url)


def _administered_organization(request: HttpRequest) -> Organization:
    """The organization the settings pages act on: the current program's, when the user runs it."""
    organizations = list(organizations_administered_by(request.user))
    program = current_program(request)
    for organization in organizations:
        if program is not None and program.organization_id == organization.pk:
            return organization
    return organizations[0]


@org_admin_required
def program_list(request: HttpRequest) -> HttpResponse:
    organization = _administered_organization(request)
    programs = program_totals(organization.programs.order_by("-is_active", "name"))
    page = Paginator(programs, 25).get_page(request.GET.get("page"))
    return render(request, "programs/program_list.html", {"organization": organization, "page_obj": page})


@org_admin_required
def program_create(request: HttpRequest) -> HttpResponse:
    organization = _administered_organization(request)
    form = ProgramForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Program “%(name)s” created.") % {"name": program.name})
            return redirect(program)
    return render(request, "programs/program_form.html", {"form": form, "organization": organization})


@staff_required
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_user(request.user, slug)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "can_edit": request.user.has_perm("programs.change_program", program),
            "timeline": activity_for_object(program),
        },
    )


@org_admin_required
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_administered_program(request.user, slug)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        # The ModelForm already copied the data onto the instance; reload it so the service
        # sees the stored values and can log what changed.
        program.refresh_from_db()
        try:
            program = services.program_update(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Program saved."))
            return redirect(program)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "program": program, "organization": program.organization},
    )


@org_admin_required
def staff_list(request: HttpRequest) -> HttpResponse:
    organization = _administered_organization(request)
    memberships = staff_of_organizations(Organization.objects.filter(pk=organization.pk))
    page = Paginator(memberships, 25).get_page(request.GET.get("page"))
    return render(request, "programs/staff_list.html", {"organization": organization, "page_obj": page})


@org_admin_required
def staff_invite(request: HttpRequest) -> HttpResponse:
    organization = _administered_organization(request)
    form = StaffInviteForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.staff_invite(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": membership.user.email},
            )
            return redirect("programs:staff_list")
    return render(request, "programs/staff_invite.html", {"form": form, "organization": organization})


@org_admin_required
def staff_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_administered_membership(request.user, membership_id)
    initial = {"role": membership.role, "programs": list(membership.programs.all())}
    form = StaffEditForm(request.POST or None, initial=initial, organization=membership.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(membership=membership, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Staff member updated."))
            return redirect("programs:staff_edit", membership_id=membership.pk)
    return render(
        request,
        "programs/staff_edit.html",
        {"form": form, "membership": membership, "timeline": activity_for_object(membership)},
    )


@require_POST
@org_admin_required
def staff_set_active(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_administered_membership(request.user, membership_id)
    is_active = request.POST.get("active") == "1"
    try:
        services.staff_set_active(membership=membership, is_active=is_active, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Access restored.") if is_active else _("Access removed."))
    return redirect("programs:staff_edit", membership_id=membership.pk)


@staff_required
def programs_overview(request: HttpRequest) -> HttpResponse:
    programs = program_totals(programs_visible_to(request.user).order_by("-is_active", "name"))
    page = Paginator(programs, 25).get_page(request.GET.get("page"))
    return render(request, "programs/programs_overview.html", {"page_obj": page})
