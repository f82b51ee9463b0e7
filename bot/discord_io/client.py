"""The Discord client: owns the lifetimes of the database, the command tree and the alerts."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import signal
import sys

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock
from bot.data.importer import ensure_games_loaded
from bot.discord_io.endpoints import use_endpoints
from bot.discord_io.errors import on_command_error
from bot.discord_io.translator import PodiumTranslator
from bot.discord_io.user_agent import user_agent_trace
from bot.logs import setup_logging
from bot.services import Services
from bot.store.database import Database
from bot.store.meta import get_meta, set_meta

log = logging.getLogger("podium.bot")
COGS = ("bot.discord_io.cogs.games", "bot.discord_io.cogs.subscriptions", "bot.discord_io.cogs.calendar")


def intents() -> discord.Intents:
    """Only what the bot needs: guilds (channels, roles, its own member). Nothing privileged."""
    return discord.Intents(guilds=True)


class PodiumBot(commands.Bot):
    def __init__(self, services: Services, **options):
        super().__init__(command_prefix=commands.when_mentioned, intents=intents(), help_command=None,
                         allowed_mentions=discord.AllowedMentions.none(), http_trace=user_agent_trace(), **options)
        self.services = services
        self.alerts = None  # the evening alert service, started in setup_hook
        self.live = None  # live posts and the feed follower, when PODIUM_FEED_URL is set
        self.feed = None
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        await self.tree.set_translator(PodiumTranslator())
        for name in COGS:
            await self.load_extension(name)
        await self.sync_commands_if_changed()
        from bot.alerts.service import AlertService
        from bot.discord_io.poster import DiscordPoster

        self.alerts = AlertService(self.services, DiscordPoster(self))
        await self.alerts.start()
        self.start_feed()

    def start_feed(self) -> None:
        """Follow PODIUM_FEED_URL, if set: results and schedule changes as they happen."""
        settings = self.services.settings
        if not settings.feed_url:
            return
        from bot.alerts.live import LiveAlerts
        from bot.feed.follower import FeedFollower

        self.live = LiveAlerts(self.services, self.alerts.sender)
        self.feed = FeedFollower(self.services, settings.feed_url, adapter=settings.feed_adapter, timeout=settings.feed_timeout,
                                 on_changes=self.live.on_changes)
        self.feed.start(self.alerts.scheduler, settings.feed_interval)

    async def close(self) -> None:
        if self.alerts is not None:
            await self.alerts.stop()
        await super().close()

    async def subscriptions_changed(self, channel_id: int) -> None:
        if self.alerts is not None:
            await self.alerts.reschedule(channel_id)

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await on_command_error(interaction, error)

    async def command_payload(self) -> list[dict]:
        translator = self.tree.translator
        payload = [await command.get_translated_payload(self.tree, translator) for command in self.tree.get_commands()]
        return sorted(payload, key=lambda c: c["name"])

    async def sync_commands_if_changed(self) -> bool:
        """Sync the command set only when it differs from the last sync (Discord limits creates per day)."""
        guild_id = self.services.settings.sync_guild
        scope = f"guild:{guild_id}" if guild_id else "global"
        digest = hashlib.sha256(json.dumps(await self.command_payload(), sort_keys=True).encode()).hexdigest()
        key = f"command_sync:{self.application_id}:{scope}"
        if await get_meta(self.services.db, key) == digest:
            log.info("commands unchanged since the last sync (%s); not syncing", scope)
            return False
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        await set_meta(self.services.db, key, digest)
        log.info("synced %d commands (%s)", len(synced), scope)
        return True

    async def on_ready(self) -> None:
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))


async def serve(settings, clock: Clock | None = None, ready: asyncio.Event | None = None, on_bot=None) -> None:
    """Run the bot until it is closed: the code path of `python -m bot` (tests call it too).

    `on_bot(bot)`, when given, is called with the PodiumBot before it logs in (tests use it to
    close the bot cleanly)."""
    use_endpoints(settings.discord_api, settings.discord_gateway)
    clock = clock or Clock.from_settings(settings)
    async with await Database.open(settings.database) as db:
        await ensure_games_loaded(db)
        services = Services.create(settings, db, clock)
        async with PodiumBot(services) as bot:
            if on_bot is not None:
                on_bot(bot)
            if ready is not None:
                async def set_ready() -> None:
                    ready.set()

                bot.add_listener(set_ready, "on_ready")
            await bot.start(settings.discord_token)


async def serve_until_stopped(settings) -> None:
    """serve() until it ends or SIGTERM/SIGINT arrives (a process manager stopping the worker);
    then close the connection and the database cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    serving = asyncio.create_task(serve(settings))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not serving.done():
        log.info("stopping: closing the Discord connection and the database")
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
        return
    serving.result()


def run_client(settings) -> int:
    setup_logging(settings.log_level, secrets=[settings.discord_token])
    try:
        asyncio.run(serve_until_stopped(settings))
    except discord.LoginFailure:
        log.error("Discord refused the token (401 Unauthorized): check DISCORD_TOKEN")
        print("error: Discord refused the token (401 Unauthorized); check DISCORD_TOKEN (the bot token from the Developer Portal).", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print("error: Discord refused the gateway intents; Podium needs no privileged intents, so check the application settings.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
