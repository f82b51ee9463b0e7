"""Two `python -m bot` processes on one database, against the fake Discord: exactly one acts (holds
the lease: connects, sends, answers); the other waits as a standby and takes over after the holder
is killed with SIGKILL. The fake forgets nonces at once, so a second sender could not hide."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time as wallclock
from datetime import datetime, time, timedelta, timezone

import pytest

from bot.core.models import Subscription
from bot.data.importer import ensure_games_loaded
from bot.store import deliveries
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database
from tests.support.waiting import until
from tests.support.world import CHANNEL, GUILD, MEMBER as USER

LEASE = {"PODIUM_LEASE_TTL": "2", "PODIUM_LEASE_HEARTBEAT": "0.5"}


@pytest.fixture(autouse=True)
def discord_forgets_nonces(fake):
    """Discord has forgotten every nonce: two senders would show as two messages."""
    fake.nonce_window = 0.0


@pytest.fixture
async def database(tmp_path):
    """The database both processes share: the shipped Games and one channel's 20:00 alert."""
    path = tmp_path / "podium.sqlite3"
    async with await Database.open(path) as db:
        await ensure_games_loaded(db)
        await subscriptions_store.save_subscription(db, Subscription(CHANNEL, GUILD, time(20, 0), "Europe/Amsterdam", "en"), USER,
                                                    datetime(2022, 1, 1, tzinfo=timezone.utc))
    return path


class Bot:
    """One `python -m bot` process; its log lines are read as they come (the pipe never fills)."""

    def __init__(self, process):
        self.process = process
        self.lines: list[dict] = []
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, database, fake, clock: str) -> "Bot":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
        env.update({"DISCORD_TOKEN": fake.token, "PODIUM_DATABASE": str(database), "PODIUM_DISCORD_API": fake.api_url,
                    "PODIUM_DISCORD_GATEWAY": fake.gateway_url, "PODIUM_LOG_LEVEL": "INFO", "PODIUM_CLOCK": clock,
                    "PODIUM_SEND_RATE": "0", **LEASE})
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=database.parent, env=env,
                                                       stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, limit=2**24)
        return cls(process)

    async def _read(self) -> None:
        while line := await self.process.stdout.readline():
            text = line.decode(errors="replace")
            self.lines.append(json.loads(text) if text.startswith("{") else {"message": text})

    def said(self, needle: str) -> list[str]:
        return [entry["message"] for entry in self.lines if needle in entry.get("message", "")]

    async def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        await until(lambda: self.said(needle) or self.reader.done(), timeout, f"{needle!r} from pid {self.process.pid}")
        assert self.said(needle), f"pid {self.process.pid} ended before {needle!r}:\n" + self.output()
        return self.said(needle)[0]

    def output(self) -> str:
        return "\n".join(entry.get("message", "") for entry in self.lines)

    async def kill(self) -> None:
        self.process.kill()  # SIGKILL: no clean-up, the lease is not released
        await self.process.wait()
        await self.reader

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 20)
        await self.reader
        return self.process.returncode


def alerts(fake) -> list[str]:
    return [m["content"].splitlines()[0] for m in fake.messages(CHANNEL) if m["content"].startswith("**Tomorrow's")]


async def delivery_log(database) -> list[tuple]:
    async with await Database.open(database) as db:
        return [row[:3] for row in await deliveries.deliveries_for(db, CHANNEL)]


async def _logged_is(database, rows: list[tuple]) -> bool:
    return await delivery_log(database) == rows


