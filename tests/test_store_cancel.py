"""A task cancelled while its transaction begins (a lost lease cancels everything the bot started)
leaves the write connection usable: the next transaction begins and commits."""
from __future__ import annotations

import asyncio

from bot.store import meta
from bot.store.database import Database


async def test_a_transaction_cancelled_while_it_begins_leaves_no_transaction_open(store_target):
    async with await Database.open(store_target) as db:
        for _ in range(20):  # cancelled at BEGIN, and at other points of the first steps
            task = asyncio.create_task(meta.set_meta(db, "k", "cancelled"))
            await asyncio.sleep(0)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await meta.set_meta(db, "k", "written")
            assert await meta.get_meta(db, "k") == "written"
            assert not db.connection.in_transaction
