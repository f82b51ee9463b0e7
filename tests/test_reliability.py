"""Trying to break it: gateway faults, REST fault storms, and fuzzed interactions.

The figures these tests produce are summarised in docs/reliability.md."""
from __future__ import annotations

import logging
import time as wallclock

import pytest

from tests.fake_discord.harness import running_bot
from tests.support.alerts import alerts, settle, sub, subscribe
from tests.support.waiting import until
from tests.support.world import CHANNEL, CHANNELS, GUILD, MEMBER


async def answers(fake, timeout: float = 10.0) -> None:
    """After a fault: the bot is back on the gateway and a command is answered once."""
    await fake.wait_connected(timeout)
    handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"}, wait_connected=timeout)
    result = await handle.response(timeout)
    assert "Netherlands" in result["content"] and handle.callback_count == 1


# -- gateway faults ---------------------------------------------------------------------------

@pytest.mark.parametrize("fault, expect", [
    ("drop", "resume"), ("close-1006", "resume"), ("close-4000", "resume"), ("reconnect", "resume"),
    ("invalid-resumable", "resume"), ("invalid-not-resumable", "identify"),
])
async def test_gateway_fault_the_bot_comes_back_and_answers(tmp_path, fake, fault, expect):
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-15T12:00:00+01:00"):
        await answers(fake)
        identifies, resumes = fake.identify_count, fake.resume_count
        if fault == "drop":
            await fake.gateway_drop()
        elif fault.startswith("close-"):
            await fake.gateway_close(int(fault.split("-")[1]))
        elif fault == "reconnect":
            await fake.gateway_send_reconnect()
        else:
            await fake.gateway_invalid_session(resumable=fault == "invalid-resumable")
        await until(lambda: (fake.resume_count > resumes or fake.identify_count > identifies) and fake.connected, 10,
                    f"the bot to come back after {fault}")
        await answers(fake)
        if expect == "resume":
            assert fake.resume_count == resumes + 1 and fake.identify_count == identifies
        else:
            assert fake.identify_count == identifies + 1


async def test_alert_due_during_a_gateway_outage_is_delivered_once(tmp_path, fake):
    await subscribe(tmp_path, fake, sub(CHANNEL))
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-14T19:59:57+01:00", PODIUM_SEND_RATE=0) as run:
        await fake.gateway_outage(seconds=4)  # the alert falls due about 3 s into it
        await fake.wait_for_messages(CHANNEL, timeout=10)
        assert not fake.connected  # it was sent while the gateway was still down
        await answers(fake, timeout=20)
        await settle(run)
    assert len(alerts(fake, CHANNEL)) == 1
    assert fake.gateway_refused >= 1


# -- REST faults ------------------------------------------------------------------------------

async def test_fault_storm_every_alert_delivered_once_and_one_bad_channel_holds_up_nobody(tmp_path, fake):
    channels = [900000000000000000 + n for n in range(60)]
    for channel in channels:
        fake.add_channel(GUILD, channel, f"c{channel % 100}")
    await subscribe(tmp_path, fake, *(sub(c) for c in channels))
    slow, flaky, limited = channels[0], channels[1:6], channels[6:11]
    messages = r"^/channels/\d+/messages$"
    fake.fail_next("POST", messages, 429, body={"message": "You are being rate limited.", "retry_after": 0.3, "global": True}, times=3)
    for channel in limited:
        fake.fail_next("POST", rf"^/channels/{channel}/messages$", 429, body={"message": "slow down", "retry_after": 0.4, "global": False})
    for channel in flaky:  # stored, then 500: the retry must not post a second copy
        fake.fail_next("POST", rf"^/channels/{channel}/messages$", 500, apply=True)
        fake.fail_next("POST", rf"^/channels/{channel}/messages$", 502)
    fake.fail_next("POST", rf"^/channels/{slow}/messages$", 503, times=3)  # one channel in trouble for ~9 s
    fake.latency = 0.01
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-14T19:59:58+01:00", PODIUM_SEND_RATE=0) as run:
        started = wallclock.monotonic()
        for channel in channels[1:]:
            await fake.wait_for_messages(channel, timeout=15)
        others_done = wallclock.monotonic() - started
        await fake.wait_for_messages(slow, timeout=30)
        slow_done = wallclock.monotonic() - started
        await settle(run)
    assert all(len(alerts(fake, c)) == 1 for c in channels), [c for c in channels if len(alerts(fake, c)) != 1]
    faults = [r for r in fake.requests_to("POST", messages) if r.status >= 400]
    assert len(faults) >= 3 + 5 + 10 + 3
    assert others_done < 8 < slow_done  # the others did not wait for the slow channel's retries


async def test_a_channel_that_never_recovers_is_logged_and_skipped(tmp_path, fake, caplog):
    bad, good = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(bad), sub(good))
    fake.fail_next("POST", rf"^/channels/{bad}/messages$", 400, body={"message": "Invalid Form Body", "code": 50035})
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-14T19:59:58+01:00", PODIUM_SEND_RATE=0) as run:
        await fake.wait_for_messages(good)
        await settle(run)
    assert alerts(fake, bad) == [] and len(alerts(fake, good)) == 1
    assert any("failed" in r.getMessage() and str(bad) in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
