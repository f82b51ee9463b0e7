"""Shared by the importer tests: `python -m bot import` in a subprocess, and the reference folders
in ../shared (tests that need them skip with a clear reason without)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import ROOT, run

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
    """`python -m bot ARGS` on the database `db` (a large import may take minutes)."""
    return run(*map(str, args), env={"PODIUM_DATABASE": str(db)}, timeout=300)
