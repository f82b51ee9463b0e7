"""What the core works out from a loaded Games, kept with it: `GamesData.memo` goes when the data
is reloaded (a new GamesData), so nothing here needs invalidating by hand."""
from __future__ import annotations

from typing import Callable, TypeVar

from bot.core.models import GamesData

T = TypeVar("T")
MEMO_LIMIT = 1024  # entries kept per loaded Games (answers per nation, day, language, ...; a few MB at most); then afresh


def memoised(data: GamesData, key: tuple, build: Callable[[], T]) -> T:
    """build() once per `key` and loaded Games. Keys start with a name of their own (the function's)."""
    memo = data.memo
    found = memo.get(key)
    if found is None:
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        found = memo[key] = build()
    return found
