"""A channel that asks for the full programme, end to end: /subscribe full_programme:True through the
real client and the fake Discord, /subscriptions shows it, and at 20:00 that channel gets every
session of a Paris 2024 day (in as many messages as it takes) while a channel with the default
gets the same day in at most three."""
from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.evening_alert import compose_evening_alert
from bot.core.render import PROGRAMME_MESSAGES
from bot.data.dataset import SHIPPED_DIR, parse_dataset
from tests.support.alerts import alert_bot, settle
from tests.support.commands import ask
from tests.support.world import CHANNELS, MANAGER

SHORT, FULL = CHANNELS[1], CHANNELS[2]
PARIS = ZoneInfo("Europe/Paris")
DAY = date(2024, 8, 3)


def one_paris_day() -> dict:
    """Paris 2024 cut down to the sessions of 3 August (191 of them) and what they name."""
    doc = json.loads((SHIPPED_DIR / "paris-2024.json").read_text(encoding="utf-8"))
    doc["sessions"] = [s for s in doc["sessions"] if datetime.fromisoformat(s["start"]).astimezone(PARIS).date() == DAY]
    events = {s["event"] for s in doc["sessions"]}
    doc["events"] = [e for e in doc["events"] if e["id"] in events]
    doc["sports"] = [s for s in doc["sports"] if s["id"] in {e["sport"] for e in doc["events"]}]
    doc["results"] = [r for r in doc["results"] if r["event"] in events]
    doc.pop("standings", None)
    return doc


async def test_a_channel_with_the_full_programme_gets_every_session(tmp_path, fake):
    doc = one_paris_day()
    data = parse_dataset(json.dumps(doc, ensure_ascii=False))
    sessions = len(data.sessions)
    evening = datetime(2024, 8, 2, 20, 0, tzinfo=PARIS)
    expected_short = compose_evening_alert(data, DAY, PARIS, "en", now=evening)
    expected_full = compose_evening_alert(data, DAY, PARIS, "en", now=evening, full=True)
    assert len(expected_short) <= PROGRAMME_MESSAGES < len(expected_full)

    async with alert_bot(tmp_path, fake, "2024-08-02T19:58:00+02:00", speed=15, dataset=doc, PODIUM_TIMEZONE="Europe/Paris") as run:
        short = (await ask(fake, "subscribe", {"channel": SHORT, "time": "20:00"}, user=MANAGER))["text"]
        full = (await ask(fake, "subscribe", {"channel": FULL, "time": "20:00", "full_programme": True}, user=MANAGER))["text"]
        assert "full programme" in full and "full programme" not in short
        lines = (await ask(fake, "subscriptions", user=MANAGER))["text"].split("\n")
        assert any(f"<#{FULL}>" in line and "full programme" in line for line in lines)
        assert any(f"<#{SHORT}>" in line and "full programme" not in line for line in lines)
        assert fake.messages(SHORT) == fake.messages(FULL) == []  # not before 20:00

        got_full = [m["content"] for m in await fake.wait_for_messages(FULL, len(expected_full), timeout=20)]
        got_short = [m["content"] for m in await fake.wait_for_messages(SHORT, len(expected_short), timeout=20)]
        await settle(run)

    assert got_full == expected_full and got_short == expected_short
    assert all(len(message) <= 2000 for message in got_full + got_short)
    full_lines = [line for message in got_full for line in message.split("\n") if line.startswith("`")]
    assert len(full_lines) == sessions == 191  # every session on a line of its own
    assert "+" not in "".join(line[0] for message in got_full for line in message.split("\n") if line)
    assert any(line.endswith(" more") for message in got_short for line in message.split("\n"))


async def test_the_option_has_a_dutch_name_and_description(tmp_path, fake):
    async with alert_bot(tmp_path, fake, "2024-08-02T12:00:00+02:00", dataset=one_paris_day()):
        command = fake.find_command("subscribe", None)
    option = next(o for o in command["options"] if o["name"] == "full_programme")
    assert option["name_localizations"]["nl"] == "volledig_programma"
    assert option["description_localizations"]["nl"].startswith("Alle wedstrijden van de dag")
    assert option["type"] == 5  # a boolean
