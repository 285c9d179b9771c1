import pytest
from django.core.management import call_command

from matching.models import Occupation
from matching.occupations import SUBSET_PATH, occupations_load, read_noc_csv, shared_level

pytestmark = pytest.mark.django_db


def test_shipped_subset_loads_as_a_tree():
    call_command("load_noc", verbosity=0)
    civil = Occupation.objects.get(code="21300")
    assert civil.title == "Civil engineers"
    assert civil.level == Occupation.Level.UNIT_GROUP
    ancestors = [
        civil.parent,
        civil.parent.parent,
        civil.parent.parent.parent,
        civil.parent.parent.parent.parent,
    ]
    assert [a.code for a in ancestors] == ["2130", "213", "21", "2"]
    assert ancestors[-1].title == "Natural and applied sciences and related occupations"
    assert ancestors[-1].parent is None


def test_loading_twice_changes_nothing():
    call_command("load_noc", verbosity=0)
    first = list(Occupation.objects.values_list("code", "title", "level", "parent"))
    call_command("load_noc", verbosity=0)
    assert list(Occupation.objects.values_list("code", "title", "level", "parent")) == first


def test_statistics_canada_structure_file_is_read(tmp_path):
    official = tmp_path / "noc.csv"
    official.write_text(
        '"Level","Hierarchical structure","Code - NOC 2021 V1.0","Class title","Class definition"\n'
        '"1","Broad occupational category","3","Health occupations","..."\n'
        '"5","Unit group","31301","Registered nurses and registered psychiatric nurses","..."\n',
        encoding="utf-8-sig",
    )
    occupations_load(read_noc_csv(official))
    nurse = Occupation.objects.get(code="31301")
    assert nurse.parent.code == "3130"
    assert Occupation.objects.get(code="3").title == "Health occupations"


def test_subset_has_the_professions_of_the_demo_and_the_issue():
    codes = {code for code, _ in read_noc_csv(SUBSET_PATH)}
    assert {"21300", "21301", "21231", "11100", "31301", "31102", "41221", "72200", "80020"} <= codes


@pytest.mark.parametrize(
    ("first", "second", "depth"),
    [
        ("21300", "21300", 5),
        ("21300", "21301", 4),
        ("21300", "21310", 3),
        ("21300", "21100", 2),
        ("21300", "22300", 1),
        ("21300", "31301", 0),
    ],
)
def test_shared_level_counts_common_prefix(first, second, depth):
    assert shared_level(first, second) == depth
