"""Everything the program holds about one person, as a structured export (JSON). The readable
PDF of the same sections is drawn in `data_export_pdf`.

The export walks `SECTIONS` (in `data_export_sections`), one per model that holds rows about a
person: every model with a foreign-key path to `Person` or `Participation` has one (a test
compares this registry with `apps.get_models()`, so that a model added later cannot be left out
by accident), and a few models reach the person another way (the activity log, the reminders
sent, the login).

What of other people shows: only what is the person's own. A match partner, a circle member or
the other person of a "do not match" pair appears by first name, and only once the person was
introduced to them; the partner's own words (their closing survey, their answer's reason, a
check-in the coordinator held with them alone) are left out. Coordinators appear by name.
"""

from __future__ import annotations

import datetime
import decimal
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from matching.models import CircleMembership, Match
from programs.models import StaffMembership

from .data_export_sections import SECTIONS, Row, Section, installed_sections
from .models import Interview, Participation, Person

EXPORT_FORMAT = "newcomer-mentorship-personal-data"
EXPORT_VERSION = 1
# A partner is named only once the person was introduced to them (the portal hides the rest).
HIDDEN_MATCH_STATUSES = (Match.Status.PROPOSED, Match.Status.CANCELLED)


# --- Who the person is, and how other people and things are named ---------------------------------


@dataclass
class Subject:
    """The person, and the ids of their rows that the sections start from, read once."""

    person: Person
    participation_ids: list[int]
    match_sides: dict[int, str]  # match id → "mentee" or "mentor": the person's side
    visible_match_ids: set[int]
    membership_ids: list[int]
    interview_ids: list[int]
    labels: dict[tuple[str, int], str] = field(default_factory=dict)
    own: set[tuple[str, int]] = field(default_factory=set)  # the person's own person, login, rows
    # Other people's full names, addresses and phones, as they may appear in the person's own
    # rows ("Matched with Daniel Tremblay."), and what replaces them.
    redactions: list[tuple[str, str]] = field(default_factory=list)
    _cache: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def user_id(self) -> int | None:
        return self.person.user_id

    def label(self, model: type[models.Model], pk: Any) -> str:
        """How a related row is named in the export: the person's own rows and other people
        as prepared in `export_subject`; things that are nobody's (programs, occupations,
        circles...) by their name; anyone else as "another person"."""
        key = (model._meta.label_lower, pk)
        if key in self.labels:
            return self.labels[key]
        if model._meta.label_lower in PERSONAL_MODELS:
            return _("another person")
        if key not in self._cache:
            obj = model._default_manager.filter(pk=pk).first()
            self._cache[key] = str(obj) if obj is not None else f"#{pk}"
        return self._cache[key]


# Rows of these models name a human being: never shown by `str()`, only through `Subject.labels`.
PERSONAL_MODELS = frozenset({"participants.person", "participants.participation", "accounts.user"})


def _first_name_of(participation: Participation) -> str:
    return participation.person.first_name


