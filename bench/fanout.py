"""Evening fan-out: the real bot (serve() via the test harness) sends one evening's alert to N
subscribed channels of a fake Discord running in its own process.

Every subscription is due at the same instant, 2022-02-19 19:00 UTC (20:00 in Amsterdam, 19:00 in
London, 16:00 in São Paulo, ...), in eight variants of zone, language and focus nation; the
programme of the 20th (the last day) fits one message, so N channels are N messages.

- unlimited: no limit at the fake and PODIUM_SEND_RATE=0: messages per second (first to last
  message received by the fake) and the bot's CPU seconds per 1,000 messages (time.process_time
  of this process, which runs only the bot: the fake is another process).
- limited: the fake enforces Discord's global 50 requests/s (429 with retry_after); the bot runs
  with its default pacing (PODIUM_SEND_RATE 49): time against the floor N/50 s, and the 429s."""
from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path

from bench.remote_fake import RemoteFake

ALERT_INSTANT = datetime(2022, 2, 19, 19, 0, tzinfo=timezone.utc)
# (zone, local alert time, language, focus nation): all due at ALERT_INSTANT
VARIANTS = [
    ("Europe/Amsterdam", "20:00", "en", None),
    ("Europe/Amsterdam", "20:00", "nl", None),
    ("Europe/London", "19:00", "en", None),
    ("Europe/Brussels", "20:00", "nl", None),
    ("Europe/Helsinki", "21:00", "en", None),
    ("Europe/Lisbon", "19:00", "nl", None),
    ("America/Sao_Paulo", "16:00", "en", None),
    ("Europe/Amsterdam", "20:00", "nl", "NED"),
]
CHANNELS_PER_GUILD = 20
GUILD_BASE = 810000000000000000
CHANNEL_BASE = 920000000000000000
ADMIN = 730000000000000001
DISCORD_GLOBAL_LIMIT = 50


@dataclass
class FanoutResult:
    channels: int
    limited: bool
    messages: int  # accepted by the fake
    seconds: float  # first to last message received by the fake
    bot_cpu: float  # CPU seconds of the bot over the fan-out
    status_429: int
    alerts_per_channel: dict  # {alerts: channels}
    send_rate: float
    fake_cpu: float  # CPU seconds of the fake's process over the same time

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else float("inf")

    @property
    def cpu_per_1000(self) -> float:
        return self.bot_cpu / self.messages * 1000 if self.messages else 0.0

    @property
    def floor(self) -> float:
        return self.messages / DISCORD_GLOBAL_LIMIT

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor if self.floor else 0.0

    @property
    def every_channel_once(self) -> bool:
        return self.alerts_per_channel == {1: self.channels}


def layout(channels: int) -> list[dict]:
    """Guilds of CHANNELS_PER_GUILD channels (Discord allows 500 channels per server)."""
    guilds = []
    for g in range((channels + CHANNELS_PER_GUILD - 1) // CHANNELS_PER_GUILD):
        ids = [CHANNEL_BASE + n for n in range(g * CHANNELS_PER_GUILD, min(channels, (g + 1) * CHANNELS_PER_GUILD))]
        guilds.append({"id": GUILD_BASE + g, "name": f"Bench {g}", "locale": "nl" if g % 2 else "en-US", "channels": ids})
    return guilds


async def subscribe_all(database: Path, guilds: list[dict]) -> None:
    """Insert the subscriptions before the bot starts (as /subscribe would have on an earlier day)."""
    from bot.core.models import Subscription
    from bot.store.database import Database
    from bot.store.subscriptions import save_subscription

    database.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    async with await Database.open(database) as db:
        for guild in guilds:
            for channel in guild["channels"]:
                zone, at, language, focus = VARIANTS[n % len(VARIANTS)]
                hour, minute = map(int, at.split(":"))
                sub = Subscription(channel, guild["id"], clock_time(hour, minute), zone, language, nation_code=focus)
                await save_subscription(db, sub, ADMIN, datetime(2022, 1, 1, tzinfo=timezone.utc))
                n += 1


async def prepare_database(folder: Path, fake: RemoteFake, channels: int) -> tuple[Path, list[dict]]:
    """A database with the shipped Games loaded and `channels` subscriptions; the fake knows them."""
    from bot.data.importer import ensure_games_loaded
    from bot.store.database import Database

    database = folder / "podium.sqlite3"
    guilds = layout(channels)
    await subscribe_all(database, guilds)
    async with await Database.open(database) as db:
        await ensure_games_loaded(db)
    await fake.setup(guilds)
    return database, guilds


def lead_seconds(channels: int) -> float:
    """How far before the alert the simulated clock starts: the bot must be up and idle by then."""
    return 2.5 + channels / 1000 * 1.0


async def run_fanout(channels: int, *, limited: bool, fake: RemoteFake | None = None, folder: Path | None = None,
                     timeout: float | None = None, profiler=None) -> FanoutResult:
    """One evening's fan-out to `channels` channels; see the module docstring."""
    from tests.fake_discord.harness import running_bot

    own_fake = fake is None
    if own_fake:
        fake = await RemoteFake().start()
    tmp = tempfile.TemporaryDirectory() if folder is None else None
    folder = Path(tmp.name) if tmp else folder
    try:
        await fake.reset()
        await fake.set_global_limit(DISCORD_GLOBAL_LIMIT if limited else None)
        database, _ = await prepare_database(folder, fake, channels)
        lead = lead_seconds(channels)
        overrides = {"PODIUM_DATABASE": str(database), "PODIUM_CLOCK": (ALERT_INSTANT - timedelta(seconds=lead)).isoformat(),
                     "PODIUM_CLOCK_SPEED": 1}
        if not limited:
            overrides["PODIUM_SEND_RATE"] = 0
        async with running_bot(folder, fake, ready_timeout=60, **overrides) as run:
            alerts = run.bot.alerts
            clock = run.bot.services.clock
            wait = clock.seconds_until(ALERT_INSTANT) - 0.5
            if wait <= 0 or alerts.render_count:
                raise RuntimeError(f"the bot took longer than {lead:.0f} s to start; raise lead_seconds()")
            await asyncio.sleep(wait)
            fake_cpu_before = (await fake.fanout())["fake_cpu"]
            cpu_before = time.process_time()
            if profiler is not None:
                profiler.enable()
            deadline = time.monotonic() + (timeout or (channels / 40 + 60))
            # done: the fan-out ran (render_count), and its task (send, then plan the next evening) ended
            while not (alerts.render_count and alerts.idle.is_set() and not alerts._tasks):
                if time.monotonic() > deadline:
                    raise RuntimeError("the fan-out did not finish in time")
                await asyncio.sleep(0.02)
            bot_cpu = time.process_time() - cpu_before
            if profiler is not None:
                profiler.disable()
            send_rate = run.settings.send_rate
        stats = await fake.fanout()
        return FanoutResult(
            channels=channels, limited=limited, messages=stats["accepted"],
            seconds=(stats["last_at"] - stats["first_at"]) if stats["accepted"] else 0.0,
            bot_cpu=bot_cpu, status_429=stats["status_429"],
            alerts_per_channel={int(k): v for k, v in stats["alerts_per_channel"].items()},
            send_rate=send_rate, fake_cpu=stats["fake_cpu"] - fake_cpu_before,
        )
    finally:
        if own_fake:
            await fake.stop()
        if tmp is not None:
            tmp.cleanup()
