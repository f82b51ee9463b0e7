"""What each channel was last told by live posts: its focus nation's medals per event, and the
start of a moved session. Compared with what is true now, this decides what to post."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timezone

from bot.core.models import Result
from bot.store.database import Database

MEDAL, SESSION = "medal:", "session:"


@dataclass(frozen=True)
class Told:
    """What one channel was told about its nation's medals, per event: the stored text (cheap to
    compare with what is true now) and the number of posts made about it."""

    texts: dict[str, str]
    posts: dict[str, int]

    def agrees(self, now: dict[str, str], events) -> bool:
        """Was the channel told exactly `now` (event -> medals_text) for these events and every event it was told of?"""
        return all(self.texts.get(event) == now.get(event, NO_MEDALS) for event in self.texts.keys() | set(events))

    @property
    def medals(self) -> dict[str, tuple[Result, ...]]:
        return {event: _medals(event, text) for event, text in self.texts.items()}


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).isoformat(timespec="seconds")


def medals_text(results: tuple[Result, ...]) -> str:
    """An event's medals as stored (and compared): results_by_event's order, so equal medals give equal text."""
    return json.dumps([[r.medal, r.competitor, r.nation] for r in results], ensure_ascii=False)


NO_MEDALS = medals_text(())


@lru_cache(maxsize=4096)  # thousands of channels were told the same few states
def _medals(event_id: str, text: str) -> tuple[Result, ...]:
    return tuple(Result(event_id, *item) for item in json.loads(text))


async def followed(db: Database) -> dict[int, str]:
    """Channel -> the nation whose medals it has been told about."""
    return {r[0]: r[1] for r in await db.fetchall("SELECT channel_id, nation_code FROM live_channels")}


async def told_medals(db: Database) -> dict[int, Told]:
    """Every followed channel's told medals, in one query."""
    told: dict[int, Told] = {}
    rows = await db.fetchall("SELECT channel_id, subject, told, posts FROM live_told WHERE subject LIKE 'medal:%'")
    for channel_id, subject, text, posts in rows:
        event = subject.removeprefix(MEDAL)
        entry = told.get(channel_id)
        if entry is None:
            entry = told[channel_id] = Told({}, {})
        entry.texts[event] = text
        entry.posts[event] = posts
    return told


async def follow(db: Database, baselines: dict[int, tuple[str, dict[str, tuple[Result, ...]]]], now: datetime) -> None:
    """Start following channels: channel -> (nation, the medals it counts as told), without a post."""
    if not baselines:
        return
    async with db.transaction() as conn:
        await conn.executemany("DELETE FROM live_told WHERE channel_id = ? AND subject LIKE 'medal:%'", [(c,) for c in baselines])
        await conn.executemany(
            "INSERT INTO live_channels (channel_id, nation_code, since) VALUES (?, ?, ?)"
            " ON CONFLICT (channel_id) DO UPDATE SET nation_code = excluded.nation_code, since = excluded.since",
            [(channel, nation, _stamp(now)) for channel, (nation, _) in baselines.items()])
        await conn.executemany(
            "INSERT INTO live_told (channel_id, subject, told, posts, updated_at) VALUES (?, ?, ?, 0, ?)",
            [(channel, MEDAL + event, medals_text(results), _stamp(now))
             for channel, (_, medals) in baselines.items() for event, results in medals.items()])


async def unfollow(db: Database, channel_ids) -> None:
    """Forget what channels were told (no focus nation, spoilers off, paused or gone)."""
    channel_ids = [(c,) for c in channel_ids]
    if not channel_ids:
        return
    async with db.transaction() as conn:
        await conn.executemany("DELETE FROM live_told WHERE channel_id = ? AND subject LIKE 'medal:%'", channel_ids)
        await conn.executemany("DELETE FROM live_channels WHERE channel_id = ?", channel_ids)


async def tell_medals(db: Database, channel_id: int, event_id: str, results: tuple[Result, ...], now: datetime, posted: bool) -> None:
    """The channel now knows the event's medals as `results` (by a post, or silently when only
    other nations' medals moved)."""
    await _tell(db, channel_id, MEDAL + event_id, medals_text(results), now, posted)


async def told_sessions(db: Database, channel_id: int) -> dict[str, tuple[str, int]]:
    """Session id -> (the start the channel was last told, or "cancelled"; notices posted)."""
    rows = await db.fetchall("SELECT subject, told, posts FROM live_told WHERE channel_id = ? AND subject LIKE 'session:%'", (channel_id,))
    return {r[0].removeprefix(SESSION): (json.loads(r[1]), r[2]) for r in rows}


async def tell_session(db: Database, channel_id: int, session_id: str, state: str, now: datetime, posted: bool) -> None:
    await _tell(db, channel_id, SESSION + session_id, json.dumps(state), now, posted)


async def _tell(db: Database, channel_id: int, subject: str, told: str, now: datetime, posted: bool) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO live_told (channel_id, subject, told, posts, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (channel_id, subject) DO UPDATE SET told = excluded.told, posts = live_told.posts + excluded.posts,"
            " updated_at = excluded.updated_at",
            (channel_id, subject, told, int(posted), _stamp(now)))
