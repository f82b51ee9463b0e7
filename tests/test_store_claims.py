"""The delivery log's per-part claims are rows with a uniqueness constraint, on both backends: two
processes (two Database objects on one database) claiming the same part leave one row, and a
second row for a claimed part is refused by the database itself."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone

import pytest

from bot.store import deliveries
from bot.store.database import Database
from bot.store.deliveries import DeliveryLog

DAY = date(2022, 2, 14)
NOW = datetime(2022, 2, 14, 19, 0, tzinfo=timezone.utc)
CHANNEL = 1_187_654_321_098_765_432  # a 64-bit Discord id


async def test_two_processes_claiming_the_same_parts_leave_one_row_each(store_target):
    first, second = await Database.open(store_target), await Database.open(store_target)
    try:
        logs = DeliveryLog(first), DeliveryLog(second)
        await asyncio.gather(*(log.claim(CHANNEL, DAY, [(0, f"h0-{n}"), (1, f"h1-{n}")], NOW, NOW) for n, log in enumerate(logs)))
        await logs[1].confirm(CHANNEL, DAY, 1, 1_387_654_321_098_765_432)
        parts = await deliveries.parts_for(first, CHANNEL, DAY)
        assert [p.part for p in parts] == [0, 1]
        assert parts[1].message_id == 1_387_654_321_098_765_432
        assert await first.fetchone("SELECT COUNT(*) FROM delivery_parts") == (2,)
        for log in logs:
            await log.close()
    finally:
        await first.close()
        await second.close()


async def test_a_second_row_for_a_claimed_part_is_refused_by_the_constraint(store_target):
    async with await Database.open(store_target) as db:
        log = DeliveryLog(db)
        await log.claim(CHANNEL, DAY, [(0, "h0")], NOW, NOW)
        await log.close()
        with pytest.raises(db.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO delivery_parts (channel_id, local_date, kind, part, content_hash, claimed_at, rendered_at)"
                    " VALUES (?, ?, 'evening', 0, 'again', 'x', 'x')", (CHANNEL, DAY.isoformat()))
        assert await db.fetchone("SELECT content_hash FROM delivery_parts") == ("h0",)
