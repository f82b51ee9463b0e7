"""The Discord client: the command tree, its cogs and command sync. It opens nothing itself: the
composition root (bot/app.py) hands it the services and, once built, the parts it talks to."""
from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_io.errors import on_command_error
from bot.discord_io.translator import PodiumTranslator
from bot.discord_io.user_agent import user_agent_trace
from bot.services import Services
from bot.store.meta import get_meta, set_meta

log = logging.getLogger("podium.bot")
COGS = ("bot.discord_io.cogs.games", "bot.discord_io.cogs.subscriptions", "bot.discord_io.cogs.calendar", "bot.discord_io.cogs.about")


def start_refused(error: BaseException) -> str | None:
    """What to tell the operator when Discord refused to let the bot start (None: not a refusal)."""
    if isinstance(error, discord.LoginFailure):
        return "Discord refused the token (401 Unauthorized); check DISCORD_TOKEN (the bot token from the Developer Portal)."
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return "Discord refused the gateway intents; Podium needs no privileged intents, so check the application settings."
    return None


def intents() -> discord.Intents:
    """Only what the bot needs: guilds (channels, roles, its own member). Nothing privileged."""
    return discord.Intents(guilds=True)


class PodiumBot(commands.Bot):
    def __init__(self, services: Services, *, extensions: tuple[str, ...] | None = None, **options):
        super().__init__(command_prefix=commands.when_mentioned, intents=intents(), help_command=None,
                         allowed_mentions=discord.AllowedMentions.none(), http_trace=user_agent_trace(), **options)
        self.services = services
        self.extensions_to_load = COGS if extensions is None else extensions
        self.failed_extensions: list[str] = []
        # Handed in by the composition root (bot/app.py) before the gateway connects:
        self.alerts = None  # the evening alert service
        self.live = None  # live posts, when a feed is followed
        self.feed = None  # the feed follower, when PODIUM_FEED_URL is set
        self.tree.on_error = self.on_app_command_error

    def attach(self, *, alerts=None, live=None, feed=None) -> None:
        """The parts built after the client (they post through it): the alerts, for rescheduling
        when a subscription changes; live posts and the feed, for what they report."""
        self.alerts, self.live, self.feed = alerts, live, feed

    async def setup_hook(self) -> None:
        await self.tree.set_translator(PodiumTranslator())
        await self.load_cogs()
        if self.failed_extensions:
            log.warning("not syncing commands while %s failed to load: Discord keeps the last synced set",
                        ", ".join(self.failed_extensions))
        else:
            await self.sync_commands_if_changed()

    async def load_cogs(self) -> None:
        """Load every cog; one that fails is logged and skipped, the others still serve."""
        for name in self.extensions_to_load:
            try:
                await self.load_extension(name)
            except commands.ExtensionError as error:
                self.failed_extensions.append(name)
                log.error("cog %s failed to load; carrying on without it", name, exc_info=error)

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


class PodiumShardedBot(PodiumBot, commands.AutoShardedBot):
    """PodiumBot on some of the bot's shards: discord.py's AutoShardedClient connects one gateway
    session per shard id, and Discord sends each of them only its own guilds and their interactions."""

    identify_queue = None  # handed in by the composition root: identifies taken in turn with the other processes

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if self.identify_queue is None:
            return await super().before_identify_hook(shard_id, initial=initial)
        await self.identify_queue.wait_turn()


def make_bot(services: Services) -> PodiumBot:
    """The client for this process: sharded when PODIUM_SHARD_COUNT is set."""
    shards = services.settings.shards
    if shards is None:
        return PodiumBot(services)
    return PodiumShardedBot(services, shard_ids=list(shards.ids), shard_count=shards.count)
