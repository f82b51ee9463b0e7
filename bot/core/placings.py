"""A nation's placings of a day: where its competitors finished in every session that started on
that local day and had ended by a given instant, medals or not."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.medal_marks import medal_marks
from bot.core.models import Event, GamesData, Localised, Session, Sport
from bot.core.programme import day_window


@dataclass(frozen=True)
class Placing:
    session: Session
    event: Event
    sport: Sport
    rank: int | None
    competitor: str
    result: str
    medal: str | None  # the medal this competitor won in this session, from the medallists (never from the rank)
    race: Localised | None = None  # the race the rank is in ("Final B"), in a session of several


def nation_placings(data: GamesData, nation_code: str, day: date, tz: ZoneInfo, as_of: datetime) -> list[Placing]:
    """`nation_code`'s standings in the sessions that start on local `day` in `tz` and have ended
    by `as_of`; in session start order, then by rank (unranked last)."""
    start, end = day_window(day, tz)
    sessions = {s.id: s for s in data.sessions if start <= s.start < end and s.end <= as_of}
    if not sessions:
        return []
    order = {s.id: index for index, s in enumerate(data.sessions)}
    by_session: dict[str, list] = {}
    for standing in data.standings:
        if standing.session_id in sessions:
            by_session.setdefault(standing.session_id, []).append(standing)
    placings = []
    for session_id, standings in by_session.items():
        session = sessions[session_id]
        marks = medal_marks(data, session, standings) if any(s.nation == nation_code for s in standings) else {}
        event = data.event_of(session)
        for index, standing in enumerate(standings):
            if standing.nation == nation_code:
                placings.append(Placing(session, event, data.sports[event.sport_id], standing.rank, standing.competitor,
                                        standing.result, marks.get(index), standing.race))
    placings.sort(key=lambda p: (order[p.session.id], _race_key(p.race), p.rank is None, p.rank or 0, p.competitor))
    return placings


def _race_key(race: Localised | None) -> tuple:
    """Races in natural order: Final A before Final B, Heat 2 before Heat 10."""
    text = race["en"] if race else ""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))
