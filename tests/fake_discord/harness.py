"""Run the real bot (bot.app.serve, the composition root) against a FakeDiscord inside a test or the bench.

    async with running_bot(tmp_path, fake, dataset=mini_dataset(), PODIUM_CLOCK="2030-02-10T12:00:00+01:00") as run:
        handle = await fake.interact(GUILD, CHANNEL, USER, "medals", {"country": "NED"})
        ...
"""
from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.discord_io.endpoints import DISCORD_API, use_endpoints
from bot.settings import Settings, load_settings
from tests.fake_discord.server import FakeDiscord
from tests.support.template import start_from_template

# keyword names accepted besides the environment variable names themselves
ALIASES = {
    "token": "DISCORD_TOKEN", "discord_token": "DISCORD_TOKEN", "database": "PODIUM_DATABASE",
    "clock": "PODIUM_CLOCK", "clock_start": "PODIUM_CLOCK", "clock_speed": "PODIUM_CLOCK_SPEED",
    "sync_guild": "PODIUM_SYNC_GUILD", "language": "PODIUM_LANGUAGE", "timezone": "PODIUM_TIMEZONE",
    "alert_time": "PODIUM_ALERT_TIME", "log_level": "PODIUM_LOG_LEVEL", "config": "PODIUM_CONFIG",
    "discord_api": "PODIUM_DISCORD_API", "discord_gateway": "PODIUM_DISCORD_GATEWAY",
}


def bot_environ(tmp_path: Path, fake: FakeDiscord, **overrides: Any) -> dict[str, str]:
    environ = {
        "DISCORD_TOKEN": fake.token,
        "PODIUM_DATABASE": str(Path(tmp_path) / "podium.sqlite3"),
        "PODIUM_DISCORD_API": fake.api_url,
        "PODIUM_DISCORD_GATEWAY": fake.gateway_url,
        "PODIUM_LOG_LEVEL": "WARNING",
    }
    for key, value in overrides.items():
        name = ALIASES.get(key, key if key.isupper() else "PODIUM_" + key.upper())
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = str(value)
    return environ


def bot_settings(tmp_path: Path, fake: FakeDiscord, **overrides: Any) -> Settings:
    return load_settings(bot_environ(tmp_path, fake, **overrides))


async def load_dataset(database: Path, dataset: dict | str | Path) -> None:
    """Import a data set (dict, JSON text or file) into the database before the bot starts."""
    from bot.data.dataset import load_dataset_file, parse_dataset
    from bot.data.importer import import_games
    from bot.store.database import Database

    if isinstance(dataset, Path):
        data = load_dataset_file(dataset)
    else:
        data = parse_dataset(dataset if isinstance(dataset, str) else json.dumps(dataset, ensure_ascii=False))
    await start_from_template(Path(database))
    async with await Database.open(Path(database)) as db:
        await import_games(db, data)


@dataclass
class RunningBot:
    settings: Settings
    task: asyncio.Task
    fake: FakeDiscord
    clock: Clock
    bot: Any = None  # the PodiumBot

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop serve() as SIGTERM stops `python -m bot`: cancel it, and every part closes in
        reverse order (feed, alerts, Discord client, database)."""
        if not self.task.done():
            self.task.cancel()
            done, _ = await asyncio.wait({self.task}, timeout=timeout)
            if not done:
                raise AssertionError(f"the bot did not stop within {timeout}s")


async def _start_up_done(bot) -> None:
    """What the bot does as it starts: the alerts' catch-up and planning, the feed's first sync."""
    if bot.alerts is not None:
        await bot.alerts.wait_until_settled()
    while bot.feed is not None and not any(bot.feed.polls.values()):
        await asyncio.sleep(0.01)


async def _begin_simulated_time(bot, clock: Clock) -> None:
    """Start a held clock once the bot is ready, then let the alerts plan against the running clock."""
    if clock.running:
        return
    await _start_up_done(bot)
    clock.start()
    if bot.alerts is not None:
        await bot.alerts.reschedule()


@contextlib.asynccontextmanager
async def running_bot(tmp_path: Path, fake: FakeDiscord, *, dataset: dict | str | Path | None = None, clock: Clock | None = None,
                      ready_timeout: float = 30.0, guild_ready_timeout: float = 0.05, reidentify_delay: float | None = 0.0,
                      **settings_overrides: Any):
    """Start serve(settings, clock, ready) as a task against `fake` (which must be started), wait
    until the bot is ready, yield a RunningBot, then close the bot and wait for serve() to return.

    Ready means connected (on_ready) with its start-up done: the catch-up and planning of the
    alerts and the feed's first sync. A simulated clock (PODIUM_CLOCK, or a `clock` made with
    running=False) is held at its start instant until then, so simulated time begins when the
    bot is ready, however slow the boot.

    settings_overrides are environment variable names (PODIUM_SYNC_GUILD="1") or the aliases
    above (sync_guild=1); a value of None removes the variable. `dataset`, if given, is imported
    into the database first (so the bot does not need the shipped data set).
    guild_ready_timeout shortens discord.py's wait after the last GUILD_CREATE (2 s by default);
    reidentify_delay replaces the 5 s discord.py's before_identify_hook sleeps before a non-initial
    IDENTIFY (after INVALID_SESSION); None keeps discord.py's own hook."""
    from bot.app import serve

    settings = bot_settings(tmp_path, fake, **settings_overrides)
    await start_from_template(settings.database)
    if dataset is not None:
        await load_dataset(settings.database, dataset)
    if clock is None:
        clock = Clock.from_settings(settings, running=False)
    connected = asyncio.Event()
    holder: dict[str, Any] = {}

    def on_bot(bot) -> None:
        holder["bot"] = bot
        if guild_ready_timeout is not None:
            bot._connection.guild_ready_timeout = guild_ready_timeout
        if reidentify_delay is not None:
            async def before_identify_hook(shard_id, *, initial: bool = False) -> None:
                if not initial:
                    await asyncio.sleep(reidentify_delay)

            bot.before_identify_hook = before_identify_hook

    async def become_ready() -> None:
        await connected.wait()
        await _begin_simulated_time(holder["bot"], clock)

    task = asyncio.create_task(serve(settings, clock, connected, on_bot=on_bot), name="podium-serve")
    run = RunningBot(settings=settings, task=task, fake=fake, clock=clock)
    try:
        waiter = asyncio.create_task(become_ready())
        try:
            done, _ = await asyncio.wait({task, waiter}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        run.bot = holder.get("bot")
        if task in done:
            task.result()  # raises what serve raised (e.g. discord.LoginFailure)
            raise AssertionError("serve() returned before the bot was ready")
        if waiter not in done:
            raise AssertionError(f"the bot was not ready within {ready_timeout}s")
        waiter.result()
        yield run
    finally:
        run.bot = holder.get("bot")
        try:
            await run.stop()
        finally:
            use_endpoints(DISCORD_API, None)
    if task.done() and not task.cancelled() and task.exception() is not None:
        raise task.exception()
