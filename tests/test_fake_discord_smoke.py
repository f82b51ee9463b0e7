"""The real discord.py client (serve()) against the fake Discord: start, command sync, a command
answered, no second sync, a refused token, a gateway reconnect."""
from __future__ import annotations

import asyncio

import discord
import pytest

from tests.fake_discord.harness import bot_settings, running_bot
from tests.support.datasets import mini_dataset
from tests.support.waiting import until
from tests.support.world import CHANNEL, DUTCH_GUILD, GUILD, MANAGER, MEMBER, OTHER_GUILD, QUIET

CLOCK = "2030-02-10T12:00:00+01:00"  # after every result of the mini data set
COMMANDS = ["about", "calendar", "medals", "programme", "results", "subscribe", "subscriptions", "unsubscribe"]


def bot(tmp_path, fake, **overrides):
    return running_bot(tmp_path, fake, dataset=mini_dataset(), PODIUM_CLOCK=CLOCK, **overrides)


async def test_bot_starts_syncs_and_answers_medals(tmp_path, fake):
    async with bot(tmp_path, fake) as run:
        assert run.bot.user.id == fake.bot_id
        assert sorted(g.id for g in run.bot.guilds) == [GUILD, DUTCH_GUILD, OTHER_GUILD]
        assert fake.identify_count == 1
        assert fake.sync_count == 1
        assert fake.command_names() == COMMANDS
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
        result = await handle.response()
        assert handle.callback_count == 1
        assert result["type"] == 4
        assert "Netherlands" in handle.text()
    # every REST call the client made was answered with a known route
    assert all(status < 400 for _, _, status in fake.requests), fake.requests


async def test_second_start_with_same_database_does_not_sync(tmp_path, fake):
    async with bot(tmp_path, fake):
        pass
    assert fake.sync_count == 1
    async with bot(tmp_path, fake) as run:
        assert fake.identify_count == 2
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
        result = await handle.response()
        assert "Netherlands" in result["content"]
        assert run.bot.is_ready()
    assert fake.sync_count == 1
    assert not fake.requests_to("PUT", "/commands$")[1:]


async def test_wrong_token_raises_login_failure(tmp_path, fake):
    from bot.app import serve

    settings = bot_settings(tmp_path, fake, DISCORD_TOKEN="not-the-token")
    from tests.fake_discord.harness import load_dataset

    await load_dataset(settings.database, mini_dataset())
    try:
        with pytest.raises(discord.LoginFailure):
            await asyncio.wait_for(serve(settings), 5)
    finally:
        from bot.discord_io.endpoints import DISCORD_API, use_endpoints

        use_endpoints(DISCORD_API, None)
    assert ("GET", "/users/@me", 401) in fake.requests
    assert fake.identify_count == 0


async def test_gateway_reconnect_resumes_and_still_answers(tmp_path, fake):
    async with bot(tmp_path, fake):
        await fake.gateway_send_reconnect()
        await until(lambda: fake.resume_count, 5, "a RESUME")
        assert fake.resume_count == 1
        assert fake.identify_count == 1
        assert fake.gateway_connections[-1].path == "/gateway-resume"
        await fake.wait_connected()
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
        await handle.response()
        assert "Netherlands" in handle.text()


# --- the fake itself: endpoints hook, gateway faults, deferred answers, REST faults ----------
def test_use_endpoints_redirects_rest_gateway_and_resume():
    import discord.gateway
    import discord.http
    import yarl

    from bot.discord_io.endpoints import DISCORD_API, DISCORD_GATEWAY, use_endpoints

    try:
        use_endpoints("http://127.0.0.1:9/api/v10/", "ws://127.0.0.1:9/gateway")
        assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:9/gateway"
        ws = object.__new__(discord.gateway.DiscordWebSocket)
        ws.gateway = yarl.URL("wss://gateway-us-east1-b.discord.gg")  # a READY from Discord itself
        assert str(ws.gateway) == "ws://127.0.0.1:9/gateway"
        ws.gateway = yarl.URL("ws://127.0.0.1:9/gateway-resume")  # the configured host's own resume URL
        assert str(ws.gateway) == "ws://127.0.0.1:9/gateway-resume"
    finally:
        use_endpoints(DISCORD_API, None)
    assert discord.http.Route("GET", "/users/@me").url == "https://discord.com/api/v10/users/@me"
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == DISCORD_GATEWAY
    ws.gateway = yarl.URL("wss://gateway-us-east1-b.discord.gg")
    assert str(ws.gateway) == "wss://gateway-us-east1-b.discord.gg"


