"""Standings in data set files: checked like every other list, stored, and re-imported exactly."""
from __future__ import annotations

import sqlite3

import pytest

from bot.core.models import Standing
from bot.data.dataset import DatasetError, load_dataset_file
from bot.data.importer import import_games
from bot.store import games as games_store
from bot.store.database import Database
from tests.support.datasets import changed, mini_dataset, write_dataset

STANDINGS = [
    {"session": "s1", "rank": 1, "competitor": "Kjeld Nuis", "nation": "NED", "result": "1:43.21"},
    {"session": "s1", "rank": 2, "competitor": "Thomas Krol", "nation": "NED", "result": "1:43.55"},
    {"session": "s1", "rank": None, "competitor": "Fallen Skater", "nation": "GER", "result": "DNF"},
    {"session": "s3", "rank": 3, "competitor": "Netherlands", "nation": "NED", "result": "2\u20131"},
    {"session": "s2", "rank": 1, "competitor": "Canada", "nation": "CAN"},
]


def with_standings(change=None) -> dict:
    doc = mini_dataset()
    doc["standings"] = [dict(s) for s in STANDINGS]
    return changed(doc, change) if change else doc


def dump(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


async def load(db_path, folder, document, name="games.json"):
    data = load_dataset_file(write_dataset(folder, document, name))
    async with await Database.open(db_path) as db:
        return await import_games(db, data)


async def stored(db_path):
    async with await Database.open(db_path) as db:
        return await games_store.load_games(db)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "podium.sqlite3"


async def test_standings_are_stored_and_loaded_back(db_path, tmp_path):
    changes = await load(db_path, tmp_path, with_standings())
    assert len(changes.standings.added) == 5
    data = await stored(db_path)
    assert data.standings == (  # by session start (s1, s3, s2), then rank
        Standing("s1", 1, "Kjeld Nuis", "NED", "1:43.21"),
        Standing("s1", 2, "Thomas Krol", "NED", "1:43.55"),
        Standing("s1", None, "Fallen Skater", "GER", "DNF"),
        Standing("s3", 3, "Netherlands", "NED", "2\u20131"),
        Standing("s2", 1, "Canada", "CAN", ""),
    )


async def test_standings_are_optional(db_path, tmp_path):
    changes = await load(db_path, tmp_path, mini_dataset())
    assert changes.standings.count == 0
    assert (await stored(db_path)).standings == ()


async def test_reimport_of_the_same_file_writes_nothing(db_path, tmp_path):
    await load(db_path, tmp_path, with_standings())
    before = dump(db_path)
    async with await Database.open(db_path) as db:
        written = db.connection.total_changes
        changes = await import_games(db, load_dataset_file(write_dataset(tmp_path, with_standings())))
        written = db.connection.total_changes - written
    assert (changes.count, written) == (0, 0)
    assert dump(db_path) == before


async def test_a_corrected_standing_updates_exactly_that_row(db_path, tmp_path):
    await load(db_path, tmp_path, with_standings())
    before = set(dump(db_path))

    def correct(doc):
        doc["standings"][1].update(rank=3, result="1:44.00")

    async with await Database.open(db_path) as db:
        written = db.connection.total_changes
        changes = await import_games(db, load_dataset_file(write_dataset(tmp_path, with_standings(correct))))
        written = db.connection.total_changes - written
    assert changes.count == 1 and changes.standings.changed == [Standing("s1", 3, "Thomas Krol", "NED", "1:44.00")]
    assert written == 1
    after = set(dump(db_path))
    assert [line for line in after - before] == [
        "INSERT INTO \"standings\" VALUES('mini-2030','s1','Thomas Krol','NED',3,'1:44.00',NULL);"]
    assert len(before - after) == 1


async def test_removed_standings_and_sessions_take_their_rows_with_them(db_path, tmp_path):
    await load(db_path, tmp_path, with_standings())

    def drop(doc):
        del doc["standings"][2]  # Fallen Skater
        del doc["sessions"][2]  # s3, with its standing
        del doc["standings"][2]  # (was [3]) the s3 standing
        del doc["results"][5]

    changes = await load(db_path, tmp_path, with_standings(drop))
    assert sorted(changes.standings.removed) == [("s1", "Fallen Skater", "GER"), ("s3", "Netherlands", "NED")]
    data = await stored(db_path)
    assert [(s.session_id, s.competitor) for s in data.standings] == [("s1", "Kjeld Nuis"), ("s1", "Thomas Krol"), ("s2", "Canada")]


BAD_STANDINGS = {
    "unknown nation": (lambda d: d["standings"][1].update(nation="XYZ"),
                       "standings[1].nation: unknown nation 'XYZ'; it must be one listed in nations (e.g. NED)"),
    "unknown session": (lambda d: d["standings"][0].update(session="s9"),
                        "standings[0].session: unknown session 's9'; it must be one listed in sessions (e.g. s1)"),
    "rank zero": (lambda d: d["standings"][0].update(rank=0), "standings[0].rank: expected a positive whole number or null; got 0"),
    "rank as text": (lambda d: d["standings"][0].update(rank="1"), "standings[0].rank: expected a positive whole number or null; got \"1\""),
    "rank true": (lambda d: d["standings"][0].update(rank=True), "standings[0].rank: expected a positive whole number or null; got true"),
    "rank fraction": (lambda d: d["standings"][0].update(rank=1.5), "standings[0].rank: expected a positive whole number or null; got 1.5"),
    "no competitor": (lambda d: d["standings"][4].pop("competitor"), "standings[4].competitor: expected a non-empty string; got null"),
    "mention": (lambda d: d["standings"][2].update(competitor="@everyone"), "standings[2].competitor: looks like a Discord mention (@everyone)"),
    "control character": (lambda d: d["standings"][2].update(result="1:4\u00073"),
                          "standings[2].result: contains control or invisible format characters"),
    "result not text": (lambda d: d["standings"][2].update(result=103.2), "standings[2].result: expected a non-empty string; got 103.2"),
    "duplicate": (lambda d: d["standings"].append(dict(d["standings"][0], rank=4)),
                  "standings[5]: the same competitor as standings[0] in session 's1'"),
    "not an object": (lambda d: d["standings"].append("Kjeld Nuis"), "standings[5]: expected an object; got a string"),
    "not a list": (lambda d: d.update(standings={"s1": []}), "standings: expected a list; got an object"),
}


@pytest.mark.parametrize("case", sorted(BAD_STANDINGS))
async def test_bad_standings_are_refused_with_their_place(case, db_path, tmp_path):
    await load(db_path, tmp_path, with_standings())
    before = dump(db_path)
    change, expected = BAD_STANDINGS[case]
    with pytest.raises(DatasetError) as caught:
        load_dataset_file(write_dataset(tmp_path, with_standings(change), "bad.json"))
    assert any(problem.startswith(expected) for problem in caught.value.problems), caught.value.problems
    assert len(caught.value.problems) == 1
    assert dump(db_path) == before


def test_every_bad_standing_is_reported_at_once(tmp_path):
    def break_many(doc):
        doc["standings"][0]["nation"] = "XYZ"
        doc["standings"][1]["rank"] = -2
        doc["standings"][3]["session"] = "nope"

    with pytest.raises(DatasetError) as caught:
        load_dataset_file(write_dataset(tmp_path, with_standings(break_many)))
    assert [p.split(":")[0] for p in caught.value.problems] == ["standings[0].nation", "standings[1].rank", "standings[3].session"]


def test_empty_or_missing_result_is_allowed(tmp_path):
    def blank(doc):
        doc["standings"][0]["result"] = ""
        del doc["standings"][1]["result"]

    data = load_dataset_file(write_dataset(tmp_path, with_standings(blank)))
    assert [s.result for s in data.standings[:2]] == ["", ""]
