"""/about: where a member looks for what Podium knows and where its facts come from (the sources
and their terms, as each data set credits them), in the channel's language."""
from __future__ import annotations

from tests.support.commands import EPHEMERAL, ask, bot
from tests.support.world import DUTCH_CHANNEL, DUTCH_GUILD


async def test_about_credits_every_shipped_games_and_its_sources(tmp_path, fake):
    async with bot(tmp_path, fake):
        result = await ask(fake, "about", {})
    text = result["text"]
    assert not result["flags"] & EPHEMERAL
    assert text.startswith("**Podium** · the Olympic programme every evening")
    for name in ("Beijing 2022", "Milano Cortina 2026", "Paris 2024", "LA 2028"):
        assert f"**{name}**" in text
    assert "CC BY-NC 4.0" in text  # Milano Cortina 2026's terms as cited
    assert "MIT" in text  # LA 2028's session data
    assert "<https://" in text  # links without a preview
    assert all(len(m["content"]) <= 2000 for m in result["handle"].messages)


async def test_about_in_dutch(tmp_path, fake):
    async with bot(tmp_path, fake):
        result = await ask(fake, "about", {}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
    assert result["text"].startswith("**Podium** · elke avond het olympisch programma")
    assert "Bron: " in result["text"] and "voorwaarden: " in result["text"]
    command = fake.find_command("about", None)
    assert command["name_localizations"]["nl"] == "over"
