"""Hostile and fuzzed data set files: rejected with a clear message, the database untouched."""
import copy
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.data.dataset import DatasetError, parse_dataset
from tests.support.database import dump
from tests.support.datasets import changed, mini_dataset, write_dataset


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


def with_flag(flag):
    return changed(mini_dataset(), lambda d: d["nations"][0].update(flag=flag))


@pytest.mark.parametrize("flag", ["@everyone", "<@&123456>", "🇳🇱\u202e", "NL", "🇳🇱 <#1>", "\u200b"])
def test_a_flag_is_emoji_only(flag):
    problems = problems_of(with_flag(flag))
    assert len(problems) == 1 and problems[0].startswith("nations[0] (code NED).flag: expected an emoji flag"), problems


@pytest.mark.parametrize("flag", ["🇳🇱", "🏳️‍🌈", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "🏴‍☠️", None])
def test_real_flags_pass(flag):
    assert parse_dataset(json.dumps(with_flag(flag))).nations["NED"].flag == flag


def hostile_texts() -> dict[str, str]:
    """Each observed to end `import` with a traceback before it was checked."""
    ranked = changed(mini_dataset(), lambda d: d.update(standings=[{"session": "s1", "rank": 2**63, "competitor": "Kjeld Nuis", "nation": "NED"}]))
    return {
        "nested": "[" * 100_000 + "]" * 100_000,
        "nested-value": json.dumps(mini_dataset())[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "digits": json.dumps(changed(mini_dataset(), lambda d: d["results"][0].update(medal="__N__"))).replace('"__N__"', "9" * 5000),
        "rank": json.dumps(ranked),
        "year-0001": json.dumps(changed(mini_dataset(), lambda d: d["sessions"][2].update(start="0001-01-01T00:00:00+01:00"))),
    }


@pytest.mark.parametrize("name", list(hostile_texts()))
def test_hostile_json_is_a_clear_problem(name):
    with pytest.raises(DatasetError) as raised:
        parse_dataset(hostile_texts()[name], "hostile.json")
    assert raised.value.problems and all(len(p) < 400 for p in raised.value.problems), raised.value.problems


def test_hostile_json_by_import_leaves_the_database_unchanged_without_a_traceback(tmp_path):
    env = {"PODIUM_DATABASE": str(tmp_path / "podium.sqlite3"), "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=120)
    assert run("games").returncode == 0
    before = dump(tmp_path / "podium.sqlite3")
    for name, text in hostile_texts().items():
        result = run("import", str(write_dataset(tmp_path, text, f"{name}.json")))
        assert result.returncode == 2, (name, result.stderr[-2000:])
        assert "Traceback" not in result.stderr and "nothing was imported" in result.stderr, (name, result.stderr[-2000:])
        assert dump(tmp_path / "podium.sqlite3") == before, name


async def test_hostile_json_by_feed_is_one_warning_not_a_traceback_per_poll(tmp_path, caplog):
    import logging
    from datetime import datetime, timezone

    from bot.clock import Clock
    from bot.feed.follower import FeedFollower
    from bot.services import Services
    from bot.settings import load_settings
    from bot.store.database import Database

    caplog.set_level(logging.INFO, logger="podium")
    async with await Database.open(tmp_path / "podium.sqlite3") as db:
        services = Services.create(load_settings({}), db, Clock(datetime(2030, 2, 7, tzinfo=timezone.utc)))
        follower = FeedFollower(services, str(tmp_path / "feed.json"))
        write_dataset(tmp_path, mini_dataset(), "feed.json")
        assert await follower.poll() == "applied"
        before = dump(tmp_path / "podium.sqlite3")
        for name, text in hostile_texts().items():
            write_dataset(tmp_path, mini_dataset(), "feed.json")
            assert await follower.poll() == "applied"  # a good feed in between: the next problem is news
            caplog.clear()
            # A far session is left out and the rest applied; anything else changes nothing.
            expected = "applied" if name == "year-0001" else "invalid"
            for poll in range(3):
                write_dataset(tmp_path, text + " " * poll, "feed.json")  # a new body every poll
                assert await follower.poll() == expected, name
            warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
            assert len(warnings) == 1 and not any(r.exc_info for r in warnings), (name, [r.getMessage() for r in warnings])
            if expected == "invalid":
                assert dump(tmp_path / "podium.sqlite3") == before, name
