"""The medal table in IOC order, a nation's medals, and the medals decided on a day."""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.memo import memoised
from bot.core.models import MEDALS, Event, GamesData, Nation, Result, Sport
from bot.core.programme import local_date


@dataclass(frozen=True)
class MedalRow:
    nation: Nation
    gold: int
    silver: int
    bronze: int
    total: int
    rank: int | None  # None: listed with its medals but not ranked (games.unranked_nations)
    tied: bool  # another nation shares this rank


@dataclass(frozen=True)
class Medallist:
    event: Event
    sport: Sport
    medal: str
    competitor: str
    decided_at: datetime


@dataclass(frozen=True)
class NationMedals:
    nation: Nation
    row: MedalRow | None  # None: no medals (yet)
    medallists: list[Medallist]


@dataclass(frozen=True)
class EventResult:
    event: Event
    sport: Sport
    decided_at: datetime
    medallists: dict[str, list[Result]]  # medal -> results, in MEDALS order


def decided_at(data: GamesData, result: Result) -> datetime | None:
    return data.decided_at.get((result.event_id, result.medal)) or data.decided_at.get((result.event_id, "*"))


def _results_by_decision(data: GamesData) -> tuple[list[datetime], list[Result]]:
    """The results in the order their medals were decided (worked out once per loaded Games)."""
    def build():
        timed = sorted(((when, index) for index, r in enumerate(data.results) if (when := decided_at(data, r)) is not None))
        return [when for when, _ in timed], [data.results[index] for _, index in timed]

    return memoised(data, ("results by decision",), build)


def decided_count(data: GamesData, as_of: datetime | None) -> int | None:
    """How many results count at `as_of` (None: all, decided or not): the tables depend on nothing else."""
    if as_of is None:
        return None
    instants, _ = _results_by_decision(data)
    return bisect_right(instants, as_of)


def decided_results(data: GamesData, as_of: datetime | None) -> list[Result]:
    """The results that count at `as_of` (all of them when None)."""
    if as_of is None:
        return list(data.results)
    instants, results = _results_by_decision(data)
    return results[: bisect_right(instants, as_of)]


def medal_table(data: GamesData, as_of: datetime | None = None, order: str = "gold") -> list[MedalRow]:
    """Nations with at least one medal. "gold": gold, then silver, then bronze (IOC);
    "total": total first. Nations level on the ordering key share a rank (1, 2, =3, =3, 5).
    Worked out once per loaded Games, ordering and number of results decided by `as_of`."""
    key = ("medal table", decided_count(data, as_of), order)
    return list(memoised(data, key, lambda: tuple(_rank(data, decided_results(data, as_of), order))))


def _rank(data: GamesData, results: list[Result], order: str) -> list[MedalRow]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for result in results:
        counts[result.nation][result.medal] += 1

    def key(code: str) -> tuple:
        c = counts[code]
        medals = (c["gold"], c["silver"], c["bronze"])
        return (sum(medals), *medals) if order == "total" else medals

    unranked = set(getattr(data.games, "unranked_nations", ()))
    codes = sorted(counts, key=lambda code: (code in unranked, tuple(-k for k in key(code)), _name(data, code)))
    keys = [key(code) for code in codes if code not in unranked]
    rows = []
    for index, code in enumerate(codes):
        rank = keys.index(keys[index]) + 1 if code not in unranked else None
        tied = rank is not None and keys.count(keys[index]) > 1
        c = counts[code]
        nation = data.nations.get(code) or Nation(code, {"en": code})
        rows.append(MedalRow(nation, c["gold"], c["silver"], c["bronze"], c["gold"] + c["silver"] + c["bronze"], rank, tied))
    return rows


def _name(data: GamesData, code: str) -> str:
    nation = data.nations.get(code)
    return nation.name["en"] if nation else code


def nation_medals(data: GamesData, code: str, as_of: datetime | None = None) -> NationMedals:
    """A nation's row in the table and its medallists in the order decided (once per loaded Games,
    nation and number of results decided by `as_of`)."""
    return memoised(data, ("nation medals", code, decided_count(data, as_of)), lambda: _nation_medals(data, code, as_of))


def _nation_medals(data: GamesData, code: str, as_of: datetime | None) -> NationMedals:
    nation = data.nations.get(code) or Nation(code, {"en": code})
    row = next((r for r in medal_table(data, as_of) if r.nation.code == code), None)
    medallists = [
        Medallist(data.events[r.event_id], data.sports[data.events[r.event_id].sport_id], r.medal, r.competitor, decided_at(data, r))
        for r in decided_results(data, as_of)
        if r.nation == code
    ]
    medallists.sort(key=lambda m: (m.decided_at, MEDALS.index(m.medal), m.event.id))
    return NationMedals(nation, row, medallists)


def results_on(data: GamesData, day: date, tz: ZoneInfo, sport: str | None = None) -> list[EventResult]:
    """The events whose medals were decided on local `day` in `tz`, in the order decided."""
    by_event: dict[str, EventResult] = {}
    for result in data.results:
        event = data.events[result.event_id]
        when = decided_at(data, result)
        if when is None or local_date(when, tz) != day or (sport and event.sport_id != sport):
            continue
        entry = by_event.setdefault(event.id, EventResult(event, data.sports[event.sport_id], when, {m: [] for m in MEDALS}))
        entry.medallists[result.medal].append(result)
        if when > entry.decided_at:
            by_event[event.id] = EventResult(event, entry.sport, when, entry.medallists)
    return sorted(by_event.values(), key=lambda e: (e.decided_at, e.event.id))
