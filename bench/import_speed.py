"""Import speed: the shipped Beijing 2022 set and a generated Summer-sized one, first import and re-import."""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench.summer_games import summer_games
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file
from bot.data.importer import import_games
from bot.store.database import Database


async def _timed_import(db: Database, path: Path) -> tuple[float, int, int]:
    """(seconds including reading and checking the file, rows the diff changed, rows SQLite wrote)."""
    before = db.connection.total_changes
    started = time.perf_counter()
    changes = await import_games(db, load_dataset_file(path))
    seconds = time.perf_counter() - started
    return seconds, changes.count, db.connection.total_changes - before


async def measure() -> list[tuple[str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        summer = Path(folder) / "summer.json"
        summer.write_text(json.dumps(summer_games()), encoding="utf-8")
        for label, path in (("Beijing 2022 (444 sessions)", SHIPPED_DATASET), ("Summer-sized (3,000 sessions, 200 nations)", summer)):
            async with await Database.open(Path(folder) / f"{path.stem}.sqlite3") as db:
                first, changed, _ = await _timed_import(db, path)
                again, changed_again, written_again = await _timed_import(db, path)
            rows.append((f"import {label}", f"{first:.3f} s", f"{changed} rows"))
            rows.append((f"re-import unchanged {label}", f"{again:.3f} s", f"{written_again} rows written"))
    return rows
