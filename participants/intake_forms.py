"""Forms of the screening pages: status changes, interviews, referrals, notes, bulk actions."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from programs.models import Partner, Program

from .models import Interview, Participation, Referral
from .selectors import interviewers_for

REASON_WIDGET = forms.Textarea(attrs={"rows": 3})


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=REASON_WIDGET,
        help_text=_("For the team; the applicant does not see it."),
    )


class DeclineForm(ReasonForm):
    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Kept as a draft. You send it from the person's page when it reads right."),
    )


class DeclineMessageForm(forms.Form):
    message = forms.CharField(label=_("Message to the applicant"), widget=forms.Textarea(attrs={"rows": 12}))


class ReferForm(ReasonForm):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    service = forms.CharField(
        label=_("Program or service"),
        max_length=200,
        help_text=_("For example: language classes, a bridging program."),
    )

    field_order = ["partner", "service", "reason"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            organization=organization, is_active=True
        ).order_by("name")


class ReferralOutcomeForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["outcome", "outcome_notes"]
        widgets = {"outcome_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            choice for choice in Referral.Outcome.choices if choice[0] != Referral.Outcome.PENDING
        ]


class InterviewScheduleForm(forms.Form):
    """Date and time as the coordinator reads them on their wall clock, in the program's zone."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=10, max_value=240, initial=45
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Interview.Mode.choices, initial=Interview.Mode.VIDEO)
    location = forms.CharField(
        label=_("Place or link"),
        max_length=300,
        required=False,
        help_text=_("An address, a video link or a phone number."),
    )
    interviewer = forms.ModelChoiceField(label=_("Interviewer"), queryset=get_user_model().objects.none())

    def __init__(self, *args, program: Program, interview: Interview | None = None, **kwargs):
        if interview is not None and "initial" not in kwargs:
            local = interview.scheduled_at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
            kwargs["initial"] = {
                "date": local.date(),
                "time": local.time().replace(second=0, microsecond=0),
                "duration_minutes": interview.duration_minutes,
                "mode": interview.mode,
                "location": interview.location,
                "interviewer": interview.interviewer_id,
            }
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = interviewers_for(program)
        self.fields["interviewer"].label_from_instance = lambda user: user.get_full_name() or user.email
        self.fields["time"].help_text = _("In the %(zone)s time zone.") % {"zone": settings.TIME_ZONE}

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            naive = datetime.datetime.combine(data["date"], data["time"])
            data["scheduled_at"] = naive.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "scheduled_at": data["scheduled_at"],
            "duration_minutes": data["duration_minutes"],
            "mode": data["mode"],
            "location": data["location"],
            "interviewer": data["interviewer"],
        }


class InterviewRecordForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = [
            "observed_clb",
            "readiness",
            "background_notes",
            "personality_notes",
            "recommended_focus",
            "outcome",
        ]
        widgets = {
            "background_notes": forms.Textarea(attrs={"rows": 3}),
            "personality_notes": forms.Textarea(attrs={"rows": 3}),
            "recommended_focus": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"outcome": _("The next step you recommend. You take it in one click afterwards.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True


class NoteForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        help_text=_("Only staff who work in this program read the note."),
    )
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        if len(programs) == 1:
            self.fields["program"].initial = programs[0].pk


class BulkActionForm(forms.Form):
    SCREENING = "screening"
    WAITLIST = "waitlist"
    EXPORT = "export"

    action = forms.ChoiceField(
        label=_("With the ticked applications"),
        error_messages={"required": _("Choose what to do with the ticked applications.")},
        choices=[
            ("", _("Choose an action…")),
            (SCREENING, _("Move to screening")),
            (WAITLIST, _("Put on the waitlist")),
            (EXPORT, _("Export as CSV (all filtered rows when none is ticked)")),
        ],
    )
    reason = forms.CharField(label=_("Reason (for the waitlist)"), max_length=500, required=False)
    selected = forms.ModelMultipleChoiceField(queryset=Participation.objects.none(), required=False)

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = participations
        self.fields["action"].widget.attrs["class"] = "form-select"
        self.fields["reason"].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in (self.SCREENING, self.WAITLIST) and not data.get("selected"):
            raise forms.ValidationError(_("Tick at least one application."))
        if action == self.WAITLIST and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for putting them on the waitlist."))
        return data
