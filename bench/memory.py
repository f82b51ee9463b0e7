"""Memory: peak RSS of `python -m bot` (the Procfile's command, as its own process) with N
subscriptions, through start-up, gateway READY with every guild, and one evening's fan-out to all
N channels (unpaced) against the fake Discord (another process). Read from /proc/<pid>/status:
VmHWM is the peak resident set size, VmRSS the current one."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.fanout import ALERT_INSTANT, lead_seconds, prepare_database
from tests.fake_discord.remote import ROOT, RemoteFake


@dataclass
class MemoryResult:
    channels: int
    peak_rss_mb: float  # VmHWM after the fan-out
    rss_mb: float  # VmRSS after the fan-out
    messages: int
    bot_cpu: float  # utime + stime of the bot process, start to end (start-up included)
    every_channel_once: bool


def proc_status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)


def kib(value: str) -> float:
    return int(value.split()[0]) / 1024  # "123456 kB" -> MiB


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def run_memory(channels: int = 10_000, timeout: float = 300.0) -> MemoryResult:
    async with RemoteFake() as fake:
        with tempfile.TemporaryDirectory() as folder:
            database, _ = await prepare_database(Path(folder), fake, channels)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
            env.update({
                "DISCORD_TOKEN": fake.token, "PODIUM_DATABASE": str(database), "PODIUM_DISCORD_API": fake.api_url,
                "PODIUM_DISCORD_GATEWAY": fake.gateway_url, "PODIUM_LOG_LEVEL": "WARNING", "PODIUM_SEND_RATE": "0",
                # python -m bot imports for a second or so before the clock starts: a little more lead
                "PODIUM_CLOCK": (ALERT_INSTANT - timedelta(seconds=lead_seconds(channels) + 2)).isoformat(),
                "PODIUM_CLOCK_SPEED": "1",
                "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            })
            process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=folder, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                deadline = time.monotonic() + timeout
                stats = await fake.fanout()
                while stats["accepted"] < channels:
                    if process.poll() is not None:
                        raise RuntimeError(f"python -m bot exited ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"only {stats['accepted']} of {channels} messages within {timeout:.0f} s")
                    await asyncio.sleep(0.5)
                    stats = await fake.fanout()
                await asyncio.sleep(2.0)  # the delivery log and the next evening's plan
                status = proc_status(process.pid)
                cpu = cpu_seconds(process.pid)
                stats = await fake.fanout()
            finally:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
                    try:
                        await asyncio.get_running_loop().run_in_executor(None, process.wait, 20)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
    counts = {int(k): v for k, v in stats["alerts_per_channel"].items()}
    return MemoryResult(channels=channels, peak_rss_mb=kib(status["VmHWM"]), rss_mb=kib(status["VmRSS"]),
                        messages=stats["accepted"], bot_cpu=cpu, every_channel_once=counts == {1: channels})
