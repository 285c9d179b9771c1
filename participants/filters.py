import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Program

from .models import Participation


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
