"""Who reads an answer decides its language: what only the user sees (errors, confirmations, the
full medal table, suggestions) is in the language of their Discord client; what the channel sees
is in the server's. Each checked both ways: a Dutch member in the English server and an English
member in the Dutch one."""
from __future__ import annotations

from tests.support.commands import EPHEMERAL, ask, assert_error, bot
from tests.support.world import CHANNEL, DUTCH_CHANNEL, DUTCH_GUILD, GUILD, MANAGER, MEMBER

ENGLISH_SERVER = {"guild": GUILD, "channel": CHANNEL}
DUTCH_SERVER = {"guild": DUTCH_GUILD, "channel": DUTCH_CHANNEL}


async def click_show_all(fake, table, where, locale) -> dict:
    button = table["components"][0]["components"][0]
    handle = await fake.interact(where["guild"], where["channel"], MEMBER, type=3, custom_id=button["custom_id"], locale=locale)
    result = await handle.response()
    result["text"] = handle.text()
    return result


async def test_a_dutch_member_in_the_english_server(tmp_path, fake):
    async with bot(tmp_path, fake):
        table = await ask(fake, "medals", locale="nl", **ENGLISH_SERVER)
        assert not table["flags"] & EPHEMERAL and table["text"].startswith("🏟️ **Beijing 2022**\n**Medal table**")  # the channel's language
        assert table["components"][0]["components"][0]["label"] == "Show all nations"
        full = await click_show_all(fake, table, ENGLISH_SERVER, "nl")
        assert full["flags"] & EPHEMERAL and full["text"].startswith("🏟️ **Peking 2022**\n**Medaillespiegel**")  # theirs alone
        assert_error(await ask(fake, "medals", {"country": "Nederlnd"}, locale="nl", **ENGLISH_SERVER),
                     "Het land 'Nederlnd' ken ik niet", "NED (Nederland)")
        assert_error(await ask(fake, "programme", {"date": "morgen"}, locale="nl", **ENGLISH_SERVER), "'morgen' is geen datum")
        subscribed = await ask(fake, "subscribe", {}, user=MANAGER, locale="nl", **ENGLISH_SERVER)
        assert subscribed["flags"] & EPHEMERAL and "staat nu op het avondbericht" in subscribed["text"]
        assert "in het Engels" in subscribed["text"]  # the alert itself follows the server
        listing = await ask(fake, "subscriptions", locale="nl", **ENGLISH_SERVER)
        assert listing["text"].startswith("**Avondbericht — 1 kanaal/kanalen**")
        suggestions = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "duits"}, type=4, locale="nl")
        assert (await suggestions.response())["choices"][0] == {"name": "Duitsland (GER)", "value": "GER"}
        done = await ask(fake, "unsubscribe", {}, user=MANAGER, locale="nl", **ENGLISH_SERVER)
        assert "staat niet meer op het avondbericht" in done["text"]


async def test_an_english_member_in_the_dutch_server(tmp_path, fake):
    async with bot(tmp_path, fake):
        table = await ask(fake, "medals", locale="en-GB", **DUTCH_SERVER)
        assert not table["flags"] & EPHEMERAL and table["text"].startswith("🏟️ **Peking 2022**\n**Medaillespiegel**")
        assert table["components"][0]["components"][0]["label"] == "Toon alle landen"
        full = await click_show_all(fake, table, DUTCH_SERVER, "en-GB")
        assert full["flags"] & EPHEMERAL and full["text"].startswith("🏟️ **Beijing 2022**\n**Medal table**")
        assert_error(await ask(fake, "medals", {"country": "Nederlnd"}, locale="en-GB", **DUTCH_SERVER),
                     "I don't know the nation 'Nederlnd'", "NED (Netherlands)")
        assert_error(await ask(fake, "subscribe", {"time": "25:99"}, user=MANAGER, locale="en-US", **DUTCH_SERVER), "'25:99'", "HH:MM")
        subscribed = await ask(fake, "subscribe", {}, user=MANAGER, locale="en-US", **DUTCH_SERVER)
        assert "is now on the evening alert" in subscribed["text"] and "in Dutch" in subscribed["text"]
        public = await ask(fake, "programme", {"date": "2022-02-15"}, locale="en-US", **DUTCH_SERVER)
        assert public["text"].startswith("🏟️ **Peking 2022**\n**Programma voor dinsdag 15 februari**")


async def test_a_language_podium_does_not_speak_falls_back_to_the_channels(tmp_path, fake):
    async with bot(tmp_path, fake):
        assert_error(await ask(fake, "medals", {"country": "Nederlnd"}, locale="de", **DUTCH_SERVER), "Het land 'Nederlnd' ken ik niet")
        assert_error(await ask(fake, "medals", {"country": "Nederlnd"}, locale="de", **ENGLISH_SERVER), "I don't know the nation")


async def test_an_unknown_nation_reads_the_channel_context_at_most_once(tmp_path, fake):
    async with bot(tmp_path, fake) as run:
        services = run.bot.services
        reads = []
        read = services.channel_context

        async def counted(*args):
            reads.append(args)
            return await read(*args)

        services.channel_context = counted
        await ask(fake, "medals", {"country": "NED"})
        assert len(reads) == 1  # the count sees a command's read
        reads.clear()
        assert_error(await ask(fake, "medals", {"country": "Nederlnd"}), "I don't know the nation")
        assert reads == []  # an English user: nothing of the channel is needed
        assert_error(await ask(fake, "medals", {"country": "Nederlnd"}, locale="de", **DUTCH_SERVER), "Het land")
        assert len(reads) == 1  # a language Podium does not speak: the channel's, read once
