"""The Django admin shows matching data read-only: changes go through the services, which keep
the rules and the activity log."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from matching.models import Circle, DoNotMatch, Match, Occupation

from .factories import AssignmentRunFactory, CircleFactory, DoNotMatchFactory, MatchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, password):
    client.force_login(get_user_model().objects.create_superuser("root@example.org", password))
    return client


@pytest.mark.parametrize("model", [Match, DoNotMatch, Circle])
def test_the_admin_lists_and_shows_matching_data_without_letting_anyone_change_it(
    model, admin_client, program
):
    match = MatchFactory(program=program)
    AssignmentRunFactory(program=program)
    objects = {
        Match: match,
        DoNotMatch: DoNotMatchFactory(mentee=match.mentee.person, mentor=match.mentor.person),
        Circle: CircleFactory(program=program),
    }
    name = model._meta.model_name

    listing = admin_client.get(reverse(f"admin:matching_{name}_changelist"))
    page = admin_client.get(reverse(f"admin:matching_{name}_change", args=[objects[model].pk]))

    assert listing.status_code == page.status_code == 200
    assert admin_client.get(reverse(f"admin:matching_{name}_add")).status_code == 403
    assert 'name="_save"' not in page.content.decode()


def test_the_admin_lists_assignment_runs_and_occupations(admin_client, program):
    AssignmentRunFactory(program=program)
    Occupation.objects.create(code="21300", title="Civil engineers", level=5)

    assert admin_client.get(reverse("admin:matching_assignmentrun_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:matching_occupation_changelist") + "?q=civil").status_code == 200
