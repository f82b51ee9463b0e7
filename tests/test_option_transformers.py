"""The option transformers (bot/discord_io/transformers.py) through the real client: what
autocomplete suggests is checked again when the command arrives, the Games are read once per
interaction however many options need them, and without Games the user is told so."""
from __future__ import annotations

from tests.support.commands import ask, assert_error, bot
from tests.support.world import CHANNEL, GUILD, MANAGER, MEMBER


def count_calls(owner, name: str) -> list:
    calls, method = [], getattr(owner, name)

    async def counted(*args, **kwargs):
        calls.append(args)
        return await method(*args, **kwargs)

    setattr(owner, name, counted)
    return calls


async def test_a_suggestion_is_checked_again_when_the_command_arrives(tmp_path, fake):
    async with bot(tmp_path, fake):
        offered = await fake.interact(GUILD, CHANNEL, MANAGER, "subscribe", {"timezone": "new york"}, type=4)
        value = next(c["value"] for c in (await offered.response())["choices"] if c["name"] == "America/New York")
        done = await ask(fake, "subscribe", {"timezone": value}, user=MANAGER)
        assert "(America/New_York)" in done["text"]
        # what arrives need not be a suggestion: a close miss is refused with the right spelling
        assert_error(await ask(fake, "subscribe", {"timezone": "America/New_Yrok"}, user=MANAGER), "'America/New_Yrok'", "America/New_York")


async def test_the_games_are_read_once_per_interaction(tmp_path, fake):
    async with bot(tmp_path, fake) as run:
        reads = count_calls(run.bot.services.games, "index")
        result = await ask(fake, "results", {"date": "2022-02-08", "sport": "SSK", "country": "NED"})
        assert "Netherlands" in result["text"]
        assert len(reads) == 1  # the sport, the nation and the command share one read
        reads.clear()
        await ask(fake, "calendar", {"sport": "SSK", "country": "NED"})
        assert len(reads) == 1


async def test_without_games_the_options_say_so(tmp_path, fake):
    async with bot(tmp_path, fake) as run:
        async def none():
            return []

        run.bot.services.games.index = none
        suggestions = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "neth"}, type=4)
        assert (await suggestions.response())["choices"] == []
        assert_error(await ask(fake, "medals", {"country": "NED"}), "No Games are loaded yet")
        assert_error(await ask(fake, "programme", {"sport": "SSK"}), "No Games are loaded yet")
        assert_error(await ask(fake, "medals"), "No Games are loaded yet")
