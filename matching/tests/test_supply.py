"""Supply and demand: waiting mentees against free mentor places, worked out by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.models import Match, Occupation
from matching.supply import supply_and_demand
from programs.tests.factories import ProgramFactory

from .factories import MatchFactory, ready_mentee, ready_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def nocs(db):
    Occupation.objects.create(code="2", title="Natural and applied sciences", level=1)
    Occupation.objects.create(code="3", title="Health occupations", level=1)
    return {
        "civil": Occupation.objects.create(code="21300", title="Civil engineers", level=5),
        "nurse": Occupation.objects.create(code="31301", title="Registered nurses", level=5),
    }


@pytest.fixture
def pool(program, organization, nocs):
    """Three engineering and two nursing mentees waiting in Alberta, one mentee abroad, one
    already proposed; engineering mentors with 2 + 1 places (one place taken), one nurse mentor
    in a second program."""
    for _ in range(3):
        ready_mentee(program, occupation=nocs["civil"], participation__person__region="Alberta")
    for _ in range(2):
        ready_mentee(program, occupation=nocs["nurse"], participation__person__region="Alberta")
    ready_mentee(program, occupation=nocs["civil"], participation__person__country="Nigeria")
    busy = ready_mentor(
        program, occupation=nocs["civil"], max_mentees=2, participation__person__region="Alberta"
    )
    ready_mentor(program, occupation=nocs["civil"], participation__person__region="Alberta")
    proposed = ready_mentee(program, occupation=nocs["civil"], participation__person__region="Alberta")
    MatchFactory(program=program, mentee=proposed, mentor=busy, status=Match.Status.PROPOSED)
    health = ProgramFactory(organization=organization, name="Health Mentorship")
    ready_mentor(health, occupation=nocs["nurse"], participation__person__region="Saskatchewan")
    return health


def _table(lines) -> dict[str, tuple[int, int, int]]:
    return {line.label: (line.waiting, line.places, line.gap) for line in lines}


def test_figures_by_category_region_and_program(program, pool):
    figures = supply_and_demand([program, pool])
    assert (figures.waiting, figures.places) == (6, 3)
    assert _table(figures.by_category) == {
        "Natural and applied sciences": (4, 2, 2),
        "Health occupations": (2, 1, 1),
    }
    assert [line.label for line in figures.by_category][0] == "Natural and applied sciences"  # biggest gap
    assert _table(figures.by_region) == {
        "Alberta": (5, 2, 3),
        "Outside Canada (Nigeria)": (1, 0, 1),
        "Saskatchewan": (0, 1, -1),
    }
    assert _table(figures.by_program) == {program.name: (6, 2, 4), "Health Mentorship": (0, 1, -1)}


def test_page_shows_charts_and_tables_for_all_programs_or_one(client, coordinator, program, pool):
    client.force_login(coordinator)
    response = client.get(reverse("matching:supply"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="total-waiting">6<' in html and 'data-testid="total-places">3<' in html
    assert html.count("<svg") >= 2 and "By profession (NOC broad category)" in html
    response = client.get(reverse("matching:supply"), {"program": pool.slug})
    assert response.context["figures"].waiting == 0 and response.context["figures"].places == 1


def test_page_says_plainly_when_there_is_nothing(client, coordinator, program):
    client.force_login(coordinator)
    response = client.get(reverse("matching:supply"))
    assert "Nobody is waiting and no mentor has a free place right now." in response.content.decode()


def test_page_permissions_and_other_organizations(
    client, coordinator, other_coordinator, participant_user, program, other_program, pool
):
    assert client.get(reverse("matching:supply")).status_code == 302
    client.force_login(participant_user)
    assert client.get(reverse("matching:supply")).status_code == 403
    client.force_login(other_coordinator)
    response = client.get(reverse("matching:supply"))
    assert response.context["figures"].waiting == 0  # our people never count for them
    assert client.get(reverse("matching:supply"), {"program": program.slug}).status_code == 404


def test_page_makes_the_same_number_of_queries_for_few_and_many_people(
    client, coordinator, program, nocs, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("matching:supply"))
    for count in (2, 40):
        while program.participations.count() < count:
            ready_mentee(program, occupation=nocs["civil"])
            ready_mentor(program, occupation=nocs["nurse"])
        with django_assert_max_num_queries(10):
            response = client.get(reverse("matching:supply"))
        assert response.context["figures"].waiting == count // 2
