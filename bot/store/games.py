"""Games, sports, nations, events, sessions and results: rows <-> plain models."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from bot.core.models import Event, Games, GamesData, Nation, Result, Session, Source, Sport, Standing
from bot.core.changes import Changes
from bot.core.games_choice import GamesInfo, games_info
from bot.store.database import Database, Reader



@dataclass(frozen=True)
class GamesSummary:
    id: str
    name: dict
    imported_at: str
    events: int
    sessions: int
    results: int
    first_start: str | None
    last_end: str | None
    active: bool  # imported last (which Games answers is chosen by the clock: core/games_choice.py)
    notes: dict | None = None  # what the data covers (localised)
    sources: tuple = ()  # Source of every fact, with its terms


def _text(localised: dict) -> str:
    return json.dumps(localised, ensure_ascii=False, sort_keys=True)


def _utc(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _games_details(games: Games) -> tuple:
    """(notes, sources, unranked_nations) as stored."""
    sources = [{"name": x.name, "url": x.url, "terms": x.terms} for x in games.sources]
    return (_text(games.notes) if games.notes else None, json.dumps(sources, ensure_ascii=False), ",".join(games.unranked_nations))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


async def active_games_id(db: Database | Reader) -> str | None:
    """The Games imported last (which one answers is chosen by the clock: core/games_choice.py)."""
    row = await db.fetchone("SELECT id FROM games ORDER BY imported_at DESC, id DESC LIMIT 1")
    return row[0] if row else None


async def has_games(db: Database, games_id: str) -> bool:
    return await db.fetchone("SELECT 1 FROM games WHERE id = ?", (games_id,)) is not None


async def games_revision(db: Database) -> int:
    """Changes whenever apply_changes() commits, in this process or another: a cheap check of
    whether the Games held in memory are still the stored ones. Each store keeps it its own way
    (SQLite: user_version in the file's header; PostgreSQL: a one-row table), apart from the Games
    rows, so an import still writes exactly what differs."""
    return await db.games_revision()


async def games_index(db: Database) -> list[GamesInfo]:
    """Every stored Games' id, name, span and number of medallists, read in one snapshot."""
    async with db.snapshot() as reader:
        games = await reader.fetchall("SELECT id, name, imported_at FROM games")
        results = dict(await reader.fetchall("SELECT games_id, COUNT(*) FROM results GROUP BY games_id"))
        times: dict[str, list] = {}
        for gid, start, end in await reader.fetchall(
                "SELECT games_id, start_utc, end_utc FROM sessions UNION ALL SELECT games_id, start_utc, end_utc FROM session_slots"):
            times.setdefault(gid, []).append((_instant(start), _instant(end)))
    return [games_info(r[0], json.loads(r[1]), times.get(r[0], ()), results.get(r[0], 0), r[2]) for r in games]


async def known_sports(db: Database | Reader) -> dict[str, Sport]:
    return {r[0]: Sport(r[0], json.loads(r[1])) for r in await db.fetchall("SELECT id, name FROM sports")}


async def known_nations(db: Database | Reader) -> dict[str, Nation]:
    rows = await db.fetchall("SELECT code, name, iso2, iso3, flag FROM nations")
    return {r[0]: Nation(r[0], json.loads(r[1]), r[2], r[3], r[4]) for r in rows}


async def load_games(db: Database, games_id: str | None = None) -> GamesData | None:
    """One Games with everything it needs (by default the one imported last); None if none is loaded.
    Read in one snapshot: an import committing meanwhile is either wholly in it or not at all."""
    async with db.snapshot() as reader:
        return await _load_games(reader, games_id)


async def _load_games(db: Reader, games_id: str | None) -> GamesData | None:
    games_id = games_id or await active_games_id(db)
    row = await db.fetchone("SELECT id, name, host_timezone, notes, sources, unranked_nations FROM games WHERE id = ?", (games_id,))
    if row is None:
        return None
    sources = tuple(Source(x["name"], x["url"], x["terms"]) for x in json.loads(row[4]))
    games = Games(row[0], json.loads(row[1]), row[2], json.loads(row[3]) if row[3] else None, sources, _codes(row[5]))
    events = [
        Event(r[0], r[1], r[2], json.loads(r[3]))
        for r in await db.fetchall("SELECT id, sport_id, gender, name FROM events WHERE games_id = ?", (games_id,))
    ]
    sessions = [
        Session(r[0], r[1], json.loads(r[2]), _instant(r[3]), _instant(r[4]), r[5], _codes(r[6]), _codes(r[7]), r[8], bool(r[9]), r[10],
                ranks=r[11])
        for r in await db.fetchall(
            """SELECT id, event_id, unit, start_utc, end_utc, venue, medals, nations, status, time_tbd, timezone, ranks
               FROM sessions WHERE games_id = ? ORDER BY start_utc, id""",
            (games_id,),
        )
    ] + [
        Session(r[0], None, json.loads(r[1]), _instant(r[2]), _instant(r[3]), r[4], _codes(r[5]), _codes(r[6]), r[7], bool(r[8]), r[9],
                sport_id=r[10], events_text=json.loads(r[11]))
        for r in await db.fetchall(
            """SELECT id, unit, start_utc, end_utc, venue, medals, nations, status, time_tbd, timezone, sport_id, events_text
               FROM session_slots WHERE games_id = ?""",
            (games_id,),
        )
    ]
    results = [
        Result(*r)
        for r in await db.fetchall(
            "SELECT event_id, medal, competitor, nation FROM results WHERE games_id = ? ORDER BY event_id, medal, nation, competitor",
            (games_id,),
        )
    ]
    order = {s.id: index for index, s in enumerate(sessions)}
    standings = sorted(
        (
            Standing(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]) if r[5] else None)
            for r in await db.fetchall(
                "SELECT session_id, rank, competitor, nation, result, race FROM standings WHERE games_id = ?", (games_id,)
            )
        ),
        key=lambda s: (order.get(s.session_id, len(order)), s.session_id, (s.race or {}).get("en", ""), s.rank is None, s.rank or 0,
                       s.competitor, s.nation),
    )
    sport_ids = {e.sport_id for e in events} | {s.sport_id for s in sessions if s.sport_id}
    sports = [s for s in (await known_sports(db)).values() if s.id in sport_ids]
    return GamesData.build(games, sports, (await known_nations(db)).values(), events, sessions, results, standings)


