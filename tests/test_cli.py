"""`python -m bot` as a user runs it: a subprocess, a real database file, no Discord."""
from __future__ import annotations

import pytest

from tests.support.cli import env_for, run
from tests.support.datasets import changed, mini_dataset, write_dataset


def test_games_lists_what_is_loaded(shipped_db):
    result = run("games", env=env_for(shipped_db, PODIUM_CLOCK="2022-02-10T12:00:00+01:00"))
    assert result.returncode == 0
    assert "* beijing-2022: Beijing 2022 — 109 events, 444 sessions, 328 medallists" in result.stdout
    assert "  paris-2024: Paris 2024 — 329 events" in result.stdout  # every shipped Games, one answering
    assert "  la-2028: LA 2028 — 0 events, 847 sessions" in result.stdout


def test_preview_defaults_to_the_first_day(shipped_db):
    result = run("preview", env=env_for(shipped_db, PODIUM_CLOCK="2022-01-20T12:00:00+01:00"))  # Beijing is the next Games
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("🏟️ Beijing 2022\n")
    assert "Wednesday 2 February" in result.stdout
    assert "Curling" in result.stdout


def test_preview_in_dutch_for_a_day(shipped_db):
    result = run("preview", "--date", "2022-02-15", "--language", "nl", env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    assert "**Het programma van morgen — dinsdag 15 februari**" in result.stdout
    assert "Schaatsen" in result.stdout
    assert "Ploegenachtervolging" in result.stdout


def test_preview_with_sport_filter(shipped_db):
    result = run("preview", "--date", "2022-02-15", "--sport", "speed skating", env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    assert "Speed Skating" in result.stdout and "Curling" not in result.stdout


def test_preview_full_lists_every_session(shipped_db):
    from datetime import date
    from zoneinfo import ZoneInfo

    from bot.core.programme import programme_for
    from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

    result = run("preview", "--date", "2022-02-15", "--full", env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    programme = programme_for(load_dataset_file(SHIPPED_DATASET), date(2022, 2, 15), ZoneInfo("Europe/Amsterdam"))
    sessions = sum(len(block.items) for block in programme.blocks)
    assert len([line for line in result.stdout.splitlines() if line.startswith("`")]) == sessions > 20


def test_medal_table_and_one_nation(shipped_db):
    table = run("medals", "--games", "beijing", env=env_for(shipped_db))
    assert table.returncode == 0, table.stderr
    assert "NOR" in table.stdout and "16" in table.stdout
    nation = run("medals", "nederland", "--games", "Peking 2022", env=env_for(shipped_db))
    assert nation.returncode == 0, nation.stderr
    assert "Netherlands" in nation.stdout and "17" in nation.stdout
    assert "Irene Schouten" in nation.stdout


def test_medals_as_of_a_day(shipped_db):
    result = run("medals", "NED", "--as-of", "2022-02-05", env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    assert "Irene Schouten" in result.stdout  # women's 3000 m, 5 February
    assert "Kjeld Nuis" not in result.stdout  # men's 1500 m, 8 February


@pytest.mark.parametrize(
    "args, says",
    [
        (["medals", "Nethrelands"], "Netherlands"),
        (["preview", "--date", "15-02-2022"], "YYYY-MM-DD"),
        (["preview", "--timezone", "Europe/Amsterdm"], "Europe/Amsterdam"),
        (["preview", "--language", "de"], "en, nl"),
        (["preview", "--sport", "quidditch"], "quidditch"),
    ],
)
def test_bad_input_gets_one_clear_sentence(shipped_db, args, says):
    result = run(*args, env=env_for(shipped_db))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert says in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_setting_is_named():
    result = run("games", env={"PODIUM_TIMEZONE": "Mars/Olympus"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: PODIUM_TIMEZONE: 'Mars/Olympus' is not a known IANA time zone")


def test_running_without_a_token_says_what_to_set(tmp_path):
    result = run(env={"PODIUM_DATABASE": str(tmp_path / "p.sqlite3")})
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr and "python -m bot preview" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_dry_run_then_import_then_again(tmp_path):
    db = tmp_path / "p.sqlite3"
    path = write_dataset(tmp_path, mini_dataset())
    dry = run("import", str(path), "--dry-run", env={"PODIUM_DATABASE": str(db)})
    assert dry.returncode == 0, dry.stderr
    assert "would change" in dry.stdout and "Dry run: nothing was written." in dry.stdout
    done = run("import", str(path), env={"PODIUM_DATABASE": str(db)})
    assert done.returncode == 0 and "17 row(s) changed" in done.stdout
    again = run("import", str(path), env={"PODIUM_DATABASE": str(db)})
    assert "Nothing changed" in again.stdout
    games = run("games", env={"PODIUM_DATABASE": str(db), "PODIUM_CLOCK": "2030-02-08T12:00:00+01:00"})
    assert "* mini-2030" in games.stdout


def test_import_of_a_bad_file_lists_problems_and_writes_nothing(tmp_path):
    db = tmp_path / "p.sqlite3"
    bad = write_dataset(tmp_path, changed(mini_dataset(), lambda d: d["results"][0].update(nation="XYZ")))
    result = run("import", str(bad), env={"PODIUM_DATABASE": str(db)})
    assert result.returncode == 2
    assert "1 problem(s); nothing was imported" in result.stderr
    assert "results[0].nation: unknown nation 'XYZ'" in result.stderr
    missing = run("import", str(tmp_path / "nope.json"), env={"PODIUM_DATABASE": str(db)})
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_a_token_with_a_line_break_is_one_clear_sentence(tmp_path):
    result = run(env={"PODIUM_DATABASE": str(tmp_path / "p.sqlite3"), "DISCORD_TOKEN": "MTIz.secret\nrest"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: DISCORD_TOKEN: the token contains a line break")
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


@pytest.mark.parametrize("args, says", [
    (["preview", "--date", "9999-12-31"], "use a date from 1900-01-01 to 2199-12-31"),
    (["medals", "--as-of", "9999-12-31"], "use a date from 1900-01-01 to 2199-12-31"),
    (["preview", "--date", "0001-01-01"], "use a date from 1900-01-01 to 2199-12-31"),
])
def test_a_day_off_the_calendar_names_the_valid_range(shipped_db, args, says):
    result = run(*args, env=env_for(shipped_db))
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("zone", ["CET", "EST5EDT"])
def test_preview_accepts_every_zone_tzdata_knows(shipped_db, zone):
    result = run("preview", "--timezone", zone, env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    assert f"Times in {zone}" in result.stdout


def test_an_invisible_character_before_a_code_is_ignored(shipped_db):
    result = run("medals", "\u200bNED", env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    assert "Netherlands" in result.stdout


def test_import_of_an_unreadable_path_is_one_clear_problem(tmp_path):
    not_a_folder = write_dataset(tmp_path, mini_dataset())
    result = run("import", str(not_a_folder / "inner.json"), env={"PODIUM_DATABASE": str(tmp_path / "p.sqlite3")})
    assert result.returncode == 2, result.stderr
    assert "cannot read the file: Not a directory" in result.stderr and "Traceback" not in result.stderr
