"""What the command end-to-end tests share: an English and a Dutch server on the fake Discord,
the bot on Tuesday 15 February 2022, 20:00 in Amsterdam, and asking it something."""
from __future__ import annotations

from tests.fake_discord import FakeDiscord
from tests.fake_discord.harness import running_bot

GUILD, DUTCH_GUILD = 101010101010101010, 202020202020202020
CHANNEL, DUTCH_CHANNEL = 111111111111111101, 222222222222222201
MANAGER, MEMBER = 444444444444444401, 444444444444444402
CLOCK = "2022-02-15T20:00:00+01:00"
EPHEMERAL = 64


def olympic_servers(token: str) -> FakeDiscord:
    """A fake Discord (not started) with an English and a Dutch server, a manager and a member."""
    server = FakeDiscord(token=token)
    server.add_guild(GUILD, name="Olympics", locale="en-US")
    server.add_guild(DUTCH_GUILD, name="Oranje", locale="nl")
    server.add_channel(GUILD, CHANNEL, "olympics")
    server.add_channel(DUTCH_GUILD, DUTCH_CHANNEL, "spelen")
    for guild in (GUILD, DUTCH_GUILD):
        server.add_member(guild, MANAGER, "manager", manage_channels=True)
        server.add_member(guild, MEMBER, "member", manage_channels=False)
    return server


def bot(tmp_path, fake, **overrides):
    return running_bot(tmp_path, fake, PODIUM_CLOCK=CLOCK, **overrides)


async def ask(fake, name, options=None, *, guild=GUILD, channel=CHANNEL, user=MEMBER, locale="en-US") -> dict:
    """Run a command; its visible answer, with `text` (all of it) and the interaction `handle`."""
    handle = await fake.interact(guild, channel, user, name, options or {}, locale=locale)
    result = await handle.response()
    assert handle.callback_count == 1, "answered more than once"
    result["text"] = handle.text()
    result["handle"] = handle
    return result


def assert_error(result, *phrases):
    assert result["flags"] & EPHEMERAL, result["text"]
    for phrase in phrases:
        assert phrase in result["text"], result["text"]
    assert "Traceback" not in result["text"]