async def games_summaries(db: Database) -> list[GamesSummary]:
    active = await active_games_id(db)
    rows = await db.fetchall(
        """SELECT g.id, g.name, g.imported_at,
                  (SELECT COUNT(*) FROM events e WHERE e.games_id = g.id),
                  (SELECT COUNT(*) FROM sessions s WHERE s.games_id = g.id)
                    + (SELECT COUNT(*) FROM session_slots s WHERE s.games_id = g.id),
                  (SELECT COUNT(*) FROM results r WHERE r.games_id = g.id),
                  (SELECT MIN(start_utc) FROM (SELECT start_utc FROM sessions WHERE games_id = g.id
                                               UNION ALL SELECT start_utc FROM session_slots WHERE games_id = g.id) AS starts),
                  (SELECT MAX(end_utc) FROM (SELECT end_utc FROM sessions WHERE games_id = g.id
                                             UNION ALL SELECT end_utc FROM session_slots WHERE games_id = g.id) AS ends),
                  g.notes, g.sources
           FROM games g ORDER BY g.imported_at, g.id"""
    )
    return [
        GamesSummary(r[0], json.loads(r[1]), *r[2:8], active=r[0] == active, notes=json.loads(r[8]) if r[8] else None,
                     sources=tuple(Source(x["name"], x["url"], x["terms"]) for x in json.loads(r[9])))
        for r in rows
    ]


