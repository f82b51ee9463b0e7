"""The evening alert end to end: the real bot, the real scheduler on a simulated clock, real SQLite,
against the fake Discord. No test waits for more than a few real seconds."""
from __future__ import annotations

import asyncio
import time as wallclock
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.store import subscriptions as store
from bot.store.database import Database
from tests.fake_discord.harness import bot_settings, running_bot
from tests.support.alerts import alert_bot, alerts, delivery_log, sent_at, settle, sub, subscribe
from tests.support.datasets import mini_dataset
from tests.support.waiting import until
from tests.support.world import CHANNELS, GUILD, MANAGER

UTC = timezone.utc


# -- on time, in every zone ----------------------------------------------------------------------

@pytest.mark.parametrize("zone, clock, local_day, heading", [
    ("Europe/Amsterdam", "2022-02-14T19:59:45+01:00", "2022-02-14", "**Tomorrow's programme — Tuesday 15 February**"),
    ("America/New_York", "2022-02-14T19:59:45-05:00", "2022-02-14", "**Tomorrow's programme — Tuesday 15 February**"),
    ("Asia/Shanghai", "2022-02-14T19:59:45+08:00", "2022-02-14", "**Tomorrow's programme — Tuesday 15 February**"),
    ("Pacific/Auckland", "2022-02-14T19:59:45+13:00", "2022-02-14", "**Tomorrow's programme — Tuesday 15 February**"),
])
async def test_alert_arrives_at_the_local_minute_with_that_days_sessions(tmp_path, fake, zone, clock, local_day, heading):
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel, zone))
    async with alert_bot(tmp_path, fake, clock) as run:
        assert fake.messages(channel) == []  # not before its time
        messages = await fake.wait_for_messages(channel)
        await settle(run)
    assert messages[0]["content"].startswith(heading + f"\nTimes in {zone}")
    local = (await sent_at(tmp_path, fake, channel)).astimezone(ZoneInfo(zone))
    assert (local.date().isoformat(), local.hour, local.minute) == (local_day, 20, 0)
    # The sessions listed are exactly those starting on 15 February in that zone.
    text = "\n".join(m["content"] for m in fake.messages(channel))
    from bot.core.programme import programme_for
    from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

    programme = programme_for(load_dataset_file(SHIPPED_DATASET), datetime(2022, 2, 15).date(), ZoneInfo(zone))
    expected = sum(len(block.items) for block in programme.blocks)
    assert text.count("\n`") == expected
    assert all(request.body["allowed_mentions"] == {"parse": []} for request in fake.requests_to("POST", rf"/channels/{channel}/messages$"))


async def test_each_channel_in_its_own_zone_and_language(tmp_path, fake):
    amsterdam, shanghai = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(amsterdam, "Europe/Amsterdam", "20:00", "nl"), sub(shanghai, "Asia/Shanghai", "03:00"))
    # 03:00 in Shanghai is 20:00 in Amsterdam: both fire at the same instant, with different days.
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        await fake.wait_for_messages(amsterdam)
        await fake.wait_for_messages(shanghai)
        await settle(run)
    assert fake.messages(amsterdam)[0]["content"].startswith("**Het programma van morgen — dinsdag 15 februari**")
    assert fake.messages(shanghai)[0]["content"].startswith("**Tomorrow's programme — Wednesday 16 February**")


# -- daylight saving ---------------------------------------------------------------------------

def dst_dataset(season: str) -> dict:
    """A small Games at one of Europe's 2030 clock changes: a session on 1 April ("spring") or on
    28 October ("autumn"); one Games cannot span both (sessions that far apart are refused)."""
    doc = mini_dataset()
    doc["games"]["host_timezone"] = "Europe/Amsterdam"
    doc["sessions"] = [
        {"id": "spring", "event": "SSK-M-1500", "unit": {"en": "Final"}, "start": "2030-04-01T15:00:00+02:00",
         "end": "2030-04-01T16:00:00+02:00", "venue": "Thialf", "medals": ["gold", "silver", "bronze"], "nations": ["NED"]},
        {"id": "autumn", "event": "IHO-W", "unit": {"en": "Final"}, "start": "2030-10-28T15:00:00+01:00",
         "end": "2030-10-28T17:00:00+01:00", "venue": "Arena", "medals": ["gold", "silver", "bronze"], "nations": ["CAN"]},
    ]
    doc["sessions"] = [s for s in doc["sessions"] if s["id"] == season]
    return doc


