"""The shipped LA 2028 data set against ../shared/data/la-2028/sessions.csv: all 847 sessions, by session
(sport and events as text), in their own zones, with TBD sessions on their day and never at midnight."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.programme import programme_for
from bot.core.render import render_programme
from bot.data.dataset import SHIPPED_DIR, load_dataset_file
from tests.support.reference import reference_rows

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def games():
    return load_dataset_file(SHIPPED_DIR / "la-2028.json")


def reference() -> list[dict]:
    return reference_rows("la-2028", "sessions.csv")


def test_every_session_with_its_time_zone_venue_and_events(games):
    rows = reference()
    sessions = {s.id: s for s in games.sessions}
    assert len(rows) == len(sessions) == 847
    for row in rows:
        session = sessions[row["session_code"]]
        assert session.event_id is None and session.events_text["en"] == row["description"], row["session_code"]
        assert session.venue == row["venue"]
        zone = ZoneInfo(session.timezone or games.games.host_timezone)
        assert zone.key == row["time_zone"], row["session_code"]
        if row["start_local"]:
            assert not session.time_tbd
            assert session.start == datetime.fromisoformat(row["start_local"]), row["session_code"]
            assert session.end == datetime.fromisoformat(row["end_local"]), row["session_code"]
        else:
            assert session.time_tbd, row["session_code"]
            local = session.start.astimezone(zone)
            assert local.date().isoformat() == row["date_local"] and local.hour != 0, row["session_code"]
    assert sum(s.time_tbd for s in games.sessions) == 50


def test_known_sessions(games):
    sessions = {s.id: s for s in games.sessions}
    assert sessions["CER01A"].start == datetime.fromisoformat("2028-07-14T17:00:00-07:00")
    assert sessions["CSL01"].start.astimezone(LOS_ANGELES).hour == 7 and sessions["CSL01"].timezone == "America/Chicago"
    assert sessions["TEN10"].end == datetime.fromisoformat("2028-07-21T00:00:00-07:00")
    assert games.sports[sessions["BSB29"].sport_id].name == {"en": "Softball", "nl": "Softbal"}
    assert games.sports["FBL"].name == {"en": "Football", "nl": "Voetbal"}  # the same as Paris 2024's
    assert "MIT" in games.games.sources[0].terms and "Unofficial Session Guide Contributors" in games.games.sources[0].terms


def test_a_tbd_football_day_lists_its_sessions_as_time_to_be_announced(games):
    programme = programme_for(games, date(2028, 7, 10), LOS_ANGELES)
    items = [item for block in programme.blocks for item in block.items]
    tbd = [item for item in items if item.session.time_tbd]
    assert {item.session.id for item in tbd} == {"FBL01", "FBL02", "FBL03", "FBL04", "FBL05", "FBL06"}  # New York ... St. Louis
    text = "\n".join(render_programme(programme, "en", title="day"))
    assert "`time TBA` " in text and "`12:00`" not in text and "`00:00`" not in text
    assert "tijd n.n.b." in "\n".join(render_programme(programme, "nl", title="day"))


def test_opening_day_in_los_angeles_time(games):
    programme = programme_for(games, date(2028, 7, 14), LOS_ANGELES)
    ids = {item.session.id for block in programme.blocks for item in block.items}
    assert {"CER01A", "CSL01"} <= ids
