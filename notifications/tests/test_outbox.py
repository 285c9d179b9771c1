"""The outbox: staff read what was sent to whom in the programs they work in, why a reminder
failed, and send a failed one again."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from notifications.models import SentReminder
from participants.models import Participation
from programs.models import ActivityEntry, StaffMembership
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

from .conftest import accepted_days_ago

pytestmark = pytest.mark.django_db

ST = SentReminder.Status
OUTBOX = reverse("notifications:outbox")
_object_ids = itertools.count(1000)


def reminder(program, *, status=ST.SENT, kind="orientation_reminder", **fields) -> SentReminder:
    values = {
        "kind": kind,
        "content_type": ContentType.objects.get_for_model(Participation),
        "object_id": next(_object_ids),
        "due_on": datetime.date(2026, 2, 10),
        "organization": program.organization,
        "program": program,
        "status": status,
        "recipient": "amina@example.org",
        "recipient_name": "Amina Haddad",
        "subject": "Your orientation is waiting",
        "sent_at": timezone.now() if status == ST.SENT else None,
        "attempts": 1,
    }
    values.update(fields)
    return SentReminder.objects.create(**values)


def digest_for(membership: StaffMembership, **fields) -> SentReminder:
    return SentReminder.objects.create(
        kind="coordinator_digest",
        content_type=ContentType.objects.get_for_model(StaffMembership),
        object_id=membership.pk,
        due_on=datetime.date(2026, 2, 9),
        organization=membership.organization,
        status=ST.SENT,
        recipient=membership.user.email,
        **fields,
    )


def resend_url(row: SentReminder) -> str:
    return reverse("notifications:resend", args=[row.pk])


def shown(response) -> set[int]:
    return {row.pk for row in response.context["page_obj"].object_list}


# --- Who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["notifications:outbox", "notifications:settings"])
def test_anonymous_visitor_is_sent_to_login(client, program, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_visitor_cannot_resend(client, program):
    row = reminder(program, status=ST.FAILED)
    response = client.post(resend_url(row))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    row.refresh_from_db()
    assert row.status == ST.FAILED


def test_participant_is_refused_the_staff_pages(client, participant_user, program):
    row = reminder(program, status=ST.FAILED)
    client.force_login(participant_user)
    assert client.get(OUTBOX).status_code == 403
    assert client.get(reverse("notifications:settings")).status_code == 403
    assert client.post(resend_url(row)).status_code == 403


def test_coordinator_sees_the_reminders_of_their_programs(client, coordinator, program):
    row = reminder(program)
    client.force_login(coordinator)
    response = client.get(OUTBOX)
    assert shown(response) == {row.pk}
    page = response.content.decode()
    assert "Amina Haddad" in page and "amina@example.org" in page and "Your orientation is waiting" in page


def test_other_organization_never_shows_and_gets_404_on_resend(
    client, other_coordinator, program, other_program
):
    ours = reminder(program, status=ST.FAILED)
    theirs = reminder(other_program, recipient="kwame@example.org")
    client.force_login(other_coordinator)
    response = client.get(OUTBOX)
    assert shown(response) == {theirs.pk}
    assert "amina@example.org" not in response.content.decode()
    assert client.post(resend_url(ours)).status_code == 404
    ours.refresh_from_db()
    assert ours.status == ST.FAILED


def test_coordinator_limited_to_another_program_neither_sees_nor_resends(client, organization, program):
    elsewhere = ProgramFactory(organization=organization)
    limited = StaffMembershipFactory(organization=organization, programs=[elsewhere]).user
    ours = reminder(program, status=ST.FAILED)
    theirs = reminder(elsewhere)
    client.force_login(limited)
    assert shown(client.get(OUTBOX)) == {theirs.pk}
    assert client.post(resend_url(ours)).status_code == 404


def test_weekly_digests_show_to_the_admin_and_to_their_own_recipient_only(
    client, organization, program, coordinator, org_admin
):
    colleague = StaffMembershipFactory(organization=organization)
    mine = digest_for(StaffMembership.objects.get(user=coordinator))
    theirs = digest_for(colleague)

    client.force_login(coordinator)
    assert shown(client.get(OUTBOX)) == {mine.pk}
    client.force_login(org_admin)
    assert shown(client.get(OUTBOX)) == {mine.pk, theirs.pk}


# --- Reading it ---------------------------------------------------------------------------------


def test_failed_reminders_show_why_and_offer_to_send_again(client, coordinator, program):
    row = reminder(program, status=ST.FAILED, last_error="SMTPDataError: (451, b'Mailbox busy')", attempts=11)
    client.force_login(coordinator)
    page = client.get(OUTBOX).content.decode()
    assert "Mailbox busy" in page and "11 attempts" in page
    assert f'action="{resend_url(row)}"' in page


def test_skipped_reminders_say_why(client, coordinator, program):
    reminder(program, status=ST.SKIPPED, skip_reason=SentReminder.SkipReason.UNSUBSCRIBED, sent_at=None)
    client.force_login(coordinator)
    assert "The person turned this reminder off" in client.get(OUTBOX).content.decode()


def test_outbox_filters_by_status_and_kind(client, coordinator, program):
    failed = reminder(program, status=ST.FAILED)
    reminder(program)
    nudge = reminder(program, kind="match_answer_reminder", status=ST.FAILED)
    client.force_login(coordinator)
    assert shown(client.get(OUTBOX, {"status": "failed"})) == {failed.pk, nudge.pk}
    assert shown(client.get(OUTBOX, {"status": "failed", "kind": "orientation_reminder"})) == {failed.pk}


def test_empty_outbox_says_so_plainly(client, coordinator, program):
    client.force_login(coordinator)
    assert "No reminder has been sent yet" in client.get(OUTBOX).content.decode()
    assert "No reminder matches this filter" in client.get(OUTBOX, {"status": "failed"}).content.decode()


def test_outbox_is_paginated_newest_first(client, coordinator, program, settings):
    rows = [reminder(program) for _ in range(settings.PAGE_SIZE + 2)]
    client.force_login(coordinator)
    first = client.get(OUTBOX)
    assert first.context["page_obj"].paginator.num_pages == 2
    assert first.context["page_obj"].object_list[0].pk == rows[-1].pk
    assert shown(client.get(OUTBOX, {"page": 2})) == {rows[1].pk, rows[0].pk}


@pytest.mark.parametrize("count", [3, 30])
def test_outbox_runs_a_fixed_number_of_queries(
    client, coordinator, program, count, django_assert_max_num_queries
):
    for index in range(count):
        reminder(program, status=[ST.SENT, ST.FAILED, ST.SKIPPED][index % 3])
    client.force_login(coordinator)
    # Session, user, staff memberships and their programs (the staff check and the switcher), the
    # current program, the count, and one page of reminders with their program.
    with django_assert_max_num_queries(7):
        response = client.get(OUTBOX)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 25)


# --- Sending again ------------------------------------------------------------------------------


def test_resending_a_failed_reminder_sends_it_once_and_logs_who_asked(
    client, coordinator, program, mail, django_capture_on_commit_callbacks
):
    person = accepted_days_ago(program, 8, person__email="amina@example.org")
    row = reminder(
        program,
        status=ST.FAILED,
        object_id=person.pk,
        due_on=timezone.localdate(person.status_changed_at) + datetime.timedelta(days=7),
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        attempts=11,
    )
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(row), follow=True)

    assert "on its way again" in response.content.decode()
    assert [m["To"] for m in mail.received()] == ["amina@example.org"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (ST.SENT, 1, "")
    entry = ActivityEntry.objects.get(verb="reminder.resent")
    assert (entry.actor, entry.program, entry.target_id) == (coordinator, program, str(row.pk))


def test_only_a_failed_reminder_can_be_sent_again(client, coordinator, program, mail):
    row = reminder(program, status=ST.SENT)
    client.force_login(coordinator)
    response = client.post(resend_url(row), follow=True)
    assert "Only a reminder that failed can be sent again." in response.content.decode()
    row.refresh_from_db()
    assert row.status == ST.SENT
    assert mail.received() == []
    assert not ActivityEntry.objects.filter(verb="reminder.resent").exists()


def test_resend_answers_only_post(client, coordinator, program):
    row = reminder(program, status=ST.FAILED)
    client.force_login(coordinator)
    assert client.get(resend_url(row)).status_code == 405
