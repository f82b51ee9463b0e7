"""`python -m bot` as a user runs it: a subprocess with a clean environment."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def env_for(db, **extra) -> dict:
    """The environment of a user with database `db` in Amsterdam, in English (plus `extra`)."""
    return {"PODIUM_DATABASE": str(db), "PODIUM_TIMEZONE": "Europe/Amsterdam", "PODIUM_LANGUAGE": "en", **extra}


def run(*args, env=None, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=environment,
                          cwd=cwd or ROOT, timeout=timeout)
