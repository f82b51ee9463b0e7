"""Several processes, one bot token: `python -m bot` processes, each running some of the bot's shards
(PODIUM_SHARD_COUNT / PODIUM_SHARD_IDS) on one shared database and one shared rate limit in Redis
(PODIUM_RATE_LIMIT_URL), against one fake Discord (its own process) that enforces the global
50 requests/s for the token across every connection.

Full size: 3 processes × 4 shards (12 shards), 10,000 channels in 500 guilds (guild ids spread
like real snowflakes, so each shard has about 42 guilds). The processes start together, each on a
simulated clock `lead` seconds before the alert instant, and are connected and idle when it comes
(checked); then the three fan out together and the shared limit alone sets the pace. Measured: first to last message accepted by the fake against the floor N / 50 s, the 429s,
and the alerts per channel. With `kill_one`, the second process is killed with SIGKILL once 40 %
of the channels are in the delivery log, and started again at once with the same shards (its
restart takes the shards' leases over: the killed holder's pid is gone from this host, and its
clock starts after the alert instant, so it catches up what is not yet in the delivery log); the
other two carry on meanwhile.

Also `measure_limiters()`: one reservation of a slot in Redis (a Lua script) against the same in
PostgreSQL (one UPDATE … RETURNING on one row), from 3 clients at once, to choose the engine."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path

from bench.fanout import ADMIN, ALERT_DAY, ALERT_INSTANT, CHANNEL_BASE, DISCORD_GLOBAL_LIMIT, VARIANTS
from tests.fake_discord.remote import ROOT, RemoteFake

GUILD_BASE = 810000000000000000
REDIS_URL = os.environ.get("PODIUM_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
POSTGRES_URL = os.environ.get("PODIUM_TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
LEASE = {"PODIUM_LEASE_TTL": "6", "PODIUM_LEASE_HEARTBEAT": "2"}


def scale_layout(channels: int, guilds: int) -> list[dict]:
    """`guilds` guilds sharing `channels` channels; guild g's id is GUILD_BASE + (g << 22), so that
    (id >> 22) % shards spreads them over the shards as Discord's snowflakes do."""
    per_guild = -(-channels // guilds)
    out = []
    for g in range(guilds):
        ids = [CHANNEL_BASE + n for n in range(g * per_guild, min(channels, (g + 1) * per_guild))]
        if ids:
            out.append({"id": GUILD_BASE + (g << 22), "name": f"Scale {g}", "locale": "en-US", "channels": ids})
    return out


def lead_seconds(shard_count: int) -> float:
    """How long before the alert instant the processes start: the shards of all processes identify
    in turn, 5 s apart (Discord's identify limit for the token, taken through Redis), then each
    guild arrives."""
    return 10.0 + 5.0 * shard_count


def shard_ranges(shard_count: int, processes: int) -> list[str]:
    """PODIUM_SHARD_IDS of each process: consecutive ranges ('0-3', '4-7', '8-11')."""
    per = -(-shard_count // processes)
    return [f"{p * per}-{min(shard_count, (p + 1) * per) - 1}" for p in range(processes) if p * per < shard_count]


async def prepare(database: Path | str, guilds: list[dict]) -> None:
    """The shipped Games and one subscription per channel (in one transaction: 10,000 in a second)."""
    from bot.data.importer import ensure_games_loaded
    from bot.store.database import Database

    async with await Database.open(database) as db:
        await ensure_games_loaded(db)
    rows, n = [], 0
    for guild in guilds:
        for channel in guild["channels"]:
            zone, at, language, focus = VARIANTS[n % len(VARIANTS)]
            rows.append((channel, guild["id"], at, zone, language, focus))
            n += 1
    from bot.core.models import Subscription
    from bot.store.subscriptions import save_subscription

    async with await Database.open(database) as db:
        for channel, guild_id, at, zone, language, focus in rows:
            hour, minute = map(int, at.split(":"))
            await save_subscription(db, Subscription(channel, guild_id, clock_time(hour, minute), zone, language, nation_code=focus),
                                    ADMIN, datetime(2022, 1, 1, tzinfo=timezone.utc))


class BotProcess:
    """One `python -m bot` process; its log lines (JSON) are read as they come."""

    def __init__(self, process, shard_ids: str):
        self.process = process
        self.shard_ids = shard_ids
        self.lines: list[dict] = []
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, *, database: Path | str, folder: Path, fake, shard_count: int | None, shard_ids: str | None, clock: datetime,
                    rate_limit_url: str | None, **extra: str) -> "BotProcess":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env.update({"DISCORD_TOKEN": fake.token, "PODIUM_DATABASE": str(database), "PODIUM_DISCORD_API": fake.api_url,
                    "PODIUM_DISCORD_GATEWAY": fake.gateway_url, "PODIUM_LOG_LEVEL": "INFO", "PODIUM_CLOCK": clock.isoformat(),
                    **LEASE, **extra})
        if shard_count:
            env.update({"PODIUM_SHARD_COUNT": str(shard_count), "PODIUM_SHARD_IDS": shard_ids})
        if rate_limit_url:
            env["PODIUM_RATE_LIMIT_URL"] = rate_limit_url
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=folder, env=env,
                                                       stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, limit=2**24)
        return cls(process, shard_ids or "")

    async def _read(self) -> None:
        while line := await self.process.stdout.readline():
            text = line.decode(errors="replace")
            try:
                self.lines.append(json.loads(text) if text.startswith("{") else {"message": text})
            except ValueError:
                self.lines.append({"message": text})

    def said(self, needle: str) -> list[str]:
        return [entry.get("message", "") for entry in self.lines if needle in entry.get("message", "")]

    def output(self) -> str:
        return "\n".join(f"{e.get('level', '')} {e.get('message', '')}" for e in self.lines)

    async def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while not self.said(needle):
            if self.reader.done() or time.monotonic() > deadline:
                raise AssertionError(f"pid {self.process.pid} did not say {needle!r}:\n{self.output()[-4000:]}")
            await asyncio.sleep(0.05)
        return self.said(needle)[0]

    async def kill(self) -> None:
        self.process.kill()  # SIGKILL: no clean-up, the leases are not released
        await self.process.wait()
        await self.reader

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()
        await self.reader
        return self.process.returncode


