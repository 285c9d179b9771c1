import django_filters
from django.utils.translation import gettext_lazy as _

from .models import SentReminder
from .registry import kind_choices


class OutboxFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SentReminder.Status.choices, empty_label=_("Any status")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Reminder"), choices=kind_choices, empty_label=_("Any reminder")
    )

    class Meta:
        model = SentReminder
        fields = ["status", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"
