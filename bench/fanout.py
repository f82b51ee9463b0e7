"""Evening fan-out: the real bot (serve() via the test harness) sends one evening's alert to N
subscribed channels of a fake Discord running in its own process.

Every subscription is due at the same instant, 2022-02-19 19:00 UTC (20:00 in Amsterdam, 19:00 in
London, 16:00 in São Paulo, ...), in eight variants of zone, language and focus nation; the
programme of the 20th (the last day) fits one message, so N channels are N messages.

- unlimited: no limit at the fake and PODIUM_SEND_RATE=0. Time from the alert instant to the
  moment the delivery log holds all N channels (read from the database file); messages per
  second are N over that time; the bot's CPU seconds per 1,000 messages (time.process_time of
  this process, which runs only the bot: the fake is another process). `compare()` runs this
  and the two baselines of bench/baselines.py against the same fake, one after the other.
- limited: the fake enforces Discord's global 50 requests/s (429 with retry_after); the bot runs
  with its default pacing (PODIUM_SEND_RATE 49): first to last message against the floor N/50 s,
  and the 429s."""
from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path

from bench.baselines import SendRun, minimal_bot, raw_posts
from tests.fake_discord.remote import RemoteFake

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


ALERT_DAY = "2022-02-19"  # the local date of every alert (the delivery log's local_date)
WARM_UP = 40  # channels of the uncounted fan-out before the measured ones
# Looks at the delivery log: a count over every row of the day (about 1 ms at 10,000 rows) runs in
# the bot's process and thread, so it is taken off the bot's CPU but still holds its event loop
# up: every 50 ms until 90 % of the channels are in, then every 5 ms for an exact end.
POLL_SLOW, POLL_FAST, FAST_FROM = 0.05, 0.005, 0.9


@dataclass
class FanoutResult:
    channels: int
    limited: bool
    messages: int  # accepted by the fake
    seconds: float  # the alert instant to the delivery log holding every channel
    first_to_last: float  # first to last message received by the fake
    to_first: float  # the alert instant to the first message received by the fake
    bot_cpu: float  # CPU seconds of the bot over the fan-out
    status_429: int
    alerts_per_channel: dict  # {alerts: channels}
    send_rate: float
    send_concurrency: int
    fake_cpu: float  # CPU seconds of the fake's process over the same time
    json: str = "orjson"  # the JSON library discord.py used

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
        return self.first_to_last / self.floor if self.floor else 0.0

    @property
    def every_channel_once(self) -> bool:
        return self.alerts_per_channel == {1: self.channels}


@dataclass
class Round:
    """Podium's fan-out and the two baselines, one after the other against the same fake."""
    podium: FanoutResult
    raw: SendRun
    minimal: SendRun
    podium_stdlib_json: FanoutResult | None = None  # the same fan-out with discord.py on the json module


@dataclass
class Comparison:
    """Rounds of Round, interleaved so that a busier or quieter spell of the machine touches
    every contender alike; figures are medians over the rounds."""
    channels: int
    rounds: list[Round]

    def median(self, figure) -> float:
        return statistics.median(figure(r) for r in self.rounds)

    def ratio(self, baseline: str) -> float:
        """Podium's messages per second over a baseline's ("raw" or "minimal"), median of the rounds."""
        return self.median(lambda r: r.podium.per_second / getattr(r, baseline).per_second)

    @property
    def every_channel_once(self) -> bool:
        return all(r.podium.every_channel_once and (r.podium_stdlib_json is None or r.podium_stdlib_json.every_channel_once)
                   for r in self.rounds)


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


class DeliveryLog:
    """Counts the channels the delivery log has as sent for the alert's date, through a read-only
    connection of the benchmark's own, and the CPU the counting took (a few hundred microseconds a
    look at 10,000 rows), which run_fanout() takes off the bot's."""

    def __init__(self, database: Path):
        self.conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        self.cpu = 0.0

    def channels(self) -> int:
        started = time.thread_time()
        try:
            return self.conn.execute("SELECT count(*) FROM deliveries WHERE kind = 'evening' AND status = 'sent' AND local_date = ?",
                                     (ALERT_DAY,)).fetchone()[0]
        finally:
            self.cpu += time.thread_time() - started

    def close(self) -> None:
        self.conn.close()


async def planned_past(bot, instant: datetime, timeout: float = 10.0) -> None:
    """Wait (not counted) until the alert service has planned the next evening, so that stopping
    the bot does not cut its run short."""
    deadline = time.monotonic() + timeout
    while (getattr(bot.alerts, "next_instant", None) or instant) <= instant and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


@contextlib.contextmanager
def discord_json(library: str):
    """discord.py encodes and decodes JSON with orjson when it is installed (discord.utils picks it
    at import); "json" swaps in the standard library for one run, to measure what orjson changes."""
    import discord.utils as utils

    saved = utils._to_json, utils._from_json
    if library == "json":
        utils._to_json = lambda obj: json.dumps(obj, separators=(",", ":"), ensure_ascii=True)
        utils._from_json = json.loads
    elif not utils.HAS_ORJSON:
        raise RuntimeError("orjson is not installed (pip install -e .)")
    try:
        yield
    finally:
        utils._to_json, utils._from_json = saved


