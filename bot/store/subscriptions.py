"""Subscriptions: which channels get the evening alert, and how."""
from __future__ import annotations

from datetime import datetime, time, timezone

from bot.core.models import Subscription
from bot.store.database import Database

COLUMNS = "channel_id, guild_id, alert_time, timezone, language, sport_id, nation_code, status, paused_reason, spoilers, full_programme"


def _row_to_subscription(row) -> Subscription:
    hour, minute = map(int, row[2].split(":"))
    return Subscription(row[0], row[1], time(hour, minute), *row[3:9], spoilers=bool(row[9]), full_programme=bool(row[10]))


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).isoformat(timespec="seconds")


async def save_subscription(db: Database, sub: Subscription, by_user: int | None, now: datetime) -> bool:
    """Insert or update the channel's subscription (a re-subscribe also un-pauses it).
    Returns True when it is new."""
    async with db.transaction() as conn:
        async with conn.execute("SELECT 1 FROM subscriptions WHERE channel_id = ?", (sub.channel_id,)) as cursor:
            existed = await cursor.fetchone() is not None
        await conn.execute(
            """INSERT INTO subscriptions (channel_id, guild_id, alert_time, timezone, language, sport_id, nation_code,
                                          status, paused_reason, spoilers, full_programme, created_by, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'active', NULL, ?, ?, ?, ?, ?)
               ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, alert_time = excluded.alert_time,
                 timezone = excluded.timezone, language = excluded.language, sport_id = excluded.sport_id,
                 nation_code = excluded.nation_code, status = 'active', paused_reason = NULL,
                 spoilers = excluded.spoilers, full_programme = excluded.full_programme, updated_at = excluded.updated_at""",
            (sub.channel_id, sub.guild_id, sub.alert_time.strftime("%H:%M"), sub.timezone, sub.language,
             sub.sport_id, sub.nation_code, int(sub.spoilers), int(sub.full_programme), by_user, _stamp(now), _stamp(now)),
        )
    return not existed


async def delete_subscription(db: Database, channel_id: int) -> bool:
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM subscriptions WHERE channel_id = ?", (channel_id,))
        return cursor.rowcount > 0


async def get_subscription(db: Database, channel_id: int) -> Subscription | None:
    row = await db.fetchone(f"SELECT {COLUMNS} FROM subscriptions WHERE channel_id = ?", (channel_id,))
    return _row_to_subscription(row) if row else None


async def guild_subscriptions(db: Database, guild_id: int) -> list[Subscription]:
    rows = await db.fetchall(f"SELECT {COLUMNS} FROM subscriptions WHERE guild_id = ? ORDER BY created_at, channel_id", (guild_id,))
    return [_row_to_subscription(r) for r in rows]


async def all_subscriptions(db: Database) -> list[Subscription]:
    rows = await db.fetchall(f"SELECT {COLUMNS} FROM subscriptions ORDER BY channel_id")
    return [_row_to_subscription(r) for r in rows]


async def set_status(db: Database, channel_id: int, status: str, reason: str | None, now: datetime) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE subscriptions SET status = ?, paused_reason = ?, updated_at = ? WHERE channel_id = ?",
            (status, reason, _stamp(now), channel_id),
        )

