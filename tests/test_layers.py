"""The rooms of the code keep to themselves: discord.py only in discord_io/, SQL drivers only in
store/, and the core imports nothing of the bot's outer layers."""
from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(outside: str | None = None, inside: str | None = None):
    for path in sorted(BOT.rglob("*.py")):
        room = path.relative_to(BOT).parts[0]
        if (outside is None or room != outside) and (inside is None or room == inside):
            yield path, imports(path)


def test_only_discord_io_imports_discord():
    offenders = [str(p.relative_to(BOT)) for p, names in modules(outside="discord_io")
                 if any(n == "discord" or n.startswith("discord.") for n in names)]
    assert offenders == []


def test_only_store_imports_a_database_driver():
    offenders = [str(p.relative_to(BOT)) for p, names in modules(outside="store")
                 if names & {"aiosqlite", "asyncpg", "sqlite3"}]
    assert offenders == []


def test_the_core_imports_no_outer_layer():
    outer = ("bot.store", "bot.data", "bot.alerts", "bot.feed", "bot.discord_io", "bot.app", "bot.services", "bot.settings")
    offenders = [(str(p.relative_to(BOT)), n) for p, names in modules(inside="core") for n in names if n.startswith(outer)]
    assert offenders == []
