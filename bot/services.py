"""What the running bot holds besides Discord: the database, the clock, the settings and the
loaded Games; and how a channel's language, zone and focus nation are chosen."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.clock import Clock
from bot.core.i18n import server_language
from bot.core.games_choice import SCHEDULE, GamesInfo, choose_games
from bot.core.models import GamesData, Sport, Subscription
from bot.settings import Settings
from bot.store import games as games_store
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database


_UNREAD = object()  # no revision read yet


class GamesCache:
    """Every stored Games in memory, by id, each loaded when first asked for (with its memo of
    medal tables etc.: GamesData.memo), and the index that chooses which one answers.

    Every write of Games data (an import here or in another process, a feed update) moves a
    revision stored with it in the same transaction (and writes no other row); this is the one
    place that follows it, so no caller invalidates anything: the cache asks the store again once
    a write transaction of this process has ended (db.generation), and otherwise at most every
    `recheck` seconds (an import by another process shows within that time, as if it had finished
    that much later). When it moved, the index is read again and each Games is loaded again when
    next asked for (the revision does not say which one changed)."""

    RECHECK = 0.25

    def __init__(self, db: Database, clock: Clock | None = None, recheck: float = RECHECK):
        self.db = db
        self.clock = clock
        self.recheck = recheck
        self._index: list[GamesInfo] = []
        self._sports: dict[str, Sport] = {}  # of every Games
        self._loaded: dict[str, tuple[object, GamesData]] = {}  # id -> (the revision it was loaded at, data)
        self._revision: object = _UNREAD
        self._generation = -1
        self._checked_at = float("-inf")
        self._checking: tuple[int, asyncio.Future] | None = None  # (generation, the check in flight)
        self._loading: dict[str, asyncio.Future] = {}  # id -> its load in flight

    async def _refresh(self) -> None:
        generation = self.db.generation
        if generation == self._generation and time.monotonic() - self._checked_at < self.recheck:
            return
        # One check at a time: callers arriving meanwhile (50 commands at once) wait for it instead
        # of each asking the store, unless this process wrote since it started.
        if self._checking is None or self._checking[0] != generation:
            check = asyncio.ensure_future(self._check(generation))
            self._checking = (generation, check)
            check.add_done_callback(self._check_ended)
        await asyncio.shield(self._checking[1])

    def _check_ended(self, check: asyncio.Future) -> None:
        if self._checking is not None and self._checking[1] is check:
            self._checking = None

    async def _check(self, generation: int) -> None:
        checked_at = time.monotonic()
        revision = await games_store.games_revision(self.db)
        if revision != self._revision:
            self._index = await games_store.games_index(self.db)  # at least as new as `revision`
            self._sports = await games_store.known_sports(self.db)
            self._loaded = {gid: entry for gid, entry in self._loaded.items() if entry[0] == revision}
        self._revision, self._generation, self._checked_at = revision, generation, checked_at

    async def summaries(self) -> list:
        """Every stored Games' name, counts, notes and sources (games_store.GamesSummary), read
        without loading any Games: what /about credits."""
        return await games_store.games_summaries(self.db)

    async def index(self) -> list[GamesInfo]:
        """Every stored Games: id, name, span, medallists (what choosing one needs)."""
        await self._refresh()
        return self._index

    async def all_sports(self) -> dict[str, Sport]:
        """The sports of every stored Games (a subscription's sport filter outlives a Games)."""
        await self._refresh()
        return self._sports

    async def get(self, games_id: str) -> GamesData | None:
        """One Games by id (None: not stored), loaded once and kept until its revision moves."""
        await self._refresh()
        entry = self._loaded.get(games_id)
        if entry is not None and entry[0] == self._revision:  # (a load in flight may end after the revision moved)
            return entry[1]
        if games_id not in self._loading:  # one load of a Games at a time, however many ask
            load = asyncio.ensure_future(self._load(games_id, self._revision))
            self._loading[games_id] = load
            load.add_done_callback(lambda _: self._loading.pop(games_id, None))
        return await asyncio.shield(self._loading[games_id])

    async def _load(self, games_id: str, revision: object) -> GamesData | None:
        data = await games_store.load_games(self.db, games_id)  # at least as new as `revision`
        if data is not None:
            self._loaded[games_id] = (revision, data)
        return data

    async def choose(self, now: datetime, purpose: str = SCHEDULE) -> GamesData | None:
        """The Games that answers at `now` (core/games_choice.py); None when none is loaded."""
        chosen = choose_games(await self.index(), now, purpose)
        return await self.get(chosen.id) if chosen else None

    async def current(self, purpose: str = SCHEDULE) -> GamesData | None:
        """The Games that answers now, by the bot's clock."""
        now = self.clock.now() if self.clock else datetime.now(timezone.utc)
        return await self.choose(now, purpose)


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
        return cls(settings, db, clock, GamesCache(db, clock))

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
