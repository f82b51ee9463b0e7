"""The programme of a local day in any zone: sessions by sport, in start order."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from bot.core.models import Event, GamesData, Session, Sport, pick
from bot.core.text import normalise


class UnknownSport(ValueError):
    def __init__(self, query: str, suggestions: list[Sport]):
        self.query = query
        self.suggestions = suggestions
        super().__init__(f"unknown sport {query!r}")


@dataclass(frozen=True)
class ProgrammeItem:
    session: Session
    event: Event
    sport: Sport
    local_start: datetime  # in the viewer's zone
    is_medal: bool
    focus: bool  # the focus nation takes part


@dataclass(frozen=True)
class SportBlock:
    sport: Sport
    items: tuple[ProgrammeItem, ...]


@dataclass(frozen=True)
class Programme:
    day: date
    tz: ZoneInfo
    blocks: tuple[SportBlock, ...]
    sport_filter: str | None = None
    focus: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.blocks

    @property
    def medal_count(self) -> int:
        """Medal events decided this day: an event whose bronze and gold games both fall on it counts once."""
        return len({item.event.id for block in self.blocks for item in block.items if item.is_medal})


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def tomorrow(now: datetime, tz: ZoneInfo) -> date:
    return local_date(now, tz) + timedelta(days=1)


def day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight, next local midnight) in UTC: 23 or 25 hours on DST days."""
    start = datetime.combine(day, time(0), tz).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(timezone.utc)
    return start, end


def programme_for(data: GamesData, day: date, tz: ZoneInfo, sport: str | None = None, focus: str | None = None) -> Programme:
    start, end = day_window(day, tz)
    by_sport: dict[str, list[ProgrammeItem]] = {}
    for session in data.sessions:  # in start order
        if not start <= session.start < end:
            continue
        event = data.event_of(session)
        if sport and event.sport_id != sport:
            continue
        item = ProgrammeItem(session, event, data.sports[event.sport_id], session.start.astimezone(tz),
                             bool(session.medals), bool(focus and focus in session.nations))
        by_sport.setdefault(event.sport_id, []).append(item)
    blocks = [SportBlock(items[0].sport, tuple(items)) for items in by_sport.values()]
    blocks.sort(key=lambda b: (b.items[0].session.start, b.sport.name["en"]))
    return Programme(day, tz, tuple(blocks), sport, focus)


def games_days(data: GamesData, tz: ZoneInfo) -> list[date]:
    """Every local date from the first session's to the last session's, in `tz`."""
    if not data.sessions:
        return []
    first = local_date(data.sessions[0].start, tz)
    last = max(local_date(s.start, tz) for s in data.sessions)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _sport_keys(sport: Sport) -> set[str]:
    return {normalise(sport.id), *(normalise(name) for name in sport.name.values())}


def resolve_sport(query: str, sports: Iterable[Sport]) -> Sport:
    sports = list(sports)
    key = normalise(query)
    for sport in sports:
        if key and key in _sport_keys(sport):
            return sport
    raise UnknownSport(query, _similar_sports(key, sports, 3))


def _similar_sports(key: str, sports: list[Sport], limit: int) -> list[Sport]:
    key = key[:100]  # no sport's name is longer; caps the cost of fuzzy matching
    if not key:
        return []
    by_key = {name: sport for sport in sports for name in _sport_keys(sport)}
    found: list[Sport] = []
    for match in difflib.get_close_matches(key, list(by_key), n=limit * 3, cutoff=0.5):
        if by_key[match] not in found:
            found.append(by_key[match])
    return found[:limit]


def suggest_sports(query: str, sports: Iterable[Sport], language: str = "en", limit: int = 25) -> list[Sport]:
    ordered = sorted(sports, key=lambda s: normalise(pick(s.name, language)))
    key = normalise(query)
    if not key:
        return ordered[:limit]
    found = [s for s in ordered if any(k.startswith(key) for k in _sport_keys(s))]
    found += [s for s in ordered if s not in found and any(key in k for k in _sport_keys(s))]
    found += [s for s in _similar_sports(key, ordered, limit) if s not in found]
    return found[:limit]
