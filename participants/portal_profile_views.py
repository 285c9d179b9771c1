"""My profile, in the portal: contact details and languages, the details of each participation,
the resume, and what a match partner may see. Fields the coordinator keeps are shown read-only
with a note to ask them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Participation
from .portal_access import participant_required
from .portal_forms import ContactForm, ParticipationForm, ResumeForm, SharingForm
from .portal_selectors import (
    get_portal_participation,
    get_portal_person,
    get_portal_resume,
    is_editable,
    partner_sharing_of,
    people_with_languages,
    portal_participations,
    resumes_of,
)
from .portal_services import (
    occupation_is_locked,
    partner_sharing_save,
    portal_contact_update,
    portal_participation_update,
    portal_resume_add,
)
from .resumes import PDF, resume_open_for_download


def _profile_of(participation: Participation):
    name = "mentor_profile" if participation.role == Participation.Role.MENTOR else "mentee_profile"
    return getattr(participation, name, None)


def locked_fields(participation: Participation) -> list[tuple[str, str]]:
    """What the person sees of their participation but only the coordinator changes."""
    rows = [
        (_("Program"), participation.program.name),
        (_("Role"), participation.get_role_display()),
        (_("Status"), participation.get_status_display()),
    ]
    profile = _profile_of(participation)
    if profile is not None and profile.occupation_id and occupation_is_locked(participation):
        rows.append((_("Profession (NOC 2021)"), str(profile.occupation)))
    if participation.role == Participation.Role.MENTEE and profile is not None and profile.language_clb:
        rows.append((_("English language level (CLB)"), str(profile.language_clb)))
    if participation.role == Participation.Role.MENTOR and profile is not None:
        rows.append((_("Mentees at once"), str(profile.max_mentees)))
    return rows


@participant_required
def profile(request: HttpRequest) -> HttpResponse:
    people = people_with_languages(request.user)
    participations = list(
        portal_participations(request.user).select_related(
            "mentee_profile__occupation", "mentor_profile__occupation"
        )
    )
    return render(
        request,
        "portal/profile.html",
        {
            "people": [
                {
                    "person": person,
                    "resume": resumes_of(person).first(),
                    "sharing": partner_sharing_of(person),
                    "participations": [
                        {"participation": p, "editable": is_editable(p), "locked": locked_fields(p)}
                        for p in participations
                        if p.person_id == person.pk
                    ],
                }
                for person in people
            ],
        },
    )


@participant_required
def contact_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_portal_person(request.user, person_id)
    form = ContactForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            changed = portal_contact_update(
                person=person,
                fields=form.person_fields(),
                languages=form.cleaned_data["languages"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your details are saved.") if changed else _("Nothing changed."))
            return redirect("portal:profile")
    return render(request, "portal/contact_form.html", {"form": form, "person": person})


@participant_required
def participation_edit(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_portal_participation(request.user, participation_id)
    if not is_editable(participation):
        messages.info(request, _("This participation has ended, so its details can no longer be changed."))
        return redirect("portal:profile")
    form = ParticipationForm(
        request.POST or None, participation=participation, profile=_profile_of(participation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = portal_participation_update(
                participation=participation,
                fields=form.participation_fields(),
                profile_fields=form.profile_fields(),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your details are saved.") if changed else _("Nothing changed."))
            return redirect("portal:profile")
    return render(
        request,
        "portal/participation_form.html",
        {"form": form, "participation": participation, "locked": locked_fields(participation)},
    )


@participant_required
def resume(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_portal_person(request.user, person_id)
    form = ResumeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_resume_add(person=person, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Your resume is saved. Your coordinator sees the new version."))
            return redirect("portal:resume", person.pk)
    page = Paginator(resumes_of(person), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/resume.html", {"form": form, "person": person, "page_obj": page})


@participant_required
@require_GET
def resume_download(request: HttpRequest, resume_id: int) -> FileResponse:
    """The person's own resume, as they uploaded it."""
    resume = get_portal_resume(request.user, resume_id)
    try:
        handle = resume_open_for_download(resume=resume, actor=request.user)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=resume.original_filename, content_type=resume.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if resume.content_type == PDF.content_type:
        response["Content-Security-Policy"] = "sandbox"
    return response


@participant_required
def sharing_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_portal_person(request.user, person_id)
    form = SharingForm(request.POST or None, instance=partner_sharing_of(person))
    if request.method == "POST" and form.is_valid():
        choices = {name: form.cleaned_data[name] for name in form.Meta.fields}
        partner_sharing_save(person=person, choices=choices, actor=request.user)
        messages.success(request, _("Your choices are saved."))
        return redirect("portal:profile")
    return render(request, "portal/sharing_form.html", {"form": form, "person": person})
