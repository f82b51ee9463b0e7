"""Shared by the importer tests: `python -m bot import` in a subprocess, a database's full dump,
and the reference folders in ../shared (tests that need them skip with a clear reason without)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
ODF = SHARED / "odf-samples"
MILANO = SHARED / "milano-cortina-2026"
PARIS = SHARED / "paris-2024"


def reference(folder: Path) -> Path:
    """The reference folder, or skip: the files live beside the project, in ../shared, not in it."""
    if not folder.is_dir():
        pytest.skip(f"the reference files are not at {folder} (they live beside the project, in ../shared)")
    return folder


def run_bot(db: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
    environment["PODIUM_DATABASE"] = str(db)
    return subprocess.run([sys.executable, "-m", "bot", *map(str, args)], capture_output=True, text=True,
                          env=environment, cwd=ROOT, timeout=300)


def dump(path: Path) -> list[str]:
    """Every row of every table, as SQL text: what 'the database is unchanged' means."""
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())
