"""The National Occupational Classification (NOC) 2021 as data.

`matching/data/noc_2021_subset.csv` ships the ten broad categories, the major groups, and the
unit groups newcomers' professions most often fall in, compiled by hand from NOC 2021 V1.0.
For every unit group, load Statistics Canada's classification-structure CSV with
`python manage.py load_noc path/to/file.csv`: it has the columns "Code - NOC 2021 V1.0" and
"Class title", which this loader reads as well as its own "code,title".
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Occupation

SUBSET_PATH = Path(__file__).resolve().parent / "data" / "noc_2021_subset.csv"


def read_noc_csv(path: Path) -> list[tuple[str, str]]:
    """(code, title) pairs from our subset file or from Statistics Canada's structure file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        code_column = next((f for f in fields if f.strip().lower().startswith("code")), None)
        title_column = next((f for f in fields if f.strip().lower() in ("title", "class title")), None)
        if code_column is None or title_column is None:
            raise ValueError(f"{path} has no code and title columns (found {fields}).")
        return [
            (row[code_column].strip(), row[title_column].strip())
            for row in reader
            if row[code_column] and row[code_column].strip().isdigit()
        ]


@transaction.atomic
def occupations_load(rows: Iterable[tuple[str, str]]) -> int:
    """Creates or updates the hierarchy; a missing ancestor gets a plain placeholder title.

    Parents are written before children, level by level, so each level is one bulk query.
    """
    titles = dict(rows)
    for code in list(titles):
        if len(code) > 5:
            raise ValueError(f"{code!r} is not a NOC 2021 code.")
        for length in range(1, len(code)):
            titles.setdefault(code[:length], _("NOC 2021 group %(code)s") % {"code": code[:length]})
    for level in range(1, 6):
        nodes = [
            Occupation(code=code, title=title, level=level, parent_id=code[:-1] or None)
            for code, title in titles.items()
            if len(code) == level
        ]
        Occupation.objects.bulk_create(
            nodes,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["title", "level", "parent"],
        )
    return len(titles)


def shared_level(first_code: str, second_code: str) -> int:
    """How deep two codes agree: 5 for the same unit group ... 1 for the same broad category, 0 for none."""
    depth = 0
    for a, b in zip(first_code[:5], second_code[:5], strict=False):
        if a != b:
            break
        depth += 1
    return depth