async def test_two_processes_on_one_database_only_the_lease_holder_connects_sends_and_answers(database, fake):
    evening = "2022-02-14T19:59:57+01:00"
    first = await Bot.start(database, fake, evening)
    second = None
    try:
        await first.wait_for("connected as")
        second = await Bot.start(database, fake, evening)  # started twice: the same evening, the same database
        standby = await second.wait_for("standby: lease 'bot' is held by host")
        # Its simulated clock started (at 19:59:57) before it said so: 3.5 s from now it is past 20:00.
        standby_clock_past_eight = wallclock.monotonic() + 3.5
        assert f", pid {first.process.pid}, since " in standby
        await until(lambda: alerts(fake), 10, "the 20:00 alert")
        await first.wait_for("next evening alert at 2022-02-15T19:00:00+00:00")
        await until(lambda: wallclock.monotonic() > standby_clock_past_eight, 10, "the standby's clock to pass 20:00")
        answer = await fake.interact(GUILD, CHANNEL, USER, "medals", {"country": "NED"})
        assert "Netherlands" in (await answer.response())["content"]
        assert fake.identify_count == 1  # the standby never connected to the gateway
        assert alerts(fake) == ["**Tomorrow's programme — Tuesday 15 February**"]
        assert not second.said("connected as") and not second.said("next evening alert")

        killed = wallclock.monotonic()
        await first.kill()
        took_over = await second.wait_for("lease 'bot' acquired", timeout=10)
        print(f"standby took over {wallclock.monotonic() - killed:.2f} s after kill -9")
        assert f"pid {second.process.pid}" in took_over
        # Its holder's process is gone from this host: no need to wait for the lease to lapse.
        assert second.said(f"its holder, pid {first.process.pid} on this host, is gone")
        await second.wait_for("connected as")
        await second.wait_for("next evening alert at 2022-02-15T19:00:00+00:00")  # tonight's is in the log: not again
        answer = await fake.interact(GUILD, CHANNEL, USER, "medals", {"country": "NOR"})
        assert "Norway" in (await answer.response())["content"]
        assert fake.identify_count == 2
        assert alerts(fake) == ["**Tomorrow's programme — Tuesday 15 February**"]  # its catch-up found tonight's in the log
    finally:
        for bot in (first, second):
            if bot is not None:
                await bot.stop()
    assert await delivery_log(database) == [("2022-02-14", "evening", "sent")]


async def test_the_standby_sends_the_next_evenings_alert_once_after_the_holder_is_killed(database, fake):
    first = await Bot.start(database, fake, "2022-02-14T19:59:58+01:00")
    second = None
    try:
        await until(lambda: alerts(fake), 15, "the first evening's alert")
        # Each process has its own simulated clock: the standby's runs a day later, shortly before
        # the next evening's alert.
        second = await Bot.start(database, fake, "2022-02-15T19:59:50+01:00")
        await second.wait_for("standby: lease 'bot' is held by host")
        await first.kill()
        await second.wait_for("lease 'bot' acquired", timeout=10)
        await until(lambda: len(alerts(fake)) >= 2, 20, "the next evening's alert")
        logged = [("2022-02-14", "evening", "sent"), ("2022-02-15", "evening", "sent")]
        await until(lambda: _logged_is(database, logged), 20, "the next evening's alert in the delivery log")
    finally:
        for bot in (first, second):
            if bot is not None:
                await bot.stop()
    assert alerts(fake) == ["**Tomorrow's programme — Tuesday 15 February**", "**Tomorrow's programme — Wednesday 16 February**"]
    assert await delivery_log(database) == [("2022-02-14", "evening", "sent"), ("2022-02-15", "evening", "sent")]
    assert second.process.returncode == 0


async def test_a_clean_stop_hands_the_lease_over_at_once(database, fake):
    first = await Bot.start(database, fake, "2022-02-14T12:00:00+01:00")
    second = None
    try:
        await first.wait_for("connected as")
        second = await Bot.start(database, fake, "2022-02-14T12:00:00+01:00")
        await second.wait_for("standby: lease 'bot' is held by host")
        assert await first.stop() == 0  # SIGTERM, as a rolling deploy stops the old process
        assert first.said("lease 'bot' released")
        await second.wait_for("connected as", timeout=10)
        answer = await fake.interact(GUILD, CHANNEL, USER, "medals", {"country": "NED"})
        assert "Netherlands" in (await answer.response())["content"]
    finally:
        for bot in (first, second):
            if bot is not None:
                await bot.stop()


