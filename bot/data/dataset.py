"""Read and check a Games data set file (docs/data-format.md) into plain GamesData.

Every problem is collected with its place and what was expected; nothing is half-read."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.models import MEDALS, RANKINGS, SESSION_STATUSES, Event, Games, GamesData, Nation, Result, Session, Source, Sport, Standing
from bot.core.programme import FAR_DAYS, games_dates, within_games

FORMAT = "podium-games/1"
SHIPPED_DIR = Path(__file__).resolve().parent / "games"
SHIPPED_DATASET = SHIPPED_DIR / "beijing2022.json"


def shipped_files() -> list[Path]:
    """Every Games shipped with Podium (loaded at first start), Beijing 2022 first."""
    return sorted(SHIPPED_DIR.glob("*.json"), key=lambda path: (path != SHIPPED_DATASET, path.name))
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT = 200  # characters in any one name, unit, venue or competitor
MAX_LONG_TEXT = 2000  # characters in a Games' notes, a source's terms or a session's events text
TBD_HOUR = time(12)  # a session whose time is TBD is placed at noon of its day (for order only)
ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
GENDERS = ("M", "W", "X", "O")
MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>|<#\d+>", re.IGNORECASE)
YEARS = (1900, 2199)  # a session outside these years is a placeholder, whatever the others say
MAX_RANK = 100_000
# A flag is emoji only: symbols (regional indicators included), joiners, variation selectors and
# the tag characters of subdivision flags; no letters, digits, '@', '<' or direction overrides.
FLAG_EXTRAS = {"\u200d", "\ufe0f"} | {chr(c) for c in range(0xE0020, 0xE0080)}


class DatasetError(ValueError):
    """A data set that cannot be imported; `problems` lists each one with its place."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        count = len(problems)
        super().__init__(f"{source}: {count} problem{'s' if count != 1 else ''}: " + "; ".join(problems[:3]))


