"""A test database starts as a copy of one made once per test process, with every shipped Games
loaded: what the bot's first start does (1-2 s with four Games), done once instead of ~100 times.
The copy is taken with SQLite's backup API, so it holds exactly what was committed."""
from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

_template: Path | None = None


async def _shipped_template() -> Path:
    global _template
    if _template is None:  # two tests building it at once would each make a whole one: harmless
        from bot.data.importer import ensure_games_loaded
        from bot.store.database import Database

        folder = tempfile.mkdtemp(prefix="podium-template-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "podium.sqlite3"
        async with await Database.open(path) as db:
            await ensure_games_loaded(db)
        _template = path
    return _template


async def start_from_template(database) -> None:
    """Give a test database that does not exist yet the shipped Games (a URL is left alone)."""
    if not isinstance(database, Path) or database.exists():
        return
    template = await _shipped_template()
    database.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(template) as source, sqlite3.connect(database) as target:
        source.backup(target)
