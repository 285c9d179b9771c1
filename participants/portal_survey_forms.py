"""The portal's surveys, in the person's own words: a check-in, the closing survey, the
employment follow-up, and the anonymous program feedback."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import ClosingSurvey, EmploymentStatus
from stories.models import MAX_FEEDBACK_CHARS

MAX_ANSWER_CHARS = 3000

SATISFACTION_CHOICES = [
    (1, _("1 – very unhappy")),
    (2, _("2 – unhappy")),
    (3, _("3 – so-so")),
    (4, _("4 – happy")),
    (5, _("5 – very happy")),
]
RATING_CHOICES = [
    (1, _("1 – poor")),
    (2, _("2 – fair")),
    (3, _("3 – good")),
    (4, _("4 – very good")),
    (5, _("5 – excellent")),
]
# The mentee's situation, said in the first person.
MY_EMPLOYMENT_CHOICES = [
    (EmploymentStatus.IN_FIELD, _("I work in my field")),
    (EmploymentStatus.RELATED, _("I work in a related field")),
    (EmploymentStatus.OTHER_WORK, _("I work in another kind of job")),
    (EmploymentStatus.NOT_EMPLOYED, _("I am not working at the moment")),
    (EmploymentStatus.STUDYING, _("I am studying or retraining")),
]


def _scale(label, choices, required_message) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


def _text(label, *, required: bool = False, help_text: str = "", max_length: int = MAX_ANSWER_CHARS):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInAnswerForm(forms.Form):
    how_it_is_going = _text(
        _("How is your mentoring going?"),
        required=True,
        help_text=_("A few words are enough: what you did together, what helped, what is next."),
    )
    satisfaction = _scale(
        _("How happy are you with your mentoring so far?"),
        SATISFACTION_CHOICES,
        _("Please choose a number from 1 to 5."),
    )
    concerns = _text(
        _("Is anything worrying you?"),
        help_text=_("Optional. Your coordinator reads it and may get in touch; your match does not see it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "checkin-%s")
        super().__init__(*args, **kwargs)


class ClosingSurveyAnswerForm(forms.Form):
    satisfaction = _scale(
        _("Overall, how happy are you with your mentoring?"),
        SATISFACTION_CHOICES,
        _("Please choose a number from 1 to 5."),
    )
    would_take_part_again = forms.ChoiceField(
        label=_("Would you take part in a mentorship like this again?"),
        choices=ClosingSurvey.Again.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose an answer.")},
    )
    employment_status = forms.ChoiceField(
        label=_("Where are you with work now?"),
        choices=MY_EMPLOYMENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the answer closest to your situation.")},
    )
    comments = _text(
        _("Anything else you would like to tell us?"),
        help_text=_("Optional. Only the program's coordinators read it."),
    )

    def __init__(self, *args, side: str, **kwargs):
        kwargs.setdefault("auto_id", "survey-%s")
        super().__init__(*args, **kwargs)
        if side == ClosingSurvey.Side.MENTOR:
            del self.fields["employment_status"]


class FollowUpAnswerForm(forms.Form):
    YES, NO, RATHER_NOT_SAY = "yes", "no", "rather_not_say"

    employment_status = forms.ChoiceField(
        label=_("Where are you with work now?"),
        choices=MY_EMPLOYMENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the answer closest to your situation.")},
    )
    still_in_region = forms.ChoiceField(
        label=_("Do you still live in the area where you took part in the program?"),
        choices=[(YES, _("Yes")), (NO, _("No")), (RATHER_NOT_SAY, _("I would rather not say"))],
        widget=forms.RadioSelect,
        initial=RATHER_NOT_SAY,
    )
    notes = _text(
        _("Anything you would like to add?"),
        help_text=_("Optional. For example, the job you found or what would help you now."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "follow-up-%s")
        super().__init__(*args, **kwargs)

    def clean_still_in_region(self) -> bool | None:
        return {self.YES: True, self.NO: False}.get(self.cleaned_data["still_in_region"])


class FeedbackForm(forms.Form):
    """Anonymous feedback: nothing in it says who answers."""

    program = forms.TypedChoiceField(label=_("Which program is this about?"), coerce=int)
    rating = _scale(
        _("How would you rate the program?"), RATING_CHOICES, _("Please choose a number from 1 to 5.")
    )
    what_works = _text(_("What works well?"), max_length=MAX_FEEDBACK_CHARS)
    what_to_improve = _text(_("What should we improve?"), max_length=MAX_FEEDBACK_CHARS)

    def __init__(self, *args, programs: list, **kwargs):
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)
        self.programs = {program.pk: program for program in programs}
        self.fields["program"].choices = [(program.pk, program.name) for program in programs]
        if len(programs) == 1:
            self.fields["program"].initial = programs[0].pk
            self.fields["program"].widget = forms.HiddenInput()
        self.fields["what_works"].help_text = _(
            "Please leave out names and details that would show who you are."
        )

    def chosen_program(self):
        return self.programs[self.cleaned_data["program"]]
