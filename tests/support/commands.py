"""What the command end-to-end tests share: the bot on Tuesday 15 February 2022, 20:00 in
Amsterdam, and asking it something."""
from __future__ import annotations

from tests.fake_discord.harness import running_bot
from tests.support.world import CHANNEL, GUILD, MEMBER

CLOCK = "2022-02-15T20:00:00+01:00"
EPHEMERAL = 64


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