async def test_alert_time_missing_on_spring_forward_night_comes_at_the_next_valid_minute(tmp_path, fake):
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel, "Europe/Amsterdam", "02:30"))
    # On 31 March 2030 clocks jump from 02:00 to 03:00: 02:30 does not exist; 03:00 CEST is 01:00 UTC.
    async with alert_bot(tmp_path, fake, "2030-03-31T00:59:40+00:00", dataset=dst_dataset("spring")) as run:
        await until(lambda: run.clock.now() >= datetime(2030, 3, 31, 0, 59, 50, tzinfo=UTC), 5, "00:59:50 UTC")
        assert fake.messages(channel) == []  # still nothing (the same channel gets its alert below)
        await fake.wait_for_messages(channel)
        await settle(run)
    assert await sent_at(tmp_path, fake, channel) >= datetime(2030, 3, 31, 1, 0, tzinfo=UTC)
    assert (await sent_at(tmp_path, fake, channel)) < datetime(2030, 3, 31, 1, 1, tzinfo=UTC)
    assert "Monday 1 April" in fake.messages(channel)[0]["content"]


async def test_alert_time_repeated_on_fall_back_night_is_sent_once(tmp_path, fake):
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel, "Europe/Amsterdam", "02:30"))
    # On 27 October 2030 02:30 happens twice: 00:30 UTC (CEST) and 01:30 UTC (CET). Speed 1200:
    # the hour between the two goes by in 3 real seconds.
    async with alert_bot(tmp_path, fake, "2030-10-27T00:29:30+00:00", speed=1200, dataset=dst_dataset("autumn")) as run:
        await fake.wait_for_messages(channel)
        await until(lambda: run.clock.now() >= datetime(2030, 10, 27, 1, 31, tzinfo=UTC), 10, "the second 02:30")
        await settle(run)
        assert run.bot.alerts.next_instant == datetime(2030, 10, 28, 1, 30, tzinfo=UTC)  # the next is the next night's
    assert len(alerts(fake, channel)) == 1
    assert "Monday 28 October" in fake.messages(channel)[0]["content"]
    assert (await sent_at(tmp_path, fake, channel)).astimezone(UTC).hour == 0  # the first 02:30


# -- exactly once across restarts and crashes ------------------------------------------------

async def test_restart_right_after_sending_sends_nothing_more(tmp_path, fake):
    channel, control = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(channel))
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        await fake.wait_for_messages(channel)
        await settle(run)
    await subscribe(tmp_path, fake, sub(control))  # subscribed while the bot was down: the restart catches it up
    async with alert_bot(tmp_path, fake, "2022-02-14T20:00:30+01:00") as run:
        await settle(run)
    assert len(alerts(fake, control)) == 1  # the restarted bot could send ...
    assert len(alerts(fake, channel)) == 1  # ... and did not send this one again
    assert [row[2] for row in await delivery_log(tmp_path, fake, channel)] == ["sent"]


async def refuse_writes(path, table: str, operation: str = "INSERT") -> None:
    """Make the database refuse a write to `table` (as a full disk or a long lock would)."""
    async with await Database.open(path) as db:
        async with db.transaction() as conn:
            await conn.execute(f"CREATE TRIGGER refuse_{table}_{operation.lower()} BEFORE {operation} ON {table}"
                               " BEGIN SELECT RAISE(ABORT, 'simulated refusal'); END")


