"""What the running bot holds besides Discord: the database, the clock, the settings and the
loaded Games; and how a channel's language, zone and focus nation are chosen."""
from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.core.models import GamesData, Subscription
from bot.settings import Settings
from bot.store import games as games_store
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database


class GamesCache:
    """The active Games in memory, reloaded when another connection (an import) changed the file."""

    def __init__(self, db: Database):
        self.db = db
        self._data: GamesData | None = None
        self._version: int | None = None

    async def current(self) -> GamesData | None:
        version = (await self.db.fetchone("PRAGMA data_version"))[0]
        if self._data is None or version != self._version:
            self._data = await games_store.load_games(self.db)
            self._version = version
        return self._data

    def invalidate(self) -> None:
        self._data = None


@dataclass(frozen=True)
class ChannelContext:
    """How to answer in a channel: its subscription's settings, else the server's, else the bot's."""

    language: str
    timezone: str
    focus: str | None
    subscription: Subscription | None


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    games: GamesCache

    @classmethod
    def create(cls, settings: Settings, db: Database, clock: Clock) -> "Services":
        return cls(settings, db, clock, GamesCache(db))

    async def channel_context(self, guild_id: int | None, channel_id: int | None, guild_locale: str | None) -> ChannelContext:
        own = await subscriptions_store.get_subscription(self.db, channel_id) if channel_id else None
        if own is not None:
            return ChannelContext(own.language, own.timezone, own.nation_code, own)
        server = await subscriptions_store.guild_subscriptions(self.db, guild_id) if guild_id else []
        language = "nl" if (guild_locale or "").startswith("nl") else self.settings.language
        timezone = server[0].timezone if server else self.settings.timezone
        focus = next((s.nation_code for s in server if s.nation_code), None)
        return ChannelContext(language, timezone, focus, None)
