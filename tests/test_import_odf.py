"""ODF DT_SCHEDULE messages through `python -m bot import` into a real SQLite file, read back:
the facts of ../shared/data/odf-samples/README.md, its quirks, and hostile or broken XML."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.data.dataset import DatasetError
from bot.data.formats import read_games
from bot.store import games as games_store
from bot.store.database import Database
from tests.support.database import dump
from tests.support.imports import ODF, reference, run_bot


async def read_back(db, games_id="paris-2024"):
    async with await Database.open(db) as database:
        return await games_store.load_games(database, games_id)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def all_six(tmp_path_factory):
    """The six sample messages (one per discipline) imported together, as one Games."""
    folder = reference(ODF)
    db = tmp_path_factory.mktemp("odf") / "podium.sqlite3"
    result = run_bot(db, "import", *sorted(folder.glob("DT_SCHEDULE_*.xml")))
    assert result.returncode == 0, result.stderr
    return db, result.stdout


async def test_triathlon_facts(tmp_path):
    db = tmp_path / "podium.sqlite3"
    result = run_bot(db, "import", reference(ODF) / "DT_SCHEDULE_TRI.xml")
    assert result.returncode == 0, result.stderr
    data = await read_back(db)
    sessions = {s.id: s for s in data.sessions}
    men = sessions["TRIMOLYMPIC-----------FNL-000100--"]
    assert (men.start, men.end) == (at("2024-07-30T08:00:00+02:00"), at("2024-07-30T10:00:00+02:00"))
    assert men.medals == ("gold", "silver", "bronze") and men.venue == "Pont Alexandre III"
    assert data.events[men.event_id].name["en"] == "Men's Individual" and data.events[men.event_id].gender == "M"
    assert sessions["TRIWOLYMPIC-----------FNL-000100--"].start == at("2024-07-31T08:00:00+02:00")
    relay = sessions["TRIXTEAM4-------------FNL-000100--"]
    assert relay.start == at("2024-08-05T08:00:00+02:00") and data.events[relay.event_id].gender == "X"
    assert len(data.sessions) == 3  # the victory ceremonies and draws are left out ...
    assert "Left out: 5 draw unit(s)" in result.stdout and "Left out: 3 victory or venue ceremony unit(s)" in result.stdout  # ... and counted
    assert "Derived: Games id paris-2024" in result.stdout and "host zone Europe/Paris" in result.stdout


async def test_athletics_football_basketball_facts(all_six):
    db, _ = all_six
    data = await read_back(db)
    sessions = {s.id: s for s in data.sessions}
    final = sessions["ATHM100M--------------FNL-000100--"]
    assert final.start == at("2024-08-04T21:50:00+02:00") and final.venue == "Stade de France"
    event = data.events[final.event_id]
    assert (event.name["en"], final.unit["en"]) == ("Men's 100m", "Final")
    assert f"{event.name['fr']}, {final.unit['fr']}" == "100 m - hommes, finale"  # the FRA ItemName
    marathon = sessions["ATHMMARATHON----------FNL-000100--"]
    assert marathon.start == at("2024-08-10T08:00:00+02:00") and marathon.venue == "Invalides"
    gold = sessions["FBLMTEAM11------------FNL-000100--"]
    assert gold.start == at("2024-08-09T18:00:00+02:00") and gold.venue == "Parc des Princes"
    bronze = sessions["FBLMTEAM11------------FNL-000200--"]
    assert bronze.start == at("2024-08-08T17:00:00+02:00") and bronze.venue == "Nantes Stadium"
    assert (gold.medals, bronze.medals) == (("gold", "silver"), ("bronze",))  # Medal="1" with a Medal="3" unit beside it
    assert sessions["BKBMTEAM5-------------FNL-000100--"].start == at("2024-08-10T21:30:00+02:00")
    assert sessions["BKBWTEAM5-------------FNL-000100--"].start == at("2024-08-11T15:30:00+02:00")
    assert {sessions[f"BKB{g}TEAM5-------------FNL-000100--"].venue for g in "MW"} == {"Bercy Arena"}
    group = [s for s in data.sessions if s.id.startswith("BKBMTEAM5") and s.unit["en"] == "Preliminary Phase"]
    assert group and {s.venue for s in group} == {"Pierre Mauroy Stadium"}


async def test_the_six_messages_are_one_games_with_what_was_left_out_counted(all_six):
    db, output = all_six
    data = await read_back(db)
    assert set(data.sports) == {"ATH", "SWM", "FBL", "BKB", "TRI"}  # CER: no session, and no problem
    left_out = [int(n) for n in re.findall(r"Left out: (\d+) ", output)]
    assert re.search(r"Left out: \d+ unscheduled unit\(s\) without times", output)
    assert len(data.sessions) + sum(left_out) == 191 + 231 + 62 + 91 + 11 + 2  # every unit is imported or counted
    assert not any(s.id.startswith("CER") for s in data.sessions)
    # Units may run past their session's window (25 in football): all are imported.
    assert sum(s.id.startswith("FBL") for s in data.sessions) == 58


async def test_hidden_placeholder_times_are_time_tbd_on_their_day(all_six):
    db, output = all_six
    data = await read_back(db)
    finals = [s for s in data.sessions if s.id in ("SWMW100MFR------------FNL-000100--", "SWMM100MFR------------FNL-000100--")]
    assert len(finals) == 2
    for final in finals:  # both carry the placeholder 20:30; neither may show it
        assert final.time_tbd and final.start.astimezone(ZoneInfo("Europe/Paris")).date() == date(2024, 7, 31)
    hidden = [s for s in data.sessions if s.time_tbd]
    assert f"{len(hidden)} unit(s) with a placeholder time (HideStartDate, or no length) listed on their day as time to be announced" in output
    assert sum(s.id.startswith("SWM") for s in hidden) >= 53  # the HideStartDate units of swimming, at least
    assert all(s.end > s.start for s in data.sessions)
    preview = run_bot(db, "preview", "--date", "2024-07-31", "--sport", "SWM", "--timezone", "Europe/Paris", "--language", "en")
    assert preview.returncode == 0, preview.stderr
    assert "20:30" not in preview.stdout and "100m Freestyle" in preview.stdout


def test_names_are_chosen_by_language_not_position(tmp_path):
    text = (reference(ODF) / "DT_SCHEDULE_TRI.xml").read_text(encoding="utf-8")
    pairs = re.compile(r'(<ItemName Language="ENG" [^>]*/>)\n(<ItemName Language="FRA" [^>]*/>)')
    swapped = pairs.sub(r"\2\n\1", text)
    assert swapped != text and swapped.count('<ItemName Language="FRA"') == text.count('<ItemName Language="FRA"')
    (tmp_path / "a.xml").write_text(text, encoding="utf-8")
    (tmp_path / "b.xml").write_text(swapped, encoding="utf-8")
    original, reordered = (read_games([tmp_path / name]).data for name in ("a.xml", "b.xml"))
    assert reordered.events == original.events and reordered.sessions == original.sessions
    assert original.events["TRIMOLYMPIC"].name == {"en": "Men's Individual", "fr": "Hommes"}


def test_overrides_and_a_message_of_another_games(tmp_path):
    db = tmp_path / "podium.sqlite3"
    result = run_bot(db, "import", reference(ODF) / "DT_SCHEDULE_TRI.xml", "--games-id", "paris-2024-preliminary",
                     "--name", "Paris 2024 (preliminary)", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Games id paris-2024-preliminary (--games-id), name \"Paris 2024 (preliminary)\" (--name)" in result.stdout
    assert "Dry run: nothing was written." in result.stdout
    # A Games of no shipped dates: id and name from CompetitionCode, the zone from the offsets.
    text = (reference(ODF) / "DT_SCHEDULE_TRI.xml").read_text(encoding="utf-8")
    (tmp_path / "t.xml").write_text(text.replace("OG2024", "OWG2034").replace("2024-0", "2034-0"), encoding="utf-8")
    data = read_games([tmp_path / "t.xml"]).data
    assert (data.games.id, data.games.name["en"], data.games.host_timezone) == ("olympic-winter-games-2034", "Olympic Winter Games 2034", "Etc/GMT-2")


def test_ceremonies_alone_have_nothing_to_import(tmp_path):
    with pytest.raises(DatasetError) as raised:
        read_games([reference(ODF) / "DT_SCHEDULE_CER.xml"])
    assert "no unit of these messages has a time yet (2 unscheduled unit(s) without times left out)" in raised.value.problems[0]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<OdfBody CompetitionCode="OG2024" DocumentCode="TRI" DocumentType="DT_SCHEDULE"><Competition>
<Unit Code="TRIMOLYMPIC-----------FNL-000100--" PhaseType="3" ScheduleStatus="SCHEDULED" StartDate="2024-07-30T08:00:00+02:00" EndDate="2024-07-30T10:00:00+02:00">
<ItemName Language="ENG" Value="&lol4;" /></Unit></Competition></OdfBody>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE OdfBody [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<OdfBody CompetitionCode="OG2024" DocumentCode="TRI" DocumentType="DT_SCHEDULE"><Competition>
<Unit Code="TRIMOLYMPIC-----------FNL-000100--" PhaseType="3" ScheduleStatus="SCHEDULED" StartDate="2024-07-30T08:00:00+02:00" EndDate="2024-07-30T10:00:00+02:00">
<ItemName Language="ENG" Value="&secret;" /></Unit></Competition></OdfBody>
"""