async def run_fanout(channels: int, *, limited: bool, fake: RemoteFake | None = None, folder: Path | None = None,
                     timeout: float | None = None, profiler=None, json_library: str = "orjson",
                     template: Path | None = None) -> FanoutResult:
    """One evening's fan-out to `channels` channels; see the module docstring. `template`: a copy
    of a database prepare_database() made for as many channels with this fake, instead of a new one."""
    from tests.fake_discord.harness import running_bot

    own_fake = fake is None
    if own_fake:
        fake = await RemoteFake().start()
    tmp = tempfile.TemporaryDirectory() if folder is None else None
    folder = Path(tmp.name) if tmp else folder
    try:
        await fake.reset()
        await fake.set_global_limit(DISCORD_GLOBAL_LIMIT if limited else None)
        if template is not None:
            folder.mkdir(parents=True, exist_ok=True)
            database = folder / template.name
            shutil.copyfile(template, database)
        else:
            database, _ = await prepare_database(folder, fake, channels)
        lead = lead_seconds(channels)
        overrides = {"PODIUM_DATABASE": str(database), "PODIUM_CLOCK": (ALERT_INSTANT - timedelta(seconds=lead)).isoformat(),
                     "PODIUM_CLOCK_SPEED": 1}
        if not limited:
            overrides["PODIUM_SEND_RATE"] = 0
        with discord_json(json_library):
            async with running_bot(folder, fake, ready_timeout=60, **overrides) as run:
                alert_at = time.monotonic() + run.bot.services.clock.seconds_until(ALERT_INSTANT)
                log = DeliveryLog(database)
                try:
                    if alert_at - time.monotonic() < 0.3 or (await fake.fanout())["accepted"] or log.channels():
                        raise RuntimeError(f"the bot took longer than {lead:.0f} s to start; raise lead_seconds()")
                    await asyncio.sleep(alert_at - time.monotonic() - 0.2)
                    fake_cpu_before = (await fake.fanout())["fake_cpu"]
                    cpu_before, log.cpu = time.process_time(), 0.0
                    if profiler is not None:
                        profiler.enable()
                    deadline = time.monotonic() + (timeout or (channels / 40 + 60))
                    while (logged := log.channels()) < channels:
                        if time.monotonic() > deadline:
                            raise RuntimeError(f"the delivery log has {logged} of {channels} channels; too slow")
                        await asyncio.sleep(POLL_FAST if logged >= channels * FAST_FROM else POLL_SLOW)
                    logged_at = time.monotonic()
                    bot_cpu = time.process_time() - cpu_before - log.cpu
                    if profiler is not None:
                        profiler.disable()
                finally:
                    log.close()
                await planned_past(run.bot, ALERT_INSTANT)
                stats = await fake.fanout()
                settings = run.settings
        return FanoutResult(
            channels=channels, limited=limited, messages=stats["accepted"], seconds=logged_at - alert_at,
            first_to_last=(stats["last_at"] - stats["first_at"]) if stats["accepted"] else 0.0,
            to_first=(stats["first_at"] - alert_at) if stats["accepted"] else 0.0,
            bot_cpu=bot_cpu, status_429=stats["status_429"],
            alerts_per_channel={int(k): v for k, v in stats["alerts_per_channel"].items()},
            send_rate=settings.send_rate, send_concurrency=settings.send_concurrency,
            fake_cpu=stats["fake_cpu"] - fake_cpu_before, json=json_library,
        )
    finally:
        if own_fake:
            await fake.stop()
        if tmp is not None:
            tmp.cleanup()


async def compare(channels: int, *, rounds: int = 1, with_stdlib_json: bool = True, folder: Path | None = None) -> Comparison:
    """A warm-up, then `rounds` rounds of: Podium's unlimited fan-out; raw aiohttp POSTs and a
    minimal discord.py bot with the same bodies at the same concurrency against the same fake;
    and (with_stdlib_json) Podium's fan-out again with discord.py on the json module."""
    async with RemoteFake() as fake:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(folder or tmp)
            # warm-up, not counted: the first fan-out of a process loads Babel's locale data and more
            await run_fanout(min(channels, WARM_UP), limited=False, fake=fake, folder=root / "warm-up")
            template, _ = await prepare_database(root / "template", fake, channels)
            done = []
            for n in range(rounds):
                podium = await run_fanout(channels, limited=False, fake=fake, folder=root / f"podium-{n}", template=template)
                posts = await fake.posted()
                await fake.reset()
                raw = await raw_posts(fake, posts, podium.send_concurrency)
                await fake.reset()
                minimal = await minimal_bot(fake, posts, podium.send_concurrency)
                plain = None
                if with_stdlib_json:
                    plain = await run_fanout(channels, limited=False, fake=fake, folder=root / f"json-{n}", template=template,
                                             json_library="json")
                done.append(Round(podium, raw, minimal, plain))
    return Comparison(channels, done)
