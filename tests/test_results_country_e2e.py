"""/results with a country: that nation's placings of the day, medals or not, as of the bot's clock.

The real bot against the fake Discord; the clock stands at Tuesday 15 February 2022, 20:00 in
Amsterdam (the sessions of that day in Beijing have all ended)."""
from __future__ import annotations

from tests.support.commands import EPHEMERAL, ask, bot
from tests.support.world import DUTCH_CHANNEL, DUTCH_GUILD, MEMBER


async def test_a_nations_placings_of_today_medals_and_the_rest(tmp_path, fake):
    async with bot(tmp_path, fake):
        result = await ask(fake, "results", {"country": "NED"})
    text = result["text"]
    assert not result["flags"] & EPHEMERAL
    assert text.startswith("🏟️ **Beijing 2022**\n**Results for 🇳🇱 Netherlands — Tuesday 15 February**\n\n")
    # the bronze of the women's team pursuit: the medal from the medallists, the place within Final B ...
    assert "**Speed Skating – Women's Team Pursuit – Finals** (places within each race)\n🥉 1. Netherlands · 2:56.86 (Final B)" in text
    # ... and places that won nothing: second of Final B in the men's team pursuit, sixth in big air
    assert "**Speed Skating – Men's Team Pursuit – Finals** (places within each race)\n2. Netherlands · 3:41.62 (Final B)" in text
    assert "**Snowboard – Women's Big Air – Final**\n6. Melissa Peperkamp · 141.75" in text
    assert "**Figure Skating – Women's Singles – Short Program** (places of this run or round alone)\n22. Lindsay van Zundert · 59.24" in text
    assert text.index("Women's Big Air") < text.index("Women's Team Pursuit – Semifinals") < text.index("Two-Man – Run 3")
    assert all(len(m["content"]) <= 2000 for m in result["handle"].messages)


async def test_placings_in_dutch_by_dutch_name_and_iso_code(tmp_path, fake):
    async with bot(tmp_path, fake):
        dutch = await ask(fake, "results", {"country": "Nederland"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        iso = await ask(fake, "results", {"country": "nl", "date": "2022-02-15"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
    assert dutch["text"].startswith("🏟️ **Peking 2022**\n**Uitslagen voor 🇳🇱 Nederland — dinsdag 15 februari**")
    assert "**Schaatsen – Ploegenachtervolging vrouwen – Finale** (plaatsen binnen elke race)\n🥉 1. Netherlands · 2:56.86 (B-finale)" in dutch["text"]
    assert "**Schaatsen – Ploegenachtervolging mannen – Finale** (plaatsen binnen elke race)\n2. Netherlands · 3:41.62 (B-finale)" in dutch["text"]
    assert iso["text"] == dutch["text"]


async def test_placings_with_a_sport_and_of_a_day_not_yet_run(tmp_path, fake):
    async with bot(tmp_path, fake):
        skating = await ask(fake, "results", {"country": "NED", "sport": "SSK"})
        later = await ask(fake, "results", {"country": "NED", "date": "2022-02-17"})
    assert "Team Pursuit" in skating["text"] and "Big Air" not in skating["text"] and "Bobsleigh" not in skating["text"]
    assert later["text"] == "🏟️ **Beijing 2022**\nNo results for 🇳🇱 Netherlands on Thursday 17 February (yet)."


async def test_unknown_country_gets_an_ephemeral_error(tmp_path, fake):
    async with bot(tmp_path, fake):
        wrong = await ask(fake, "results", {"country": "Nederlnd"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        nonsense = await ask(fake, "results", {"country": "zzzzzz"})
    assert wrong["flags"] & EPHEMERAL
    assert "Het land 'Nederlnd' ken ik niet" in wrong["text"] and "NED (Nederland)" in wrong["text"]
    assert nonsense["flags"] & EPHEMERAL and "zzzzzz" in nonsense["text"]


async def test_country_option_has_a_dutch_name_and_autocomplete(tmp_path, fake):
    async with bot(tmp_path, fake):
        handle = await fake.interact(DUTCH_GUILD, DUTCH_CHANNEL, MEMBER, "results", {"country": "neder"}, type=4, locale="nl")
        choices = (await handle.response())["choices"]
    assert choices[0] == {"name": "Nederland (NED)", "value": "NED"}
    results = fake.find_command("results", None)
    assert {o["name"]: o["name_localizations"]["nl"] for o in results["options"]}["country"] == "land"
