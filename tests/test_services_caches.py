"""What the running bot keeps in memory between answers, on a real SQLite file: a channel's context
(read once until anything is written) and the loaded Games (reloaded when another connection, an
import in another process, changed the file)."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, time as clock_time, timezone

import pytest

from bot.clock import Clock
from bot.core.models import Subscription
from bot.data.dataset import parse_dataset
from bot.data.importer import import_games
from bot.services import GamesCache, Services
from bot.settings import load_settings
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database
from tests.support.datasets import changed, mini_dataset

GUILD, CHANNEL, OTHER = 1001, 2001, 2002
NOW = datetime(2030, 2, 9, 12, 0, tzinfo=timezone.utc)


def games(document: dict):
    import json

    return parse_dataset(json.dumps(document))


@pytest.fixture
async def db(tmp_path):
    async with await Database.open(tmp_path / "podium.sqlite3") as database:
        await import_games(database, games(mini_dataset()))
        yield database


def services_on(db: Database) -> Services:
    return Services.create(load_settings({}), db, Clock(NOW))


async def subscribe(db: Database, channel: int, language: str, nation: str | None = None) -> None:
    sub = Subscription(channel, GUILD, clock_time(20, 0), "Europe/Amsterdam", language, nation_code=nation)
    await subscriptions_store.save_subscription(db, sub, None, NOW)


async def test_a_channel_context_is_read_once_until_something_is_written(db):
    services = services_on(db)
    await subscribe(db, OTHER, "nl", "NED")
    first = await services.channel_context(GUILD, CHANNEL, "en-US")
    assert (first.language, first.timezone, first.focus) == ("en", "Europe/Amsterdam", "NED")  # the server's
    assert await services.channel_context(GUILD, CHANNEL, "en-US") is first  # remembered, not read again

    await subscribe(db, CHANNEL, "nl", "GER")  # the channel gets its own subscription
    own = await services.channel_context(GUILD, CHANNEL, "en-US")
    assert (own.language, own.focus, own.subscription.channel_id) == ("nl", "GER", CHANNEL)

    await subscriptions_store.delete_subscription(db, CHANNEL)
    assert (await services.channel_context(GUILD, CHANNEL, "en-US")).focus == "NED"

    await subscriptions_store.set_status(db, OTHER, "paused", "Missing Permissions", NOW)
    assert (await services.channel_context(GUILD, OTHER, "en-US")).subscription.status == "paused"


async def test_a_rolled_back_write_drops_what_was_read_during_it(db):
    services = services_on(db)
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO subscriptions (channel_id, guild_id, alert_time, timezone, language, created_at, updated_at)"
                " VALUES (?, ?, '20:00', 'Europe/London', 'nl', ?, ?)", (CHANNEL, GUILD, NOW.isoformat(), NOW.isoformat()))
            # read during the write: reads see committed rows only, not the row that is about to go
            assert (await services.channel_context(GUILD, CHANNEL, None)).subscription is None
            raise RuntimeError("abandoned")
    assert (await services.channel_context(GUILD, CHANNEL, None)).subscription is None


async def wait_for(condition, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while not (found := await condition()):
        assert time.monotonic() < deadline, "the condition did not hold in time"
        await asyncio.sleep(0.01)
    return found


async def test_the_loaded_games_follow_an_import_by_another_connection(db, tmp_path):
    cache = GamesCache(db, recheck=0.05)
    before = await cache.current()
    assert before.nations["NED"].name["en"] == "Netherlands"
    assert await cache.current() is before

    renamed = changed(mini_dataset(), lambda d: d["nations"][0]["name"].update(en="Holland"))
    async with await Database.open(tmp_path / "podium.sqlite3") as elsewhere:  # as `python -m bot import` would
        await import_games(elsewhere, games(renamed))

    after = await wait_for(lambda: _renamed(cache))
    assert after is not before and after.memo == {}


async def _renamed(cache: GamesCache):
    data = await cache.current()
    return data if data.nations["NED"].name["en"] == "Holland" else None


async def test_within_the_recheck_time_the_loaded_games_are_trusted_until_this_process_writes(db, tmp_path):
    cache = GamesCache(db, recheck=3600)
    before = await cache.current()
    renamed = changed(mini_dataset(), lambda d: d["nations"][0]["name"].update(en="Holland"))
    async with await Database.open(tmp_path / "podium.sqlite3") as elsewhere:
        await import_games(elsewhere, games(renamed))
    assert await cache.current() is before  # not asked again yet
    await subscribe(db, CHANNEL, "en")  # a write here: the cache asks the store again
    assert (await cache.current()).nations["NED"].name["en"] == "Holland"