async def accept_writes(path) -> None:
    async with await Database.open(path) as db:
        async with db.transaction() as conn:
            for (name,) in await (await conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'refuse_%'")).fetchall():
                await conn.execute(f"DROP TRIGGER {name}")


async def test_log_write_refused_after_sending_then_restart_after_the_nonce_window_gives_one_message(tmp_path, fake):
    """The alert is posted, the database refuses to confirm it; the bot is restarted after
    Discord has forgotten the nonces: it finds its parts in the channel instead of posting again."""
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel))
    path = bot_settings(tmp_path, fake).database
    fake.nonce_window = 0  # no help from Discord's nonce memory
    await refuse_writes(path, "delivery_parts", "UPDATE")  # confirmations
    await refuse_writes(path, "deliveries")
    parts = 2  # the alert of 14 February is in two parts
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        await fake.wait_for_messages(channel, parts)
        await until(lambda: run.bot.alerts.journal.transactions == 1, what="the claim written")  # and nothing since
        await asyncio.sleep(0.5)
        assert len(fake.messages(channel)) == parts
    assert await delivery_log(tmp_path, fake, channel) == []
    await accept_writes(path)
    async with alert_bot(tmp_path, fake, "2022-02-14T20:05:00+01:00") as run:  # back the same evening: catch-up reconciles
        await settle(run)
        assert run.bot.alerts.sender.reconciled == parts
    assert len(alerts(fake, channel)) == 1 and len(fake.messages(channel)) == parts
    assert len(fake.requests_to("POST", rf"/channels/{channel}/messages$")) == parts  # none posted twice
    assert fake.requests_to("GET", rf"/channels/{channel}/messages$")  # it asked Discord
    (day, kind, status, ids, detail), = await delivery_log(tmp_path, fake, channel)
    assert status == "sent" and ids == ",".join(m["id"] for m in fake.messages(channel))


async def test_database_refusing_the_claim_holds_the_alert_until_it_can_write(tmp_path, fake):
    """Nothing is posted before its claim is durable; the write is retried and the alert goes out once."""
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel))
    path = bot_settings(tmp_path, fake).database
    await refuse_writes(path, "delivery_parts")
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:58+01:00") as run:
        while run.bot.services.clock.now() < datetime(2022, 2, 14, 19, 0, 3, tzinfo=UTC):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        assert fake.messages(channel) == []  # due, but the claim could not be written
        await accept_writes(path)
        await fake.wait_for_messages(channel)
        await settle(run)
    assert len(alerts(fake, channel)) == 1
    assert [row[2] for row in await delivery_log(tmp_path, fake, channel)] == ["sent"]


async def test_message_stored_but_answered_with_an_error_is_found_not_posted_again(tmp_path, fake):
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel))
    fake.nonce_window = 0
    fake.fail_next("POST", rf"^/channels/{channel}/messages$", 503, apply=True)  # stored, but the answer is 503
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:30+01:00", speed=60) as run:
        await fake.wait_for_messages(channel)
        await settle(run)
        assert run.bot.alerts.sender.reconciled == 1
    assert len(alerts(fake, channel)) == 1
    assert [r.status for r in fake.requests_to("POST", rf"/channels/{channel}/messages$")][0] == 503
    (_, _, status, ids, _), = await delivery_log(tmp_path, fake, channel)
    assert status == "sent" and ids.split(",") == [m["id"] for m in fake.messages(channel)]


async def test_down_at_alert_time_back_an_hour_later_sends_once(tmp_path, fake):
    channel, control = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(channel))
    async with alert_bot(tmp_path, fake, "2022-02-14T21:00:00+01:00") as run:
        await fake.wait_for_messages(channel)
        await settle(run)
    await subscribe(tmp_path, fake, sub(control))  # subscribed while the bot was down: the restart catches it up
    async with alert_bot(tmp_path, fake, "2022-02-14T21:30:00+01:00") as run:
        await settle(run)
    assert len(alerts(fake, control)) == 1  # the second start could send ...
    assert len(alerts(fake, channel)) == 1  # ... and did not send this one again
    assert fake.messages(channel)[0]["content"].startswith("**Tomorrow's programme — Tuesday 15 February**")


async def test_down_at_alert_time_back_after_midnight_sends_nothing(tmp_path, fake):
    channel, london = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(channel), sub(london, "Europe/London"))
    async with alert_bot(tmp_path, fake, "2022-02-15T00:30:00+01:00") as run:
        await settle(run)
        assert run.bot.alerts.next_instant == datetime(2022, 2, 15, 19, 0, tzinfo=UTC)  # tonight's is still planned
    assert len(alerts(fake, london)) == 1  # 23:30 in London: its missed alert is still caught up ...
    assert fake.messages(channel) == []  # ... but after midnight in Amsterdam this one is not


async def test_catch_up_limit_setting(tmp_path, fake):
    channel, london = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(channel), sub(london, "Europe/London"))
    async with alert_bot(tmp_path, fake, "2022-02-14T22:30:00+01:00", PODIUM_CATCH_UP_UNTIL="22:00") as run:
        await settle(run)
    assert len(alerts(fake, london)) == 1  # 21:30 in London: before the limit, caught up ...
    assert fake.messages(channel) == []  # ... 22:30 in Amsterdam: after it


