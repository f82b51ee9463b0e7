"""Shards across processes: the shard formula and PODIUM_SHARD_IDS, the fake's sharded gateway
(IDENTIFY with `shard`, each session only its guilds and their interactions), one lease per shard,
and the real bot on some shards: it alerts and answers only its own guilds."""
from __future__ import annotations

import asyncio
from datetime import datetime, time, timezone

import aiohttp
import pytest

from bot.core.models import Subscription
from bot.core.shards import ShardPlan, parse_shard_ids, shard_of
from bot.lease import Leases, LeaseTerms
from bot.settings import SettingsError, load_settings
from bot.store import leases as lease_store
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database
from tests.fake_discord import FakeDiscord
from tests.fake_discord.harness import bot_settings, running_bot
from tests.support.alerts import alerts
from tests.support.waiting import until

TOKEN = "shard-test-token-0123456789"
# Two guilds on shard 0 and 1 of 2 (Discord: (guild_id >> 22) % shard_count)
GUILD_0, GUILD_1 = 7 << 22 << 1, (7 << 23) + (1 << 22)
CHANNEL_0, CHANNEL_1 = 242424242424242401, 242424242424242402
USER = 353535353535353535


def test_shard_formula_and_shard_ids():
    assert shard_of(GUILD_0, 2) == 0 and shard_of(GUILD_1, 2) == 1
    assert shard_of(81384788765712384, 12) == (81384788765712384 >> 22) % 12
    assert parse_shard_ids("0-3", 12) == (0, 1, 2, 3)
    assert parse_shard_ids("4,5", 12) == (4, 5)
    assert parse_shard_ids(" 0-1, 7 ,9-10", 12) == (0, 1, 7, 9, 10)
    plan = ShardPlan(12, (4, 5, 6, 7))
    assert plan.processes == 3 and plan.lease_names == ["shard:4", "shard:5", "shard:6", "shard:7"]
    assert plan.owns(4 << 22) and not plan.owns(3 << 22)


@pytest.mark.parametrize("environ, phrase", [
    ({"PODIUM_SHARD_COUNT": "12", "PODIUM_SHARD_IDS": "8-12"}, "PODIUM_SHARD_IDS: shard ids run from 0 to 11"),
    ({"PODIUM_SHARD_COUNT": "4", "PODIUM_SHARD_IDS": "3-1"}, "runs backwards"),
    ({"PODIUM_SHARD_COUNT": "4", "PODIUM_SHARD_IDS": "one"}, "'one' is not a shard id"),
    ({"PODIUM_SHARD_IDS": "0-3"}, "PODIUM_SHARD_COUNT is not"),
    ({"PODIUM_SHARD_COUNT": "0"}, "PODIUM_SHARD_COUNT"),
    ({"PODIUM_SHARD_COUNT": "1.5"}, "not a whole number"),
    ({"PODIUM_RATE_LIMIT_URL": "http://redis:6379"}, "PODIUM_RATE_LIMIT_URL"),
])
def test_bad_shard_settings_are_one_clear_sentence(environ, phrase):
    with pytest.raises(SettingsError, match=phrase):
        load_settings(environ)


def test_unset_shard_count_is_one_unsharded_process():
    settings = load_settings({})
    assert settings.shards is None and settings.rate_limit_url is None
    assert load_settings({"PODIUM_SHARD_COUNT": "6"}).shards == ShardPlan(6, (0, 1, 2, 3, 4, 5))


# -- the fake's gateway and global limit ---------------------------------------------------------

async def identify(fake: FakeDiscord, shard: list[int] | None) -> tuple[aiohttp.ClientSession, object, list[dict]]:
    """A raw gateway session: IDENTIFY (with `shard` when given); returns READY and the GUILD_CREATEs."""
    session = aiohttp.ClientSession()
    ws = await session.ws_connect(fake.gateway_url + "?v=10&encoding=json")
    await ws.receive_json()  # HELLO
    data = {"token": fake.token, "intents": 1, "properties": {}}
    if shard is not None:
        data["shard"] = shard
    await ws.send_json({"op": 2, "d": data})
    events = [await ws.receive_json(timeout=5)]
    expected = len(events[0]["d"]["guilds"])
    while len(events) < expected + 1:
        events.append(await ws.receive_json(timeout=5))
    return session, ws, events


