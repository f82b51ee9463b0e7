"""Command latency: the real bot (serve() via the test harness) answers /medals country:NED (and, in
a mixed run, /medals and /programme), injected by the fake Discord (its own process) over the
gateway; then, against the same fake in the same run, a minimal discord.py bot whose /medals
answers a constant string. The latency of one interaction is the fake's InteractionHandle.latency:
from sending INTERACTION_CREATE to receiving the bot's callback (the answer itself, or a defer).
CPU per interaction is time.process_time() of this process (the bot's; the fake is another
process) over a batch, divided by its size."""
from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import discord
from discord import app_commands

from tests.fake_discord.remote import RemoteFake

GUILD = 830000000000000000
CHANNEL = 830000000000000001
USER = 830000000000000002
CLOCK = "2022-02-15T12:00:00+01:00"  # mid-Games: a real medal table and a full programme
MEDALS_NED = [["medals", {"country": "NED"}]]
MIXED = [["medals", {"country": "NED"}], ["medals", None], ["programme", None]]
CONSTANT = "The medal table is on its way."


@dataclass
class LatencyResult:
    who: str  # "Podium" or "minimal bot"
    commands: str  # what was asked
    label: str  # the load
    count: int
    failed: int
    latencies: list[float]
    elapsed: float
    failures: list[str]
    cpu: float  # CPU seconds of this process over the batch

    def percentile(self, p: float) -> float:
        """The p-th percentile (nearest rank) in seconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def throughput(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_per_interaction(self) -> float:
        return self.cpu / self.count if self.count else 0.0


async def _batches(fake: RemoteFake, who: str, runs: list[tuple[str, list, dict]], total: int, warmup: int,
                   profiler=None) -> list[LatencyResult]:
    """Each run: (commands label, commands, load); a warm-up of `warmup` first (first answers load
    locale data and fill caches), not counted."""
    results = []
    base = {"guild": GUILD, "channel": CHANNEL, "user": USER}
    await fake.interactions(total=warmup, in_flight=1, commands=MIXED if who == "Podium" else MEDALS_NED, **base)
    await fake.quiet()
    await fake.forget_interactions()
    for commands_label, commands, load in runs:
        label = f"{load['in_flight']} in flight" if "in_flight" in load else f"paced, {load['rate']:g}/s"
        if profiler is not None:
            profiler.enable()
        cpu = time.process_time()
        out = await fake.interactions(total=total, commands=commands, **load, **base)
        await fake.quiet()  # a long answer's follow-ups count too, and must not be cut off by the next step
        cpu = time.process_time() - cpu
        if profiler is not None:
            profiler.disable()
        await fake.forget_interactions()
        results.append(LatencyResult(who, commands_label, label, total, out["failed"], out["latencies"], out["elapsed"],
                                     out["failures"], cpu))
    return results


async def minimal_bot_latency(fake: RemoteFake, runs: list[tuple[str, list, dict]], total: int, warmup: int) -> list[LatencyResult]:
    """A plain discord.py Client with one CommandTree whose /medals answers a constant string."""
    from bot.discord_io.endpoints import DISCORD_API, use_endpoints

    client = discord.Client(intents=discord.Intents(guilds=True))
    client._connection.guild_ready_timeout = 0.05  # do not wait 2 s after the last GUILD_CREATE
    tree = app_commands.CommandTree(client)

    @tree.command(name="medals", description="The medal table")
    async def medals(interaction: discord.Interaction, country: str | None = None, date: str | None = None) -> None:
        await interaction.response.send_message(CONSTANT)

    use_endpoints(fake.api_url, fake.gateway_url)
    connection = None
    try:
        await client.login(fake.token)
        await tree.sync()  # the fake only injects commands it knows
        connection = asyncio.create_task(client.connect(reconnect=False))
        await asyncio.wait_for(client.wait_until_ready(), 60)
        return await _batches(fake, "minimal bot", runs, total, warmup)
    finally:
        await client.close()
        if connection is not None:
            await asyncio.gather(connection, return_exceptions=True)
        use_endpoints(DISCORD_API, None)


async def run_latency(total: int = 1000, in_flight: int = 50, *, paced_rate: float | None = 50.0, rounds: int = 1,
                      warmup: int = 30, profiler=None, baseline: bool = True) -> list[list[LatencyResult]]:
    """Rounds, each: Podium answers `total` /medals NED with `in_flight` outstanding at any time,
    then (first round, paced_rate) the same number started at a steady rate whatever the answers
    (the latency of one command without queueing behind 49 others), then `total` of the mixed
    commands in flight; then (baseline) the minimal bot answers /medals NED the same ways, against
    the same fake. Each bot is started afresh in every round, so rounds interleave the two."""
    from tests.fake_discord.harness import running_bot

    results = []
    async with RemoteFake() as fake:
        await fake.setup([{"id": GUILD, "name": "Latency", "locale": "en-US", "channels": [CHANNEL], "members": [USER]}])
        for n in range(rounds):
            loads = [{"in_flight": in_flight}] + ([{"rate": paced_rate}] if paced_rate and n == 0 else [])
            ned = [("/medals NED", MEDALS_NED, load) for load in loads]
            with tempfile.TemporaryDirectory() as folder:  # a new database: the bot syncs its commands again
                async with running_bot(Path(folder), fake, ready_timeout=60, PODIUM_CLOCK=CLOCK, PODIUM_CLOCK_SPEED=1):
                    one = await _batches(fake, "Podium", ned + [("/medals NED, /medals, /programme", MIXED, loads[0])],
                                         total, warmup, profiler)
            if baseline:
                one += await minimal_bot_latency(fake, ned, total, warmup)
            results.append(one)
    return results
