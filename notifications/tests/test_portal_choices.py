"""A participant's own page of choices in the portal: a switch for each reminder they may turn
off, the emails that always go out, and only ever their own addresses' choices."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notifications.models import Unsubscribe
from notifications.registry import always_sent_kinds, participant_choice_kinds
from notifications.sending import is_unsubscribed, unsubscribe_link
from participants.tests.factories import PersonFactory
from participants.tests.portal_helpers import mentee, mentor
from programs.models import ActivityEntry
from programs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("portal:notifications")
CHOOSABLE = [kind.key for kind in participant_choice_kinds()]


@pytest.fixture
def amina(program):
    return mentee(program, email="amina@example.org").person


def post_choices(client, person, *, on: list[str]):
    return client.post(PAGE, {"person": str(person.pk), **dict.fromkeys(on, "on")})


def off_kinds(email: str) -> set[str]:
    return set(Unsubscribe.objects.filter(email=email).values_list("kind", flat=True))


# --- Who may come in --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client):
    for response in (client.get(PAGE), client.post(PAGE, {})):
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_staff_are_refused(client, coordinator):
    client.force_login(coordinator)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"person": "1"}).status_code == 403
    assert not Unsubscribe.objects.exists()


def test_another_persons_choices_are_never_shown_nor_changed(client, program, amina):
    daniel = mentor(program, email="daniel@example.org").person
    Unsubscribe.objects.create(email="daniel@example.org", kind="goal_reminder")
    client.force_login(amina.user)

    page = client.get(PAGE).content.decode()
    assert "daniel@example.org" not in page
    assert f'value="{daniel.pk}"' not in page
    assert post_choices(client, daniel, on=[]).status_code == 404
    assert off_kinds("daniel@example.org") == {"goal_reminder"}
    assert not ActivityEntry.objects.filter(verb="reminder.choices_updated").exists()


def test_a_person_id_that_is_not_a_number_gives_404(client, amina):
    client.force_login(amina.user)
    assert client.post(PAGE, {"person": "amina"}).status_code == 404


# --- Reading and changing the choices ------------------------------------------------------------


def test_every_reminder_a_participant_may_turn_off_has_a_switch_on_by_default(client, amina):
    client.force_login(amina.user)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for key in CHOOSABLE:
        assert f'name="{key}"' in page
    assert page.count('role="switch"') == len(CHOOSABLE) and page.count(" checked>") == len(CHOOSABLE)
    assert 'name="coordinator_digest"' not in page  # the staff's own
    for kind in always_sent_kinds():
        assert f'data-testid="always-{kind.key}"' in page and f'name="{kind.key}"' not in page
    assert f'href="{PAGE}"' in page and 'aria-current="page"' in page  # the portal's navigation


def test_turning_reminders_off_and_on_again(client, amina):
    client.force_login(amina.user)
    keep = [key for key in CHOOSABLE if key not in {"goal_reminder", "no_meeting_reminder"}]

    response = post_choices(client, amina, on=keep)

    assert response.status_code == 302 and response.url == PAGE
    assert off_kinds("amina@example.org") == {"goal_reminder", "no_meeting_reminder"}
    page = client.get(PAGE).content.decode()
    assert "Your choices are saved." in page and page.count(" checked>") == len(keep)
    entry = ActivityEntry.objects.get(verb="reminder.choices_updated")
    assert (entry.actor, entry.target_id, entry.organization) == (
        amina.user,
        str(amina.pk),
        amina.organization,
    )
    assert entry.data == {"on": [], "off": ["goal_reminder", "no_meeting_reminder"]}

    post_choices(client, amina, on=CHOOSABLE)

    assert off_kinds("amina@example.org") == set()
    assert ActivityEntry.objects.filter(verb="reminder.choices_updated").count() == 2


def test_saving_without_a_change_writes_nothing(client, amina):
    client.force_login(amina.user)
    post_choices(client, amina, on=CHOOSABLE)
    assert not Unsubscribe.objects.exists()
    assert not ActivityEntry.objects.filter(verb="reminder.choices_updated").exists()


def test_what_an_unsubscribe_link_turned_off_shows_off_and_stays_off(client, amina):
    client.force_login(amina.user)
    link = unsubscribe_link(email=amina.email, kind="goal_reminder", person_id=amina.pk)
    client.post(link.removeprefix("http://127.0.0.1:8000"), {"scope": "all"})
    page = client.get(PAGE).content.decode()
    assert " checked>" not in page

    post_choices(client, amina, on=["checkin_reminder"])

    # Turning one back on leaves every other kind off, the staff's digest included.
    assert off_kinds("amina@example.org") == (set(CHOOSABLE) - {"checkin_reminder"}) | {"coordinator_digest"}
    page = client.get(PAGE).content.decode()
    assert page.count(" checked>") == 1
    assert re.search(r'name="checkin_reminder"[^>]* checked>', page)


def test_a_reminder_turned_off_here_is_not_sent_and_its_link_still_works(client, amina):
    client.force_login(amina.user)
    post_choices(client, amina, on=[key for key in CHOOSABLE if key != "orientation_reminder"])
    link = unsubscribe_link(email=amina.email, kind="orientation_reminder", person_id=amina.pk)
    response = client.post(link.removeprefix("http://127.0.0.1:8000"), {"scope": "kind"})
    assert "was already unsubscribed" in response.content.decode()
    assert is_unsubscribed("Amina@Example.org", "orientation_reminder")


def test_someone_known_to_two_organizations_chooses_for_each_address(client, program, amina):
    elsewhere = PersonFactory(
        organization=OrganizationFactory(name="Riverbend"), email="amina.work@example.org", user=amina.user
    )
    PersonFactory(organization=OrganizationFactory(name="Third"), email="AMINA@example.org", user=amina.user)
    client.force_login(amina.user)
    page = client.get(PAGE).content.decode()
    assert page.count('name="person"') == 2  # one form per address
    assert "Sent to amina.work@example.org by Riverbend" in page

    post_choices(client, elsewhere, on=[])

    assert off_kinds("amina.work@example.org") == set(CHOOSABLE)
    assert off_kinds("amina@example.org") == set()


def test_a_signed_in_person_in_no_program_is_told_plainly(client, participant_user):
    client.force_login(participant_user)
    page = client.get(PAGE).content.decode()
    assert "You are not in a program yet" in page


@pytest.mark.parametrize("people", [1, 4])
def test_the_page_runs_a_fixed_number_of_queries(
    client, program, amina, people, django_assert_max_num_queries
):
    for index in range(people - 1):
        PersonFactory(
            organization=OrganizationFactory(name=f"Org {index}"),
            email=f"a{index}@example.org",
            user=amina.user,
        )
        Unsubscribe.objects.create(email=f"a{index}@example.org", kind="goal_reminder")
    client.force_login(amina.user)
    # Session, user, the staff and funder checks, the person's records, their choices.
    with django_assert_max_num_queries(6):
        response = client.get(PAGE)
    assert response.status_code == 200
    assert response.content.decode().count('name="person"') == people