async def test_fake_gateway_gives_each_shard_only_its_guilds_and_their_interactions():
    fake = FakeDiscord(token=TOKEN)
    fake.recommended_shards = 2
    for guild, channel in ((GUILD_0, CHANNEL_0), (GUILD_1, CHANNEL_1)):
        fake.add_guild(guild)
        fake.add_channel(guild, channel)
    async with fake:
        async with aiohttp.ClientSession(headers={"Authorization": f"Bot {TOKEN}"}) as rest:
            async with rest.get(fake.api_url + "/gateway/bot") as answer:
                assert (await answer.json())["shards"] == 2
        s0, ws0, events0 = await identify(fake, [0, 2])
        s1, ws1, events1 = await identify(fake, [1, 2])
        try:
            assert events0[0]["d"]["shard"] == [0, 2] and [g["id"] for g in events0[0]["d"]["guilds"]] == [str(GUILD_0)]
            assert [e["d"]["id"] for e in events0[1:]] == [str(GUILD_0)]
            assert [e["d"]["id"] for e in events1[1:]] == [str(GUILD_1)]
            fake.commands[None] = [{"id": "1", "name": "ping", "type": 1, "options": []}]
            await fake.interact(GUILD_1, CHANNEL_1, USER, "ping")
            got = await ws1.receive_json(timeout=5)
            assert got["t"] == "INTERACTION_CREATE" and got["d"]["guild_id"] == str(GUILD_1)
            await fake.interact(GUILD_0, CHANNEL_0, USER, "ping")
            got = await ws0.receive_json(timeout=5)
            assert got["t"] == "INTERACTION_CREATE" and got["d"]["guild_id"] == str(GUILD_0)
            with pytest.raises(asyncio.TimeoutError):  # shard 1 got only its own guild's interaction
                await ws1.receive_json(timeout=0.3)
        finally:
            for ws, session in ((ws0, s0), (ws1, s1)):
                await ws.close()
                await session.close()


async def test_fake_enforces_one_global_limit_per_token_across_connections():
    fake = FakeDiscord(token=TOKEN)
    fake.global_limit_per_second = 5
    async with fake:
        sessions = [aiohttp.ClientSession(headers={"Authorization": f"Bot {TOKEN}"}) for _ in range(2)]
        try:
            answers = []
            for n in range(10):  # two clients, as two processes would be
                async with sessions[n % 2].get(fake.api_url + "/users/@me") as answer:
                    answers.append((answer.status, answer.headers.get("Retry-After"), await answer.json()))
        finally:
            for session in sessions:
                await session.close()
    assert [status for status, _, _ in answers] == [200] * 5 + [429] * 5
    status, retry_after, body = answers[-1]
    assert body["global"] is True and body["retry_after"] > 0 and int(retry_after) >= 1
    assert fake.global_429_count == 5


# -- one lease per shard -------------------------------------------------------------------------

async def test_a_standby_waits_for_all_its_shards_and_a_holder_that_loses_one_stops(tmp_path):
    terms = LeaseTerms(ttl=1.0, heartbeat=0.2)
    names = ["shard:0", "shard:1"]
    async with await Database.open(tmp_path / "podium.sqlite3") as db:
        first, second = Leases(db, names, terms), Leases(db, names, terms)
        await first.acquire()
        work_done = asyncio.Event()
        holding = asyncio.create_task(first.run_while_held(work_done.wait()))
        waiting = asyncio.create_task(second.acquire())
        await asyncio.sleep(1.5)  # longer than the lease time: the holder renews, the standby waits
        assert first.held and not waiting.done()
        work_done.set()  # a clean stop hands both leases over
        assert await holding is True
        await asyncio.wait_for(waiting, 5)
        assert second.held
        # Someone else takes shard 1 from the holder: it stops acting for every shard.
        stopped = asyncio.Event()

        async def work() -> None:
            try:
                await asyncio.Event().wait()
            finally:
                stopped.set()

        holding = asyncio.create_task(second.run_while_held(work()))
        lease = await lease_store.current(db, "shard:1")
        now = datetime.now(timezone.utc)
        await lease_store.take(db, "shard:1", "thief", "elsewhere", 1, now, now.replace(year=now.year + 1), replacing=lease.holder)
        assert await asyncio.wait_for(holding, 5) is False
        assert stopped.is_set()
        assert (await lease_store.current(db, "shard:0")) is None  # released
        assert (await lease_store.current(db, "shard:1")).holder == "thief"


# -- the real bot on one shard of two ------------------------------------------------------------

