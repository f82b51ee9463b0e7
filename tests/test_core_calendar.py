"""The calendar export: the remaining sessions as an iCalendar file, parsed back with icalendar."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from bot.core.calendar_export import PRODID, build_calendar, remaining_sessions
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

MID_GAMES = datetime(2022, 2, 15, 0, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def data():
    return load_dataset_file(SHIPPED_DATASET)


def events_of(ics: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(ics)
    return [c for c in calendar.walk("VEVENT")]


def test_remaining_sessions_of_a_nation(data):
    ics = build_calendar(data, after=MID_GAMES, nation="NED")
    events = events_of(ics)
    assert len(events) == 22
    assert sum("🏅" in str(e["SUMMARY"]) for e in events) == 11
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Beijing 2022 – Netherlands"


def test_filters_by_sport_and_both(data):
    assert len(events_of(build_calendar(data, after=MID_GAMES, sport="SSK"))) == 10
    assert len(events_of(build_calendar(data, after=MID_GAMES, sport="SSK", nation="NED"))) == 10
    assert len(events_of(build_calendar(data, after=MID_GAMES))) == 124
    everything = build_calendar(data, after=datetime(2022, 1, 1, tzinfo=timezone.utc))
    assert len(events_of(everything)) == 444


def test_after_is_inclusive_and_nothing_after_the_games(data):
    first = data.sessions[0]
    events = events_of(build_calendar(data, after=first.start))
    assert len(events) == len(data.sessions)
    assert len(events_of(build_calendar(data, after=first.start + timedelta(seconds=1)))) < len(data.sessions)
    empty = build_calendar(data, after=datetime(2022, 3, 1, tzinfo=timezone.utc))
    assert events_of(empty) == []
    assert b"BEGIN:VCALENDAR" in empty


def test_one_session_exactly(data):
    events = {str(e["UID"]): e for e in events_of(build_calendar(data, after=MID_GAMES, nation="NED"))}
    final = events["2411176@beijing-2022.podium"]  # women's team pursuit final
    assert str(final["SUMMARY"]) == "🏅 Speed Skating – Women's Team Pursuit – Finals"
    assert str(final["LOCATION"]) == "National Speed Skating Oval"
    assert final["DTSTART"].dt == datetime(2022, 2, 15, 7, 24, tzinfo=timezone.utc)
    assert final["DTEND"].dt == datetime(2022, 2, 15, 8, 34, tzinfo=timezone.utc)
    assert [str(c) for c in final["CATEGORIES"].cats] == ["Speed Skating", "Medal event"]
    semi = events["2411175@beijing-2022.podium"]
    assert str(semi["SUMMARY"]) == "Speed Skating – Women's Team Pursuit – Semifinals"
    assert "🏅" not in str(semi["SUMMARY"])
    assert [str(c) for c in semi["CATEGORIES"].cats] == ["Speed Skating"]


def test_dutch_texts(data):
    ics = build_calendar(data, after=MID_GAMES, nation="NED", sport="SSK", language="nl")
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["X-WR-CALNAME"]) == "Peking 2022 – Schaatsen – Nederland"
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert "🏅 Schaatsen – Ploegenachtervolging vrouwen – Finale" in summaries
    final = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "2411176@beijing-2022.podium")
    assert [str(c) for c in final["CATEGORIES"].cats] == ["Schaatsen", "Medaillebeslissing"]


def test_times_are_utc_and_the_output_is_deterministic(data):
    ics = build_calendar(data, after=MID_GAMES, nation="NED")
    lines = ics.decode().split("\r\n")
    starts = [line for line in lines if line.startswith("DTSTART")]
    assert len(starts) == 22 and all(line.endswith("Z") and line.startswith("DTSTART:") for line in starts)
    assert all(line.endswith("Z") for line in lines if line.startswith(("DTEND", "DTSTAMP")))
    # the stamp is the end of the last session of the Games, not the time of the build
    assert {line for line in lines if line.startswith("DTSTAMP")} == {"DTSTAMP:20220220T062026Z"}
    again = build_calendar(data, after=MID_GAMES, nation="NED")
    assert again == ics


def test_uids_are_stable_and_unique(data):
    early = events_of(build_calendar(data, after=MID_GAMES, nation="NED"))
    later = events_of(build_calendar(data, after=MID_GAMES + timedelta(days=2), nation="NED"))
    early_uids = {str(e["UID"]): str(e["SUMMARY"]) for e in early}
    later_uids = {str(e["UID"]): str(e["SUMMARY"]) for e in later}
    assert len(early_uids) == len(early)
    assert later_uids and set(later_uids) < set(early_uids)
    assert all(early_uids[uid] == summary for uid, summary in later_uids.items())
    all_uids = [str(e["UID"]) for e in events_of(build_calendar(data, after=datetime(2022, 1, 1, tzinfo=timezone.utc)))]
    assert len(set(all_uids)) == 444 and all(uid.endswith("@beijing-2022.podium") for uid in all_uids)


def test_remaining_sessions_needs_an_aware_instant(data):
    with pytest.raises(ValueError):
        remaining_sessions(data, after=datetime(2022, 2, 15))
