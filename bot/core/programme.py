"""The programme of a local day in any zone: sessions by sport, in start order."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from bot.core.models import Event, GamesData, Nation, Session, Sport, pick
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
    focus_nation: Nation | None = None  # the focus nation, where the Games know it

    @property
    def is_empty(self) -> bool:
        return not self.blocks

    @property
    def medal_count(self) -> int:
        """Medal events decided this day: an event whose bronze and gold games both fall on it counts once."""
        return len({item.event.id for block in self.blocks for item in block.items if item.is_medal})


# A session further than this from the Games' own dates is not one of its sessions (a "TBD"
# placeholder such as 9999-12-31): the data set check refuses it and the core leaves it out.
FAR_DAYS = 60
_UTC_MIN = datetime.min.replace(tzinfo=timezone.utc)
_UTC_MAX = datetime.max.replace(tzinfo=timezone.utc)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The date of `instant` in `tz`; at the ends of the calendar, the first or last date."""
    try:
        return instant.astimezone(tz).date()
    except OverflowError:
        return date.max if instant.year > 1 else date.min


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The instant `day` ends in `tz` (midnight at its end): "as of" a day counts all of it."""
    return datetime.combine(day + timedelta(days=1), time(0), tz)


def to_local(instant: datetime, tz: ZoneInfo) -> datetime | None:
    """`instant` in `tz`, or None when that falls off the end of the calendar (year 9999)."""
    try:
        return instant.astimezone(tz)
    except OverflowError:
        return None


def _utc(day: date, tz: ZoneInfo) -> datetime:
    """Local midnight starting `day`, in UTC; clamped at the ends of the calendar."""
    try:
        return datetime.combine(day, time(0), tz).astimezone(timezone.utc)
    except OverflowError:
        return _UTC_MAX if day.year > 1 else _UTC_MIN


def tomorrow(now: datetime, tz: ZoneInfo) -> date:
    today = local_date(now, tz)
    return today + timedelta(days=1) if today < date.max else today


def day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight, next local midnight) in UTC: 23 or 25 hours on DST days."""
    start = _utc(day, tz)
    end = _utc(day + timedelta(days=1), tz) if day < date.max else _UTC_MAX
    return start, end


def programme_for(data: GamesData, day: date, tz: ZoneInfo, sport: str | None = None, focus: str | None = None) -> Programme:
    start, end = day_window(day, tz)
    by_sport: dict[str, list[ProgrammeItem]] = {}
    for session in data.sessions:  # in start order
        if not start <= session.start < end:
            continue
        event = data.event_of(session)
        local_start = to_local(session.start, tz)
        if (sport and event.sport_id != sport) or local_start is None:
            continue
        item = ProgrammeItem(session, event, data.sports[event.sport_id], local_start,
                             bool(session.medals), bool(focus and focus in session.nations))
        by_sport.setdefault(event.sport_id, []).append(item)
    blocks = [SportBlock(items[0].sport, tuple(items)) for items in by_sport.values()]
    blocks.sort(key=lambda b: (b.items[0].session.start, b.sport.name["en"]))
    return Programme(day, tz, tuple(blocks), sport, focus, data.nations.get(focus) if focus else None)


def games_dates(starts: Iterable[datetime]) -> tuple[datetime, datetime] | None:
    """The Games' own span (first and last session start), read from the sessions within
    FAR_DAYS of the middle one, so that one far placeholder date cannot stretch it."""
    ordered = sorted(starts)
    if not ordered:
        return None
    middle = ordered[len(ordered) // 2]
    near = [s for s in ordered if abs((s - middle).days) <= FAR_DAYS]
    return near[0], near[-1]


def within_games(instant: datetime, span: tuple[datetime, datetime]) -> bool:
    """Whether `instant` lies within the Games' dates ± FAR_DAYS."""
    first, last = span
    return (first - instant).days <= FAR_DAYS and (instant - last).days <= FAR_DAYS


def games_span(data: GamesData, tz: ZoneInfo) -> tuple[date, date] | None:
    """The first and last local date with a session, in `tz`, ignoring far placeholder dates."""
    span = games_dates(s.start for s in data.sessions)
    if span is None:
        return None
    return local_date(span[0], tz), local_date(span[1], tz)


def games_days(data: GamesData, tz: ZoneInfo) -> list[date]:
    """Every local date from the first session's to the last session's, in `tz`."""
    span = games_span(data, tz)
    if span is None:
        return []
    first, last = span
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
