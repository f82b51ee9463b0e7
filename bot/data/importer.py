"""Import a checked data set into the store, and load the shipped one into an empty database."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from bot.core.models import GamesData
from bot.core.changes import Changes, diff_games
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file
from bot.store import games as games_store
from bot.store.database import Database
from bot.store.meta import get_meta, set_meta

SHIPPED_KEY = "shipped_dataset_sha256"  # which version of the shipped file the database holds


async def import_games(db: Database, data: GamesData, *, dry_run: bool = False, now: datetime | None = None) -> Changes:
    """Make the store hold `data` (one transaction); with dry_run, only say what would change."""
    old = await games_store.load_games(db, data.games.id)
    changes = diff_games(old, data, await games_store.known_sports(db), await games_store.known_nations(db))
    if not dry_run and (changes.count or await games_store.active_games_id(db) != data.games.id):
        await games_store.apply_changes(db, changes, now or datetime.now(timezone.utc))
    return changes


async def ensure_games_loaded(db: Database, now: datetime | None = None) -> Changes | None:
    """On first start (no Games at all) load the shipped Beijing 2022 data set; after an upgrade
    that changed the shipped file, bring a database that serves it up to date (a diff, as any
    re-import). A database serving another Games is left alone."""
    digest = hashlib.sha256(SHIPPED_DATASET.read_bytes()).hexdigest()
    if await get_meta(db, SHIPPED_KEY) == digest:
        return None
    active = await games_store.active_games_id(db)
    data = load_dataset_file(SHIPPED_DATASET)
    changes = None
    if active is None or active == data.games.id:
        changes = await import_games(db, data, now=now)
    await set_meta(db, SHIPPED_KEY, digest)
    return changes
