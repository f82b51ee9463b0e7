"""PODIUM_DATABASE pointing at a file Podium must not use: read-only, damaged, or another
application's. Each is refused at start with one clear sentence, and the file is left as it was."""
from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from tests.support.cli import run
from tests.support.database import dump


def podium_database(folder):
    path = folder / "podium.sqlite3"
    assert run("games", env={"PODIUM_DATABASE": str(path)}).returncode == 0
    return path


def refused(result, *phrases):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def without_root_override(args):
    """Root writes to any file whatever its mode: drop that power so the file is read-only to us too."""
    if os.geteuid() != 0:
        return args
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be made read-only to us")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *args]


def test_a_read_only_database_says_so_and_what_to_do(tmp_path):
    import subprocess
    import sys

    from tests.support.cli import ROOT

    path = podium_database(tmp_path)
    before = dump(path)
    path.chmod(0o444)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
    environment["PODIUM_DATABASE"] = str(path)
    result = subprocess.run(without_root_override([sys.executable, "-m", "bot", "games"]), capture_output=True, text=True,
                            env=environment, cwd=ROOT, timeout=120)
    refused(result, f"{path} is read-only", "write access", "PODIUM_DATABASE")
    assert "not a Podium database" not in result.stderr
    path.chmod(0o644)
    assert dump(path) == before


def test_a_database_damaged_in_the_middle_is_refused_at_start(tmp_path):
    path = podium_database(tmp_path)
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 20
    with open(path, "r+b") as file:  # scribble over a few pages in the middle, as a bad disk would
        file.seek(page_size * (pages // 2))
        file.write(bytes(range(256)) * (page_size * 3 // 256))
    refused(run("games", env={"PODIUM_DATABASE": str(path)}), f"{path} is damaged", "integrity check", "backup")


def test_another_applications_database_gets_no_podium_tables(tmp_path):
    path = tmp_path / "their.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO users (name) VALUES ('someone')")
    before = dump(path)
    refused(run("games", env={"PODIUM_DATABASE": str(path)}), "belongs to another application (tables: users)", "new file")
    assert dump(path) == before


def test_an_empty_sqlite_file_and_a_new_path_become_podium_databases(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    for path in (empty, tmp_path / "new" / "podium.sqlite3"):
        result = run("games", env={"PODIUM_DATABASE": str(path)})
        assert result.returncode == 0 and "beijing-2022" in result.stdout, result.stderr
