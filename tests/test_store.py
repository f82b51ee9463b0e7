"""The store on both backends (a real SQLite file, a fresh PostgreSQL schema): migrations, first
start; SQLite's pragmas and file checks."""
from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.data.importer import ensure_games_loaded
from bot.store import games as games_store
from bot.store import postgres
from bot.store.database import Database, DatabaseError, migrations


def test_both_backends_have_the_same_migrations():
    assert [(v, n) for v, n, _ in postgres.migrations()] == [(v, n) for v, n, _ in migrations()]


async def test_blank_database_jumps_to_latest_schema(store_target):
    async with await Database.open(store_target) as db:
        assert await db.schema_version() == migrations()[-1][0]
        recorded = await db.fetchall("SELECT version, name FROM schema_migrations ORDER BY version")
        assert recorded == [(v, n) for v, n, _ in migrations()]
        if db.dialect == "sqlite":
            assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
            assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1


async def test_reopening_applies_nothing_twice(store_target):
    async with await Database.open(store_target) as db:
        first = await db.fetchall("SELECT * FROM schema_migrations")
    async with await Database.open(store_target) as db:
        assert await db.fetchall("SELECT * FROM schema_migrations") == first


async def test_a_newer_database_is_refused(store_target):
    async with await Database.open(store_target) as db:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO schema_migrations VALUES (9999, 'future', 'x')")
    with pytest.raises(DatabaseError, match="newer than this bot knows"):
        await Database.open(store_target)


async def test_processes_starting_together_on_postgresql_migrate_once(postgres_url):
    # (SQLite's case runs with real processes in test_lease_e2e.py)
    opened = await asyncio.gather(*(Database.open(postgres_url) for _ in range(3)))
    try:
        assert {await db.schema_version() for db in opened} == {migrations()[-1][0]}
        assert len(await opened[0].fetchall("SELECT version FROM schema_migrations")) == len(migrations())
    finally:
        for db in opened:
            await db.close()


async def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(DatabaseError, match="not a Podium database"):
        await Database.open(path)
    assert path.read_text().startswith("these are my notes")


async def test_a_postgresql_schema_of_another_application_is_refused(postgres_url):
    import asyncpg

    other = await asyncpg.connect(postgres_url)
    try:
        await other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        with pytest.raises(DatabaseError, match="belongs to another application .tables: invoices"):
            await Database.open(postgres_url)
        tables = await other.fetch("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        assert [r[0] for r in tables] == ["invoices"]  # nothing of ours was added
    finally:
        await other.close()


async def test_an_unreachable_postgresql_server_is_one_clear_sentence():
    url = "postgresql://podium:secret@127.0.0.1:1/podium"  # nothing listens on port 1
    with pytest.raises(DatabaseError, match="cannot connect to the PostgreSQL database") as raised:
        await Database.open(url)
    assert "secret" not in str(raised.value)


async def test_first_start_loads_every_shipped_games_once(store_target):
    async with await Database.open(store_target) as db:
        loaded = await ensure_games_loaded(db)
        assert sorted(loaded) == ["beijing-2022", "la-2028", "milano-cortina-2026", "paris-2024"]
        assert all(changes.count > 0 for changes in loaded.values())
        assert await ensure_games_loaded(db) == {}
        data = await games_store.load_games(db, "beijing-2022")
        assert await db.fetchone("SELECT COUNT(*) FROM sessions WHERE games_id = 'beijing-2022'") == (444,)
        assert await db.fetchone("SELECT COUNT(*) FROM session_slots WHERE games_id = 'la-2028'") == (847,)
    assert len(data.sessions) == 444 and len(data.events) == 109 and len(data.results) == 328
    if not isinstance(store_target, str):  # on the file itself, as another program reads it
        with sqlite3.connect(store_target) as conn:
            assert conn.execute("SELECT COUNT(*) FROM sessions WHERE games_id = 'beijing-2022'").fetchone()[0] == 444


async def test_an_upgraded_shipped_data_set_updates_only_its_own_games(store_target):
    from bot.data.importer import SHIPPED_KEY
    from bot.store.meta import get_meta, set_meta

    path = store_target
    async with await Database.open(path) as db:
        await ensure_games_loaded(db)
        digest = await get_meta(db, SHIPPED_KEY)
        async with db.transaction() as conn:  # as an older release of the bot left it
            await conn.execute("DELETE FROM results WHERE games_id = 'beijing-2022' AND event_id = 'FSK-X-TEAM'")
        await set_meta(db, SHIPPED_KEY, "an older release")
        milano = await games_store.load_games(db, "milano-cortina-2026")
    async with await Database.open(path) as db:
        changes = await ensure_games_loaded(db)
        assert list(changes) == ["beijing-2022"]
        assert len(changes["beijing-2022"].results.added) == 3 and changes["beijing-2022"].count == 3
        assert await get_meta(db, SHIPPED_KEY) == digest
        assert await ensure_games_loaded(db) == {}  # and only once
        assert await games_store.load_games(db, "milano-cortina-2026") == milano  # another Games: not a row changed


async def test_a_shipped_games_the_operator_imported_by_hand_is_left_alone(store_target):
    import json

    from bot.data.dataset import parse_dataset
    from bot.data.importer import import_games
    from tests.support.datasets import mini_dataset

    own = mini_dataset()
    own["games"]["id"] = "paris-2024"  # their own file for a Games Podium now ships
    async with await Database.open(store_target) as db:
        await import_games(db, parse_dataset(json.dumps(own)))
        loaded = await ensure_games_loaded(db)
        assert sorted(loaded) == ["beijing-2022", "la-2028", "milano-cortina-2026"]
        kept = await games_store.load_games(db, "paris-2024")
        assert len(kept.sessions) == len(parse_dataset(json.dumps(own)).sessions)


def test_placeholders_are_numbered_for_postgresql_outside_quotes_only():
    from bot.store.dialect import numbered, shown

    assert numbered("SELECT '?', \"a?\", x FROM t WHERE a = ? AND b LIKE 'it''s ?' AND c IN (?, ?)") == (
        "SELECT '?', \"a?\", x FROM t WHERE a = $1 AND b LIKE 'it''s ?' AND c IN ($2, $3)")
    assert shown("postgresql://podium:s3cret@db:5432/podium") == "postgresql://podium:***@db:5432/podium"
    assert shown("postgresql://podium@db/podium") == "postgresql://podium@db/podium"
