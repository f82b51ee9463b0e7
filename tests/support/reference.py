"""The team's reference files beside the project (../shared/data/<games>/): what the shipped data
sets are checked against. A test that needs one skips, saying where it looked, when it is absent."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def reference_rows(games_folder: str, name: str) -> list[dict]:
    """The rows of one reference CSV file, e.g. reference_rows("paris-2024", "medallists.csv")."""
    path = SHARED_DATA / games_folder / name
    if not path.exists():
        pytest.skip(f"the reference files are not at {path.parent} (they live beside the project, in ../shared)")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def words(name: str) -> list[str]:
    """A name's words, case folded and sorted, so "von ALLMEN Franjo" matches "Franjo von Allmen"."""
    return sorted(w.casefold() for w in re.split(r"[\s,]+", name) if w)
