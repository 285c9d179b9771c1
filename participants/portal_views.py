"""The participants' front door: their home page with the onboarding checklist, their matches,
and the "need help" message to the coordinator. Mentors and mentees are busy volunteers and
newcomers, often on a phone: each page says in plain words what there is to do next."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .help_services import help_request_send
from .models import Participation
from .portal_access import participant_required
from .portal_forms import HelpForm
from .portal_selectors import (
    CURRENT_MATCH_STATUSES,
    get_portal_match,
    onboarding_checklist,
    partner_of,
    people_with_languages,
    portal_matches,
    portal_participations,
    profession_of,
    side_of,
)

S = Participation.Status

# What each status means for the person, in their words.
STATUS_NEXT_STEPS = {
    S.SUBMITTED: gettext_lazy("We have your application and will be in touch."),
    S.SCREENING: gettext_lazy("Your coordinator is reading your application."),
    S.INTERVIEW_SCHEDULED: gettext_lazy("Your interview is booked; the details are in your email."),
    S.INTERVIEWED: gettext_lazy("Thank you for the interview. Your coordinator will let you know soon."),
    S.ACCEPTED: gettext_lazy("Welcome! Next: read the orientation materials and complete your profile."),
    S.ORIENTATION_DONE: gettext_lazy("You have done the orientation. We will look for a match for you soon."),
    S.READY_TO_MATCH: gettext_lazy("We are looking for a good match for you."),
    S.MATCHED: gettext_lazy("You are in a match."),
    S.COMPLETED: gettext_lazy("You have completed the program. Thank you!"),
    S.ALUMNI: gettext_lazy("You are one of our alumni. Thank you!"),
    S.WAITLISTED: gettext_lazy("You are on the waiting list; we will write when a place opens."),
    S.DECLINED: gettext_lazy("This application was not accepted."),
    S.REFERRED: gettext_lazy("We referred you to a partner's program."),
    S.WITHDRAWN: gettext_lazy("You left this program."),
}


def _match_rows(matches, user) -> list[dict]:
    rows = []
    for match in matches:
        side = side_of(match, user)
        partner = partner_of(match, side)
        rows.append(
            {
                "match": match,
                "side": side,
                # A full name only once both have accepted; a first name before.
                "partner_name": partner.person.full_name
                if match.status != match.Status.INTRODUCED
                else partner.person.first_name,
                "partner_profession": profession_of(partner),
                "waiting_for_me": match.status == match.Status.INTRODUCED
                and getattr(match, f"{side}_response") == match.Response.PENDING,
            }
        )
    return rows


@participant_required
def portal_home(request: HttpRequest) -> HttpResponse:
    people = people_with_languages(request.user)
    participations = list(portal_participations(request.user))
    matches = list(portal_matches(request.user))
    current = [match for match in matches if match.status in CURRENT_MATCH_STATUSES]
    return render(
        request,
        "portal/home.html",
        {
            "people": people,
            "participations": [(p, STATUS_NEXT_STEPS.get(p.status, "")) for p in participations],
            "checklist": onboarding_checklist(
                request.user, people=people, participations=participations, matches=matches
            ),
            "current_matches": _match_rows(current, request.user),
            "past_match_count": len(matches) - len(current),
        },
    )


@participant_required
def match_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(portal_matches(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/match_list.html",
        {"page_obj": page, "rows": _match_rows(page.object_list, request.user)},
    )


@participant_required
def help_request(request: HttpRequest, match_id: int | None = None) -> HttpResponse:
    """A message to the coordinator, about a match or in general."""
    match = get_portal_match(request.user, match_id)[0] if match_id is not None else None
    if match is not None:
        programs = [match.program]
    else:
        programs = list({p.program_id: p.program for p in portal_participations(request.user)}.values())
    if not programs:
        messages.info(request, _("You can write to a coordinator once you take part in a program."))
        return redirect("portal:home")
    form = HelpForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        program = form.chosen_program()
        person = next(p for p in request.portal_people if p.organization_id == program.organization_id)
        try:
            help_request_send(
                person=person,
                program=program,
                match=match,
                message=form.cleaned_data["message"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message is on its way. Your coordinator will get back to you."))
            return redirect("portal:match", match.pk) if match is not None else redirect("portal:home")
    return render(request, "portal/help.html", {"form": form, "match": match})