# -- Discord's errors --------------------------------------------------------------------------

async def test_deleted_channel_is_unsubscribed_and_others_still_get_theirs(tmp_path, fake):
    gone, fine = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(gone), sub(fine))
    fake.remove_channel(gone)
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        await fake.wait_for_messages(fine)
        await settle(run)
        assert await store.get_subscription(run.bot.services.db, gone) is None
    assert len(alerts(fake, fine)) == 1


async def test_missing_permission_pauses_and_subscriptions_says_why(tmp_path, fake):
    quiet, fine = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(quiet), sub(fine))
    fake.fail_next("POST", rf"^/channels/{quiet}/messages$", 403)
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        await fake.wait_for_messages(fine)
        await settle(run)
        paused = await store.get_subscription(run.bot.services.db, quiet)
        assert paused.status == "paused" and "Missing Permissions" in paused.paused_reason
        handle = await fake.interact(GUILD, fine, MANAGER, "subscriptions")
        await handle.response()
        assert "paused" in handle.text() and "Missing Permissions" in handle.text()
    assert fake.messages(quiet) == [] and len(alerts(fake, fine)) == 1


async def test_server_error_then_success_delivers_once(tmp_path, fake):
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel))
    fake.fail_next("POST", rf"^/channels/{channel}/messages$", 500, times=1, apply=True)  # stored, but the answer is 500
    fake.fail_next("POST", rf"^/channels/{channel}/messages$", 502, times=1)
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        await fake.wait_for_messages(channel)
        await settle(run)  # discord.py retries 5xx after 1 s, then 3 s
    assert len(alerts(fake, channel)) == 1
    assert [row[2] for row in await delivery_log(tmp_path, fake, channel)] == ["sent"]
    assert [r.status for r in fake.requests_to("POST", rf"/channels/{channel}/messages$")][:3] == [500, 502, 200]


async def test_rate_limited_with_retry_after_is_delivered_once_later(tmp_path, fake):
    channel, other = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(channel), sub(other))
    fake.fail_next("POST", rf"^/channels/{channel}/messages$", 429, body={"message": "You are being rate limited.", "retry_after": 0.5, "global": False})
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        await fake.wait_for_messages(other)
        await fake.wait_for_messages(channel)
        await settle(run)
    assert len(alerts(fake, channel)) == 1 and len(alerts(fake, other)) == 1
    statuses = [r.status for r in fake.requests_to("POST", rf"/channels/{channel}/messages$")]
    assert statuses[:2] == [429, 200] and 429 not in statuses[1:]
    limited, delivered = fake.requests_to("POST", rf"/channels/{channel}/messages$")[:2]
    assert delivered.at - limited.at >= 0.45


# -- fan-out ---------------------------------------------------------------------------------

async def test_two_hundred_channels_in_three_variants_render_three_times_and_batch_their_log_writes(tmp_path, fake):
    channels = [700000000000000000 + n for n in range(200)]
    for channel in channels:
        fake.add_channel(GUILD, channel, f"c{channel % 1000}")
    variants = [("Europe/Amsterdam", "en"), ("Europe/Amsterdam", "nl"), ("Europe/Brussels", "nl")]
    await subscribe(tmp_path, fake, *(sub(c, variants[n % 3][0], "20:00", variants[n % 3][1]) for n, c in enumerate(channels)))
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        for channel in channels:
            await fake.wait_for_messages(channel)
        await settle(run)
        assert run.bot.alerts.render_count == 3
        journal = run.bot.alerts.journal  # claims, confirmations and log rows: batched into few transactions
        print(f"delivery log: {journal.writes} writes in {journal.transactions} transactions")
        assert journal.writes >= 3 * len(channels) and journal.transactions * 4 <= journal.writes
    assert all(len(alerts(fake, c)) == 1 for c in channels)
    assert {fake.messages(c)[0]["content"] for c in channels[0::3]} == {fake.messages(channels[0])[0]["content"]}


