"""What differs between the two SQL dialects Podium speaks, in one place.

The store modules write SQLite's dialect with `?` placeholders, in the subset both engines share
(ON CONFLICT ... DO UPDATE, excluded., CASE, LIKE). PostgreSQL numbers its placeholders ($1, $2,
...): `numbered()` rewrites a statement once and remembers it. SQLite's path does not come here."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

# A quoted literal or identifier (kept as it is), or a placeholder outside them.
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?")
_RETURNS_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW)\b|\bRETURNING\b", re.IGNORECASE)


def is_postgres(target) -> bool:
    """Whether PODIUM_DATABASE names a PostgreSQL database (a URL) rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def shown(target) -> str:
    """The database as an operator may see it in a message or a log line: no password."""
    if not is_postgres(target):
        return str(target)
    parts = urlsplit(target)
    if parts.password is None:
        return target
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's $1, $2, ... (a `?` inside quotes is left alone)."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        if match[0] != "?":
            return match[0]
        count += 1
        return f"${count}"

    return _TOKEN.sub(replace, sql)


@lru_cache(maxsize=1024)
def returns_rows(sql: str) -> bool:
    return _RETURNS_ROWS.search(sql) is not None
