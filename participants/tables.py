import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Participation


class ParticipationTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Name"),
        linkify=lambda record: record.person.get_absolute_url(),
        order_by=("person__last_name", "person__first_name"),
    )
    email = tables.Column(accessor="person__email", verbose_name=_("Email"))
    city = tables.Column(accessor="person__city", verbose_name=_("City"))
    program = tables.Column(verbose_name=_("Program"), order_by=("program__name",))
    role = tables.Column(verbose_name=_("Role"))
    status = tables.Column(verbose_name=_("Status"))
    created_at = tables.DateColumn(verbose_name=_("Since"), format="Y-m-d")

    class Meta:
        model = Participation
        fields = ("person", "email", "city", "program", "role", "status", "created_at")
        attrs = {"class": "table table-hover align-middle"}
        empty_text = _("Nobody matches these filters.")
