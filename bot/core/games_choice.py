"""Which of the loaded Games answers: by the bot's clock, or as the user names it.

- The Games running now (first session start to last session end), whatever the question.
- Otherwise, for schedule questions (a programme, the evening alert, a calendar): the next one to
  come, so the eve-of-Games countdown and the first day's programme work; after the last one, the
  last one.
- Otherwise, for medals and results: the most recent one that has any medallists.
Overlapping Games (a test Games, say) go to the one imported last. Pure: `now` is passed in."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from bot.core.i18n import t
from bot.core.inputs import InvalidInput
from bot.core.models import Localised, pick
from bot.core.programme import games_dates
from bot.core.text import split_message

SCHEDULE, RESULTS = "schedule", "results"


@dataclass(frozen=True)
class GamesInfo:
    """What choosing a Games needs to know about one, without loading it."""

    id: str
    name: Localised
    first_start: datetime | None  # None: no sessions
    last_end: datetime | None
    results: int  # medallists stored
    imported_at: str  # ISO 8601 UTC; compares as text

    def running(self, now: datetime) -> bool:
        return self.first_start is not None and self.first_start <= now <= self.last_end


def games_info(games_id: str, name: Localised, times: Iterable[tuple[datetime, datetime]], results: int,
               imported_at: str) -> GamesInfo:
    """From every session's (start, end): the span without far placeholder dates (games_dates)."""
    times = list(times)
    span = games_dates(start for start, _ in times)
    if span is None:
        return GamesInfo(games_id, name, None, None, results, imported_at)
    last_end = max(end for start, end in times if span[0] <= start <= span[1])
    return GamesInfo(games_id, name, span[0], last_end, results, imported_at)


def choose_games(infos: Sequence[GamesInfo], now: datetime, purpose: str = SCHEDULE) -> GamesInfo | None:
    """The Games that answers at `now` for a SCHEDULE or a RESULTS question (None: none loaded)."""
    dated = [g for g in infos if g.first_start is not None]
    running = [g for g in dated if g.running(now)]
    if running:
        return max(running, key=lambda g: g.imported_at)
    if purpose == RESULTS:
        past = [g for g in dated if g.results and g.first_start <= now]
        if past:
            return max(past, key=lambda g: (g.last_end, g.imported_at))
    upcoming = sorted((g for g in dated if g.first_start > now), key=lambda g: g.imported_at, reverse=True)
    if upcoming:
        return min(upcoming, key=lambda g: g.first_start)  # the first of equals: the newest import
    if dated:
        return max(dated, key=lambda g: (g.last_end, g.imported_at))
    return max(infos, key=lambda g: g.imported_at, default=None)


def _plain(text: str) -> str:
    """Lower case, no accents, letters and digits only: 'Milano-Cortina 2026' -> 'milanocortina2026'."""
    decomposed = unicodedata.normalize("NFKD", str(text)).casefold()
    return re.sub(r"[^0-9a-z]", "", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _keys(info: GamesInfo) -> set[str]:
    return {_plain(info.id)} | {_plain(name) for name in info.name.values()}


def matching_games(query: str, infos: Sequence[GamesInfo]) -> list[GamesInfo]:
    """The Games `query` names: its id or name in any language, whole or in part ('2026',
    'beijing', 'Milano Cortina 2026', 'milano-cortina-2026'); an exact match wins."""
    wanted = _plain(query)
    if not wanted:
        return []
    exact = [g for g in infos if wanted in _keys(g)]
    if exact:
        return exact
    return [g for g in infos if any(wanted in key for key in _keys(g))]


def by_date(infos: Iterable[GamesInfo]) -> list[GamesInfo]:
    """Oldest first; Games without sessions last."""
    return sorted(infos, key=lambda g: (g.first_start is None, g.first_start.timestamp() if g.first_start else 0, g.id))


def loaded_names(infos: Sequence[GamesInfo], language: str) -> str:
    return ", ".join(f"{pick(g.name, language)} ({g.id})" for g in by_date(infos))


def resolve_games(query: str, infos: Sequence[GamesInfo], language: str = "en") -> GamesInfo:
    """The one Games `query` names; InvalidInput (listing the loaded Games) otherwise."""
    found = matching_games(query, infos)
    if len(found) == 1:
        return found[0]
    key = "error.ambiguous_games" if found else "error.unknown_games"
    raise InvalidInput(key, value=str(query), choices=loaded_names(found or infos, language))


def suggest_games(query: str, infos: Sequence[GamesInfo], limit: int = 25) -> list[GamesInfo]:
    """Autocomplete: the Games matching what was typed so far (all of them for nothing), newest first."""
    found = matching_games(query, infos) if _plain(query) else list(infos)
    return by_date(found)[::-1][:limit]


def about_games(messages: list[str], games_name: str, language: str) -> list[str]:
    """`messages` led by the name of the Games they are about (every answer names its Games)."""
    if not messages:
        return messages
    first = t("games.about", language, games=games_name) + "\n" + messages[0]
    return split_message(first) + list(messages[1:])
