import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Match


class MatchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Match.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Match
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["status"].widget.attrs["class"] = "form-select"