@pytest.fixture
async def two_shard_fake():
    fake = FakeDiscord(token=TOKEN)
    fake.nonce_window = 0.0  # a second sender to one channel would show as a second message
    for guild, channel in ((GUILD_0, CHANNEL_0), (GUILD_1, CHANNEL_1)):
        fake.add_guild(guild, name=f"Guild {shard_of(guild, 2)}")
        fake.add_channel(guild, channel, "olympics")
    async with fake:
        yield fake


async def test_the_bot_on_shard_0_alerts_and_answers_only_its_guilds_and_shard_1_does_the_rest(tmp_path, two_shard_fake):
    fake = two_shard_fake
    database = bot_settings(tmp_path, fake).database
    database.parent.mkdir(parents=True, exist_ok=True)
    async with await Database.open(database) as db:
        for guild, channel in ((GUILD_0, CHANNEL_0), (GUILD_1, CHANNEL_1)):
            await subscriptions_store.save_subscription(db, Subscription(channel, guild, time(20, 0), "Europe/Amsterdam", "en"),
                                                        USER, datetime(2022, 1, 1, tzinfo=timezone.utc))
    sharded = {"PODIUM_SHARD_COUNT": 2, "PODIUM_CLOCK": "2022-02-14T19:59:58+01:00", "PODIUM_CLOCK_SPEED": 1,
               "PODIUM_SEND_RATE": 0, "token": TOKEN}
    async with running_bot(tmp_path, fake, ready_timeout=20, PODIUM_SHARD_IDS="0", **sharded) as run:
        assert run.bot.shard_ids == [0] and run.bot.shard_count == 2
        assert [g.id for g in run.bot.guilds] == [GUILD_0]
        assert set(fake.shard_sessions) == {0}
        await until(lambda: alerts(fake, CHANNEL_0), 10, "shard 0's guild's 20:00 alert")  # the control: this process sends
        await asyncio.wait_for(run.bot.alerts.wait_until_settled(), 10)
        answer = await fake.interact(GUILD_0, CHANNEL_0, USER, "medals", {"country": "NED"})
        assert "Netherlands" in (await answer.response())["content"]
        with pytest.raises(AssertionError, match="no gateway session for guild"):  # Discord has nobody to send it to
            await fake.interact(GUILD_1, CHANNEL_1, USER, "medals", {"country": "NED"}, wait_connected=0.2)
        assert alerts(fake, CHANNEL_1) == []  # not its shard's channel
    async with running_bot(tmp_path, fake, ready_timeout=20, PODIUM_SHARD_IDS="1", **sharded) as run:
        assert [g.id for g in run.bot.guilds] == [GUILD_1]
        await until(lambda: alerts(fake, CHANNEL_1), 10, "shard 1's guild's alert, caught up")
        await asyncio.wait_for(run.bot.alerts.wait_until_settled(), 10)
        answer = await fake.interact(GUILD_1, CHANNEL_1, USER, "medals", {"country": "NED"})
        assert "Netherlands" in (await answer.response())["content"]
    assert len(alerts(fake, CHANNEL_0)) == 1 and len(alerts(fake, CHANNEL_1)) == 1


async def test_a_sharded_process_does_not_act_beside_an_unsharded_one_on_the_same_database(tmp_path, two_shard_fake, caplog):
    """Both would alert the same channels: the sharded one waits while lease 'bot' is held, and
    acts (connects) once it is free."""
    from bot.app import serve
    from bot.clock import Clock

    fake = two_shard_fake
    settings = bot_settings(tmp_path, fake, PODIUM_SHARD_COUNT=2, PODIUM_LEASE_TTL=2, PODIUM_LEASE_HEARTBEAT=0.2)
    settings.database.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc)
    async with await Database.open(settings.database) as db:
        await lease_store.take(db, "bot", "unsharded-elsewhere", "other-host", 4242, now, now.replace(year=now.year + 1))
        serving = asyncio.create_task(serve(settings, Clock.from_settings(settings)))
        try:
            await until(lambda: any("an unsharded process acts on this database" in r.getMessage() for r in caplog.records), 10,
                        "the sharded process to say why it waits")
            await asyncio.sleep(0.5)  # a few of its tries
            assert fake.identify_count == 0 and not fake.shard_sessions
            assert sum("an unsharded process acts" in r.getMessage() for r in caplog.records) == 1  # said once
            await lease_store.release(db, "bot", "unsharded-elsewhere")
            await until(lambda: set(fake.shard_sessions) == {0, 1}, 20, "the sharded process to connect both shards")
        finally:
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
