"""The optional data set fields (docs/data-format.md): notes and sources, unranked nations, a session's
status, its own zone, a day without a time (TBD), and sessions known only as sessions. Old files
stay valid; bad values get a clear problem; everything survives a round trip through the store."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.medals import medal_table
from bot.core.programme import programme_for
from bot.core.render import rank_label
from bot.data.dataset import DatasetError, parse_dataset
from bot.data.document import to_document
from bot.data.importer import import_games
from bot.store import games as games_store
from bot.store.database import Database
from tests.support.datasets import changed, mini_dataset

import json


def parse(document):
    return parse_dataset(json.dumps(document))


def problems(document) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        parse(document)
    return caught.value.problems


def extended() -> dict:
    """The mini data set with every optional field in use."""
    def change(d):
        d["games"].update(notes={"en": "Standings up to 9 February.", "nl": "Uitslagen tot 9 februari."},
                          sources=[{"name": "Example", "url": "https://example.org/data", "terms": "MIT"}],
                          unranked_nations=["NED"])
        d["sports"].append({"id": "CER", "name": {"en": "Ceremonies", "nl": "Ceremonies"}})
        d["sessions"][0]["status"] = "cancelled"
        d["sessions"] += [
            {"id": "open", "sport": "CER", "events_text": {"en": "Opening Ceremony", "nl": "Openingsceremonie"},
             "unit": {"en": "Ceremony", "nl": "Ceremonie"}, "start": "2030-02-06T20:00:00+01:00", "end": "2030-02-06T22:30:00+01:00",
             "venue": "Stadium"},
            {"id": "tbd", "sport": "IHO", "events_text": {"en": "Women's Group A", "nl": "Vrouwen groep A"},
             "unit": {"en": "Session IHO01", "nl": "Sessie IHO01"}, "date": "2030-02-07", "timezone": "America/New_York",
             "venue": "Arena"},
        ]
    return changed(mini_dataset(), change)


def test_a_file_without_the_new_fields_means_what_it_meant():
    data = parse(mini_dataset())
    assert data.games.notes is None and data.games.sources == () and data.games.unranked_nations == ()
    assert all(s.status == "scheduled" and not s.time_tbd and s.event_id for s in data.sessions)


def test_the_new_fields_are_read():
    data = parse(extended())
    assert data.games.notes["nl"] == "Uitslagen tot 9 februari."
    assert data.games.sources[0].terms == "MIT"
    sessions = {s.id: s for s in data.sessions}
    assert sessions["s1"].cancelled
    tbd = sessions["tbd"]
    assert tbd.time_tbd and tbd.event_id is None and tbd.sport_id == "IHO" and tbd.timezone == "America/New_York"
    assert tbd.start.astimezone(ZoneInfo("America/New_York")).date() == date(2030, 2, 7)  # its own day, not midnight
    assert data.event_of(sessions["open"]).name["nl"] == "Openingsceremonie"
    assert ("SSK-M-1500", "gold") not in data.decided_at or sessions["s1"].medals == ()  # a cancelled session decides nothing


def test_a_cancelled_session_decides_no_medal():
    data = parse(extended())
    s1 = next(s for s in data.sessions if s.id == "s1")
    assert s1.medals and all(when != s1.end for (event, _), when in data.decided_at.items() if event == "SSK-M-1500")


def test_unranked_nation_is_listed_last_without_a_rank():
    table = medal_table(parse(extended()))
    ranked = medal_table(parse(mini_dataset()))
    assert [r.nation.code for r in table if r.rank is None] == ["NED"] and table[-1].nation.code == "NED"
    assert rank_label(table[-1]) == "–"
    assert len(table) == len(ranked)


def test_sessions_without_an_event_are_on_the_programme_of_their_day():
    data = parse(extended())
    programme = programme_for(data, date(2030, 2, 7), ZoneInfo("America/New_York"))
    items = [item for block in programme.blocks for item in block.items]
    assert [item.session.id for item in items if item.session.time_tbd] == ["tbd"]


@pytest.mark.parametrize("change, says", [
    (lambda d: d["sessions"][0].update(status="postponed"), "sessions[0] (id s1).status: expected one of scheduled, cancelled"),
    (lambda d: d["sessions"][0].update(date="2030-02-09"), "is not the day of start"),
    (lambda d: [d["sessions"][0].pop(k) for k in ("start", "end")] and d["sessions"][0].update(date="8 Feb"), "expected a date like 2028-07-12"),
    (lambda d: d["sessions"][0].update(timezone="Mars/Base"), "expected an IANA time zone"),
    (lambda d: d["games"].update(unranked_nations=["XYZ"]), "games.unranked_nations: unknown nation code(s) 'XYZ'"),
    (lambda d: d["games"].update(sources=[{"name": "x", "url": "ftp://x", "terms": "?"}]), "expected an http(s) address"),
    (lambda d: d["sessions"][0].pop("event") and d["sessions"][0].update(sport="SSK"), "events_text: expected an object"),
])
def test_bad_new_fields_get_a_clear_problem(change, says):
    found = problems(changed(mini_dataset(), change))
    assert any(says in problem for problem in found), found


def test_standings_need_a_session_with_an_event():
    document = changed(extended(), lambda d: d.setdefault("standings", []).append(
        {"session": "tbd", "rank": 1, "competitor": "Canada", "nation": "CAN"}))
    assert any("has no event" in p for p in problems(document))


async def test_round_trip_through_the_store_and_the_document(tmp_path):
    data = parse(extended())
    assert parse(to_document(data)) == data
    async with await Database.open(tmp_path / "p.sqlite3") as db:
        await import_games(db, data, now=datetime(2030, 1, 1, tzinfo=timezone.utc))
        loaded = await games_store.load_games(db, data.games.id)
        assert loaded.games == data.games and loaded.sessions == data.sessions
        # a session that gains an event moves from one table to the other, and back
        moved = changed(extended(), lambda d: d["sessions"][-1].pop("sport") and d["sessions"][-1].pop("events_text")
                        and d["sessions"][-1].update(event="IHO-W"))
        await import_games(db, parse(moved))
        assert (await games_store.load_games(db, data.games.id)).sessions == parse(moved).sessions
        await import_games(db, data)
        assert (await games_store.load_games(db, data.games.id)).sessions == data.sessions


def test_a_moved_session_without_an_event_is_named_by_its_sport_and_events():
    from bot.core.live_changes import SessionMove, render_notice, touches_day

    data = parse(extended())
    old = next(s for s in data.sessions if s.id == "open")
    new = replace(old, start=old.start + timedelta(hours=1), end=old.end + timedelta(hours=1))
    move = SessionMove(old, new)
    notice = render_notice(move, data, ZoneInfo("Europe/Paris"), "en")
    assert "Ceremonies – Opening Ceremony" in notice
    assert touches_day(move, date(2030, 2, 6), ZoneInfo("Europe/Paris"), data, "CER")
    assert not touches_day(move, date(2030, 2, 6), ZoneInfo("Europe/Paris"), data, "SSK")
