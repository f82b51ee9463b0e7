"""The delivery log's batched writes (bot/store/deliveries.py DeliveryLog) on both backends (a real
SQLite file, a fresh PostgreSQL schema):
writes that arrive together share one transaction; none is acknowledged before it is committed;
a write the database refuses is retried until it is accepted; the new table keeps an existing
database's subscriptions and delivery log."""
from __future__ import annotations

import asyncio
import sqlite3
from datetime import date, datetime, timezone

from bot.store import deliveries
from bot.store.database import Database, migrations
from bot.store.deliveries import DeliveryLog

DAY = date(2022, 2, 14)
NOW = datetime(2022, 2, 14, 19, 0, tzinfo=timezone.utc)


async def rows(target, sql: str) -> list[tuple]:
    async with await Database.open(target) as other:  # another connection: sees only what was committed
        return [tuple(row) for row in await other.fetchall(sql)]


async def test_writes_that_arrive_together_share_a_transaction_and_are_durable_when_answered(store_target):
    path = store_target
    async with await Database.open(path) as db:
        log = DeliveryLog(db)
        claims = [log.claim(channel, DAY, [(0, "h0"), (1, "h1")], NOW, NOW) for channel in range(200)]
        await asyncio.gather(*claims)
        assert await rows(path, "SELECT count(*) FROM delivery_parts") == [(400,)]
        assert log.transactions <= 3 and log.writes == 200  # not 200 transactions
        confirmed = log.confirm(7, DAY, 1, 99)
        recorded = log.record(7, DAY, "sent", [98, 99], now=NOW)
        assert not recorded.done()
        await recorded
        assert confirmed.done()  # written in order, in the same or an earlier transaction
        assert await rows(path, "SELECT message_id FROM delivery_parts WHERE channel_id = 7 ORDER BY part") == [(None,), (99,)]
        assert await rows(path, "SELECT status, message_ids FROM deliveries") == [("sent", "98,99")]
        unfinished = await deliveries.unfinished_parts(db, {DAY})
        assert len(unfinished) == 199 and (7, DAY) not in unfinished  # the sent one is done
        await log.close()


async def test_a_batch_runs_each_kind_of_write_once_and_every_claim_before_its_confirmation(store_target):
    """A batch is one executemany per kind of write (claims, confirmations, records), in that
    order: confirmations queued between claims in one batch still find their claimed rows."""
    path = store_target
    async with await Database.open(path) as db:
        log = DeliveryLog(db)
        first = log.claim(1, DAY, [(0, "a0")], NOW, NOW)
        queued = []
        for channel in range(2, 52):  # interleaved, as 50 channels' sends would queue them
            queued.append(log.claim(channel, DAY, [(0, f"h{channel}")], NOW, NOW))
            queued.append(log.confirm(channel, DAY, 0, 1000 + channel))
            queued.append(log.record(channel, DAY, "sent", [1000 + channel], now=NOW))
        await asyncio.gather(first, *queued)
        assert log.transactions == 1 and log.writes == 151  # all queued before the writer ran
        assert await rows(path, "SELECT count(*), min(message_id), max(message_id) FROM delivery_parts WHERE channel_id > 1") == [(50, 1002, 1051)]
        assert await rows(path, "SELECT count(*) FROM deliveries WHERE status = 'sent'") == [(50,)]
        assert (1, DAY) in await deliveries.unfinished_parts(db, {DAY})  # claimed, never confirmed
        await log.close()


async def test_a_refused_write_is_retried_and_only_then_answered(tmp_path):
    path = tmp_path / "podium.sqlite3"
    async with await Database.open(path) as db:
        async with db.transaction() as conn:  # SQLite's way to refuse a write as a full disk would
            await conn.execute("CREATE TRIGGER full_disk BEFORE INSERT ON delivery_parts BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        log = DeliveryLog(db, retry_delays=(0.05,))
        claim = log.claim(1, DAY, [(0, "h0")], NOW, NOW)
        await asyncio.sleep(0.3)
        assert not claim.done() and await rows(path, "SELECT count(*) FROM delivery_parts") == [(0,)]
        async with db.transaction() as conn:
            await conn.execute("DROP TRIGGER full_disk")
        await asyncio.wait_for(claim, 2)
        assert await rows(path, "SELECT channel_id, part, content_hash FROM delivery_parts") == [(1, 0, "h0")]
        await log.close()


async def test_a_second_claim_keeps_the_first_claim_time(store_target):
    async with await Database.open(store_target) as db:
        log = DeliveryLog(db)
        await log.claim(1, DAY, [(0, "old")], NOW, NOW)
        await log.claim(1, DAY, [(0, "new")], datetime(2022, 2, 14, 19, 5, tzinfo=timezone.utc), NOW)
        (record,) = (await deliveries.unfinished_parts(db, {DAY}))[(1, DAY)].values()
        assert (record.content_hash, record.claimed_at, record.message_id) == ("new", NOW, None)
        await log.close()


async def test_the_new_table_keeps_an_existing_database(tmp_path):
    """A database made before per-part records (schema 5) with a subscription and a delivery."""
    path = tmp_path / "podium.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        for version, name, sql in migrations():
            if version <= 5:
                old.executescript(sql)
                old.execute("INSERT INTO schema_migrations VALUES (?, ?, '2022-01-01')", (version, name))
        old.execute("INSERT INTO deliveries (channel_id, local_date, kind, status, message_ids, updated_at)"
                    " VALUES (5, '2022-02-14', 'evening', 'sent', '1,2', '2022-02-14T19:00:00+00:00')")
        old.execute("INSERT INTO subscriptions (channel_id, guild_id, alert_time, timezone, language, created_by, created_at, updated_at)"
                    " VALUES (5, 1, '20:00', 'Europe/Amsterdam', 'en', 1, '2022-01-01', '2022-01-01')")
    async with await Database.open(path) as db:
        assert await deliveries.delivered(db, 5, DAY)
        assert await deliveries.parts_for(db, 5, DAY) == []
        assert await db.fetchall("SELECT channel_id FROM subscriptions") == [(5,)]


async def test_a_database_already_past_migration_6_still_gets_it(tmp_path):
    """Migration numbers were handed out to changes made side by side: a database that has 0010
    and up but not 0006 gets 0006 too, and keeps its rows."""
    path = tmp_path / "podium.sqlite3"
    async with await Database.open(path) as db:
        await deliveries.record(db, 5, DAY, "sent", [1, 2], now=NOW)
        async with db.transaction() as conn:
            await conn.execute("DROP TABLE delivery_parts")
            await conn.execute("DELETE FROM schema_migrations WHERE version = 6")
    async with await Database.open(path) as db:
        assert await deliveries.parts_for(db, 5, DAY) == [] and await deliveries.delivered(db, 5, DAY)
