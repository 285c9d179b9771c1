"""Meetings of a one-to-one match, as the coordinator sees and logs them (the "Meetings" tab of
a match), and the mentor's certificate of mentoring hours for a year."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from participants.selectors import get_person_for_user
from programs.access import staff_required
from programs.selectors import programs_visible_to

from .hours import hours, hours_certificate_pdf, year_of_mentoring
from .meeting_forms import MatchMeetingForm
from .meeting_services import meeting_log
from .models import Match
from .selectors import get_match_for_user


@staff_required
def match_meetings(request: HttpRequest, match_id: int) -> HttpResponse:
    match = get_match_for_user(request.user, match_id)
    can_log = match.status == Match.Status.ACTIVE
    form = MatchMeetingForm(request.POST or None, match=match) if can_log else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Meetings are logged for active matches only."))
            return redirect("matching:match_meetings", match.pk)
        if form.is_valid():
            try:
                meeting_log(match=match, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The meeting is logged."))
                return redirect("matching:match_meetings", match.pk)
    meetings = match.meetings.select_related("logged_by").order_by("-occurred_on", "-id")
    page = Paginator(meetings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/meetings/match_meetings.html",
        {
            "match": match,
            "form": form,
            "page_obj": page,
            "total_hours": hours(meetings.total_minutes()),
            "meeting_count": page.paginator.count,
        },
    )


@staff_required
def mentor_certificate(request: HttpRequest, person_id: int, year: int) -> HttpResponse:
    """The PDF certificate of a mentor's hours in a year, counting the programs the coordinator
    works in."""
    person = get_person_for_user(request.user, person_id)
    summary = year_of_mentoring(person, year, programs_visible_to(request.user))
    if not summary.programs:
        raise Http404(_("No mentoring hours are logged for this person in %(year)s.") % {"year": year})
    response = HttpResponse(hours_certificate_pdf(summary), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mentoring-hours-{year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
