"""Command latency: the real bot (serve() via the test harness) answers /medals country:NED, /medals
and /programme, injected by the fake Discord (its own process) over the gateway. The latency of one
interaction is the fake's InteractionHandle.latency: from sending INTERACTION_CREATE to receiving
the bot's callback (the answer itself, or a defer)."""
from __future__ import annotations

import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.remote_fake import RemoteFake

GUILD = 830000000000000000
CHANNEL = 830000000000000001
USER = 830000000000000002
CLOCK = "2022-02-15T12:00:00+01:00"  # mid-Games: a real medal table and a full programme
COMMANDS = [["medals", {"country": "NED"}], ["medals", None], ["programme", None]]


@dataclass
class LatencyResult:
    label: str
    count: int
    failed: int
    latencies: list[float]
    elapsed: float
    failures: list[str]

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


async def run_latency(total: int = 1000, in_flight: int = 50, *, paced_rate: float | None = 50.0,
                      warmup: int = 30, profiler=None) -> list[LatencyResult]:
    """`total` interactions with `in_flight` outstanding at any time; then (paced_rate) the same number
    started at a steady rate whatever the answers, which shows the latency of one command without
    queueing behind 49 others."""
    from tests.fake_discord.harness import running_bot

    results = []
    async with RemoteFake() as fake:
        await fake.setup([{"id": GUILD, "name": "Latency", "locale": "en-US", "channels": [CHANNEL], "members": [USER]}])
        with tempfile.TemporaryDirectory() as folder:
            async with running_bot(Path(folder), fake, ready_timeout=60, PODIUM_CLOCK=CLOCK, PODIUM_CLOCK_SPEED=1):
                spec = {"guild": GUILD, "channel": CHANNEL, "user": USER, "commands": COMMANDS}
                # warm up: first answers load locale data and caches
                await fake.interactions(total=warmup, in_flight=1, **spec)
                await fake.forget_interactions()
                runs = [(f"{in_flight} in flight", {"in_flight": in_flight})]
                if paced_rate:
                    runs.append((f"paced, {paced_rate:g}/s", {"rate": paced_rate}))
                for label, mode in runs:
                    if profiler is not None:
                        profiler.enable()
                    out = await fake.interactions(total=total, **mode, **spec)
                    if profiler is not None:
                        profiler.disable()
                    await fake.forget_interactions()
                    results.append(LatencyResult(label, total, out["failed"], out["latencies"], out["elapsed"], out["failures"]))
    return results
