"""Every shipped Games data set imports cleanly: `python -m bot import FILE --dry-run`, then into a
fresh database, and reads back from the store exactly as the file says."""
import os
import subprocess
import sys

import pytest

from bot.data.dataset import SHIPPED_DIR, load_dataset_file
from bot.data.importer import import_games
from bot.store import games as games_store
from bot.store.database import Database

NEW_GAMES = sorted(path.name for path in SHIPPED_DIR.glob("*.json") if path.name != "beijing2022.json")


def run(*args, db):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
    environment["PODIUM_DATABASE"] = str(db)
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=environment, timeout=300)


def test_the_three_new_games_are_shipped():
    assert NEW_GAMES == ["la-2028.json", "milano-cortina-2026.json", "paris-2024.json"]


@pytest.mark.parametrize("name", NEW_GAMES)
def test_dry_run_then_import_with_the_cli(tmp_path, name):
    db = tmp_path / "p.sqlite3"
    dry = run("import", str(SHIPPED_DIR / name), "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing was written." in dry.stdout
    done = run("import", str(SHIPPED_DIR / name), db=db)
    assert done.returncode == 0, done.stderr
    again = run("import", str(SHIPPED_DIR / name), db=db)
    assert again.returncode == 0 and "Nothing changed" in again.stdout
    listing = run("games", db=db)  # where an operator looks: what the data covers, and its sources and terms
    data = load_dataset_file(SHIPPED_DIR / name)
    assert data.games.notes["en"][:60] in listing.stdout
    assert all(f"Source: {source.name}" in listing.stdout for source in data.games.sources) and data.games.sources


@pytest.mark.parametrize("name", NEW_GAMES)
async def test_the_store_gives_back_what_the_file_says(tmp_path, name):
    data = load_dataset_file(SHIPPED_DIR / name)
    async with await Database.open(tmp_path / "p.sqlite3") as db:
        await import_games(db, data)
        loaded = await games_store.load_games(db, data.games.id)
        again = await import_games(db, data)
    assert again.count == 0
    assert loaded.games == data.games
    assert loaded.sessions == data.sessions
    assert set(loaded.results) == set(data.results)
    assert loaded.events == data.events and set(loaded.standings) == set(data.standings)
