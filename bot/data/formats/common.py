"""What every format module shares: the result of reading a source (a data set document with the
source place of each record), the catalogue of sports and nations the shipped Games already name,
and how a Games' id, name and zone are derived when the source does not say them."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from bot.core.models import GamesData
from bot.data.dataset import FORMAT, MAX_FILE_BYTES, SHIPPED_DIR, DatasetError, parse_dataset

PLACE = re.compile(r"^(sports|nations|events|sessions|results|standings)\[(\d+)\]")


class SourceProblems(DatasetError):
    """Problems found while reading a source, before the data set checks; each names its place."""


@dataclass
class Overrides:
    """What the user gave on the command line instead of deriving it."""

    games_id: str | None = None
    name: str | None = None
    timezone: str | None = None


@dataclass
class Converted:
    """A source turned into a data set document, with where each record came from."""

    source: str  # the file or files, for messages
    fmt: str  # a short name of the format, e.g. "ODF DT_SCHEDULE"
    document: dict
    places: dict[tuple[str, int], str] = field(default_factory=dict)  # ("sessions", 12) -> "x.csv line 14"
    derived: list[str] = field(default_factory=list)  # what was worked out, said in the output
    skipped: list[str] = field(default_factory=list)  # what was left out on purpose, with counts
    warnings: list[str] = field(default_factory=list)

    def check(self) -> GamesData:
        """The same checks as a JSON data set; a problem names the source place of its record."""
        try:
            return parse_dataset(json.dumps(self.document, ensure_ascii=False), self.source)
        except DatasetError as error:
            raise DatasetError(self.source, [self._placed(p) for p in error.problems]) from None

    def _placed(self, problem: str) -> str:
        match = PLACE.match(problem)
        place = self.places.get((match[1], int(match[2]))) if match else None
        return f"{place}: {problem}" if place else problem


def read_text(path: Path) -> str:
    """A source file as text, or a clear problem (missing, too big, not UTF-8)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceProblems(str(path), [f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB"])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceProblems(str(path), ["no such file or folder"]) from None
    except OSError as error:
        raise SourceProblems(str(path), [f"cannot read the file: {error.strerror or error}"]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceProblems(str(path), [f"not UTF-8 text (byte {error.start}); save the file as UTF-8"]) from None


# -- what the shipped Games already name -------------------------------------------------------
@dataclass(frozen=True)
class ShippedGames:
    id: str
    name: dict
    host_timezone: str
    first: date
    last: date
    path: Path


@dataclass(frozen=True)
class Catalogue:
    sports: dict  # code -> record
    nations: dict  # code -> record
    games: tuple[ShippedGames, ...]


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """Sports and nations as the shipped data sets name them (English and Dutch, ISO codes, flags):
    sports and nations are shared by every Games in a database, so an import reuses these records
    rather than overwrite them with the source's own spelling."""
    sports, nations, games = {}, {}, []
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for sport in document["sports"]:
            sports.setdefault(sport["id"], sport)
        for nation in document["nations"]:
            nations.setdefault(nation["code"], nation)
        days = sorted(s.get("start", s.get("date", ""))[:10] for s in document["sessions"])
        info = document["games"]
        games.append(ShippedGames(info["id"], info["name"], info["host_timezone"], date.fromisoformat(days[0]), date.fromisoformat(days[-1]), path))
    return Catalogue(sports, nations, tuple(games))


def sport_record(code: str, english: str | None = None) -> dict | None:
    known = catalogue().sports.get(code)
    if known:
        return known
    return {"id": code, "name": {"en": english}} if english else None


def nation_record(code: str, english: str | None = None) -> dict:
    return catalogue().nations.get(code) or {"code": code, "name": {"en": english or code}, "iso2": None, "iso3": None, "flag": None}


# -- the Games: id, name, host zone ------------------------------------------------------------
def derive_games(converted: Converted, starts: list[datetime], overrides: Overrides, *, fallback_id: str, fallback_name: str, why: str) -> None:
    """Fill in `games` of the document: from the overrides, else the shipped Games whose dates the
    sessions fall in, else `fallback_*` and a fixed-offset zone from the times' offsets."""
    days = sorted(s.date() for s in starts)
    match = None
    if days:
        middle = days[len(days) // 2]
        match = next((g for g in catalogue().games if g.first - timedelta(days=30) <= middle <= g.last + timedelta(days=30)), None)
    if match:
        ident, name, zone = match.id, dict(match.name), match.host_timezone
        said = f"the sessions fall in the dates of {match.name['en']}"
    else:
        ident, name, zone = fallback_id, {"en": fallback_name}, offset_zone(starts)
        said = why
    games = {"id": overrides.games_id or ident, "name": {"en": overrides.name} if overrides.name else name,
             "host_timezone": overrides.timezone or zone or ""}
    converted.document["games"] = games | {k: v for k, v in converted.document["games"].items() if k not in games}
    converted.derived.append(
        f"Games id {games['id']}{' (--games-id)' if overrides.games_id else ''}, name \"{games['name']['en']}\""
        f"{' (--name)' if overrides.name else ''}, host zone {games['host_timezone'] or '(none)'}"
        f"{' (--timezone)' if overrides.timezone else ''}: {said}; --games-id, --name and --timezone choose others")
    if not games["host_timezone"]:
        raise SourceProblems(converted.source, ["the host's time zone cannot be worked out from the times' offsets; give it with --timezone, e.g. --timezone Europe/Paris"])


def adopt_shipped_names(converted: Converted) -> None:
    """Where the Games is a shipped one and a session has the same id there, its event keeps the
    shipped event's id and English and Dutch names, and the session the shipped unit's name: a
    re-import from the source files changes only what the files say differently."""
    shipped = next((g for g in catalogue().games if g.id == converted.document["games"]["id"]), None)
    if shipped is None:
        return
    document = json.loads(shipped.path.read_text(encoding="utf-8"))
    theirs = {s["id"]: s for s in document["sessions"]}
    their_events = {e["id"]: e for e in document["events"]}
    targets: dict[str, set] = {}
    for session in converted.document["sessions"]:
        other = theirs.get(session["id"])
        if "event" in session:
            targets.setdefault(session["event"], set()).add(other.get("event") if other else None)
    known = {mine: found - {None} for mine, found in targets.items()}  # units the shipped Games lacks say nothing
    chosen = {mine: next(iter(found)) for mine, found in known.items() if len(found) == 1}
    taken = Counter(chosen.values())
    mapping = {mine: theirs_id for mine, theirs_id in chosen.items() if taken[theirs_id] == 1 and theirs_id in their_events}
    if not mapping:
        return
    document_events = converted.document["events"]
    for index, event in enumerate(document_events):
        if event["id"] in mapping:
            document_events[index] = dict(their_events[mapping[event["id"]]])
    for session in converted.document["sessions"]:
        other = theirs.get(session["id"])
        if session.get("event") in mapping:
            session["event"] = mapping[session["event"]]
            if other and other.get("event") == session["event"]:
                session["unit"] = other["unit"]
        elif other and "sport" in session and other.get("sport") == session["sport"]:
            session.update(unit=other["unit"], events_text=other["events_text"])
    for result in converted.document["results"]:
        result["event"] = mapping.get(result["event"], result["event"])
    converted.derived.append(f"{len(mapping)} of {len(document_events)} events, and their units, keep the ids and English and Dutch "
                             f"names of the shipped {shipped.name['en']} (matched by unit id)")


def offset_zone(starts: list[datetime]) -> str | None:
    """The fixed-offset IANA zone (Etc/GMT-2 is UTC+02:00) of the most common offset, if whole hours."""
    offsets = Counter(s.utcoffset() for s in starts if s.utcoffset() is not None)
    if not offsets:
        return None
    hours, rest = divmod(offsets.most_common(1)[0][0].total_seconds(), 3600)
    if rest:
        return None
    hours = int(hours)
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def empty_document() -> dict:
    return {"format": FORMAT, "games": {}, "sports": [], "nations": [], "events": [], "sessions": [], "results": []}


def slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").upper()[:limit] or "X"
