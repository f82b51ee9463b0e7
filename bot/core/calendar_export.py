"""The remaining sessions of a Games as an iCalendar (.ics) file, to import into a calendar app.

Pure and deterministic: the same data, filters and `after` give byte-identical output, and every
session keeps the same UID, so importing a newer file updates events instead of duplicating them."""
from __future__ import annotations

from datetime import datetime, timezone

from icalendar import Calendar, Event as CalendarEvent

from bot.core.i18n import t
from bot.core.models import GamesData, Session, pick

PRODID = "-//Podium//Olympic programme//EN"
MEDAL_MARK = "🏅"


def remaining_sessions(data: GamesData, *, after: datetime, sport: str | None = None, nation: str | None = None) -> list[Session]:
    """Sessions starting at or after `after`, of sport id `sport` and with nation code `nation` taking part."""
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    found = []
    for session in data.sessions:  # in start order
        if session.start < after:
            continue
        if sport and data.event_of(session).sport_id != sport:
            continue
        if nation and nation not in session.nations:
            continue
        found.append(session)
    return found


def session_uid(data: GamesData, session: Session) -> str:
    return f"{session.id}@{data.games.id}.podium"


def session_summary(data: GamesData, session: Session, language: str) -> str:
    event = data.event_of(session)
    sport = data.sports[event.sport_id]
    summary = f"{pick(sport.name, language)} – {pick(event.name, language)} – {pick(session.unit, language)}"
    return f"{MEDAL_MARK} {summary}" if session.medals else summary


def calendar_name(data: GamesData, *, sport: str | None = None, nation: str | None = None, language: str = "en") -> str:
    parts = [pick(data.games.name, language)]
    if sport:
        parts.append(pick(data.sports[sport].name, language))
    if nation:
        parts.append(pick(data.nations[nation].name, language))
    return " – ".join(parts)


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(timezone.utc)


def build_calendar(data: GamesData, *, after: datetime, sport: str | None = None, nation: str | None = None,
                   language: str = "en") -> bytes:
    """The .ics file of the sessions still to come (start >= `after`), optionally of one sport
    (its id) and/or with one nation (its IOC code) taking part, with texts in `language`."""
    sessions = remaining_sessions(data, after=after, sport=sport, nation=nation)
    # DTSTAMP must not depend on when the file is made: the end of the Games' last session.
    stamp = _utc(max((s.end for s in data.sessions), default=after))
    medal_category = t("calendar.medal", language)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name(data, sport=sport, nation=nation, language=language))
    for session in sessions:
        event = data.event_of(session)
        entry = CalendarEvent()
        entry.add("uid", session_uid(data, session))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", _utc(session.start))
        entry.add("dtend", _utc(session.end))
        entry.add("summary", session_summary(data, session, language))
        entry.add("location", session.venue)
        categories = [pick(data.sports[event.sport_id].name, language)]
        if session.medals:
            categories.append(medal_category)
        entry.add("categories", categories)
        calendar.add_component(entry)
    return calendar.to_ical()