async def test_three_processes_started_at_the_same_moment_on_a_new_database_all_come_up_one_acting(tmp_path, fake):
    new_database = tmp_path / "new.sqlite3"  # each would create its tables: one does, the others find them
    bots = await asyncio.gather(*(Bot.start(new_database, fake, "2022-02-14T12:00:00+01:00") for _ in range(3)))
    try:
        await until(lambda: sum(bool(b.said("connected as")) for b in bots) == 1 and sum(bool(b.said("standby:")) for b in bots) == 2
                    or any(b.reader.done() for b in bots), 30, "one acting, two standbys")
        assert not any(b.reader.done() for b in bots), "\n---\n".join(b.output()[-2000:] for b in bots)
        answer = await fake.interact(GUILD, CHANNEL, USER, "medals", {"country": "NED"})
        assert "Netherlands" in (await answer.response())["content"]
        assert fake.identify_count == 1
    finally:
        for bot in bots:
            await bot.stop()


async def test_a_frozen_holder_is_replaced_after_the_lapse_and_stops_acting_when_it_wakes(database, fake):
    first = await Bot.start(database, fake, "2022-02-14T12:00:00+01:00")
    second = None
    try:
        await first.wait_for("connected as")
        second = await Bot.start(database, fake, "2022-02-14T12:00:00+01:00")
        await second.wait_for("standby: lease 'bot' is held by host")
        first.process.send_signal(signal.SIGSTOP)  # a paused VM: the process is there, its heartbeat is not
        frozen = wallclock.monotonic()
        await second.wait_for("lease 'bot' acquired", timeout=10)
        waited = wallclock.monotonic() - frozen
        print(f"standby took over {waited:.2f} s after the holder froze (TTL 2 s, heartbeat 0.5 s)")
        assert waited >= 1.0 and not second.said("is gone")  # it waited for the lapse: the holder's process still runs
        await second.wait_for("connected as")
        first.process.send_signal(signal.SIGCONT)
        await first.wait_for("lease 'bot' lost")
        standby = await first.wait_for("standby: lease 'bot' is held by host")
        assert f"pid {second.process.pid}," in standby
        answer = await fake.interact(GUILD, CHANNEL, USER, "medals", {"country": "NED"})
        assert "Netherlands" in (await answer.response())["content"]
        assert fake.identify_count == 2
    finally:
        for bot in (first, second):
            if bot is not None:
                bot.process.send_signal(signal.SIGCONT)
                await bot.stop()


async def test_a_holder_that_loses_its_lease_stops_acting_and_waits_as_a_standby(tmp_path, fake, database, caplog):
    """In-process (the harness's serve()): another process takes the lease over, as after a lapse."""
    from bot.store import leases
    from tests.fake_discord.harness import running_bot

    caplog.set_level(logging.INFO, logger="podium.lease")
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-14T12:00:00+01:00", **LEASE) as run:
        answer = await fake.interact(GUILD, CHANNEL, USER, "medals", {"country": "NED"})
        assert "Netherlands" in (await answer.response())["content"]  # it acts
        async with await Database.open(database) as db:
            held = await leases.current(db, "bot")
            assert held.pid == os.getpid()
            await leases.release(db, "bot", held.holder)
            now = datetime.now(timezone.utc)
            await leases.take(db, "bot", "elsewhere:1:x", "elsewhere", 1, now, now + timedelta(hours=1))
        await until(lambda: run.bot.is_closed() and not fake.connected, 10, "the bot to stop acting")
        await until(lambda: any(m.startswith("standby: lease 'bot' is held by host elsewhere, pid 1") for m in caplog.messages),
                    10, "the standby line")
        assert not run.task.done()  # waiting as a standby, until stopped
    assert any(m.startswith("lease 'bot' lost") for m in caplog.messages)
