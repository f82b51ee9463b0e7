"""The SQLite store on real files: migrations, pragmas, first start."""
from __future__ import annotations

import sqlite3

import pytest

from bot.data.importer import ensure_games_loaded
from bot.store import games as games_store
from bot.store.database import Database, DatabaseError, migrations


async def test_blank_database_jumps_to_latest_schema(tmp_path):
    async with await Database.open(tmp_path / "new.sqlite3") as db:
        assert await db.schema_version() == migrations()[-1][0]
        recorded = await db.fetchall("SELECT version, name FROM schema_migrations ORDER BY version")
        assert recorded == [(v, n) for v, n, _ in migrations()]
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1


async def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "again.sqlite3"
    async with await Database.open(path) as db:
        first = await db.fetchall("SELECT * FROM schema_migrations")
    async with await Database.open(path) as db:
        assert await db.fetchall("SELECT * FROM schema_migrations") == first


async def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    async with await Database.open(path) as db:
        await db.connection.execute("INSERT INTO schema_migrations VALUES (9999, 'future', 'x')")
    with pytest.raises(DatabaseError, match="newer than this bot knows"):
        await Database.open(path)


async def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(DatabaseError, match="not a Podium database"):
        await Database.open(path)
    assert path.read_text().startswith("these are my notes")


async def test_first_start_loads_the_shipped_games_once(tmp_path):
    path = tmp_path / "first.sqlite3"
    async with await Database.open(path) as db:
        loaded = await ensure_games_loaded(db)
        assert loaded is not None and loaded.count > 0
        assert await ensure_games_loaded(db) is None
        data = await games_store.load_games(db)
    assert data.games.id == "beijing-2022"
    assert len(data.sessions) == 444 and len(data.events) == 109 and len(data.results) == 328
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 444


async def test_an_upgraded_shipped_data_set_updates_a_database_that_serves_it(tmp_path):
    from bot.data.importer import SHIPPED_KEY
    from bot.store.meta import get_meta, set_meta

    path = tmp_path / "old.sqlite3"
    async with await Database.open(path) as db:
        await ensure_games_loaded(db)
        digest = await get_meta(db, SHIPPED_KEY)
        async with db.transaction() as conn:  # as an older release of the bot left it
            await conn.execute("DELETE FROM results WHERE event_id = 'FSK-X-TEAM'")
        await set_meta(db, SHIPPED_KEY, "an older release")
    async with await Database.open(path) as db:
        changes = await ensure_games_loaded(db)
        assert changes is not None and len(changes.results.added) == 3 and changes.count == 3
        assert await get_meta(db, SHIPPED_KEY) == digest
        assert await ensure_games_loaded(db) is None  # and only once


async def test_a_database_serving_another_games_is_left_alone(tmp_path):
    import json

    from bot.data.dataset import parse_dataset
    from bot.data.importer import import_games
    from tests.support.datasets import mini_dataset

    async with await Database.open(tmp_path / "other.sqlite3") as db:
        await import_games(db, parse_dataset(json.dumps(mini_dataset())))
        assert await ensure_games_loaded(db) is None
        assert await games_store.active_games_id(db) == "mini-2030"
