from functools import cached_property

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from matching.models import Occupation
from programs.models import Partner, Program

from .models import Participation, Resume
from .selectors import OPEN_STATUSES


class ParticipationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=Program.objects.none(), field_name="program"
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Participation.Role.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Participation.Status.choices)

    class Meta:
        model = Participation
        fields = ["q", "program", "role", "status"]

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["program"].queryset = programs
        for name in ("program", "role", "status"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__email__icontains=word)
                | Q(person__city__icontains=word)
            )
        return queryset


class ApplicationFilter(django_filters.FilterSet):
    """The applications inbox. Without a status chosen it shows the open applications."""

    ALL_STATUSES = "all"

    q = django_filters.CharFilter(label=_("Search"), method="search")
    program = django_filters.ModelChoiceFilter(
        label=_("Program"),
        queryset=Program.objects.none(),
        field_name="program",
        empty_label=_("All programs"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Participation.Role.choices, empty_label=_("Any role")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ALL_STATUSES, _("All statuses")), *Participation.Status.choices],
        empty_label=_("Open applications"),
        method="filter_status",
    )
    profession = django_filters.ChoiceFilter(
        label=_("Profession"), method="filter_profession", empty_label=_("Any profession")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), method="filter_source", empty_label=_("Any source")
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_on",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_on",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Participation
        fields: list[str] = []

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["program"].queryset = programs
        # Callables, so that the queries run only when the form is used, and once each.
        self.filters["profession"].extra["choices"] = lambda: self.profession_choices
        self.filters["source"].extra["choices"] = lambda: self.source_choices
        for name in ("program", "role", "status", "profession", "source"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        for name in ("submitted_from", "submitted_to"):
            self.form.fields[name].widget.attrs["class"] = "form-control"

    @cached_property
    def profession_choices(self) -> list:
        """NOC broad categories, and the unit groups the visible applications name, in one query."""
        in_use = self.queryset.order_by()
        occupations = Occupation.objects.filter(
            Q(level=Occupation.Level.BROAD_CATEGORY)
            | Q(level=Occupation.Level.UNIT_GROUP, code__in=in_use.values("mentee_profile__occupation"))
            | Q(level=Occupation.Level.UNIT_GROUP, code__in=in_use.values("mentor_profile__occupation"))
        ).order_by("code")
        broad, units = [], []
        for occupation in occupations:
            target = broad if occupation.level == Occupation.Level.BROAD_CATEGORY else units
            target.append((occupation.code, f"{occupation.code} {occupation.title}"))
        return [(_("Broad categories"), broad), (_("Occupations"), units)]

    @cached_property
    def source_choices(self) -> list:
        partners = Partner.objects.filter(
            organization__in=self.filters["program"].queryset.values("organization_id")
        ).order_by("name")
        heard = (
            self.queryset.filter(source_partner__isnull=True)
            .exclude(heard_via="")
            .order_by("heard_via")
            .values_list("heard_via", flat=True)
            .distinct()
        )
        return [
            (_("Partners"), [(f"partner:{p.pk}", p.name) for p in partners]),
            (_("Other sources"), [(f"heard:{value}", _heard_via_label(value)) for value in heard]),
        ]

    def filter_status(self, queryset, name, value):
        return queryset if value == self.ALL_STATUSES else queryset.filter(status=value)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return super().filter_queryset(queryset)

    def filter_profession(self, queryset, name, value):
        return queryset.filter(
            Q(mentee_profile__occupation__code__startswith=value)
            | Q(mentor_profile__occupation__code__startswith=value)
        )

    def filter_source(self, queryset, name, value):
        kind, _sep, key = value.partition(":")
        if kind == "partner":
            return queryset.filter(source_partner_id=key)
        return queryset.filter(source_partner__isnull=True, heard_via=key)

    def search(self, queryset, name, value):
        """Every word must appear in the name, email, job title or a resume's text."""
        for word in value.split():
            in_resume = Resume.objects.filter(person_id=OuterRef("person_id"), extracted_text__icontains=word)
            queryset = queryset.filter(
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__email__icontains=word)
                | Q(mentee_profile__occupation_title__icontains=word)
                | Q(mentor_profile__occupation_title__icontains=word)
                | Exists(in_resume)
            )
        return queryset


def _heard_via_label(value: str) -> str:
    return str(_("Somewhere else")) if value == "other" else value.replace("_", " ").capitalize()
