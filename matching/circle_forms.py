"""Forms of the circle pages. They check what a person can fix on the form; the services keep
the rules (who may join, when a circle may start or meet) and their messages show on the form."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Participation
from programs.models import Program

from .models import Circle, CircleMembership, Meeting


class CircleForm(forms.ModelForm):
    class Meta:
        model = Circle
        fields = ["name", "focus"]

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Circle.objects.filter(program=self.program, name__iexact=name).exists():
            raise forms.ValidationError(_("This program already has a circle with this name."))
        return name


class ParticipationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participation) -> str:
        label = f"{obj.person.full_name} — {obj.get_role_display()}"
        return f"{label} ({obj.program.name})" if obj.program_id != self.circle_program_id else label


class CircleMemberAddForm(forms.Form):
    """One mentor or mentee to add. The choices are the people the circle may take, so an id from
    elsewhere is refused as an invalid choice; the service checks again under a lock."""

    participation = ParticipationChoiceField(
        label=_("Mentor or mentee"), queryset=Participation.objects.none(), empty_label=_("Choose a person")
    )

    def __init__(self, *args, circle: Circle, eligible: QuerySet[Participation], **kwargs):
        kwargs.setdefault("auto_id", "add-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["participation"]
        field.queryset = eligible
        field.circle_program_id = circle.program_id


class CircleMemberLeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why they leave"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("It stays in the circle's activity log."),
    )


class CircleCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the circle closes"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The members still in the circle leave with it. The reason stays in its activity log."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close-%s")
        super().__init__(*args, **kwargs)


class MembershipChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CircleMembership) -> str:
        return f"{obj.participation.person.full_name} ({obj.get_role_display()})"


class MeetingForm(forms.ModelForm):
    """A meeting as a coordinator logs it. Every current member starts ticked as attending, since
    most meetings are attended by most of the circle."""

    attendees = MembershipChoiceField(
        label=_("Who attended"),
        queryset=CircleMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["occurred_on", "duration_minutes", "mode", "topics", "next_steps", "attendees"]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, circle: Circle, members: QuerySet[CircleMembership], **kwargs):
        super().__init__(*args, instance=Meeting(circle=circle), **kwargs)
        today = timezone.localdate()
        self.fields["occurred_on"].widget = forms.DateInput(
            attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d"
        )
        self.fields["duration_minutes"].widget.attrs.update({"min": 1, "max": 600})
        self.fields["attendees"].queryset = members
        if not self.is_bound:
            # Not setdefault: the ModelForm has already put the empty meeting's values there.
            self.initial["occurred_on"] = today
            self.initial["attendees"] = [member.pk for member in members]
