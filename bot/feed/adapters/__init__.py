"""Feed adapters: one module per source format, each with

    def parse(raw: bytes, source: str, current: GamesData | None, *, skipped: list[str]) -> GamesData

that turns what the feed returned into a checked GamesData (raising bot.data.dataset.DatasetError
with every problem), given the Games it is about as loaded now (for partial feeds); sessions far outside
the Games' dates are left out and described in `skipped`. `podium` reads our own
format (docs/data-format.md); another source plugs in as another module here, named by
PODIUM_FEED_ADAPTER. An adapter may also have `games_id(raw) -> str | None`, the id of the Games
a body is about, so that a partial feed merges into that Games whichever one the clock chooses."""
from __future__ import annotations

import importlib
from types import ModuleType


def load_adapter(name: str) -> ModuleType:
    module = importlib.import_module(f"bot.feed.adapters.{name}")
    if not callable(getattr(module, "parse", None)):
        raise ImportError(f"feed adapter {name!r} has no parse(raw, source, current) function")
    return module
