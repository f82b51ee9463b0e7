"""Looking into a database file from a test."""
from __future__ import annotations

import sqlite3


def dump(path) -> list[str]:
    """Every row of every table, as SQL text: what 'the database is unchanged' means."""
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())
