"""Staff pages for alumni: who completed, who was invited back as a mentor, and who came back."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs.access import current_program, staff_required
from programs.charts import grouped_bar_chart
from programs.models import Program
from programs.selectors import programs_visible_to

from .alumni import alumni_figures, alumni_in, alumni_invite
from .models import Participation
from .selectors import get_participation_for_user


class AlumniInviteForm(forms.Form):
    # Choices, not a queryset: the page shows one form per alumnus, all with the same programs.
    program = forms.TypedChoiceField(label=gettext_lazy("Program to mentor in"), coerce=int)
    message = forms.CharField(
        label=gettext_lazy("A personal word (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, programs: list[Program], participation: Participation, **kwargs):
        kwargs.setdefault("auto_id", f"invite-{participation.pk}-%s")
        super().__init__(*args, **kwargs)
        self.programs = {program.pk: program for program in programs}
        self.fields["program"].choices = [(program.pk, program.name) for program in programs]
        self.fields["program"].initial = participation.program_id

    def chosen_program(self) -> Program:
        return self.programs[self.cleaned_data["program"]]


@staff_required
def alumni_list(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    programs = [program] if program is not None else []
    role = request.GET.get("role", "")
    alumni = alumni_in(programs)
    if role in Participation.Role.values:
        alumni = alumni.filter(role=role)
    page = Paginator(alumni, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    figures = alumni_figures(programs)
    visible = list(programs_visible_to(request.user).order_by("name"))
    rows = [(p, AlumniInviteForm(programs=visible, participation=p)) for p in page.object_list]
    chart = grouped_bar_chart(
        title=_("Alumni and who came back as mentors"),
        series=[(_("Alumni"), "mentee"), (_("Back as mentors"), "mentor")],
        rows=[
            (_("Mentees"), [figures.mentee_alumni, figures.mentees_now_mentors]),
            (_("Mentors"), [figures.mentor_alumni, figures.mentors_returned]),
        ],
    )
    return render(
        request,
        "participants/alumni/alumni_list.html",
        {
            "program": program,
            "page_obj": page,
            "rows": rows,
            "figures": figures,
            "chart": chart,
            "role": role,
        },
    )


@staff_required
@require_POST
def alumni_invite_view(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_participation_for_user(request.user, participation_id)
    form = AlumniInviteForm(
        request.POST, programs=list(programs_visible_to(request.user)), participation=participation
    )
    if not form.is_valid():
        messages.error(request, _("Choose a program to invite them to."))
        return redirect("participants:alumni")
    try:
        alumni_invite(
            participation=participation,
            program=form.chosen_program(),
            message=form.cleaned_data["message"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is invited to mentor in %(program)s.")
            % {"name": participation.person.full_name, "program": form.chosen_program().name},
        )
    return redirect("participants:alumni")
