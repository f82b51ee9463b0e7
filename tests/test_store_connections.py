"""The storage contracts on both backends (a real SQLite file, a fresh PostgreSQL schema): reads see committed rows only, writes go one at a
time through one connection, and the Games cache follows every write of Games data by itself."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone

import pytest

from bot.core.changes import diff_games
from bot.core.models import Result
from bot.data.dataset import parse_dataset
from bot.data.importer import import_games
from bot.services import GamesCache
from bot.store import games as games_store
from bot.store.database import Database
from bot.store.meta import set_meta
from tests.support.datasets import changed, mini_dataset


def games(document: dict):
    return parse_dataset(json.dumps(document, ensure_ascii=False))


def venue(data, session_id: str) -> str:
    return next(s.venue for s in data.sessions if s.id == session_id)


async def meta_value(conn, key: str):
    async with conn.execute("SELECT value FROM meta WHERE key = ?", (key,)) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def test_a_reader_never_sees_another_tasks_rolled_back_rows(store_target):
    async with await Database.open(store_target) as db:
        written, read = asyncio.Event(), asyncio.Event()
        seen_inside = []

        async def write_then_roll_back() -> None:
            with pytest.raises(RuntimeError):
                async with db.transaction() as conn:
                    await conn.execute("INSERT INTO meta (key, value) VALUES ('half', 'written')")
                    seen_inside.append(await meta_value(conn, "half"))  # the row is there, for the writer
                    written.set()
                    await read.wait()
                    raise RuntimeError("something failed: roll back")

        async def read_meanwhile():
            await written.wait()
            try:
                return await db.fetchall("SELECT value FROM meta WHERE key = 'half'")
            finally:
                read.set()

        _, seen_by_reader = await asyncio.gather(write_then_roll_back(), read_meanwhile())
        assert seen_inside == ["written"]
        assert seen_by_reader == []
        assert await db.fetchall("SELECT value FROM meta WHERE key = 'half'") == []


async def test_a_commit_is_read_at_once(store_target):
    async with await Database.open(store_target) as db:
        await set_meta(db, "answer", "42")
        assert await db.fetchone("SELECT value FROM meta WHERE key = 'answer'") == ("42",)


async def test_reads_cannot_write(store_target):
    async with await Database.open(store_target) as db:
        with pytest.raises(Exception, match="read-?only"):  # SQLite: readonly; PostgreSQL: a read-only transaction
            await db.fetchall("INSERT INTO meta (key, value) VALUES ('sneaky', 'write')")
        assert await db.fetchall("SELECT * FROM meta WHERE key = 'sneaky'") == []


async def test_a_snapshot_sees_one_state_while_others_commit(store_target):
    async with await Database.open(store_target) as db:
        await set_meta(db, "count", "1")
        async with db.snapshot() as reader:
            assert await reader.fetchone("SELECT value FROM meta WHERE key = 'count'") == ("1",)
            await set_meta(db, "count", "2")
            assert await db.fetchone("SELECT value FROM meta WHERE key = 'count'") == ("2",)  # outside: the commit
            assert await reader.fetchone("SELECT value FROM meta WHERE key = 'count'") == ("1",)  # inside: unchanged
        assert await db.fetchone("SELECT value FROM meta WHERE key = 'count'") == ("2",)


async def test_writes_wait_for_each_other(store_target):
    async with await Database.open(store_target) as db:
        order = []

        async def write(name: str) -> None:
            async with db.transaction() as conn:
                order.append(f"{name} begins")
                await asyncio.sleep(0.01)  # another task gets the loop meanwhile
                await conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (name, name))
                order.append(f"{name} commits")

        await asyncio.gather(write("a"), write("b"))
        assert order == ["a begins", "a commits", "b begins", "b commits"]


async def test_the_games_cache_follows_an_import_in_this_process_at_once_without_being_told(store_target):
    async with await Database.open(store_target) as db:
        await import_games(db, games(mini_dataset()))
        cache = GamesCache(db, recheck=3600)  # only a write by this process makes it ask the store again
        first = await cache.current()
        assert venue(first, "s3") == "Arena"

        # Writes of anything but Games data (subscriptions, meta) keep the loaded Games.
        await set_meta(db, "unrelated", "x")
        assert await cache.current() is first

        # An import (or a feed update: the same import_games) is seen at once, with no call to invalidate.
        moved = changed(mini_dataset(), lambda d: d["sessions"][2].update(venue="Other Arena"))
        await import_games(db, games(moved))
        second = await cache.current()
        assert second is not first and venue(second, "s3") == "Other Arena"

        await import_games(db, games(moved))  # unchanged: nothing written, nothing reloaded
        assert await cache.current() is second


async def test_the_games_revision_moves_with_a_committed_import_only(store_target):
    async with await Database.open(store_target) as db:
        start = await games_store.games_revision(db)
        await import_games(db, games(mini_dataset()))
        imported = await games_store.games_revision(db)
        assert imported != start
        await import_games(db, games(mini_dataset()))  # nothing differs: nothing written
        assert await games_store.games_revision(db) == imported

        # A write that fails half-way (a result whose nation the store lacks) takes the revision back with it.
        moved = games(changed(mini_dataset(), lambda d: d["sessions"][0].update(venue="New Oval")))
        changes = diff_games(await games_store.load_games(db), moved)
        changes.results.added.append(Result("SSK-M-1500", "gold", "Ghost", "ZZZ"))
        with pytest.raises(db.IntegrityError):
            await games_store.apply_changes(db, changes, datetime(2030, 1, 1, tzinfo=timezone.utc))
        assert await games_store.games_revision(db) == imported
