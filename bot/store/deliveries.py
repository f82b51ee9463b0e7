"""The delivery log: which channel got which evening's alert, and each part of it (claimed before
it is sent, confirmed with its message id after); and DeliveryLog, which batches those writes."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone

from bot.store.database import Database

log = logging.getLogger("podium.store")


def _stamp(moment: datetime | None) -> str:
    return (moment or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="microseconds")


# The delivery log's three writes. A batch runs them grouped, one executemany each, in this
# order: for any one part a claim comes before its confirmation, and both before the alert's
# record, so grouping keeps every order that matters (the rest touch other rows).
CLAIM = """INSERT INTO delivery_parts (channel_id, local_date, kind, part, content_hash, claimed_at, rendered_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (channel_id, local_date, kind, part) DO UPDATE SET content_hash = excluded.content_hash"""
CONFIRM = "UPDATE delivery_parts SET message_id = ? WHERE channel_id = ? AND local_date = ? AND kind = ? AND part = ?"
RECORD = """INSERT INTO deliveries (channel_id, local_date, kind, status, message_ids, detail, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (channel_id, local_date, kind) DO UPDATE SET status = excluded.status,
             message_ids = excluded.message_ids, detail = excluded.detail, updated_at = excluded.updated_at"""
ORDER = (CLAIM, CONFIRM, RECORD)


async def delivered(db: Database, channel_id: int, local_date: date, kind: str = "evening") -> bool:
    row = await db.fetchone(
        "SELECT 1 FROM deliveries WHERE channel_id = ? AND local_date = ? AND kind = ? AND status = 'sent'",
        (channel_id, local_date.isoformat(), kind),
    )
    return row is not None


async def delivered_channels(db: Database, local_dates: set[date], kind: str = "evening") -> set[tuple[int, date]]:
    """(channel, date) pairs already sent, for the given dates: one query for a whole fan-out."""
    if not local_dates:
        return set()
    marks = ",".join("?" * len(local_dates))
    rows = await db.fetchall(
        f"SELECT channel_id, local_date FROM deliveries WHERE kind = ? AND status = 'sent' AND local_date IN ({marks})",
        (kind, *sorted(d.isoformat() for d in local_dates)),
    )
    return {(r[0], date.fromisoformat(r[1])) for r in rows}


@dataclass(frozen=True)
class PartRecord:
    part: int
    content_hash: str
    claimed_at: datetime  # real time
    rendered_at: datetime  # the bot's clock
    message_id: int | None  # None: claimed, fate unknown


async def unfinished_parts(db: Database, local_dates: set[date], kind: str = "evening") -> dict[tuple[int, date], dict[int, PartRecord]]:
    """The recorded parts of the alerts of these dates that are not logged as sent, by (channel, date)."""
    if not local_dates:
        return {}
    marks = ",".join("?" * len(local_dates))
    rows = await db.fetchall(
        "SELECT p.channel_id, p.local_date, p.part, p.content_hash, p.claimed_at, p.rendered_at, p.message_id"
        f" FROM delivery_parts p WHERE p.kind = ? AND p.local_date IN ({marks}) AND NOT EXISTS ("
        "  SELECT 1 FROM deliveries d WHERE d.channel_id = p.channel_id AND d.local_date = p.local_date"
        "  AND d.kind = p.kind AND d.status = 'sent')",
        (kind, *sorted(d.isoformat() for d in local_dates)),
    )
    found: dict[tuple[int, date], dict[int, PartRecord]] = {}
    for channel_id, day, part, content_hash, claimed_at, rendered_at, message_id in rows:
        record = PartRecord(part, content_hash, datetime.fromisoformat(claimed_at), datetime.fromisoformat(rendered_at), message_id)
        found.setdefault((channel_id, date.fromisoformat(day)), {})[part] = record
    return found


async def parts_for(db: Database, channel_id: int, local_date: date, kind: str = "evening") -> list[PartRecord]:
    rows = await db.fetchall(
        "SELECT part, content_hash, claimed_at, rendered_at, message_id FROM delivery_parts"
        " WHERE channel_id = ? AND local_date = ? AND kind = ? ORDER BY part",
        (channel_id, local_date.isoformat(), kind),
    )
    return [PartRecord(r[0], r[1], datetime.fromisoformat(r[2]), datetime.fromisoformat(r[3]), r[4]) for r in rows]


async def record(db: Database, channel_id: int, local_date: date, status: str, message_ids=(), detail: str | None = None,
                 now: datetime | None = None, kind: str = "evening") -> None:
    async with db.transaction() as conn:
        await conn.execute(RECORD, _record_row(channel_id, local_date, kind, status, message_ids, detail, now))


async def deliveries_for(db: Database, channel_id: int) -> list[tuple]:
    return await db.fetchall(
        "SELECT local_date, kind, status, message_ids, detail FROM deliveries WHERE channel_id = ? ORDER BY local_date",
        (channel_id,),
    )


async def recent_evening_posts(db: Database, since: date) -> list[tuple[int, date, list[int], datetime]]:
    """(channel, evening, message ids, when sent) of the evening posts from `since` on."""
    rows = await db.fetchall(
        "SELECT channel_id, local_date, message_ids, updated_at FROM deliveries"
        " WHERE kind = 'evening' AND status = 'sent' AND local_date >= ?",
        (since.isoformat(),),
    )
    return [(r[0], date.fromisoformat(r[1]), [int(i) for i in r[2].split(",") if i], datetime.fromisoformat(r[3])) for r in rows]


async def set_message_ids(db: Database, channel_id: int, local_date: date, message_ids, kind: str = "evening") -> None:
    """The messages an alert consists of now (after an edit added or removed a part)."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE deliveries SET message_ids = ? WHERE channel_id = ? AND local_date = ? AND kind = ?",
                           (",".join(map(str, message_ids)), channel_id, local_date.isoformat(), kind))


def _record_row(channel_id, local_date: date, kind, status, message_ids, detail, now) -> tuple:
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    return (channel_id, local_date.isoformat(), kind, status, ",".join(map(str, message_ids)), detail, stamp)


class DeliveryLog:
    """The delivery log's writes, batched: each write waits in a queue; one task writes everything
    that arrived while the previous transaction was being written, in one transaction (one
    executemany per kind of write), and only after its COMMIT answers the callers waiting on those
    writes (nothing is acknowledged before it is durable). A transaction the database refuses
    (disk full, locked, I/O error) is retried with backoff until it succeeds or the log is closed."""

    def __init__(self, db: Database, *, retry_delays: tuple[float, ...] = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)):
        self.db = db
        self.retry_delays = retry_delays
        self.transactions = 0  # committed, since start
        self.writes = 0
        self._queue: list[tuple[str, list[tuple], asyncio.Future]] = []
        self._batch: list[tuple[str, list[tuple], asyncio.Future]] = []  # being written
        self._writer: asyncio.Task | None = None

    # -- the writes ------------------------------------------------------------------------------
    def claim(self, channel_id: int, local_date: date, parts: list[tuple[int, str]], claimed_at: datetime,
              rendered_at: datetime, kind: str = "evening") -> asyncio.Future:
        """Claim parts [(part, content hash)] before sending them; a part claimed before keeps its
        first claim time (a message sent then is still found) and takes the new hash."""
        day, claimed, rendered = local_date.isoformat(), _stamp(claimed_at), _stamp(rendered_at)
        return self._submit(CLAIM, [(channel_id, day, kind, part, content_hash, claimed, rendered) for part, content_hash in parts])

    def confirm(self, channel_id: int, local_date: date, part: int, message_id: int, kind: str = "evening") -> asyncio.Future:
        return self._submit(CONFIRM, [(message_id, channel_id, local_date.isoformat(), kind, part)])

    def record(self, channel_id: int, local_date: date, status: str, message_ids=(), detail: str | None = None,
               now: datetime | None = None, kind: str = "evening") -> asyncio.Future:
        return self._submit(RECORD, [_record_row(channel_id, local_date, kind, status, message_ids, detail, now)])

    # -- the writer ------------------------------------------------------------------------------
    def _submit(self, statement: str, rows: list[tuple]) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((statement, rows, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_all(), name="delivery-log")
        return future

    async def _write_all(self) -> None:
        while self._queue:
            self._batch, self._queue = self._queue, []
            await self._commit(self._batch)
            for *_, future in self._batch:
                if not future.done():
                    future.set_result(None)
            self._batch = []

    async def _commit(self, batch: list[tuple[str, list[tuple], asyncio.Future]]) -> None:
        grouped: dict[str, list[tuple]] = {statement: [] for statement in ORDER}
        for statement, rows, _ in batch:
            grouped[statement].extend(rows)
        attempt = 0
        while True:
            try:
                async with self.db.transaction() as conn:
                    for statement, rows in grouped.items():
                        if rows:
                            await conn.executemany(statement, rows)
                self.transactions += 1
                self.writes += len(batch)
                if attempt:
                    log.warning("the delivery log is written again after %d refused attempt(s)", attempt)
                return
            except Exception as error:  # the database refused: keep the batch and try again
                delay = self.retry_delays[min(attempt, len(self.retry_delays) - 1)]
                attempt += 1
                log.error("the database refused %d delivery log write(s) (%s); retrying in %.1f s", len(batch), error, delay)
                await asyncio.sleep(delay)

    async def close(self, timeout: float = 2.0) -> None:
        """Let the queued writes finish (for up to `timeout` seconds), then stop the writer."""
        writer = self._writer
        if writer is None or writer.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(writer), timeout)
        except asyncio.TimeoutError:
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)
            for *_, future in self._batch + self._queue:
                future.cancel()
            self._batch, self._queue = [], []
