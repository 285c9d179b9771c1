"""Organization-wide setup pages: partners and funders, with their contacts.

Every staff member of an organization reads its partner list, since coordinators refer people
to partners and record who referred whom; only organization admins change it. Funders, their
fundings and reporting periods are for organization admins only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Participation, Referral

from . import partner_services
from .access import current_program, org_admin_required, staff_required
from .activity import activity_for_object
from .forms import (
    FunderContactForm,
    FunderForm,
    FundingForm,
    PartnerContactForm,
    PartnerFilter,
    PartnerForm,
    ReportingPeriodForm,
)
from .models import Organization
from .rules import is_org_admin
from .selectors import (
    funders_administered_by,
    get_administered_funder,
    get_administered_partner,
    get_funder_contact,
    get_funding,
    get_partner_contact,
    get_partner_for_user,
    get_reporting_period,
    organizations_administered_by,
    organizations_visible_to,
    partner_involvement,
    partners_visible_to,
    programs_visible_to,
)


def _organization_for(request: HttpRequest, organizations) -> Organization:
    """The organization an organization-wide page acts on: the current program's, if it is one
    of `organizations`, otherwise the first. The decorators guarantee there is one."""
    organizations = list(organizations)
    program = current_program(request)
    for organization in organizations:
        if program is not None and program.organization_id == organization.pk:
            return organization
    return organizations[0]


def _confirm_remove(request: HttpRequest, *, heading: str, explanation: str, cancel_url: str) -> HttpResponse:
    return render(
        request,
        "programs/setup/confirm_remove.html",
        {"heading": heading, "explanation": explanation, "cancel_url": cancel_url},
    )


# --- Partners ---------------------------------------------------------------------------------


@staff_required
def partner_list(request: HttpRequest) -> HttpResponse:
    organization = _organization_for(request, organizations_visible_to(request.user))
    partners = (
        partners_visible_to(request.user)
        .filter(organization=organization)
        .annotate(contact_count=Count("contacts"))
        .order_by("-is_active", "name")
    )
    filterset = PartnerFilter(request.GET or None, queryset=partners)
    page = Paginator(filterset.qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/setup/partner_list.html",
        {
            "organization": organization,
            "filter": filterset,
            "page_obj": page,
            "can_administer": is_org_admin(request.user, organization),
        },
    )


@org_admin_required
def partner_create(request: HttpRequest) -> HttpResponse:
    organization = _organization_for(request, organizations_administered_by(request.user))
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_services.partner_create(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Partner “%(name)s” added.") % {"name": partner.name})
            return redirect("setup:partner_detail", partner_id=partner.pk)
    return render(request, "programs/setup/partner_form.html", {"form": form, "organization": organization})


@staff_required
def partner_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, partner_id)
    programs = programs_visible_to(request.user).filter(organization=partner.organization)
    return render(
        request,
        "programs/setup/partner_detail.html",
        {
            "partner": partner,
            "contacts": list(partner.contacts.all()),
            "involvement": partner_involvement(partner, programs),
            "can_administer": is_org_admin(request.user, partner.organization),
            "timeline": activity_for_object(partner),
        },
    )


@org_admin_required
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = get_administered_partner(request.user, partner_id)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        partner.refresh_from_db()
        try:
            partner_services.partner_update(partner=partner, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("setup:partner_detail", partner_id=partner.pk)
    return render(
        request,
        "programs/setup/partner_form.html",
        {"form": form, "partner": partner, "organization": partner.organization},
    )


PARTNER_PEOPLE = {
    "referred": gettext_lazy("Participants they referred"),
    "mentors": gettext_lazy("Mentors they employ"),
    "referrals": gettext_lazy("Referrals made to them"),
}


@staff_required
def partner_people(request: HttpRequest, partner_id: int, relation: str) -> HttpResponse:
    """The people behind one of the partner page's counts, in the programs the user works in."""
    if relation not in PARTNER_PEOPLE:
        raise Http404
    partner = get_partner_for_user(request.user, partner_id)
    programs = programs_visible_to(request.user).filter(organization=partner.organization)
    if relation == "referrals":
        rows = Referral.objects.filter(partner=partner, participation__program__in=programs).order_by(
            "-referred_at"
        )
        rows = rows.select_related("participation__person", "participation__program")
    else:
        rows = Participation.objects.filter(program__in=programs).select_related("person", "program")
        if relation == "referred":
            rows = rows.filter(source_partner=partner)
        else:
            rows = rows.filter(mentor_profile__employer_partner=partner)
        rows = rows.order_by("person__last_name", "person__first_name")
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/setup/partner_people.html",
        {"partner": partner, "relation": relation, "heading": PARTNER_PEOPLE[relation], "page_obj": page},
    )


