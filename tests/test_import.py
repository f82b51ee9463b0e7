"""Importing data sets into a real SQLite file: checks first, one transaction, exact updates."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

import pytest

from bot.core.models import Result
from bot.core.changes import diff_games
from bot.data.dataset import DatasetError, load_dataset_file
from bot.data.importer import import_games
from bot.store import games as games_store
from bot.store.database import Database
from tests.support.database import dump
from tests.support.datasets import changed, mini_dataset, write_dataset


async def load(db_path, folder, document, name="games.json", dry_run=False):
    data = load_dataset_file(write_dataset(folder, document, name))
    async with await Database.open(db_path) as db:
        return await import_games(db, data, dry_run=dry_run)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "podium.sqlite3"


async def test_import_loads_everything(db_path, tmp_path):
    changes = await load(db_path, tmp_path, mini_dataset())
    assert changes.count == 1 + 2 + 3 + 2 + 3 + 6
    async with await Database.open(db_path) as db:
        data = await games_store.load_games(db)
    assert data.games.id == "mini-2030"
    assert [s.id for s in data.sessions] == ["s1", "s3", "s2"]  # start order
    assert data.sessions[0].start.isoformat() == "2030-02-08T15:30:00+00:00"  # stored in UTC
    assert data.sessions[0].medals == ("gold", "silver", "bronze")
    assert data.sessions[0].nations == ("GER", "NED")
    assert data.nations["NED"].name == {"en": "Netherlands", "nl": "Nederland"}
    assert len(data.results) == 6


async def test_reimport_of_same_file_writes_nothing(db_path, tmp_path):
    await load(db_path, tmp_path, mini_dataset())
    before = dump(db_path)
    changes = await load(db_path, tmp_path, mini_dataset())
    assert changes.count == 0
    assert dump(db_path) == before


async def test_reallocation_moves_the_medal_not_adds_it(db_path, tmp_path):
    await load(db_path, tmp_path, mini_dataset())

    def reallocate(doc):
        bronze = doc["results"][2]
        bronze.update(competitor="Canada Skater", nation="CAN")

    changes = await load(db_path, tmp_path, changed(mini_dataset(), reallocate))
    assert (len(changes.results.added), len(changes.results.removed)) == (1, 1)
    assert changes.count == 2
    async with await Database.open(db_path) as db:
        data = await games_store.load_games(db)
    bronzes = [r for r in data.results if r.event_id == "SSK-M-1500" and r.medal == "bronze"]
    assert [(r.competitor, r.nation) for r in bronzes] == [("Canada Skater", "CAN")]
    assert len(data.results) == 6


async def test_corrected_session_updates_exactly_that_row(db_path, tmp_path):
    await load(db_path, tmp_path, mini_dataset())

    def move(doc):
        doc["sessions"][0]["start"] = "2030-02-08T17:00:00+01:00"
        doc["sessions"][0]["end"] = "2030-02-08T18:30:00+01:00"
        del doc["sessions"][2]
        del doc["results"][5]

    changes = await load(db_path, tmp_path, changed(mini_dataset(), move))
    assert [s.id for s in changes.sessions.changed] == ["s1"]
    assert changes.sessions.removed == ["s3"]
    assert changes.count == 3
    async with await Database.open(db_path) as db:
        data = await games_store.load_games(db)
    assert [s.id for s in data.sessions] == ["s1", "s2"]
    assert data.sessions[0].start.isoformat() == "2030-02-08T16:00:00+00:00"


async def test_dry_run_reports_and_writes_nothing(db_path, tmp_path):
    await load(db_path, tmp_path, mini_dataset())
    before = dump(db_path)
    doc = changed(mini_dataset(), lambda d: d["events"][0]["name"].update(nl="1500 m mannen"))
    changes = await load(db_path, tmp_path, doc, dry_run=True)
    assert [e.id for e in changes.events.changed] == ["SSK-M-1500"]
    assert dump(db_path) == before


def write_text_of(doc) -> str:
    return json.dumps(doc, indent=1)


BAD_FILES = {
    "truncated JSON": (lambda: write_text_of(mini_dataset())[:300], ["not valid JSON", "truncated"]),
    "wrong types": (
        lambda: changed(mini_dataset(), lambda d: d["sessions"][1].update(medals="gold", venue=7)),
        ["sessions[1] (id s2).medals: expected a list", "sessions[1] (id s2).venue: expected a non-empty string; got 7"],
    ),
    "session without time zone": (
        lambda: changed(mini_dataset(), lambda d: d["sessions"][0].update(start="2030-02-08T16:30:00")),
        ["sessions[0] (id s1).start: \"2030-02-08T16:30:00\" has no time zone offset; add one, e.g. 2030-02-08T16:30:00+08:00"],
    ),
    "end before start": (
        lambda: changed(mini_dataset(), lambda d: d["sessions"][2].update(end="2030-02-09T07:00:00+01:00")),
        ["sessions[2] (id s3).end: 2030-02-09T07:00:00+01:00 is not after start 2030-02-09T08:00:00+01:00"],
    ),
    "unknown nation code": (
        lambda: changed(mini_dataset(), lambda d: d["results"][0].update(nation="XYZ")),
        ["results[0].nation: unknown nation 'XYZ'; it must be one listed in nations (e.g. NED)"],
    ),
    "duplicate id": (
        lambda: changed(mini_dataset(), lambda d: d["events"].append(dict(d["events"][0]))),
        ["events[2] (id SSK-M-1500).id: duplicate id 'SSK-M-1500' (first at events[0])"],
    ),
    "result for a missing event": (
        lambda: changed(mini_dataset(), lambda d: d["results"].append({"event": "ALP-M-DH", "medal": "gold", "competitor": "X", "nation": "GER"})),
        ["results[6].event: unknown event 'ALP-M-DH'; it must be one listed in events"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
async def test_bad_file_is_refused_and_database_unchanged(case, db_path, tmp_path):
    await load(db_path, tmp_path, mini_dataset())
    before = dump(db_path)
    make, expected = BAD_FILES[case]
    path = write_dataset(tmp_path, make(), "bad.json")
    with pytest.raises(DatasetError) as caught:
        data = load_dataset_file(path)
        async with await Database.open(db_path) as db:
            await import_games(db, data)
    text = "\n".join(caught.value.problems)
    for fragment in expected:
        assert fragment in text
    assert caught.value.source == str(path)
    assert dump(db_path) == before


async def test_every_problem_is_reported_at_once(tmp_path):
    def break_many(doc):
        doc["sessions"][0]["start"] = "tomorrow"
        doc["results"][0]["nation"] = "XYZ"
        doc["events"][1]["gender"] = "F"

    with pytest.raises(DatasetError) as caught:
        load_dataset_file(write_dataset(tmp_path, changed(mini_dataset(), break_many)))
    assert len(caught.value.problems) == 3


async def test_transaction_rolls_back_on_a_failed_write(db_path, tmp_path):
    """A write that fails half-way (here: a result whose nation the store lacks) leaves nothing behind."""
    await load(db_path, tmp_path, mini_dataset())
    before = dump(db_path)
    data = load_dataset_file(write_dataset(tmp_path, changed(mini_dataset(), lambda d: d["sessions"][0].update(venue="New Oval"))))
    async with await Database.open(db_path) as db:
        old = await games_store.load_games(db)
        changes = diff_games(old, data, await games_store.known_sports(db), await games_store.known_nations(db))
        changes.results.added.append(Result("SSK-M-1500", "gold", "Ghost", "ZZZ"))
        with pytest.raises(sqlite3.IntegrityError):
            await games_store.apply_changes(db, changes, datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert dump(db_path) == before
