"""The alerts' Poster with discord.py (bot/discord_io/poster.py) against the fake Discord: every
outcome, the bot's own recent messages, and the change to discord.py's bucket clean-up."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import discord
import pytest

from bot.alerts.ports import FAILED, FORBIDDEN, GONE, RETRY, SENT
from bot.discord_io.endpoints import DISCORD_API, use_endpoints
from bot.discord_io.poster import DiscordPoster, amortize_ratelimit_cleanup
from tests.support.world import CHANNEL, CHANNELS, QUIET

OTHER = CHANNELS[1]


@pytest.fixture
async def poster(fake):
    use_endpoints(fake.api_url, None)
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(fake.token)
        yield fake, DiscordPoster(client)
    finally:
        await client.close()
        use_endpoints(DISCORD_API, None)


async def test_discord_py_still_has_the_bucket_clean_up_it_changes():
    """If discord.py renames or drops HTTPClient._try_clear_expired_ratelimits, the change would
    silently do nothing and a 10,000-channel fan-out would go quadratic again: fail here instead."""
    assert callable(getattr(discord.http.HTTPClient, "_try_clear_expired_ratelimits", None))
    http = discord.http.HTTPClient(loop=None)
    assert isinstance(http._buckets, dict)
    scans = []
    original = http._try_clear_expired_ratelimits
    http._try_clear_expired_ratelimits = lambda: (scans.append(len(http._buckets)), original())
    assert amortize_ratelimit_cleanup(http) and amortize_ratelimit_cleanup(http)  # idempotent
    for n in range(2000):
        http.get_ratelimit(f"route:{n}")  # discord.py calls the clean-up on every new bucket
    assert scans == [256, 512, 1024], scans  # only when the count has doubled, not 1,744 times


def test_the_change_reports_a_client_without_the_method():
    class Elsewhere:
        _buckets: dict = {}

    assert amortize_ratelimit_cleanup(Elsewhere()) is False


async def test_post_edit_delete_and_list_own_messages(poster):
    fake, post = poster
    since = datetime.now(timezone.utc)
    first = await post.post(CHANNEL, "part one", "nonce-1")
    second = await post.post(CHANNEL, "part two", "nonce-2")
    assert first.status == second.status == SENT and first.message_id != second.message_id
    assert fake.requests_to("POST", rf"/channels/{CHANNEL}/messages$")[0].body["allowed_mentions"] == {"parse": []}
    listing = await post.own_messages_since(CHANNEL, since)
    assert listing.status == SENT and [(m.id, m.content) for m in listing.messages] == [
        (first.message_id, "part one"), (second.message_id, "part two")]
    assert (await post.own_messages_since(CHANNEL, since + timedelta(hours=1))).messages == ()
    assert (await post.edit(CHANNEL, first.message_id, "part one, edited")).status == SENT
    assert (await post.delete(CHANNEL, second.message_id)).status == SENT
    assert [m["content"] for m in fake.messages(CHANNEL)] == ["part one, edited"]
    assert (await post.edit(CHANNEL, second.message_id, "again")).status == GONE  # Unknown Message


async def test_listing_pages_through_more_than_a_hundred_messages(poster):
    fake, post = poster
    since = datetime.now(timezone.utc)
    for n in range(230):
        fake._h_create_message(None, {"channel_id": str(OTHER)}, {"content": f"m{n}"})
    listing = await post.own_messages_since(OTHER, since)
    assert [m.content for m in listing.messages] == [f"m{n}" for n in range(230)]
    assert len(fake.requests_to("GET", rf"/channels/{OTHER}/messages$")) == 3


async def test_outcomes(poster):
    fake, post = poster
    fake.remove_channel(OTHER)
    assert (await post.post(OTHER, "x", "n")).status == GONE
    assert (await post.own_messages_since(OTHER, datetime.now(timezone.utc))).status == GONE
    assert (await post.post(QUIET, "x", "n")).status == FORBIDDEN
    fake.fail_next("POST", rf"^/channels/{CHANNEL}/messages$", 503)
    assert (await post.post(CHANNEL, "x", "n")).status == RETRY
    fake.fail_next("GET", rf"^/channels/{CHANNEL}/messages$", 503)
    assert (await post.own_messages_since(CHANNEL, datetime.now(timezone.utc))).status == RETRY
    assert (await post.post(CHANNEL, "x" * 2001, "n")).status == FAILED
    assert (await post.post(CHANNEL, "fine", "n")).status == SENT  # and the control goes through


def test_the_alerts_import_no_discord():
    from pathlib import Path

    import bot.alerts

    for module in Path(bot.alerts.__file__).parent.glob("*.py"):
        lines = module.read_text(encoding="utf-8").splitlines()
        assert not [line for line in lines if line.startswith(("import discord", "from discord"))], module.name


async def test_an_answer_that_does_not_come_is_a_passing_fault(poster):
    fake, post = poster
    post.timeout = 0.2
    fake.latency = 0.5
    assert (await post.post(CHANNEL, "slow", "n-slow")).status == RETRY
    fake.latency = 0
    assert (await post.post(CHANNEL, "fast", "n-fast")).status == SENT