async def apply_changes(db: Database, changes: Changes, imported_at: datetime) -> int:
    """Write `changes` in one transaction (moving the revisions; no other Games is touched).
    Returns the number of rows written (0 for an unchanged data set)."""
    gid = changes.games_id
    async with db.transaction() as conn:
        for games in changes.games.added:
            await conn.execute(
                "INSERT INTO games (id, name, host_timezone, imported_at, notes, sources, unranked_nations) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (games.id, _text(games.name), games.host_timezone, _utc(imported_at), *_games_details(games)),
            )
        for games in changes.games.changed:
            await conn.execute(
                "UPDATE games SET name = ?, host_timezone = ?, notes = ?, sources = ?, unranked_nations = ? WHERE id = ?",
                (_text(games.name), games.host_timezone, *_games_details(games), games.id),
            )
        await conn.executemany(
            "INSERT INTO sports (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            [(s.id, _text(s.name)) for s in changes.sports.added + changes.sports.changed],
        )
        await conn.executemany(
            """INSERT INTO nations (code, name, iso2, iso3, flag) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (code) DO UPDATE SET name = excluded.name, iso2 = excluded.iso2, iso3 = excluded.iso3, flag = excluded.flag""",
            [(n.code, _text(n.name), n.iso2, n.iso3, n.flag) for n in changes.nations.added + changes.nations.changed],
        )
        await conn.executemany(
            "DELETE FROM results WHERE games_id = ? AND event_id = ? AND medal = ? AND competitor = ? AND nation = ?",
            [(gid, r.event_id, r.medal, r.competitor, r.nation) for r in changes.results.removed],
        )
        await conn.executemany(
            "DELETE FROM standings WHERE games_id = ? AND session_id = ? AND competitor = ? AND nation = ?",
            [(gid, *key) for key in changes.standings.removed],
        )
        # A session lives in `sessions` (it has an event) or in `session_slots` (it has not); a
        # changed session may move from one to the other.
        written = changes.sessions.added + changes.sessions.changed
        await conn.executemany("DELETE FROM sessions WHERE games_id = ? AND id = ?",
                               [(gid, key) for key in changes.sessions.removed] + [(gid, s.id) for s in written if s.event_id is None])
        await conn.executemany("DELETE FROM session_slots WHERE games_id = ? AND id = ?",
                               [(gid, key) for key in changes.sessions.removed] + [(gid, s.id) for s in written if s.event_id is not None])
        await conn.executemany("DELETE FROM events WHERE games_id = ? AND id = ?", [(gid, key) for key in changes.events.removed])
        await conn.executemany(
            """INSERT INTO events (games_id, id, sport_id, gender, name) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (games_id, id) DO UPDATE SET sport_id = excluded.sport_id, gender = excluded.gender, name = excluded.name""",
            [(gid, e.id, e.sport_id, e.gender, _text(e.name)) for e in changes.events.added + changes.events.changed],
        )
        await conn.executemany(
            """INSERT INTO sessions (games_id, id, event_id, unit, start_utc, end_utc, venue, medals, nations, status, time_tbd, timezone,
                                     ranks)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (games_id, id) DO UPDATE SET event_id = excluded.event_id, unit = excluded.unit,
                 start_utc = excluded.start_utc, end_utc = excluded.end_utc, venue = excluded.venue,
                 medals = excluded.medals, nations = excluded.nations, status = excluded.status,
                 time_tbd = excluded.time_tbd, timezone = excluded.timezone, ranks = excluded.ranks""",
            [
                (gid, s.id, s.event_id, _text(s.unit), _utc(s.start), _utc(s.end), s.venue, ",".join(s.medals), ",".join(s.nations),
                 s.status, int(s.time_tbd), s.timezone, s.ranks)
                for s in written if s.event_id is not None
            ],
        )
        await conn.executemany(
            """INSERT INTO session_slots (games_id, id, sport_id, events_text, unit, start_utc, end_utc, venue, medals, nations,
                                          status, time_tbd, timezone)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (games_id, id) DO UPDATE SET sport_id = excluded.sport_id, events_text = excluded.events_text,
                 unit = excluded.unit, start_utc = excluded.start_utc, end_utc = excluded.end_utc, venue = excluded.venue,
                 medals = excluded.medals, nations = excluded.nations, status = excluded.status,
                 time_tbd = excluded.time_tbd, timezone = excluded.timezone""",
            [
                (gid, s.id, s.sport_id, _text(s.events_text or {}), _text(s.unit), _utc(s.start), _utc(s.end), s.venue,
                 ",".join(s.medals), ",".join(s.nations), s.status, int(s.time_tbd), s.timezone)
                for s in written if s.event_id is None
            ],
        )
        await conn.executemany(
            "INSERT INTO results (games_id, event_id, medal, competitor, nation) VALUES (?, ?, ?, ?, ?)",
            [(gid, r.event_id, r.medal, r.competitor, r.nation) for r in changes.results.added],
        )
        await conn.executemany(
            """INSERT INTO standings (games_id, session_id, competitor, nation, rank, result, race) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (games_id, session_id, competitor, nation) DO UPDATE SET rank = excluded.rank, result = excluded.result,
                 race = excluded.race""",
            [(gid, s.session_id, s.competitor, s.nation, s.rank, s.result, _text(s.race) if s.race else None)
             for s in changes.standings.added + changes.standings.changed],
        )
        await db.bump_games_revision(conn)  # games_revision(), in this transaction
    return changes.count
