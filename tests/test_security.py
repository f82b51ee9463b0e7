"""Security properties that hold for the code as a whole."""
from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
SQL_CALLS = {"execute", "executemany", "executescript", "fetchall", "fetchone"}
# Names that may be pasted into SQL text: lists of "?" marks and constant column lists, never values.
SAFE_NAMES = {"marks", "COLUMNS", "sql", "version", "name", "applied", "placeholders", "columns", "table"}


def sql_calls():
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS and node.args:
                yield path, node


def test_sql_is_parameterised_throughout():
    checked = 0
    for path, call in sql_calls():
        text = call.args[0]
        where = f"{path.relative_to(BOT.parent)}:{call.lineno}"
        assert not isinstance(text, ast.BinOp), f"{where}: SQL built with + or %; use ? parameters"
        assert not (isinstance(text, ast.Call) and getattr(text.func, "attr", "") == "format"), f"{where}: SQL built with .format()"
        if isinstance(text, ast.JoinedStr):
            for part in text.values:
                if isinstance(part, ast.FormattedValue):
                    assert isinstance(part.value, ast.Name) and part.value.id in SAFE_NAMES, \
                        f"{where}: a value is pasted into SQL ({ast.unparse(part.value)}); use ? parameters"
        checked += 1
    assert checked > 20  # the walk found the store's queries
