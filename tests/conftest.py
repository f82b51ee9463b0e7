"""Suite-wide: no log line of the whole test run may contain a bot token; the shared fixtures
(helpers live in tests/support/)."""
from __future__ import annotations

import logging

import pytest

from tests.fake_discord import FakeDiscord
from tests.support import world
from tests.support.backends import postgres_url, store_target  # noqa: F401  (fixtures: every store backend, PostgreSQL)
from tests.support.cli import run


class _EveryLogLine(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))  # with the traceback, if any
        except Exception:  # a record that cannot be formatted is not ours to judge here
            pass


@pytest.fixture(scope="session", autouse=True)
def no_token_in_any_log_line():
    handler = _EveryLogLine()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(min(previous, logging.INFO) if previous else logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(previous)
    tokens = {t for t in FakeDiscord.tokens_seen if len(t) >= 8}
    leaked = [line for line in handler.lines if any(token in line for token in tokens)]
    assert not leaked, f"a bot token appeared in {len(leaked)} log line(s), e.g. {leaked[0][:200]}"


@pytest.fixture
async def fake():
    """The fake Discord of tests/support/world.py, started; a test may add to it or set faults
    before it starts the bot."""
    async with world.build() as server:
        yield server


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory):
    """A database with the shipped Games, made once per module by `python -m bot games`."""
    path = tmp_path_factory.mktemp("cli") / "podium.sqlite3"
    result = run("games", env={"PODIUM_DATABASE": str(path)})
    assert result.returncode == 0, result.stderr
    return path
