import django_tables2 as tables
from django.utils.html import format_html
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


class ApplicationTable(tables.Table):
    """The applications inbox: a box to tick per row for the bulk actions."""

    selected = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {
                "data-select-all": "selected",
                "aria-label": _("Tick every application on this page"),
                "class": "form-check-input",
            },
            "td__input": {
                "aria-label": lambda record: _("Tick %(name)s") % {"name": record.person.full_name},
                "class": "form-check-input",
            },
        },
    )
    person = tables.Column(verbose_name=_("Name"), order_by=("person__last_name", "person__first_name"))
    email = tables.Column(accessor="person__email", verbose_name=_("Email"))
    program = tables.Column(verbose_name=_("Program"), order_by=("program__name",))
    role = tables.Column(verbose_name=_("Role"))
    occupation = tables.Column(
        verbose_name=_("Occupation"),
        accessor="pk",
        order_by=("mentee_profile__occupation_title", "mentor_profile__occupation_title"),
    )
    status = tables.Column(verbose_name=_("Status"))
    submitted_on = tables.DateColumn(verbose_name=_("Submitted"), format="Y-m-d")
    source = tables.Column(verbose_name=_("Source"), accessor="pk", orderable=False)

    class Meta:
        model = Participation
        fields = (
            "selected",
            "person",
            "email",
            "program",
            "role",
            "occupation",
            "status",
            "submitted_on",
            "source",
        )
        attrs = {"class": "table table-hover align-middle", "id": "application-rows"}
        empty_text = _("No application matches these filters.")
        order_by = ("-submitted_on",)

    def render_person(self, value, record):
        badge = (
            format_html(
                ' <span class="badge text-bg-warning" title="{}">{}</span>',
                _("Another application of your organization has the same email, or the same name and phone."),
                _("Possible duplicate"),
            )
            if getattr(record, "possible_duplicate", False)
            else ""
        )
        return format_html('<a href="{}">{}</a>{}', record.person.get_absolute_url(), value, badge)

    def render_occupation(self, record):
        return occupation_label(record) or "—"

    def render_source(self, record):
        return source_label(record) or "—"


def role_profile(participation: Participation):
    """The mentee or mentor profile of the participation, or None."""
    name = "mentee_profile" if participation.role == Participation.Role.MENTEE else "mentor_profile"
    return getattr(participation, name, None)


def occupation_label(participation: Participation) -> str:
    profile = role_profile(participation)
    if profile is None:
        return ""
    code = profile.occupation_id
    return f"{profile.occupation_title} ({code})" if code else profile.occupation_title


def source_label(participation: Participation) -> str:
    if participation.source_partner_id:
        return participation.source_partner.name
    if participation.heard_via == "other":
        return participation.source_detail or str(_("Somewhere else"))
    return participation.heard_via
