"""`python -m bot calendar` as a user runs it: a subprocess, a real database file, a real .ics file."""
from __future__ import annotations

import icalendar
import pytest

from tests.support.cli import env_for, run


def vevents(path):
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_calendar_of_a_nation_is_written_to_the_working_folder(shipped_db, tmp_path):
    result = run("calendar", "--country", "NED", "--after", "2022-02-15T00:00:00Z", env=env_for(shipped_db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "podium-beijing-2022.ics"
    assert written.is_file()
    events = vevents(written)
    assert len(events) == 22
    assert all(str(e["UID"]).endswith("@beijing-2022.podium") for e in events)
    assert "podium-beijing-2022.ics: 22 session(s) of Beijing 2022 – Netherlands" in result.stdout


def test_calendar_defaults_to_the_clock_and_takes_sport_language_and_output(shipped_db, tmp_path):
    output = tmp_path / "out" / "skating.ics"
    output.parent.mkdir()
    result = run("calendar", "--sport", "schaatsen", "--country", "Nederland", "--language", "nl", "--output", str(output),
                 env=env_for(shipped_db, PODIUM_CLOCK="2022-02-15T01:00:00+01:00"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    events = vevents(output)
    assert len(events) == 10
    assert all(str(e["SUMMARY"]).removeprefix("🏅 ").startswith("Schaatsen – ") for e in events)
    calendar = icalendar.Calendar.from_ical(output.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Peking 2022 – Schaatsen – Nederland"


def test_calendar_after_the_games_is_empty_but_valid(shipped_db, tmp_path):
    result = run("calendar", "--games", "beijing-2022", env=env_for(shipped_db, PODIUM_CLOCK="2022-03-01T00:00:00+00:00"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert vevents(tmp_path / "podium-beijing-2022.ics") == []


@pytest.mark.parametrize("args, says", [
    (["--country", "Nedrland"], "I don't know the nation 'Nedrland'"),
    (["--sport", "curlingg"], "I don't know the sport 'curlingg'"),
    (["--after", "yesterday"], "--after: 'yesterday' is not an ISO 8601 instant"),
    (["--after", "2022-02-15T00:00:00"], "is not an ISO 8601 instant with offset"),
    (["--language", "fr"], "'fr' is not a language I speak"),
])
def test_calendar_bad_input_gets_one_line_and_no_file(shipped_db, tmp_path, args, says):
    result = run("calendar", *args, env=env_for(shipped_db), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "podium-beijing-2022.ics").exists()


def test_calendar_to_an_unwritable_place_says_so(shipped_db, tmp_path):
    result = run("calendar", "--output", str(tmp_path / "missing" / "x.ics"), env=env_for(shipped_db), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot write ") and len(result.stderr.strip().splitlines()) == 1