async def logged_channels(db) -> int:
    row = await db.fetchone("SELECT count(*) FROM deliveries WHERE kind = 'evening' AND status = 'sent' AND local_date = ?", (ALERT_DAY,))
    return row[0]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


@dataclass
class ScaleResult:
    channels: int
    guilds: int
    processes: int
    shard_count: int
    messages: int  # messages the fake holds
    posts: int  # message posts the fake accepted (the same as messages: the fake's nonce memory is off)
    first_to_last: float  # first to last message accepted by the fake, s
    start_to_logged: float  # the alert instant to the delivery log complete, s
    status_429: int
    global_429: int
    alerts_per_channel: dict  # {alerts: channels}
    channels_with_messages: int
    killed: str | None = None  # what was killed and when
    restart_to_lease: float | None = None  # restart of the killed process to its leases held, s
    load_before: str = ""
    load_after: str = ""
    warnings: list[str] = field(default_factory=list)
    limited: list = field(default_factory=list)  # [method, path, seconds after the first accepted post] of each 429 (the first 50)

    @property
    def floor(self) -> float:
        return self.channels / DISCORD_GLOBAL_LIMIT

    @property
    def ratio(self) -> float:
        return self.first_to_last / self.floor

    @property
    def every_channel_once(self) -> bool:
        return self.alerts_per_channel == {1: self.channels} and self.channels_with_messages == self.channels


