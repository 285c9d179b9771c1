"""Coordinators choose, per program, which reminders go out and after how many days."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import ProgramCadence
from notifications.registry import Cadence, all_kinds, cadences_for_program, scheduled_kinds
from notifications.services import cadence_update
from programs.models import ActivityEntry
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")


def posted(cadences: dict[str, Cadence]) -> dict[str, str]:
    data = {}
    for key, cadence in cadences.items():
        data[f"{key}-days"] = str(cadence.days)
        if cadence.enabled:
            data[f"{key}-enabled"] = "on"
    return data


def defaults() -> dict[str, Cadence]:
    return {kind.key: kind.default for kind in scheduled_kinds()}


def test_page_shows_each_kind_with_its_defaults(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    page = response.content.decode()
    for kind in scheduled_kinds():
        assert str(kind.label) in page
        assert f'name="{kind.key}-days"' in page and f'value="{kind.default_days}"' in page
    assert "cannot be turned off by participants" in page  # the interview reminder
    # Emails sent at once when something happens (the interview invitation...) have no cadence.
    for kind in all_kinds():
        assert kind.immediate == (f'name="{kind.key}-days"' not in page)


def test_coordinator_changes_the_cadence_of_their_program(client, coordinator, program):
    client.force_login(coordinator)
    wanted = {**defaults(), "orientation_reminder": Cadence(enabled=True, days=10)}
    wanted["coordinator_digest"] = Cadence(enabled=False, days=14)

    response = client.post(SETTINGS, posted(wanted))

    assert response.status_code == 302 and response.url == SETTINGS
    assert cadences_for_program(program) == wanted
    rows = set(ProgramCadence.objects.values_list("program_id", "kind", "enabled", "days"))
    assert rows == {
        (program.pk, "orientation_reminder", True, 10),
        (program.pk, "coordinator_digest", False, 14),
    }
    entry = ActivityEntry.objects.get(verb="reminder_cadence.updated")
    assert (entry.actor, entry.program) == (coordinator, program)
    assert entry.data == {
        "changed": {
            "orientation_reminder": {"days": [7, 10]},
            "coordinator_digest": {"enabled": [True, False]},
        }
    }


def test_saving_without_a_change_writes_nothing(client, coordinator, program):
    client.force_login(coordinator)
    client.post(SETTINGS, posted(defaults()))
    assert not ProgramCadence.objects.exists()
    assert not ActivityEntry.objects.filter(verb="reminder_cadence.updated").exists()


def test_days_out_of_range_show_on_the_form_and_change_nothing(client, coordinator, program):
    client.force_login(coordinator)
    data = posted(defaults())
    data["interview_reminder-days"] = "40"
    data["orientation_reminder-days"] = "seven"

    response = client.post(SETTINGS, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "interview_reminder-days" in form.errors and "orientation_reminder-days" in form.errors
    page = response.content.decode()
    assert 'value="40"' in page and "is-invalid" in page
    assert not ProgramCadence.objects.exists()


def test_service_refuses_an_unknown_kind_days_out_of_range_and_an_email_sent_at_once(program, coordinator):
    with pytest.raises(ValidationError):
        cadence_update(program=program, cadences={"no_such_kind": Cadence(True, 1)}, actor=coordinator)
    with pytest.raises(ValidationError, match="sent at once"):
        cadence_update(
            program=program, cadences={"interview_invitation": Cadence(False, 0)}, actor=coordinator
        )
    with pytest.raises(ValidationError) as error:
        cadence_update(program=program, cadences={"interview_reminder": Cadence(True, 15)}, actor=coordinator)
    assert "interview_reminder-days" in error.value.message_dict
    assert not ProgramCadence.objects.exists()


def test_other_organizations_coordinator_only_ever_changes_their_own_program(
    client, other_coordinator, program, other_program
):
    client.force_login(other_coordinator)
    response = client.get(SETTINGS)
    assert response.context["program"] == other_program
    assert program.name not in response.content.decode()

    client.post(SETTINGS, posted({**defaults(), "orientation_reminder": Cadence(True, 3)}))

    assert list(ProgramCadence.objects.values_list("program_id", flat=True)) == [other_program.pk]


def test_coordinator_limited_to_a_program_sets_that_program_only(client, organization, program):
    elsewhere = ProgramFactory(organization=organization, name="Health Careers Mentorship")
    limited = StaffMembershipFactory(organization=organization, programs=[elsewhere]).user
    client.force_login(limited)
    response = client.get(SETTINGS)
    assert response.context["program"] == elsewhere

    client.post(SETTINGS, posted({**defaults(), "orientation_reminder": Cadence(True, 3)}))

    assert list(ProgramCadence.objects.values_list("program_id", flat=True)) == [elsewhere.pk]


def test_staff_without_an_active_program_are_told_plainly(client, organization):
    staff = StaffMembershipFactory(organization=organization).user
    client.force_login(staff)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    assert "no reminders to set" in response.content.decode()
