"""A nation's placings of a day: where its competitors finished in every session that started on
that local day and had ended by a given instant, medals or not."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.models import MEDALS, Event, GamesData, Session, Sport
from bot.core.programme import day_window


@dataclass(frozen=True)
class Placing:
    session: Session
    event: Event
    sport: Sport
    rank: int | None
    competitor: str
    result: str
    medal: str | None  # the medal this place won, when the session decides it and the results agree


def nation_placings(data: GamesData, nation_code: str, day: date, tz: ZoneInfo, as_of: datetime) -> list[Placing]:
    """`nation_code`'s standings in the sessions that start on local `day` in `tz` and have ended
    by `as_of`; in session start order, then by rank (unranked last)."""
    start, end = day_window(day, tz)
    sessions = {s.id: s for s in data.sessions if start <= s.start < end and s.end <= as_of}
    if not sessions:
        return []
    order = {s.id: index for index, s in enumerate(data.sessions)}
    won = {(r.event_id, r.medal) for r in data.results if r.nation == nation_code}
    placings = []
    for standing in data.standings:
        session = sessions.get(standing.session_id)
        if session is None or standing.nation != nation_code:
            continue
        event = data.event_of(session)
        medal = None
        if standing.rank is not None and standing.rank <= len(MEDALS):
            candidate = MEDALS[standing.rank - 1]
            if candidate in session.medals and (event.id, candidate) in won:
                medal = candidate
        placings.append(Placing(session, event, data.sports[event.sport_id], standing.rank, standing.competitor, standing.result, medal))
    placings.sort(key=lambda p: (order[p.session.id], p.rank is None, p.rank or 0, p.competitor))
    return placings