async def run_scale(channels: int = 10_000, guilds: int = 500, *, processes: int = 3, shard_count: int = 12,
                    kill_one: bool = False, rate_limit_url: str | None = REDIS_URL, folder: Path | None = None,
                    database: Path | str | None = None, timeout: float | None = None,
                    send_rate: float | None = None) -> ScaleResult:
    """See the module docstring. `database`: what PODIUM_DATABASE says (an empty SQLite file or
    PostgreSQL schema; default a SQLite file in `folder`). The fake gets a token of its own, so
    the shared limit's key is this run's alone. `send_rate`: the processes' PODIUM_SEND_RATE
    (default: the bot's own, 49/s)."""
    from bot.store.database import Database

    token = f"scale-{uuid.uuid4().hex}"
    rate = {"PODIUM_SEND_RATE": str(send_rate)} if send_rate else {}
    tmp = tempfile.TemporaryDirectory() if folder is None else None
    root = Path(tmp.name) if tmp else Path(folder)
    bots: list[BotProcess] = []
    log_db = None  # the benchmark's own connection, to watch the delivery log fill
    try:
        # The fake's clock decides the 429s; Discord's servers do not share the bots' two cores, so the
        # fake runs ahead of them for the CPU where allowed (root): a starved fake would see requests
        # that arrived apart as arriving together.
        async with RemoteFake(token=token, nice=-10) as fake:
            layout = scale_layout(channels, guilds)
            database = database or root / "podium.sqlite3"
            await prepare(database, layout)
            log_db = await Database.open(database)
            await fake.setup(layout, global_limit=DISCORD_GLOBAL_LIMIT)
            await fake.set_nonce_window(0)  # no help from Discord's nonce memory: a part sent twice would show
            lead = lead_seconds(shard_count)
            load_before = load()
            started = time.monotonic()
            ranges = shard_ranges(shard_count, processes)
            for ids in ranges:
                bots.append(await BotProcess.start(database=database, folder=root, fake=fake, shard_count=shard_count, shard_ids=ids,
                                                   clock=ALERT_INSTANT - timedelta(seconds=lead), rate_limit_url=rate_limit_url,
                                                   **rate))
            for bot in bots:
                await bot.wait_for("connected as", timeout=lead)
            if (await fake.fanout())["accepted"]:
                raise RuntimeError(f"the processes took longer than {lead:.0f} s to start and connect; raise lead_seconds()")
            alert_at = started + lead
            deadline = started + (timeout or channels / 40 + 120)
            killed = restart_to_lease = None
            while (done := await logged_channels(log_db)) < channels:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the delivery log has {done} of {channels} channels after {time.monotonic() - started:.0f} s:\n"
                                       + "\n".join(b.output()[-2000:] for b in bots))
                if kill_one and killed is None and done >= channels * 0.4:
                    victim = bots[1]
                    await victim.kill()
                    killed = f"pid {victim.process.pid} (shards {victim.shard_ids}) at {done:,} of {channels:,} channels logged"
                    restarted_at = time.monotonic()
                    bots[1] = await BotProcess.start(database=database, folder=root, fake=fake, shard_count=shard_count, shard_ids=victim.shard_ids,
                                                     clock=ALERT_INSTANT + timedelta(seconds=1), rate_limit_url=rate_limit_url, **rate)
                    await bots[1].wait_for("acquired by host", timeout=60)
                    restart_to_lease = time.monotonic() - restarted_at
                await asyncio.sleep(0.2)
            logged_at = time.monotonic()
            await asyncio.sleep(1.0)  # anything still on its way would arrive now
            stats = await fake.fanout()
            load_after = load()
            for bot in bots:
                await bot.stop()
            warnings = sorted({e["message"][:160] for b in bots for e in b.lines if e.get("level") in ("WARNING", "ERROR")})
        return ScaleResult(
            channels=channels, guilds=len(layout), processes=processes, shard_count=shard_count, messages=stats["messages"], posts=stats["accepted"],
            first_to_last=(stats["last_at"] - stats["first_at"]) if stats["accepted"] else 0.0,
            start_to_logged=logged_at - alert_at, status_429=stats["status_429"], global_429=stats["global_429_count"],
            alerts_per_channel={int(k): v for k, v in stats["alerts_per_channel"].items()},
            channels_with_messages=stats["channels_with_messages"], killed=killed, restart_to_lease=restart_to_lease,
            load_before=load_before, load_after=load_after, warnings=warnings,
            limited=[[m, p, round(at - stats["first_at"], 3)] for m, p, at in stats.get("limited", [])] if stats["accepted"] else [],
        )
    finally:
        for bot in bots:
            if bot.process.returncode is None:
                bot.process.kill()
        if log_db is not None:
            await log_db.close()
        if tmp is not None:
            tmp.cleanup()


