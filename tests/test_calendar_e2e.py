"""/calendar through the real client and the fake Discord: an .ics attachment with the sessions
still to come. The clock stands at Tuesday 15 February 2022, 20:00 in Amsterdam (19:00 UTC)."""
from __future__ import annotations

import icalendar

from tests.fake_discord.harness import running_bot
from tests.support.commands import CLOCK, EPHEMERAL
from tests.support.commands import ask as ask_command
from tests.support.world import CHANNEL, DUTCH_CHANNEL, DUTCH_GUILD, GUILD, MEMBER


async def ask(fake, options=None, **where) -> dict:
    return await ask_command(fake, "calendar", options, **where)


def attached_calendar(result) -> icalendar.Calendar:
    message = result["message"]
    files = message.get("_files") or []
    assert [f["filename"] for f in files] == ["podium-beijing-2022.ics"]
    assert [a["filename"] for a in message["attachments"]] == ["podium-beijing-2022.ics"]
    return icalendar.Calendar.from_ical(files[0]["content"])


def callback_uploads(fake) -> list:
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/callback")
            and r.headers.get("Content-Type", "").startswith("multipart/form-data")]


async def test_calendar_of_a_nation_is_an_ics_attachment(tmp_path, fake, caplog):
    async with running_bot(tmp_path, fake, PODIUM_CLOCK=CLOCK):
        result = await ask(fake, {"country": "NED"})
        assert not result["flags"] & EPHEMERAL
        assert result["text"] == ("📅 The 14 sessions (Netherlands) of Beijing 2022 still to come, "
                                  "as a calendar file to import into your calendar app.")
        assert len(callback_uploads(fake)) == 1
        calendar = attached_calendar(result)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 14  # the Dutch sessions from 15 February 19:00 UTC on
        assert sum("🏅" in str(e["SUMMARY"]) for e in events) == 7
        assert str(calendar["X-WR-CALNAME"]) == "Beijing 2022 – Netherlands"
        assert all(e["DTSTART"].to_ical().endswith(b"Z") for e in events)
        again = await ask(fake, {"country": "Netherlands"})
        assert again["message"]["_files"][0]["content"] == result["message"]["_files"][0]["content"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"], "the bot logged an error"
    assert all(h.callback_count == 1 and not h.followups for h in (result["handle"], again["handle"]))


async def test_calendar_of_a_sport_in_dutch(tmp_path, fake):
    async with running_bot(tmp_path, fake, PODIUM_CLOCK=CLOCK):
        result = await ask(fake, {"sport": "schaatsen", "country": "Nederland"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        assert result["text"].startswith("📅 De 6 wedstrijden (Schaatsen, Nederland) van Peking 2022 die nog komen")
        calendar = attached_calendar(result)
        summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
        assert len(summaries) == 6 and all(s.removeprefix("🏅 ").startswith("Schaatsen – ") for s in summaries)
        everything = await ask(fake)
        assert len(list(attached_calendar(everything).walk("VEVENT"))) == 92


async def test_calendar_bad_inputs_get_a_private_error_and_no_file(tmp_path, fake):
    async with running_bot(tmp_path, fake, PODIUM_CLOCK=CLOCK):
        sport = await ask(fake, {"sport": "curlingg"})
        assert sport["flags"] & EPHEMERAL
        assert "I don't know the sport 'curlingg'" in sport["text"] and "Curling" in sport["text"]
        assert "_files" not in sport["message"]
        country = await ask(fake, {"country": "Nedrland"})
        assert country["flags"] & EPHEMERAL and "I don't know the nation 'Nedrland'" in country["text"]
        assert callback_uploads(fake) == []


async def test_calendar_is_registered_with_dutch_names_and_autocomplete(tmp_path, fake):
    async with running_bot(tmp_path, fake, PODIUM_CLOCK=CLOCK):
        command = next(c for c in fake.global_commands() if c["name"] == "calendar")
        assert command["name_localizations"]["nl"] == "kalender"
        assert command["description_localizations"]["nl"] == "De wedstrijden die nog komen als agendabestand (.ics)"
        assert {o["name"]: o["name_localizations"]["nl"] for o in command["options"]} == {"sport": "sport", "country": "land", "games": "spelen"}
        assert all(o["autocomplete"] for o in command["options"])
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "calendar", {"country": "nede"}, type=4)
        choices = (await handle.response())["choices"]
        assert choices[0]["value"] == "NED"
