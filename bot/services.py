"""What the running bot holds besides Discord: the database, the clock, the settings and the
loaded Games; and how a channel's language, zone and focus nation are chosen."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.core.i18n import server_language
from bot.core.models import GamesData, Subscription
from bot.settings import Settings
from bot.store import games as games_store
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database


class GamesCache:
    """The active Games in memory. Every write of Games data (an import here or in another process,
    a feed update) moves a revision stored with it in the same transaction, so no caller has to
    invalidate anything: the cache asks the store for the revision again once a write transaction
    of this process has ended (db.generation), and otherwise at most every `recheck` seconds (an
    import by another process shows within that time, as if it had finished that much later)."""

    RECHECK = 0.25

    def __init__(self, db: Database, recheck: float = RECHECK):
        self.db = db
        self.recheck = recheck
        self._data: GamesData | None = None
        self._revision: int | None = None
        self._generation = -1
        self._checked_at = float("-inf")
        self._checking: tuple[int, asyncio.Future] | None = None  # (generation, the check in flight)

    async def current(self) -> GamesData | None:
        generation = self.db.generation
        if self._data is not None and generation == self._generation and time.monotonic() - self._checked_at < self.recheck:
            return self._data
        # One check at a time: callers arriving meanwhile (50 commands at once) wait for it instead
        # of each asking the store, unless this process wrote since it started.
        if self._checking is None or self._checking[0] != generation:
            check = asyncio.ensure_future(self._check(generation))
            self._checking = (generation, check)
            check.add_done_callback(self._check_ended)
        return await asyncio.shield(self._checking[1])

    def _check_ended(self, check: asyncio.Future) -> None:
        if self._checking is not None and self._checking[1] is check:
            self._checking = None

    async def _check(self, generation: int) -> GamesData | None:
        checked_at = time.monotonic()
        revision = await games_store.games_revision(self.db)
        data = self._data
        if data is None or revision != self._revision:
            data = await games_store.load_games(self.db)  # at least as new as `revision`
        self._data, self._revision, self._generation, self._checked_at = data, revision, generation, checked_at
        return data


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
        language = server_language(guild_locale, self.settings.language)
        timezone = server[0].timezone if server else self.settings.timezone
        focus = next((s.nation_code for s in server if s.nation_code), None)
        return ChannelContext(language, timezone, focus, None)