def broken_messages() -> dict[str, tuple[str, str]]:
    """name -> (file text, what the error must say)."""
    text = (reference(ODF) / "DT_SCHEDULE_TRI.xml").read_text(encoding="utf-8")
    return {
        "billion-laughs": (BILLION_LAUGHS, "document type declaration (<!DOCTYPE ...>)"),
        "external-entity": (EXTERNAL, "document type declaration (<!DOCTYPE ...>)"),
        "truncated": (text[: len(text) // 2], "not well-formed XML"),
        "unknown-discipline": (text.replace('DocumentCode="TRI', 'DocumentCode="XYZ'), "line 2, <OdfBody>, attribute DocumentCode: unknown discipline 'XYZ'"),
        "bad-start": (text.replace('StartDate="2024-07-31T08:00:00+02:00" EndDate="2024-07-31T10:10',
                                   'StartDate="2024-07-31 at eight" EndDate="2024-07-31T10:10'),
                      "line 27, <Unit Code=\"TRIWOLYMPIC-----------FNL-000100--\">, attribute StartDate: expected an ISO 8601 date-time with offset"),
        "not-a-schedule": (text.replace('DocumentType="DT_SCHEDULE"', 'DocumentType="DT_RESULT"'), "expected an ODF schedule message"),
    }


@pytest.mark.parametrize("name", ["billion-laughs", "external-entity", "truncated", "unknown-discipline", "bad-start", "not-a-schedule"])
def test_hostile_or_broken_xml_is_a_clear_error_and_nothing_is_written(tmp_path, name):
    db = tmp_path / "podium.sqlite3"
    assert run_bot(db, "import", reference(ODF) / "DT_SCHEDULE_BKB.xml").returncode == 0  # something to keep
    before = dump(db)
    text, says = broken_messages()[name]
    path = tmp_path / f"{name}.xml"
    path.write_text(text, encoding="utf-8")
    result = run_bot(db, "import", path)
    assert result.returncode == 2 and "nothing was imported" in result.stderr, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr, result.stderr
    if name == "truncated":
        assert re.search(r"line \d+ column \d+: not well-formed XML.*truncated", result.stderr), result.stderr
    assert "root:" not in result.stderr and "lollol" not in result.stderr
    assert dump(db) == before


def test_the_format_is_told_by_content_not_name(tmp_path):
    (tmp_path / "schedule.csv").write_text((reference(ODF) / "DT_SCHEDULE_TRI.xml").read_text(encoding="utf-8"), encoding="utf-8")
    imported = read_games([tmp_path / "schedule.csv"])
    assert imported.fmt == "ODF DT_SCHEDULE" and len(imported.data.sessions) == 3
