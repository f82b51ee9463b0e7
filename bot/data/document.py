"""GamesData back into the data set format (docs/data-format.md): for feeds and replays."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.medals import decided_at
from bot.core.models import GamesData
from bot.data.dataset import FORMAT


def to_document(data: GamesData) -> dict:
    """The data set document that parses back into `data`."""
    document = {
        "format": FORMAT,
        "games": {"id": data.games.id, "name": dict(data.games.name), "host_timezone": data.games.host_timezone},
        "sports": [{"id": s.id, "name": dict(s.name)} for s in data.sports.values()],
        "nations": [{"code": n.code, "name": dict(n.name), "iso2": n.iso2, "iso3": n.iso3, "flag": n.flag} for n in data.nations.values()],
        "events": [{"id": e.id, "sport": e.sport_id, "gender": e.gender, "name": dict(e.name)} for e in data.events.values()],
        "sessions": [_session(s, data.games.host_timezone) for s in data.sessions],
        "results": [{"event": r.event_id, "medal": r.medal, "competitor": r.competitor, "nation": r.nation} for r in data.results],
    }
    games = data.games
    if games.notes:
        document["games"]["notes"] = dict(games.notes)
    if games.sources:
        document["games"]["sources"] = [{"name": x.name, "url": x.url, "terms": x.terms} for x in games.sources]
    if games.unranked_nations:
        document["games"]["unranked_nations"] = list(games.unranked_nations)
    standings = getattr(data, "standings", ())
    if standings:
        document["standings"] = [_standing(s) for s in standings]
    return document


def _session(s, host_zone: str) -> dict:
    """One session as written in a data set; the optional fields only where they are used."""
    record = {"id": s.id}
    record.update({"event": s.event_id} if s.event_id is not None else {"sport": s.sport_id, "events_text": dict(s.events_text or {})})
    record["unit"] = dict(s.unit)
    if s.time_tbd:
        record["date"] = s.start.astimezone(ZoneInfo(s.timezone or host_zone)).date().isoformat()
    else:
        record.update({"start": s.start.isoformat(), "end": s.end.isoformat()})
    if s.timezone:
        record["timezone"] = s.timezone
    record.update({"venue": s.venue, "medals": list(s.medals), "nations": list(s.nations)})
    if s.status != "scheduled":
        record["status"] = s.status
    if s.ranks != "overall":
        record["ranks"] = s.ranks
    return record


def _standing(s) -> dict:
    record = {"session": s.session_id, "rank": s.rank, "competitor": s.competitor, "nation": s.nation, "result": s.result}
    if s.race:
        record["race"] = dict(s.race)
    return record


def as_known_at(data: GamesData, now: datetime) -> GamesData:
    """The Games as a live feed would have shown them at `now`: the schedule in full, results
    only for medals decided by then, standings only for sessions that have ended."""
    results = tuple(r for r in data.results if (when := decided_at(data, r)) is not None and when <= now)
    changes = {"results": results}
    if getattr(data, "standings", ()):
        ended = {s.id for s in data.sessions if s.end <= now}
        changes["standings"] = tuple(s for s in data.standings if s.session_id in ended)
    return replace(data, **changes)
