"""Import a checked data set into the store, and keep the shipped Games loaded and up to date."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from bot.core.models import GamesData
from bot.core.changes import Changes, diff_games
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file, shipped_files
from bot.store import games as games_store
from bot.store.database import Database
from bot.store.meta import get_meta, set_meta

SHIPPED_KEY = "shipped_dataset_sha256"  # which version of a shipped file the database holds (Beijing's: no suffix)


def shipped_key(path: Path) -> str:
    return SHIPPED_KEY if path == SHIPPED_DATASET else f"{SHIPPED_KEY}:{path.name}"


async def import_games(db: Database, data: GamesData, *, dry_run: bool = False, now: datetime | None = None) -> Changes:
    """Make the store hold `data` (one transaction; no other Games is touched); with dry_run,
    only say what would change."""
    old = await games_store.load_games(db, data.games.id)
    changes = diff_games(old, data, await games_store.known_sports(db), await games_store.known_nations(db))
    if not dry_run and changes.count:
        await games_store.apply_changes(db, changes, now or datetime.now(timezone.utc))
    return changes


async def ensure_games_loaded(db: Database, now: datetime | None = None) -> dict[str, Changes]:
    """Load every shipped Games the database does not hold yet (all of them on first start), and
    bring one loaded from an older shipped file up to date (a diff, as any re-import) when the file
    changed. A Games the operator imported from a file of their own is left alone. Returns the
    changes made, by Games id (empty: nothing to do)."""
    made: dict[str, Changes] = {}
    for path in shipped_files():
        key = shipped_key(path)
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        held = await get_meta(db, key)
        if held == digest:
            continue
        data = load_dataset_file(path)
        if held is None and await games_store.has_games(db, data.games.id):
            pass  # imported by hand before it shipped: the operator's copy stays
        else:
            made[data.games.id] = await import_games(db, data, now=now)
        await set_meta(db, key, digest)
    return made