def load_dataset_file(path: Path) -> GamesData:
    source = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DatasetError(source, [f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB"])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(source, ["no such file; give the path of a Games data set (.json)"]) from None
    except IsADirectoryError:
        raise DatasetError(source, ["is a folder; give the path of a Games data set (.json)"]) from None
    except OSError as error:  # no permission, a file where a folder should be, a read error
        raise DatasetError(source, [f"cannot read the file: {error.strerror or error}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatasetError(source, [f"not UTF-8 text (byte {error.start}); save the file as UTF-8"]) from None
    return parse_dataset(text, source)


def parse_dataset(text: str, source: str = "<data set>", *, skipped: list[str] | None = None) -> GamesData:
    """Check `text` into GamesData. Sessions far outside the Games' dates are refused; given a
    `skipped` list (a live feed), they are left out instead and described in it."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        hint = " (the file ends too early: is it truncated?)" if error.pos >= len(text.rstrip()) else ""
        raise DatasetError(source, [f"line {error.lineno} column {error.colno}: not valid JSON: {error.msg}{hint}"]) from None
    except RecursionError:
        raise DatasetError(source, ["the JSON is nested too deeply to be a data set"]) from None
    except ValueError:  # json.loads refuses integers of more than 4,300 digits
        raise DatasetError(source, ["a number has thousands of digits; no value in a data set is that long"]) from None
    checker = _Checker(skip_far=skipped is not None)
    data = checker.document(document)
    if skipped is not None:
        skipped.extend(checker.skipped)
    if checker.problems:
        raise DatasetError(source, checker.problems)
    return data


class _Checker:
    """Walks the document, turning records into models and noting every problem."""

    def __init__(self, skip_far: bool = False):
        self.problems: list[str] = []
        self.skip_far = skip_far
        self.skipped: list[str] = []  # far sessions left out (skip_far)
        self.skipped_ids: set[str] = set()
        self.session_places: dict[str, tuple[str, dict]] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    # -- the whole file --------------------------------------------------
    def document(self, doc) -> GamesData | None:
        if not isinstance(doc, dict):
            self.problem("top level", f"expected a JSON object with format, games, sports, nations, events, sessions, results; got {_kind(doc)}")
            return None
        if doc.get("format") != FORMAT:
            self.problem("format", f"expected \"{FORMAT}\"; got {json.dumps(doc.get('format'))}")
        for key in ("games", "sports", "nations", "events", "sessions", "results"):
            if key not in doc:
                self.problem(key, "missing; every data set needs games, sports, nations, events, sessions and results")
        unknown = sorted(set(doc) - {"format", "games", "sports", "nations", "events", "sessions", "results", "standings"})
        if unknown:
            self.problem("top level", f"unknown key(s) {', '.join(unknown)}")
        games = self.games(doc.get("games"))
        sports = self.records(doc, "sports", "id", self.sport)
        nations = self.records(doc, "nations", "code", self.nation)
        if games is not None and isinstance(doc.get("games"), dict):
            games = self.unranked(doc["games"], games, nations)
        events = self.records(doc, "events", "id", lambda r, w: self.event(r, w, sports))
        zone = games.host_timezone if games else None
        sessions = self.records(doc, "sessions", "id", lambda r, w: self.session(r, w, events, nations, sports, zone))
        self.far_sessions(sessions)
        results = self.result_list(doc.get("results"), events, nations)
        standings = self.standing_list(doc.get("standings"), sessions, nations)
        if self.problems or games is None:
            return None
        return GamesData.build(games, sports.values(), nations.values(), events.values(), sessions.values(), results, standings)

    def far_sessions(self, sessions: dict) -> None:
        """Sessions far outside the Games' dates (a "TBD" 9999-12-31): refused, or left out."""
        span = games_dates(s.start for s in sessions.values() if s is not None and _plausible(s.start))
        window = f"the Games' dates ({span[0].date()} to {span[1].date()}) ± {FAR_DAYS} days" if span else f"a year from {YEARS[0]} to {YEARS[1]}"
        near = lambda instant: _plausible(instant) and (span is None or within_games(instant, span))
        for ident, session in list(sessions.items()):
            if session is None:
                continue
            field = next((f for f in ("start", "end") if not near(getattr(session, f))), None)
            if field is None:
                continue
            where, record = self.session_places[ident]
            if field not in record:  # a TBD session given by its date alone
                field = "date"
            value = record[field]
            message = f"{value} is far outside the Games; expected within {window}"
            if self.skip_far:
                self.skipped.append(f"{where}.{field}: {message}; the session is left out")
                self.skipped_ids.add(ident)
                del sessions[ident]
            else:
                self.problem(f"{where}.{field}", message)

    def records(self, doc, key: str, id_field: str, make) -> dict:
        """A list of records with unique ids -> {id: model}."""
        out: dict = {}
        first_at: dict[str, int] = {}
        items = doc.get(key)
        if key in doc and not isinstance(items, list):
            self.problem(key, f"expected a list; got {_kind(items)}")
            return out
        for index, record in enumerate(items or []):
            where = f"{key}[{index}]"
            if not isinstance(record, dict):
                self.problem(where, f"expected an object; got {_kind(record)}")
                continue
            ident = record.get(id_field)
            if isinstance(ident, str):
                where = f"{where} ({id_field} {ident})"
                if ident in first_at:
                    self.problem(f"{where}.{id_field}", f"duplicate {id_field} '{ident}' (first at {key}[{first_at[ident]}]); each {id_field} must be unique")
                    continue
                first_at[ident] = index
            # Declared ids count even when the record is broken, so one bad event is one
            # problem, not one more for every session and result that names it.
            model = make(record, where)
            if isinstance(ident, str) and ident not in out:
                out[ident] = model
        return out

    # -- one record of each kind -------------------------------------------
    def games(self, record) -> Games | None:
        if not isinstance(record, dict):
            if record is not None:
                self.problem("games", f"expected an object with id, name, host_timezone; got {_kind(record)}")
            return None
        ident = self.ident(record, "games", "id")
        name = self.localised(record, "games", "name")
        zone = self.zone(record, "games", "host_timezone")
        notes = self.localised(record, "games", "notes", MAX_LONG_TEXT) if "notes" in record else None
        sources = self.sources(record.get("sources", []))
        if None in (ident, name, zone, sources) or ("notes" in record and notes is None):
            return None
        return Games(ident, name, zone, notes, sources)

    def sources(self, items) -> tuple[Source, ...] | None:
        """The optional `games.sources`: [{name, url, terms}] of every source of the data."""
        if not isinstance(items, list):
            self.problem("games.sources", f"expected a list of {{name, url, terms}}; got {_kind(items)}")
            return None
        out = []
        for index, record in enumerate(items):
            where = f"games.sources[{index}]"
            if not isinstance(record, dict):
                self.problem(where, f"expected an object with name, url, terms; got {_kind(record)}")
                continue
            name = self.text(record, where, "name")
            url = self.text(record, where, "url")
            if url is not None and not re.fullmatch(r"https?://\S+", url):
                self.problem(f"{where}.url", f"expected an http(s) address; got {_show(url)}")
                url = None
            terms = self.text(record, where, "terms", MAX_LONG_TEXT)
            if None not in (name, url, terms):
                out.append(Source(name, url, terms))
        return tuple(out) if len(out) == len(items) else None

    def unranked(self, record, games: Games, nations) -> Games | None:
        """The optional `games.unranked_nations`: nation codes shown in the medal table without a rank."""
        value = record.get("unranked_nations", [])
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.problem("games.unranked_nations", f"expected a list of nation codes; got {_show(value)}")
            return None
        unknown = [code for code in value if code not in nations]
        if unknown:
            self.problem("games.unranked_nations", f"unknown nation code(s) {', '.join(map(repr, unknown[:5]))}; each must be listed in nations")
            return None
        return Games(games.id, games.name, games.host_timezone, games.notes, games.sources, tuple(sorted(set(value))))

    def sport(self, record, where) -> Sport | None:
        ident = self.ident(record, where, "id")
        name = self.localised(record, where, "name")
        return Sport(ident, name) if None not in (ident, name) else None

    def nation(self, record, where) -> Nation | None:
        code = self.code(record, where, "code", 3, required=True)
        name = self.localised(record, where, "name")
        iso2 = self.code(record, where, "iso2", 2)
        iso3 = self.code(record, where, "iso3", 3)
        flag = record.get("flag")
        if flag is not None and not _is_emoji(flag):
            self.problem(f"{where}.flag", f"expected an emoji flag like 🇳🇱 (at most 16 characters, no text or mentions) or null; got {_show(flag)}")
            flag = None
        if None in (code, name):
            return None
        return Nation(code, name, iso2, iso3, flag)

    def event(self, record, where, sports) -> Event | None:
        ident = self.ident(record, where, "id")
        sport = self.reference(record, where, "sport", sports, "sports")
        gender = record.get("gender")
        if gender not in GENDERS:
            self.problem(f"{where}.gender", f"expected one of {', '.join(GENDERS)}; got {_show(gender)}")
        name = self.localised(record, where, "name")
        if None in (ident, sport, name) or gender not in GENDERS:
            return None
        return Event(ident, sport, gender, name)

    def session(self, record, where, events, nations, sports=None, host_zone=None) -> Session | None:
        ident = self.ident(record, where, "id")
        event = sport = events_text = None
        if "event" in record or "sport" not in record:
            event = self.reference(record, where, "event", events, "events")
            grain_ok = event is not None
        else:  # a session known only as a session: its sport and its events as text
            sport = self.reference(record, where, "sport", sports or {}, "sports")
            events_text = self.localised(record, where, "events_text", MAX_LONG_TEXT)
            grain_ok = None not in (sport, events_text)
        unit = self.localised(record, where, "unit")
        zone = self.zone(record, where, "timezone") if "timezone" in record else None
        status = record.get("status", "scheduled")
        if status not in SESSION_STATUSES:
            self.problem(f"{where}.status", f"expected one of {', '.join(SESSION_STATUSES)}; got {_show(status)}")
        when = self.session_times(record, where, zone or host_zone)
        if ident is not None and when is not None:
            self.session_places[ident] = (where, record)
        venue = self.text(record, where, "venue")
        medals = self.medal_list(record, where)
        taking_part = self.nation_list(record, where, nations)
        ranks = record.get("ranks", "overall")
        if ranks not in RANKINGS:
            self.problem(f"{where}.ranks", f"expected one of {', '.join(RANKINGS)}; got {_show(ranks)}")
        if None in (ident, unit, when, venue, medals, taking_part) or not grain_ok or status not in SESSION_STATUSES or ranks not in RANKINGS:
            return None
        if "timezone" in record and zone is None:
            return None
        start, end, tbd = when
        return Session(ident, event, unit, start, end, venue, medals, taking_part, status, tbd, zone, ranks, sport, events_text)

    def session_times(self, record, where, zone) -> tuple[datetime, datetime, bool] | None:
        """(start, end, time TBD) in UTC: from `start`/`end`, or from `date` alone (time TBD)."""
        if "start" not in record and "end" not in record and "date" in record:
            value = record["date"]
            try:
                day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
            except ValueError:
                day = None
            if day is None:
                self.problem(f"{where}.date", f"expected a date like 2028-07-12 (a session whose time is TBD); got {_show(value)}")
                return None
            if zone is None:
                return None
            start = _to_utc(datetime.combine(day, TBD_HOUR, ZoneInfo(zone)))
            return start, (start + timedelta(minutes=1) if _plausible(start) else start), True
        given = self.instant(record, where, "start")
        start, end = (_to_utc(t) if t else None for t in (given, self.instant(record, where, "end")))
        misordered = bool(start and end and end <= start and _plausible(start) and _plausible(end))
        if misordered:
            self.problem(f"{where}.end", f"{record['end']} is not after start {record['start']}; a session must end after it starts")
            return None
        if start is None or end is None:
            return None
        if "date" in record and record["date"] != given.date().isoformat():
            self.problem(f"{where}.date", f"{_show(record['date'])} is not the day of start {record['start']}; give the local date of the start, or leave date out")
            return None
        return start, end, False

    def result_list(self, items, events, nations) -> list[Result]:
        if items is not None and not isinstance(items, list):
            self.problem("results", f"expected a list; got {_kind(items)}")
            return []
        results, seen = [], {}
        for index, record in enumerate(items or []):
            where = f"results[{index}]"
            if not isinstance(record, dict):
                self.problem(where, f"expected an object; got {_kind(record)}")
                continue
            event = self.reference(record, where, "event", events, "events")
            medal = record.get("medal")
            if medal not in MEDALS:
                self.problem(f"{where}.medal", f"expected gold, silver or bronze; got {_show(medal)}")
            competitor = self.text(record, where, "competitor")
            nation = self.reference(record, where, "nation", nations, "nations")
            if None in (event, competitor, nation) or medal not in MEDALS:
                continue
            result = Result(event, medal, competitor, nation)
            if result in seen:
                self.problem(where, f"the same result as results[{seen[result]}]; list each medallist once")
                continue
            seen[result] = index
            results.append(result)
        return results

    def standing_list(self, items, sessions, nations) -> list[Standing]:
        """The optional `standings`: who finished where in each session."""
        if items is not None and not isinstance(items, list):
            self.problem("standings", f"expected a list; got {_kind(items)}")
            return []
        standings, seen = [], {}
        for index, record in enumerate(items or []):
            where = f"standings[{index}]"
            if not isinstance(record, dict):
                self.problem(where, f"expected an object; got {_kind(record)}")
                continue
            if record.get("session") in self.skipped_ids:
                continue  # its session was left out
            session = self.reference(record, where, "session", sessions, "sessions")
            if session is not None and sessions[session] is not None and sessions[session].event_id is None:
                self.problem(f"{where}.session", f"session '{session}' has no event (it is known only as a session); standings need a session of an event")
                session = None
            rank = record.get("rank")
            rank_ok = rank is None or (isinstance(rank, int) and not isinstance(rank, bool) and 0 < rank <= MAX_RANK)
            if not rank_ok:
                limit = f" (at most {MAX_RANK})" if isinstance(rank, int) and not isinstance(rank, bool) and rank > MAX_RANK else ""
                self.problem(f"{where}.rank", f"expected a positive whole number{limit} or null; got {_show(rank)}")
            competitor = self.text(record, where, "competitor")
            nation = self.reference(record, where, "nation", nations, "nations")
            result = self.optional_text(record, where, "result")
            race = self.localised(record, where, "race") if "race" in record else None
            ranked_by = sessions[session].ranks if session is not None and sessions[session] is not None else None
            if ranked_by is not None and "race" in record and ranked_by != "race":
                self.problem(f"{where}.race", f"only a standing of a session with \"ranks\": \"race\" names its race (session '{session}' has \"{ranked_by}\")")
                continue
            if None in (session, competitor, nation, result) or not rank_ok or ("race" in record and race is None):
                continue
            key = (session, competitor, nation)
            if key in seen:
                self.problem(where, f"the same competitor as standings[{seen[key]}] in session '{session}'; list each competitor once per session")
                continue
            seen[key] = index
            standings.append(Standing(session, rank, competitor, nation, result, race))
        return standings

    # -- fields ------------------------------------------------------------
    def optional_text(self, record, where, field) -> str | None:
        """A text that may be missing or "" (then ""); otherwise checked like `text`."""
        value = record.get(field, "")
        if isinstance(value, str) and not value.strip():
            return ""
        return self.text(record, where, field)

    def ident(self, record, where, field) -> str | None:
        value = record.get(field)
        if not (isinstance(value, str) and ID_PATTERN.fullmatch(value)):
            self.problem(f"{where}.{field}", f"expected an id of letters, digits, '-', '_' or '.' (1 to 64); got {_show(value)}")
            return None
        return value

    def code(self, record, where, field, length, required=False) -> str | None:
        value = record.get(field)
        if value is None and not required:
            return None
        if not (isinstance(value, str) and len(value) == length and value.isascii() and value.isalpha() and value.isupper()):
            self.problem(f"{where}.{field}", f"expected {length} capital letters{'' if required else ' or null'}; got {_show(value)}")
            return None
        return value

    def text(self, record, where, field, limit=MAX_TEXT) -> str | None:
        value = record.get(field)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{where}.{field}", f"expected a non-empty string; got {_show(value)}")
            return None
        if len(value) > limit:
            self.problem(f"{where}.{field}", f"is {len(value)} characters long; at most {limit} are allowed")
            return None
        if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d\ufe0f" for ch in value):
            self.problem(f"{where}.{field}", f"contains control or invisible format characters; {_show(value)}")
            return None
        if MENTION.search(value):
            self.problem(f"{where}.{field}", f"looks like a Discord mention ({MENTION.search(value)[0]}); names must not ping anyone: {_show(value)}")
            return None
        return value.strip()

    def localised(self, record, where, field, limit=MAX_TEXT) -> dict | None:
        value = record.get(field)
        if not isinstance(value, dict) or "en" not in value:
            self.problem(f"{where}.{field}", f"expected an object with an \"en\" text (and optionally \"nl\"); got {_show(value)}")
            return None
        texts = {}
        for language, text in sorted(value.items()):
            if not (isinstance(language, str) and re.fullmatch(r"[a-z]{2}", language)):
                self.problem(f"{where}.{field}", f"language key {_show(language)} should be a two-letter code like en or nl")
                return None
            checked = self.text(value, f"{where}.{field}", language, limit)
            if checked is None:
                return None
            texts[language] = checked
        return texts

    def zone(self, record, where, field) -> str | None:
        value = record.get(field)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            self.problem(f"{where}.{field}", f"expected an IANA time zone like Asia/Shanghai; got {_show(value)}")
            return None
        return value

    def instant(self, record, where, field) -> datetime | None:
        value = record.get(field)
        if not isinstance(value, str):
            self.problem(f"{where}.{field}", f"expected an ISO 8601 date-time with offset like 2022-02-15T15:30:00+08:00; got {_show(value)}")
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.problem(f"{where}.{field}", f"{_show(value)} is not an ISO 8601 date-time; expected e.g. 2022-02-15T15:30:00+08:00")
            return None
        if parsed.tzinfo is None:
            self.problem(f"{where}.{field}", f"{_show(value)} has no time zone offset; add one, e.g. {value}+08:00 or {value}Z")
            return None
        return parsed

    def reference(self, record, where, field, known: dict, listed_in: str) -> str | None:
        value = record.get(field)
        if not isinstance(value, str):
            self.problem(f"{where}.{field}", f"expected the id of one of the {listed_in}; got {_show(value)}")
            return None
        if value not in known:
            example = next(iter(known), None)
            hint = f" (e.g. {example})" if example else ""
            self.problem(f"{where}.{field}", f"unknown {field} '{value}'; it must be one listed in {listed_in}{hint}")
            return None
        return value

    def medal_list(self, record, where) -> tuple[str, ...] | None:
        value = record.get("medals", [])
        if not isinstance(value, list) or any(m not in MEDALS for m in value) or len(set(value)) != len(value):
            self.problem(f"{where}.medals", f"expected a list of distinct gold, silver, bronze (or []); got {_show(value)}")
            return None
        return tuple(m for m in MEDALS if m in value)

    def nation_list(self, record, where, nations) -> tuple[str, ...] | None:
        value = record.get("nations", [])
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.problem(f"{where}.nations", f"expected a list of nation codes; got {_show(value)}")
            return None
        unknown = [code for code in value if code not in nations]
        if unknown:
            self.problem(f"{where}.nations", f"unknown nation code(s) {', '.join(map(repr, unknown[:5]))}; each must be listed in nations")
            return None
        return tuple(sorted(set(value)))


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _to_utc(instant: datetime) -> datetime:
    """In UTC; an instant off the calendar's end in UTC (a placeholder) becomes its very end, to be
    dealt with as a far date."""
    try:
        return instant.astimezone(timezone.utc)
    except OverflowError:
        return (datetime.max if instant.year > 1 else datetime.min).replace(tzinfo=timezone.utc)


def _plausible(instant: datetime) -> bool:
    return YEARS[0] <= instant.year <= YEARS[1]


def _is_emoji(flag) -> bool:
    return isinstance(flag, str) and 0 < len(flag) <= 16 and all(
        unicodedata.category(ch) == "So" or ch in FLAG_EXTRAS for ch in flag)


def _show(value) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError):
        return _kind(value)
    return text if len(text) <= 60 else text[:57] + "..."
