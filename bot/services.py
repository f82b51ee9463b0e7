"""What the running bot holds besides Discord: the database, the clock, the settings and the
loaded Games; and how a channel's language, zone and focus nation are chosen."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.core.models import GamesData, Subscription
from bot.settings import Settings
from bot.store import games as games_store
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database


class GamesCache:
    """The active Games in memory, reloaded when another connection (an import) changed the file.

    Whether another process changed the file is asked (PRAGMA data_version) at most once per
    `recheck` seconds, not on every answer: an import elsewhere shows within that time, as if it had
    finished that much later. Changes through this process's connection call invalidate()."""

    RECHECK = 0.25

    def __init__(self, db: Database, recheck: float = RECHECK):
        self.db = db
        self.recheck = recheck
        self._data: GamesData | None = None
        self._version: int | None = None
        self._checked_at = float("-inf")
        self._invalidations = 0

    async def current(self) -> GamesData | None:
        if self._data is not None and time.monotonic() - self._checked_at < self.recheck:
            return self._data
        checked_at, invalidations = time.monotonic(), self._invalidations
        version = (await self.db.fetchone("PRAGMA data_version"))[0]
        data = self._data
        if data is None or version != self._version:
            data = await games_store.load_games(self.db)
        if invalidations == self._invalidations:  # else it may predate the change: load again next time
            self._data, self._version, self._checked_at = data, version, checked_at
        return data

    def invalidate(self) -> None:
        self._data = None
        self._invalidations += 1


@dataclass(frozen=True)
class ChannelContext:
    """How to answer in a channel: its subscription's settings, else the server's, else the bot's."""

    language: str
    timezone: str
    focus: str | None
    subscription: Subscription | None


CONTEXTS_KEPT = 10_000  # channel contexts cached at most (then the cache starts afresh)


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    games: GamesCache
    # channel contexts read since the database last changed: (generation, {(guild, channel, locale): context})
    _contexts: tuple[int, dict] = field(default_factory=lambda: (-1, {}), init=False, repr=False)

    @classmethod
    def create(cls, settings: Settings, db: Database, clock: Clock) -> "Services":
        return cls(settings, db, clock, GamesCache(db))

    async def channel_context(self, guild_id: int | None, channel_id: int | None, guild_locale: str | None) -> ChannelContext:
        """Read once per channel until a write transaction ends (db.generation): a subscription
        saved, changed, paused or deleted, or anything else written, drops every cached context."""
        generation = self.db.generation
        if self._contexts[0] != generation or len(self._contexts[1]) >= CONTEXTS_KEPT:
            self._contexts = (generation, {})
        cached = self._contexts[1]
        key = (guild_id, channel_id, guild_locale)
        found = cached.get(key)
        if found is None:
            found = await self._read_channel_context(guild_id, channel_id, guild_locale)
            if self.db.generation == generation:  # nothing was written while it was read
                cached[key] = found
        return found

    async def _read_channel_context(self, guild_id: int | None, channel_id: int | None, guild_locale: str | None) -> ChannelContext:
        own = await subscriptions_store.get_subscription(self.db, channel_id) if channel_id else None
        if own is not None:
            return ChannelContext(own.language, own.timezone, own.nation_code, own)
        server = await subscriptions_store.guild_subscriptions(self.db, guild_id) if guild_id else []
        language = "nl" if (guild_locale or "").startswith("nl") else self.settings.language
        timezone = server[0].timezone if server else self.settings.timezone
        focus = next((s.nation_code for s in server if s.nation_code), None)
        return ChannelContext(language, timezone, focus, None)