async def test_events_sent_while_disconnected_are_replayed_on_resume(tmp_path, fake):
    async with bot(tmp_path, fake):
        await fake.gateway_drop()
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
        result = await handle.response()
        assert "Netherlands" in result["content"]
        assert fake.resume_count == 1 and fake.identify_count == 1


async def test_invalid_session_makes_the_bot_identify_again(tmp_path, fake):
    async with bot(tmp_path, fake):
        await fake.gateway_invalid_session(resumable=False)
        await until(lambda: fake.identify_count == 2 and fake.connected, 5, "a second IDENTIFY")
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
        assert "Netherlands" in (await handle.response())["content"]


async def test_deferred_answer_is_followed_up_once_and_ephemeral(tmp_path, fake):
    async with bot(tmp_path, fake):
        handle = await fake.interact(GUILD, CHANNEL, MANAGER, "subscribe", {"channel": CHANNEL, "time": "19:00"})
        result = await handle.response()
        assert result["type"] == 5
        assert result["flags"] & 64
        assert result["content"]
        assert handle.callback_count == 1 and not handle.rejected_callbacks


async def test_second_callback_is_refused_like_discord(tmp_path, fake):
    import aiohttp

    async with bot(tmp_path, fake):
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
        await handle.response()
        async with aiohttp.ClientSession() as session:
            url = f"{fake.api_url}/interactions/{handle.id}/{handle.token}/callback"
            async with session.post(url, json={"type": 4, "data": {"content": "again"}}) as response:
                assert response.status == 400
                assert (await response.json())["code"] == 40060
                assert response.headers["X-RateLimit-Bucket"]
        assert handle.callback_count == 2 and len(handle.callbacks) == 1


async def test_rest_faults_nonce_and_rate_limits(tmp_path, fake):
    async with bot(tmp_path, fake) as run:
        channel = run.bot.get_partial_messageable(CHANNEL)
        fake.fail_next("POST", r"^/channels/\d+/messages$", 429)  # retried after retry_after
        first = await channel.send("one", nonce="nonce-1")
        fake.fail_next("POST", r"^/channels/\d+/messages$", 500, apply=True)  # stored, then 500: the retry is deduplicated
        again = await channel.send("one", nonce="nonce-1")
        assert again.id == first.id
        assert [m["content"] for m in fake.messages(CHANNEL)] == ["one"]
        with pytest.raises(discord.Forbidden) as forbidden:
            await run.bot.get_partial_messageable(QUIET).send("x")
        assert forbidden.value.code == 50013
        with pytest.raises(discord.NotFound) as missing:
            await run.bot.get_partial_messageable(424242).send("x")
        assert missing.value.code == 10003
        fake.global_limit_per_second = 3
        await asyncio.gather(*(channel.send(f"burst {i}") for i in range(4)))
        assert any(r.status == 429 for r in fake.requests_to("POST", "/messages$"))
        assert len(fake.messages(CHANNEL)) == 5


async def test_a_broken_cog_is_logged_and_skipped(tmp_path, fake, monkeypatch, caplog):
    from bot.discord_io import client

    async with bot(tmp_path / "first", fake):  # a first start syncs every command
        pass
    assert fake.sync_count == 1
    (tmp_path / "podium_broken_cog.py").write_text("async def setup(bot):\n    raise RuntimeError('this cog is broken')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(client, "COGS", ("podium_broken_cog", *client.COGS))  # first, so the others load after it
    with caplog.at_level("ERROR", logger="podium.bot"):
        async with bot(tmp_path / "second", fake):  # a new database: without the broken cog it would sync
            handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
            assert "Netherlands" in (await handle.response())["content"]
    [record] = [r for r in caplog.records if "podium_broken_cog" in r.getMessage()]
    assert "this cog is broken" in caplog.text
    assert fake.sync_count == 1  # the commands Discord shows stay the full set
