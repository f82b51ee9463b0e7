"""Fuzzing every command option through the real bot: whatever arrives, one answer in time,
an ephemeral error for what is invalid, and no unhandled exception in the logs.

The bot and the fake Discord run on an event loop in a background thread; hypothesis drives
them from the test thread (it does not run async tests itself)."""
from __future__ import annotations

import asyncio
import logging
import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.fake_discord.harness import running_bot
from tests.support import world
from tests.support.world import CHANNEL, GUILD, MANAGER

EXAMPLES = int(os.environ.get("PODIUM_FUZZ_EXAMPLES", "2000"))
EPHEMERAL = 64

TEXT = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="0123456789-:/. +TZ", max_size=25),
    st.sampled_from(["NED", "nl", "Nederland", "2022-02-15", "20:00", "Europe/Amsterdam", "Schaatsen", "en", "",
                     "@everyone", "<@&1>", "`", "\u202e", "\x00", "A" * 6000, "9999-99-99", "24:00", "Etc/GMT+5"]),
)
OPTIONS = {
    "medals": ["country", "date"],
    "programme": ["date", "sport"],
    "results": ["date", "sport", "country"],
    "calendar": ["sport", "country"],
    "subscribe": ["time", "timezone", "language", "sport", "country"],
}


class BotThread:
    """The fake and the bot on their own loop, for the whole module."""

    def __init__(self, tmp_path):
        self.loop = asyncio.new_event_loop()
        self.tmp_path = tmp_path
        self.started = threading.Event()
        self.errors: list[logging.LogRecord] = []
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def run(self, coroutine, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _start(self):
        self.fake = await world.build().start()  # the tests' one Discord, on this thread's loop
        self.context = running_bot(self.tmp_path, self.fake, PODIUM_CLOCK="2022-02-15T20:00:00+01:00")
        self.bot = await self.context.__aenter__()

    async def _stop(self):
        await self.context.__aexit__(None, None, None)
        await self.fake.stop()

    def __enter__(self):
        self.thread.start()
        self.run(self._start())
        return self

    def __exit__(self, *exc):
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class ErrorLog(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def live_bot(tmp_path_factory):
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    try:
        with BotThread(tmp_path_factory.mktemp("fuzz")) as running:
            running.error_log = errors
            yield running
    finally:
        logging.getLogger().removeHandler(errors)


SEEN = {"answers": 0, "errors": 0}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(command=st.sampled_from(sorted(OPTIONS)), data=st.data())
def test_every_option_gets_one_answer_in_time(live_bot, command, data):
    names = data.draw(st.lists(st.sampled_from(OPTIONS[command]), unique=True, max_size=len(OPTIONS[command])))
    options = {name: data.draw(TEXT, label=name) for name in names}

    async def interact():
        handle = await live_bot.fake.interact(GUILD, CHANNEL, MANAGER, command, options)
        return handle, await handle.response(timeout=3.0)  # Discord's own limit

    handle, result = live_bot.run(interact())
    assert handle.callback_count == 1 and not handle.rejected_callbacks
    assert handle.latency is not None and handle.latency < 3.0
    text = handle.text()
    assert text.strip(), "an empty answer"
    assert "@everyone" not in text and "Traceback" not in text
    assert "Sorry, something went wrong" not in text, (command, options, text)
    if result["flags"] & EPHEMERAL and command != "subscribe":
        SEEN["errors"] += 1
    SEEN["answers"] += 1
    assert not live_bot.error_log.records, [r.getMessage() for r in live_bot.error_log.records]


def test_the_fuzzer_really_ran(live_bot):
    assert SEEN["answers"] >= min(EXAMPLES, 2000) * 0.9
    assert 0 < SEEN["errors"] < SEEN["answers"]  # it tried valid and invalid input alike