# --------------------------------------------------------------------------- the limiter's engine

async def _latencies(reserve, clients: int, per_client: int) -> list[float]:
    out: list[float] = []

    async def client(call) -> None:
        for _ in range(per_client):
            t = time.perf_counter()
            await call()
            out.append(time.perf_counter() - t)

    await asyncio.gather(*(client(reserve(n)) for n in range(clients)))
    return out


def _summary(name: str, latencies: list[float], seconds: float) -> dict:
    latencies.sort()
    return {"engine": name, "reservations": len(latencies), "per_second": len(latencies) / seconds,
            "p50_ms": statistics.median(latencies) * 1000, "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000}


async def measure_limiters(clients: int = 3, per_client: int = 2000) -> list[dict]:
    """Reservations back to back from `clients` connections (each a process in real use): how long
    one takes and how many a second the engine serves. Interval 1 µs, so nobody waits for a slot."""
    results = []
    import redis.asyncio as redis

    from bot.alerts.ratelimit import RESERVE

    conns = [redis.Redis.from_url(REDIS_URL) for _ in range(clients)]
    try:
        scripts = [c.register_script(RESERVE) for c in conns]
        key = f"podium:bench-limit:{uuid.uuid4().hex}"
        started = time.perf_counter()
        lat = await _latencies(lambda n: (lambda: scripts[n](keys=[key], args=[1])), clients, per_client)
        results.append(_summary("Redis 7 (EVALSHA, Lua GCRA)", lat, time.perf_counter() - started))
        await conns[0].delete(key)
    finally:
        for c in conns:
            await c.aclose()
    try:
        import asyncpg
    except ImportError:
        return results
    pools = [await asyncpg.connect(POSTGRES_URL) for _ in range(clients)]
    table = f"bench_limit_{uuid.uuid4().hex[:8]}"
    try:
        await pools[0].execute(f"CREATE UNLOGGED TABLE {table} (key text PRIMARY KEY, free_at timestamptz NOT NULL)")
        await pools[0].execute(f"INSERT INTO {table} VALUES ('k', clock_timestamp())")
        query = (f"UPDATE {table} SET free_at = GREATEST(free_at, clock_timestamp()) + interval '1 microsecond' "
                 f"WHERE key = 'k' RETURNING free_at - clock_timestamp()")
        for label, logged in (("PostgreSQL 15 (UPDATE … RETURNING, unlogged table)", False),
                              ("PostgreSQL 15 (UPDATE … RETURNING, logged table)", True)):
            if logged:
                await pools[0].execute(f"ALTER TABLE {table} SET LOGGED")
            started = time.perf_counter()
            lat = await _latencies(lambda n: (lambda: pools[n].fetchval(query)), clients, per_client)
            results.append(_summary(label, lat, time.perf_counter() - started))
    finally:
        await pools[0].execute(f"DROP TABLE IF EXISTS {table}")
        for p in pools:
            await p.close()
    return results


if __name__ == "__main__":  # python -m bench.scale: the limiter engines only
    for row in asyncio.run(measure_limiters()):
        print(row)