@org_admin_required
def partner_contact_edit(
    request: HttpRequest, partner_id: int, contact_id: int | None = None
) -> HttpResponse:
    """Add a contact (no `contact_id`) or change one."""
    partner = get_administered_partner(request.user, partner_id)
    contact = get_partner_contact(partner, contact_id) if contact_id else None
    return _contact_form(
        request,
        owner=partner,
        contact=contact,
        form_class=PartnerContactForm,
        save=lambda **fields: partner_services.partner_contact_save(partner=partner, **fields),
        detail_url=reverse("setup:partner_detail", args=[partner.pk]),
    )


@org_admin_required
def partner_contact_remove(request: HttpRequest, partner_id: int, contact_id: int) -> HttpResponse:
    partner = get_administered_partner(request.user, partner_id)
    contact = get_partner_contact(partner, contact_id)
    return _contact_remove(
        request,
        owner=partner,
        contact=contact,
        remove=partner_services.partner_contact_remove,
        detail_url=reverse("setup:partner_detail", args=[partner.pk]),
    )


def _contact_form(request: HttpRequest, *, owner, contact, form_class, save, detail_url: str) -> HttpResponse:
    """The contact form of a partner or a funder: `save` is the owner's service."""
    form = form_class(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            save(contact=contact, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contact saved."))
            return redirect(detail_url)
    return render(
        request,
        "programs/setup/contact_form.html",
        {"form": form, "contact": contact, "owner": owner, "cancel_url": detail_url},
    )


def _contact_remove(request: HttpRequest, *, owner, contact, remove, detail_url: str) -> HttpResponse:
    if request.method == "POST":
        remove(contact=contact, actor=request.user)
        messages.success(request, _("Contact removed."))
        return redirect(detail_url)
    return _confirm_remove(
        request,
        heading=_("Remove %(name)s from %(owner)s's contacts?") % {"name": contact.name, "owner": owner.name},
        explanation=_("Their name and details are deleted."),
        cancel_url=detail_url,
    )


# --- Funders ----------------------------------------------------------------------------------


@org_admin_required
def funder_list(request: HttpRequest) -> HttpResponse:
    organization = _organization_for(request, organizations_administered_by(request.user))
    funders = (
        funders_administered_by(request.user)
        .filter(organization=organization)
        .annotate(
            contact_count=Count("contacts", distinct=True), program_count=Count("fundings", distinct=True)
        )
        .order_by("name")
    )
    page = Paginator(funders, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "programs/setup/funder_list.html", {"organization": organization, "page_obj": page}
    )


@org_admin_required
def funder_create(request: HttpRequest) -> HttpResponse:
    organization = _organization_for(request, organizations_administered_by(request.user))
    form = FunderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            funder = partner_services.funder_create(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Funder “%(name)s” added.") % {"name": funder.name})
            return redirect("setup:funder_detail", funder_id=funder.pk)
    return render(request, "programs/setup/funder_form.html", {"form": form, "organization": organization})


@org_admin_required
def funder_detail(request: HttpRequest, funder_id: int) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    return render(
        request,
        "programs/setup/funder_detail.html",
        {
            "funder": funder,
            "contacts": list(funder.contacts.all()),
            "fundings": list(funder.fundings.select_related("program").order_by("program__name")),
            "periods": list(funder.reporting_periods.order_by("-starts_on")),
            "timeline": activity_for_object(funder),
        },
    )


@org_admin_required
def funder_edit(request: HttpRequest, funder_id: int) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    form = FunderForm(request.POST or None, instance=funder)
    if request.method == "POST" and form.is_valid():
        funder.refresh_from_db()
        try:
            partner_services.funder_update(funder=funder, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Funder saved."))
            return redirect("setup:funder_detail", funder_id=funder.pk)
    return render(
        request,
        "programs/setup/funder_form.html",
        {"form": form, "funder": funder, "organization": funder.organization},
    )


@org_admin_required
def funder_contact_edit(request: HttpRequest, funder_id: int, contact_id: int | None = None) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    contact = get_funder_contact(funder, contact_id) if contact_id else None
    return _contact_form(
        request,
        owner=funder,
        contact=contact,
        form_class=FunderContactForm,
        save=lambda **fields: partner_services.funder_contact_save(funder=funder, **fields),
        detail_url=reverse("setup:funder_detail", args=[funder.pk]),
    )


@org_admin_required
def funder_contact_remove(request: HttpRequest, funder_id: int, contact_id: int) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    contact = get_funder_contact(funder, contact_id)
    return _contact_remove(
        request,
        owner=funder,
        contact=contact,
        remove=partner_services.funder_contact_remove,
        detail_url=reverse("setup:funder_detail", args=[funder.pk]),
    )


@org_admin_required
def funding_add(request: HttpRequest, funder_id: int) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    form = FundingForm(request.POST or None, funder=funder)
    if request.method == "POST" and form.is_valid():
        try:
            partner_services.funding_add(funder=funder, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Funding recorded."))
            return redirect("setup:funder_detail", funder_id=funder.pk)
    return render(request, "programs/setup/funding_form.html", {"form": form, "funder": funder})


@org_admin_required
def funding_remove(request: HttpRequest, funder_id: int, funding_id: int) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    funding = get_funding(funder, funding_id)
    if request.method == "POST":
        partner_services.funding_remove(funding=funding, actor=request.user)
        messages.success(request, _("Funding removed."))
        return redirect("setup:funder_detail", funder_id=funder.pk)
    return _confirm_remove(
        request,
        heading=_("Stop recording %(funder)s as a funder of %(program)s?")
        % {"funder": funder.name, "program": funding.program.name},
        explanation=_("The funder's users will no longer see this program's totals."),
        cancel_url=reverse("setup:funder_detail", args=[funder.pk]),
    )


@org_admin_required
def reporting_period_edit(request: HttpRequest, funder_id: int, period_id: int | None = None) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    period = get_reporting_period(funder, period_id) if period_id else None
    form = ReportingPeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            partner_services.reporting_period_save(
                funder=funder, period=period, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reporting period saved."))
            return redirect("setup:funder_detail", funder_id=funder.pk)
    return render(
        request,
        "programs/setup/reporting_period_form.html",
        {"form": form, "funder": funder, "period": period},
    )


@org_admin_required
def reporting_period_remove(request: HttpRequest, funder_id: int, period_id: int) -> HttpResponse:
    funder = get_administered_funder(request.user, funder_id)
    period = get_reporting_period(funder, period_id)
    if request.method == "POST":
        partner_services.reporting_period_remove(period=period, actor=request.user)
        messages.success(request, _("Reporting period removed."))
        return redirect("setup:funder_detail", funder_id=funder.pk)
    return _confirm_remove(
        request,
        heading=_("Remove the reporting period “%(name)s”?") % {"name": period.name},
        explanation=_("The period and its dates are deleted."),
        cancel_url=reverse("setup:funder_detail", args=[funder.pk]),
    )
