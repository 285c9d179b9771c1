"""My group, in the portal: the mentoring circles I am in, their current members (contact
details while the circle meets, as for a one-to-one partner), their meetings, and logging a
meeting as the mentor or mentee I am in the circle."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.hours import hours
from matching.meeting_services import meeting_log
from matching.models import MAX_MEETING_MINUTES, Circle, CircleMembership, Meeting

from .portal_access import participant_required
from .portal_circle_selectors import (
    can_log_meeting,
    circle_meetings_for,
    current_members,
    get_portal_circle,
    member_cards,
    portal_circles,
    shows_contacts,
)


class AttendeeField(forms.ModelMultipleChoiceField):
    """Members by first name: the form names nobody the person may not already see."""

    def __init__(self, *args, me: CircleMembership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.me = me

    def label_from_instance(self, obj: CircleMembership) -> str:
        if self.me is not None and obj.participation.person_id == self.me.participation.person_id:
            return _("Me")
        return f"{obj.participation.person.first_name} ({obj.get_role_display()})"


class CircleMeetingForm(forms.ModelForm):
    attendees = AttendeeField(
        label=gettext_lazy("Who came"),
        queryset=CircleMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["occurred_on", "duration_minutes", "mode", "topics", "next_steps", "attendees"]
        labels = {
            "occurred_on": gettext_lazy("Date"),
            "duration_minutes": gettext_lazy("How long (minutes)"),
            "mode": gettext_lazy("How you met"),
            "topics": gettext_lazy("What you talked about"),
            "next_steps": gettext_lazy("Next steps"),
        }
        help_texts = {"next_steps": gettext_lazy("What the group will do before you meet again. Optional.")}
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args, circle: Circle, me: CircleMembership, members: list[CircleMembership], **kwargs
    ):
        kwargs.setdefault("auto_id", "meeting-%s")
        super().__init__(*args, instance=Meeting(circle=circle, logged_as=me.role), **kwargs)
        today = timezone.localdate()
        self.fields["occurred_on"].widget = forms.DateInput(
            attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d"
        )
        self.fields["duration_minutes"].widget.attrs.update(
            {"min": 1, "max": MAX_MEETING_MINUTES, "step": 5, "inputmode": "numeric"}
        )
        attendees = self.fields["attendees"]
        attendees.queryset = (
            CircleMembership.objects.filter(pk__in=[m.pk for m in members])
            .select_related("participation__person")
            .order_by("-role", "joined_at", "pk")
        )
        attendees.me = me
        if not self.is_bound:
            self.initial.update(
                {"occurred_on": today, "duration_minutes": 60, "attendees": [m.pk for m in members]}
            )


@participant_required
def circle_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(portal_circles(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/circles/circle_list.html", {"page_obj": page})


@participant_required
def circle_detail(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle, me = get_portal_circle(request.user, circle_id)
    members = current_members(circle) if me.left_at is None else []
    meetings = circle_meetings_for(circle, me)
    page = Paginator(meetings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    minutes = meetings.aggregate(total=Sum("duration_minutes"))["total"] or 0
    return render(
        request,
        "portal/circles/circle_detail.html",
        {
            "circle": circle,
            "me": me,
            "cards": member_cards(circle, me, members),
            "shows_contacts": shows_contacts(circle, me),
            "can_log": can_log_meeting(circle, me),
            "page_obj": page,
            "total_hours": hours(minutes),
        },
    )


@participant_required
def circle_meeting_log(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle, me = get_portal_circle(request.user, circle_id)
    if not can_log_meeting(circle, me):
        messages.info(request, _("Meetings are logged while the circle meets and you are in it."))
        return redirect("portal:circle", circle.pk)
    members = current_members(circle)
    form = CircleMeetingForm(
        request.POST if request.method == "POST" else None, circle=circle, me=me, members=members
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_log(
                circle=circle,
                occurred_on=data["occurred_on"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                topics=data["topics"],
                next_steps=data["next_steps"],
                attendees=data["attendees"],
                logged_as=me.role,
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is logged. Thank you!"))
            return redirect("portal:circle", circle.pk)
    return render(request, "portal/circles/meeting_form.html", {"circle": circle, "form": form})
