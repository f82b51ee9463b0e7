"""Hostile and fuzzed data set files: rejected with a clear message, the database untouched."""
import copy
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.data.dataset import DatasetError, parse_dataset
from tests.dataset_fixtures import mini_dataset, write_dataset
from tests.test_import import dump


def problems_of(document) -> list[str]:
    with pytest.raises(DatasetError) as raised:
        parse_dataset(json.dumps(document), "hostile.json")
    return raised.value.problems


@pytest.mark.parametrize("field, value, says", [
    (("results", 0, "competitor"), "@everyone look here", "looks like a Discord mention (@everyone)"),
    (("nations", 0, "name", "en"), "Nether<@&123456>lands", "looks like a Discord mention (<@&123456>)"),
    (("sessions", 0, "venue"), "x" * 100_000, "is 100000 characters long; at most 200 are allowed"),
    (("events", 0, "name", "nl"), "1500 meter\u0000mannen", "contains control or invisible format characters"),
    (("sessions", 0, "unit", "en"), "Final\u202e", "contains control or invisible format characters"),
])
def test_hostile_text_is_rejected_with_its_place(field, value, says):
    document = mini_dataset()
    record = document
    for key in field[:-1]:
        record = record[key]
    record[field[-1]] = value
    problems = problems_of(document)
    assert len(problems) == 1 and says in problems[0]
    assert problems[0].startswith(f"{field[0]}[{field[1]}]")


def test_ten_times_duplicated_records_are_each_named():
    document = mini_dataset()
    document["sessions"] = document["sessions"] * 10
    document["results"] = document["results"] * 10
    problems = problems_of(document)
    assert len(problems) == 9 * 3 + 9 * 6
    assert any("duplicate id 's1' (first at sessions[0])" in p for p in problems)
    assert any("the same result as results[0]" in p for p in problems)


def test_rejected_hostile_file_leaves_the_database_as_it_was(tmp_path):
    env = {"PODIUM_DATABASE": str(tmp_path / "podium.sqlite3"), "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=120)
    assert run("games").returncode == 0  # loads Beijing 2022
    before = dump(tmp_path / "podium.sqlite3")
    hostile = mini_dataset()
    hostile["results"][0]["competitor"] = "@here " + "A" * 500
    result = run("import", str(write_dataset(tmp_path, hostile)))
    assert result.returncode == 2 and "results[0].competitor" in result.stderr
    assert dump(tmp_path / "podium.sqlite3") == before


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
PATHS = [("games",), ("games", "host_timezone"), ("sports", 0), ("nations", 0, "code"), ("nations", 1, "flag"),
         ("events", 0, "sport"), ("events", 1, "gender"), ("sessions", 0, "start"), ("sessions", 1, "end"),
         ("sessions", 2, "medals"), ("sessions", 0, "nations"), ("results", 0, "medal"), ("results", 2, "nation"),
         ("results",), ("format",)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), JSON), min_size=1, max_size=4))
def test_fuzzed_files_are_accepted_or_rejected_never_crash(mutations):
    document = copy.deepcopy(mini_dataset())
    for path, value in mutations:
        record = document
        try:
            for key in path[:-1]:
                record = record[key]
            record[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        parse_dataset(json.dumps(document), "fuzz.json")
    except DatasetError as error:
        assert error.problems and all(isinstance(p, str) and ": " in p for p in error.problems)
