"""The CSV layout of the community data sets through `python -m bot import` into a real SQLite
file: Milano Cortina 2026 gives the shipped data set's medal table, Paris 2024 the final one; broken
files are refused with their place and leave the database as it was."""
from __future__ import annotations

import csv
import re
import io
import shutil

import pytest

from bot.core.medals import medal_table
from bot.data.dataset import SHIPPED_DIR, DatasetError, load_dataset_file
from bot.data.formats import read_games
from bot.store import games as games_store
from bot.store.database import Database
from tests.support.database import dump
from tests.support.imports import MILANO, PARIS, reference, run_bot


def table_of(data) -> list[tuple]:
    return [(row.nation.code, row.gold, row.silver, row.bronze, row.rank) for row in medal_table(data)]


async def imported(db, folder, *extra):
    result = run_bot(db, "import", folder, *extra)
    assert result.returncode == 0, result.stderr
    async with await Database.open(db) as database:
        return await games_store.load_games(database, None), result.stdout


async def test_milano_cortina_csv_gives_the_shipped_medal_table(tmp_path):
    data, output = await imported(tmp_path / "podium.sqlite3", reference(MILANO))
    shipped = load_dataset_file(SHIPPED_DIR / "milano-cortina-2026.json")
    assert data.games.id == "milano-cortina-2026" and data.games.unranked_nations == ("AIN",)
    assert table_of(data) == table_of(shipped)
    ned = next(row for row in medal_table(data) if row.nation.code == "NED")
    assert (ned.gold, ned.silver, ned.bronze, ned.rank) == (10, 7, 3, 3)
    assert (len(data.events), len(data.sessions)) == (116, 628)
    assert sum(s.status == "cancelled" for s in data.sessions) == 3
    assert "AIN won medals but are not in medals.csv" in output and "the same for all 29 nations" in output
    assert "Left out: ignored (not of a known layout): README.md" in output
    downhill = [r for r in data.results if data.events[r.event_id].name["en"] == "Men's Downhill"]
    assert sorted((r.medal, r.competitor, r.nation) for r in downhill) == [
        ("bronze", "Dominik Paris", "ITA"), ("gold", "Franjo von Allmen", "SUI"), ("silver", "Giovanni Franzoni", "ITA")]


async def test_paris_csv_gives_the_final_medal_table(tmp_path):
    data, output = await imported(tmp_path / "podium.sqlite3", reference(PARIS))
    assert data.games.id == "paris-2024" and data.games.host_timezone == "Europe/Paris"
    assert len(data.events) == 329 and len(data.results) == 1044
    usa = next(row for row in medal_table(data) if row.nation.code == "USA")
    assert (usa.gold, usa.silver, usa.bronze, usa.rank) == (40, 44, 42, 1)
    shipped = load_dataset_file(SHIPPED_DIR / "paris-2024.json")
    assert table_of(data) == table_of(shipped)
    assert "Left out: 8 exact duplicate row(s) of schedules.csv" in output
    assert "medal table checked against medals_total.csv: the same for all 92 nations" in output


async def test_files_given_one_by_one_and_told_by_their_header(tmp_path):
    folder = reference(MILANO)
    shutil.copy(folder / "schedules.csv", tmp_path / "programme.txt")
    shutil.copy(folder / "medallists.csv", tmp_path / "winners.xml.bak")
    data, output = await imported(tmp_path / "podium.sqlite3", tmp_path / "programme.txt", tmp_path / "winners.xml.bak", "--dry-run")
    assert "(CSV): milano-cortina-2026 (116 events, 628 sessions, 349 medallists) is valid." in output
    assert data is None  # a dry run wrote nothing


def test_json_named_xml_is_read_as_json(tmp_path):
    shutil.copy(SHIPPED_DIR / "la-2028.json", tmp_path / "feed.xml")
    result = read_games([tmp_path / "feed.xml"])
    assert result.fmt == "Podium JSON" and result.data.games.id == "la-2028"


def edited(folder, name, change) -> str:
    """The CSV file `name` of `folder` with `change(rows)` applied to its rows (a list of lists)."""
    rows = list(csv.reader((folder / name).open(encoding="utf-8", newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def drop_column(rows, column):
    index = rows[0].index(column)
    for row in rows:
        del row[index]


def broken_files() -> dict[str, tuple[str, callable, str]]:
    """name -> (file, change to its rows, what the error must say)."""
    def set_value(line, column, value):
        def change(rows):
            rows[line - 1][rows[0].index(column)] = value
        return change
    return {
        "missing column": ("schedules.csv", lambda rows: drop_column(rows, "event_medal"),
                           "schedules.csv line 1: missing column(s) event_medal; a schedule file needs start_date"),
        "bad date": ("schedules.csv", set_value(42, "start_date", "2026-02-31T10:00:00+01:00"),
                     "schedules.csv line 42, column start_date: expected an ISO 8601 date-time with offset like 2024-07-26T20:00:00+02:00; got '2026-02-31T10:00:00+01:00'"),
        "unknown discipline": ("medallists.csv", set_value(7, "discipline_code", "XYZ"),
                               "medallists.csv line 7, column discipline_code: unknown discipline 'XYZ': the schedule has no medal event of it"),
        "unknown event": ("medallists.csv", set_value(9, "event_name", "Men's Uphill"),
                          "medallists.csv line 9, column event_name: no medal event \"Men's Uphill\" of"),
        "bad venue": ("schedules.csv", set_value(12, "venue", "@everyone come"),
                      "schedules.csv line 12: sessions[10] (id"),
    }


@pytest.mark.parametrize("case", ["missing column", "bad date", "unknown discipline", "unknown event", "bad venue"])
def test_broken_csv_is_refused_with_its_place_and_nothing_is_written(tmp_path, case):
    folder = reference(MILANO)
    db = tmp_path / "podium.sqlite3"
    assert run_bot(db, "games").returncode == 0  # the shipped Games, to be left as they are
    before = dump(db)
    name, change, says = broken_files()[case]
    copy = tmp_path / "csv"
    shutil.copytree(folder, copy)
    (copy / name).chmod(0o644)
    (copy / name).write_text(edited(folder, name, change), encoding="utf-8")
    result = run_bot(db, "import", copy)
    assert result.returncode == 2 and "nothing was imported" in result.stderr, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert dump(db) == before


def test_a_file_of_no_known_layout_named_on_its_own_is_an_error(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DatasetError) as raised:
        read_games([tmp_path / "notes.csv"])
    assert raised.value.problems[0].startswith("notes.csv line 1: not a CSV file of a known layout; expected the header of one of: schedule (start_date")


def test_the_csv_of_a_shipped_games_keeps_its_events_and_medals_as_they_are(tmp_path):
    """Matched by unit id, events keep the shipped ids and Dutch names: re-importing Milano Cortina
    2026 from its CSV files moves no event and no medal."""
    db = tmp_path / "podium.sqlite3"
    assert run_bot(db, "import", SHIPPED_DIR / "milano-cortina-2026.json").returncode == 0
    result = run_bot(db, "import", reference(MILANO), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "116 of 116 events, and their units, keep the ids and English and Dutch names of the shipped Milano Cortina 2026" in result.stdout
    for table in ("events", "results"):
        assert re.search(rf"{table} +0 added +0 changed +0 removed", result.stdout), result.stdout
    data = read_games([reference(MILANO)]).data
    assert all("nl" in event.name for event in data.events.values())
