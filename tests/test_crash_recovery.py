"""kill -9 at random moments during 1,000-channel evening fan-outs, then restart: every channel
ends with exactly one alert per evening (when one evening is done, the kills go into the next).
The bot runs as `python -m bot` (the Procfile's command). The fake keeps no nonces (as if every
restart came after Discord's nonce window): a part is never posted twice only because the bot
records each part and, after a crash, looks for it in the channel before posting it again.
Some kills come while the test holds the database's write lock (the bot is inside a delivery
log write, waiting and retrying), and many land between two parts of a multi-part alert.

PODIUM_CRASH_RUNS sets the number of kills (20 in CI, 100 in the long mode described in
docs/reliability.md); PODIUM_CRASH_SEED replays a sequence."""
from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import signal
import sqlite3
import sys
import time as wallclock
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.alerts.sending import alert_nonce
from bot.core.evening_alert import compose_evening_alert
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file
from tests.fake_discord import FakeDiscord
from tests.support.alerts import sub, subscribe
from tests.support.world import GUILD

CHANNELS = [810000000000000000 + n for n in range(1000)]
RUNS = int(os.environ.get("PODIUM_CRASH_RUNS", "20"))
SEED = int(os.environ.get("PODIUM_CRASH_SEED", "2022"))
SPREAD = max(1, RUNS // 15)  # longer runs put more kills into each evening, to stay within the Games
LAST_EVENING = datetime(2022, 2, 19).date()  # the alert for the last day of the Games
ALERT = datetime.fromisoformat("2022-02-09T20:00:00+01:00")  # 11 evenings of the Games from here, most in two parts


def environment(tmp_path: Path, fake: FakeDiscord, clock: datetime) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
    env.update({"DISCORD_TOKEN": fake.token, "PODIUM_DATABASE": str(tmp_path / "podium.sqlite3"),
                "PODIUM_DISCORD_API": fake.api_url, "PODIUM_DISCORD_GATEWAY": fake.gateway_url,
                "PODIUM_CLOCK": clock.isoformat(), "PODIUM_SEND_RATE": "0", "PODIUM_LOG_LEVEL": "WARNING"})
    return env


def firsts(fake: FakeDiscord, evening) -> int:
    """Channels that have the first part of `evening`'s alert (each part has its own nonce)."""
    return sum(any(m.get("nonce") == alert_nonce(c, evening, 0) for m in fake.messages(c)) for c in CHANNELS)


def logged(tmp_path: Path, evening) -> int:
    """Channels whose alert for `evening` is in the delivery log (read while the bot is down)."""
    with sqlite3.connect(tmp_path / "podium.sqlite3") as db:
        return db.execute("SELECT count(*) FROM deliveries WHERE local_date = ? AND status = 'sent'", (evening.isoformat(),)).fetchone()[0]


def delivered_parts(tmp_path: Path) -> dict[tuple[int, str], int]:
    with sqlite3.connect(tmp_path / "podium.sqlite3") as db:
        rows = db.execute("SELECT channel_id, local_date, message_ids FROM deliveries WHERE status = 'sent'").fetchall()
    return {(channel, day): len(ids.split(",")) for channel, day, ids in rows}


def part_counts(fake: FakeDiscord, evening) -> list[int]:
    """How many parts of `evening`'s alert each channel has."""
    counts = []
    for c in CHANNELS:
        nonces = {m.get("nonce") for m in fake.messages(c)}
        counts.append(sum(alert_nonce(c, evening, p) in nonces for p in range(4)))
    return counts


@functools.cache
def expected_parts(evening) -> dict[str, int]:
    """Parts of `evening`'s alert per language, as the bot renders it from the shipped data."""
    data = shipped_data()
    zone = ZoneInfo("Europe/Amsterdam")
    return {language: len(compose_evening_alert(data, evening + timedelta(days=1), zone, language, now=ALERT))
            for language in ("en", "nl")}


@functools.cache
def shipped_data():
    return load_dataset_file(SHIPPED_DATASET)


def language(channel: int) -> str:
    return "en" if channel % 2 else "nl"


def sent(fake: FakeDiscord) -> int:
    return sum(len(fake.messages(c)) for c in CHANNELS)


async def start(tmp_path, fake, clock):
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=tmp_path, env=environment(tmp_path, fake, clock),
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def test_kill_9_during_the_fan_out_then_restart_every_channel_gets_one_alert(tmp_path, fake):
    rng = random.Random(SEED)
    for channel in CHANNELS:
        fake.add_channel(GUILD, channel, f"c{channel % 10000}")
    fake.nonce_window = 0  # Discord has forgotten every nonce by the time the bot is back
    figures = {"runs": RUNS, "seed": SEED, "kills": 0, "kills_mid_fan_out": 0, "kills_mid_alert": 0, "kills_in_db_write": 0}
    evening, clock = ALERT.date(), ALERT + timedelta(seconds=1)
    await subscribe(tmp_path, fake, *(sub(c, "Europe/Amsterdam", "20:00", language(c)) for c in CHANNELS))
    for run in range(RUNS + 1):
        if logged(tmp_path, evening) == len(CHANNELS):  # this evening is done: kill into the next one
            evening += timedelta(days=1)
            assert evening <= LAST_EVENING, "more evenings than the Games have: raise SPREAD"
            clock = datetime.combine(evening, ALERT.timetz()) + timedelta(seconds=1)
        if run == RUNS:
            break  # the last start (below) has an evening still to send
        done_before, sent_before = firsts(fake, evening), sent(fake)
        process = await start(tmp_path, fake, clock)
        moment = rng.random()
        locked = None
        if moment < 0.2:  # a moment by the clock: perhaps during start-up or the data import
            await asyncio.sleep(rng.uniform(0.05, 2.0))
        else:  # a moment in the fan-out: after some more alerts
            target = done_before + rng.randint(1, max(1, (len(CHANNELS) - done_before) // SPREAD))
            deadline = wallclock.monotonic() + 10
            while firsts(fake, evening) < target and wallclock.monotonic() < deadline and process.returncode is None:
                await asyncio.sleep(0.005)
            if moment > 0.75:  # the database refuses writes for a while (locked): kill the bot inside its write
                locked = sqlite3.connect(tmp_path / "podium.sqlite3", timeout=10, isolation_level=None)
                locked.execute("BEGIN IMMEDIATE")
                await asyncio.sleep(rng.uniform(0.2, 1.0))
        process.send_signal(signal.SIGKILL)
        await process.wait()
        if locked is not None:
            locked.execute("ROLLBACK")
            locked.close()
        figures["kills"] += 1
        figures["kills_in_db_write"] += locked is not None
        figures["kills_mid_fan_out"] += sent(fake) > sent_before and firsts(fake, evening) < len(CHANNELS)
        have = part_counts(fake, evening)
        figures["kills_mid_alert"] += any(0 < n < expected_parts(evening)[language(c)] for c, n in zip(CHANNELS, have))
        clock += timedelta(seconds=30)
    # The last start is left alone until the delivery log has this evening's alert for every channel.
    process = await start(tmp_path, fake, clock)
    deadline = wallclock.monotonic() + 60
    while logged(tmp_path, evening) < len(CHANNELS):
        assert wallclock.monotonic() < deadline, f"{len(CHANNELS) - logged(tmp_path, evening)} channels never got their alert"
        assert process.returncode is None, (await process.stderr.read()).decode()[-2000:]
        await asyncio.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()[-2000:]

    evenings = [ALERT.date() + timedelta(days=n) for n in range((evening - ALERT.date()).days + 1)]
    figures["evenings"] = len(evenings)
    nonces = {c: [m.get("nonce") for m in fake.messages(c)] for c in CHANNELS}
    counts = [nonces[c].count(alert_nonce(c, e, 0)) for c in CHANNELS for e in evenings]
    posts = len(fake.requests_to("POST", r"^/channels/\d+/messages$"))
    messages = sum(len(n) for n in nonces.values())
    figures.update(channels=len(CHANNELS), alerts=sum(counts), messages=messages, requests=posts,
                   posted_twice=posts - messages, lookups=len(fake.requests_to("GET", r"^/channels/\d+/messages$")),
                   duplicates=sum(c - 1 for c in counts if c > 1), losses=counts.count(0))
    print("crash figures:", json.dumps(figures))
    if os.environ.get("PODIUM_RELIABILITY_REPORT"):
        Path(os.environ["PODIUM_RELIABILITY_REPORT"]).write_text(json.dumps(figures, indent=1))
    assert figures["duplicates"] == 0 and figures["losses"] == 0
    assert all(len(set(n)) == len(n) for n in nonces.values())  # no part of any alert twice either
    # Every part of every alert arrived: Discord holds as many messages as the log says were sent.
    logged_parts = delivered_parts(tmp_path)
    assert len(logged_parts) == len(CHANNELS) * len(evenings)
    assert all(sum(n in nonces[c] for n in (alert_nonce(c, e, part) for part in range(10))) == logged_parts[(c, e.isoformat())]
               for c in CHANNELS for e in evenings)
    assert figures["kills_mid_fan_out"] >= RUNS // 3  # the kills really landed in the fan-out
    assert figures["kills_mid_alert"] >= RUNS // 10  # ... between the parts of an alert
    assert figures["kills_in_db_write"] >= RUNS // 10  # ... and inside a delivery log write
    # Every alert has all its parts, each once (no visible duplicate, no missing part).
    for e in evenings:
        parts = expected_parts(e)
        assert part_counts(fake, e) == [parts[language(c)] for c in CHANNELS], e