def export_subject(person: Person) -> Subject:
    """Reads the person's participations, matches and circle memberships, and names everyone
    the export may mention: in six queries, whatever the number of rows."""
    participations = list(person.participations.select_related("program"))
    matches = list(
        Match.objects.filter(Q(mentee__person=person) | Q(mentor__person=person)).select_related(
            "program", "mentee__person", "mentor__person"
        )
    )
    memberships = list(CircleMembership.objects.filter(participation__person=person).select_related("circle"))
    circle_ids = {membership.circle_id for membership in memberships}
    co_members = list(
        CircleMembership.objects.filter(circle_id__in=circle_ids)
        .exclude(participation__person=person)
        .select_related("participation__person")
    )
    subject = Subject(
        person=person,
        participation_ids=[p.pk for p in participations],
        match_sides={},
        visible_match_ids=set(),
        membership_ids=[m.pk for m in memberships],
        interview_ids=list(
            Interview.objects.filter(participation__person=person).values_list("pk", flat=True)
        ),
    )
    labels = subject.labels
    you = _("you")
    labels[("participants.person", person.pk)] = you
    if person.user_id:
        labels[("accounts.user", person.user_id)] = you
    for participation in participations:
        labels[("participants.participation", participation.pk)] = _("you, %(role)s in %(program)s") % {
            "role": participation.get_role_display().lower(),
            "program": participation.program.name,
        }
    subject.own = set(labels)
    for match in matches:
        side = "mentee" if match.mentee.person_id == person.pk else "mentor"
        subject.match_sides[match.pk] = side
        partner = match.mentor if side == "mentee" else match.mentee
        if match.status in HIDDEN_MATCH_STATUSES:
            partner_name = _("not introduced")
        else:
            subject.visible_match_ids.add(match.pk)
            partner_name = _first_name_of(partner)
            _name_other(labels, partner, partner_name)
        labels[("matching.match", match.pk)] = _("your match with %(name)s (%(program)s)") % {
            "name": partner_name,
            "program": match.program.name,
        }
    for member in co_members:
        _name_other(labels, member.participation, _first_name_of(member.participation))
    others = {
        match.mentor.person if side == "mentee" else match.mentee.person
        for match, side in ((match, subject.match_sides[match.pk]) for match in matches)
    }
    others |= {member.participation.person for member in co_members}
    do_not_match = apps.get_model("matching.DoNotMatch").objects.filter(Q(mentee=person) | Q(mentor=person))
    others |= set(
        Person.objects.filter(
            Q(pk__in=do_not_match.values("mentee_id")) | Q(pk__in=do_not_match.values("mentor_id"))
        ).exclude(pk=person.pk)
    )
    subject.redactions = _redactions_for(others, labels)
    # Coordinators of the organization are named: they act in the program's name.
    staff = get_user_model().objects.filter(
        pk__in=StaffMembership.objects.filter(organization_id=person.organization_id).values("user_id")
    )
    for user in staff:
        labels.setdefault(("accounts.user", user.pk), user.get_full_name() or _("a coordinator"))
    return subject


def _redactions_for(others: set[Person], labels: dict) -> list[tuple[str, str]]:
    redactions = []
    for other in others:
        name = labels.get(("participants.person", other.pk), _("another person"))
        for needle, replacement in ((other.full_name, name), (other.email, "…"), (other.phone, "…")):
            if len(needle.strip()) >= 3:
                redactions.append((needle, replacement))
    # Longest first, so that a full name goes before a shorter string inside it.
    return sorted(redactions, key=lambda pair: len(pair[0]), reverse=True)


def _redact(value: Any, redactions: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for needle, replacement in redactions:
            if needle.lower() in value.lower():
                value = re.sub(re.escape(needle), replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_redact(item, redactions) for item in value]
    if isinstance(value, dict):
        return {key: _redact(item, redactions) for key, item in value.items()}
    return value


def _name_other(labels: dict, participation: Participation, name: str) -> None:
    labels.setdefault(("participants.participation", participation.pk), name)
    labels.setdefault(("participants.person", participation.person_id), name)
    if participation.person.user_id:
        labels.setdefault(("accounts.user", participation.person.user_id), name)


__all__ = ["SECTIONS", "Section", "export_json", "export_sections", "export_subject", "installed_sections"]


# --- Rows as JSON-ready values ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def _row(obj: models.Model, section: Section, subject: Subject) -> Row:
    row: Row = {}
    for model_field in obj._meta.concrete_fields:
        name = model_field.name
        if name in section.omit:
            continue
        if model_field.is_relation:
            pk = getattr(obj, model_field.attname)
            if pk is None:
                row[name] = None
                continue
            related = model_field.related_model
            key = (related._meta.label_lower, pk)
            # Another person's ids say nothing useful and are not the person's own.
            shows_id = key[0] not in PERSONAL_MODELS or key in subject.own
            row[name] = {"id": pk if shows_id else None, "name": subject.label(related, pk)}
        elif isinstance(model_field, models.FileField):
            file = getattr(obj, name)
            row[name] = os.path.basename(file.name) if file else ""
        else:
            row[name] = _plain(getattr(obj, name))
    if section.adjust is not None:
        section.adjust(obj, row, subject)
    return _redact(row, subject.redactions)


@dataclass(frozen=True)
class ExportedSection:
    section: Section
    rows: list[Row]


def export_sections(person: Person) -> list[ExportedSection]:
    subject = export_subject(person)
    return [
        ExportedSection(section, [_row(obj, section, subject) for obj in section.rows(subject)])
        for section in installed_sections()
    ]


def export_json(person: Person) -> bytes:
    """The export as UTF-8 JSON: an envelope, then one entry per section, empty ones included
    so that the reader sees what we could hold and do not."""
    sections = export_sections(person)
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.localtime().isoformat(),
        "organization": person.organization.name,
        "sections": [
            {"model": item.section.model_label, "title": str(item.section.title), "rows": item.rows}
            for item in sections
        ],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