async def test_a_next_day_without_sessions_gets_no_alert(tmp_path, fake):
    after_the_games, control = CHANNELS[:2]
    # 19:00 UTC on 19 February is 20:00 in Amsterdam (tomorrow: the last day of the Games) and
    # 04:00 on the 20th in Tokyo (tomorrow: the 21st, after the Games): both are due at once.
    await subscribe(tmp_path, fake, sub(after_the_games, "Asia/Tokyo", "04:00"), sub(control))
    async with alert_bot(tmp_path, fake, "2022-02-19T19:59:55+01:00") as run:
        await fake.wait_for_messages(control)
        await settle(run)
        assert run.bot.alerts.next_instant > datetime(2022, 2, 19, 19, 0, tzinfo=UTC)  # that instant is done
    assert len(alerts(fake, control)) == 1
    assert fake.messages(after_the_games) == []


async def test_eve_of_the_games_gets_the_countdown(tmp_path, fake):
    channel = CHANNELS[0]
    await subscribe(tmp_path, fake, sub(channel, "Asia/Shanghai"))
    async with alert_bot(tmp_path, fake, "2022-02-01T19:59:50+08:00") as run:
        await fake.wait_for_messages(channel)
        await settle(run)
    assert fake.messages(channel)[0]["content"].startswith("🎉 **Beijing 2022 starts tomorrow!**")


# -- overlapping evenings and outages --------------------------------------------------------------

async def test_channels_due_while_a_long_fan_out_runs_each_get_their_alert(tmp_path, fake, caplog):
    """100 channels at 20:00 (two parts each, paced at 49 messages/s: two simulated minutes at
    speed 30) and channels at 20:01 and 20:02, which fall due while that fan-out runs."""
    early = [700000000000000000 + n for n in range(100)]
    later = [710000000000000000 + n for n in range(20)]
    for channel in early + later:
        fake.add_channel(GUILD, channel, f"c{channel % 1000}")
    await subscribe(tmp_path, fake, *(sub(c) for c in early),
                    *(sub(c, at="20:01" if n % 2 else "20:02") for n, c in enumerate(later)))
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-14T19:58:00+01:00", PODIUM_CLOCK_SPEED=30,
                           PODIUM_SEND_RATE=49) as run:
        for channel in early + later:
            await fake.wait_for_messages(channel, timeout=20)
        await settle(run)
        assert run.bot.alerts.late_alerts > 0
    assert all(len(alerts(fake, c)) == 1 for c in early + later)
    assert "went out late" in caplog.text


async def test_an_outage_of_minutes_at_alert_time_is_ridden_out(tmp_path, fake):
    """Seven 503s in a row: retried with backoff (2 s, 4 s, ... on the bot's clock: over four
    minutes), the alert goes out once; the channel beside it is not held up."""
    channel, other = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(channel), sub(other))
    fake.fail_next("POST", rf"^/channels/{channel}/messages$", 503, times=7)
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:30+01:00", speed=60) as run:
        await fake.wait_for_messages(other)
        await fake.wait_for_messages(channel, timeout=15)
        await settle(run)
    assert len(alerts(fake, channel)) == 1 and len(alerts(fake, other)) == 1
    assert [r.status for r in fake.requests_to("POST", rf"/channels/{channel}/messages$")][:8] == [503] * 7 + [200]
    assert await sent_at(tmp_path, fake, channel) > datetime(2022, 2, 14, 19, 4, tzinfo=UTC)
    assert [row[2] for row in await delivery_log(tmp_path, fake, channel)] == ["sent"]


async def test_an_outage_past_the_catch_up_limit_gives_up_at_the_limit(tmp_path, fake):
    channel, other = CHANNELS[:2]
    await subscribe(tmp_path, fake, sub(channel), sub(other))
    fake.fail_next("POST", rf"^/channels/{channel}/messages$", 503, times=10_000)
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:30+01:00", speed=60, PODIUM_CATCH_UP_UNTIL="20:03") as run:
        await fake.wait_for_messages(other)  # the bot can send
        deadline = wallclock.monotonic() + 15
        while not await delivery_log(tmp_path, fake, channel):
            assert wallclock.monotonic() < deadline
            await asyncio.sleep(0.1)
        assert run.bot.services.clock.now() >= datetime(2022, 2, 14, 19, 3, tzinfo=UTC)
        tries = len(fake.requests_to("POST", rf"/channels/{channel}/messages$"))
        await settle(run)
        assert len(fake.requests_to("POST", rf"/channels/{channel}/messages$")) == tries  # no more after giving up
    (_, _, status, _, detail), = await delivery_log(tmp_path, fake, channel)
    assert status == "failed" and "catch-up limit" in detail
    assert fake.messages(channel) == [] and len(alerts(fake, other)) == 1
