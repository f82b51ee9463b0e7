"""The delivery log: which channel got which evening's alert."""
from __future__ import annotations

from datetime import date, datetime, timezone

from bot.store.database import Database


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


async def record(db: Database, channel_id: int, local_date: date, status: str, message_ids=(), detail: str | None = None,
                 now: datetime | None = None, kind: str = "evening") -> None:
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    async with db.transaction() as conn:
        await conn.execute(
            """INSERT INTO deliveries (channel_id, local_date, kind, status, message_ids, detail, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (channel_id, local_date, kind) DO UPDATE SET status = excluded.status,
                 message_ids = excluded.message_ids, detail = excluded.detail, updated_at = excluded.updated_at""",
            (channel_id, local_date.isoformat(), kind, status, ",".join(map(str, message_ids)), detail, stamp),
        )


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
