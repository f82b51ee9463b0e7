"""The CSV layout of the community Olympic data sets (olympics.com data as published on Kaggle for
Paris 2024 and Milano Cortina 2026) as a data set document.

A file's kind is told by its header, never by its name: a schedule (one row per unit), medallists
(one row per athlete), medals (one row per medal) and a medal table are read; events, venues and
teams files are recognised and not needed. The schedule is required."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.data.formats.common import (Converted, Overrides, SourceProblems, adopt_shipped_names, derive_games, empty_document,
                                      nation_record, slug, sport_record)

MEDALS = ("gold", "silver", "bronze")
MEDAL_WORDS = {"gold": "gold", "gold medal": "gold", "silver": "silver", "silver medal": "silver", "bronze": "bronze", "bronze medal": "bronze"}
INDIVIDUAL = {"INDV", "ATH", "HATH"}  # event types whose medallists are one athlete each
TEAM_NAMES_UP_TO = 4  # a team of up to 4 is named by its members, a bigger one by its team or nation
GENDERS = {"M": "M", "W": "W", "X": "X", "O": "O"}


@dataclass(frozen=True)
class Layout:
    kind: str
    columns: tuple[str, ...]  # required
    used: bool = True


LAYOUTS = (
    Layout("schedule", ("start_date", "end_date", "status", "discipline", "discipline_code", "event", "event_medal", "phase", "gender", "venue")),
    Layout("medallists", ("medal_type", "name", "country_code", "country", "team", "discipline", "event")),
    Layout("medallists", ("medal", "name", "country_code", "country", "discipline_code", "event_name")),
    Layout("medals", ("medal_type", "name", "country_code", "discipline", "event", "code")),
    Layout("medal table", ("country_code", "gold", "silver", "bronze")),
    Layout("medal table", ("country_code", "Gold Medal", "Silver Medal", "Bronze Medal")),
    Layout("events", ("event", "sport", "sport_code"), used=False),
    Layout("venues", ("venue", "venue_code", "disciplines"), used=False),
    Layout("venues", ("venue", "sports", "date_start", "date_end"), used=False),
    Layout("teams", ("code", "name", "team_type", "country_code"), used=False),
)
LIKELY = 0.6  # a header with this share of a layout's columns is that layout with columns missing


@dataclass
class Table:
    path: Path
    layout: Layout
    rows: list[tuple[int, dict]]  # (line number, row)


def header_of(text: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    return [column.strip() for column in first]


def match_layout(header: list[str]) -> tuple[Layout | None, list[str]]:
    """The layout the header is (or most nearly is) and the columns it lacks; (None, []) if none."""
    present = set(header)
    best = max(LAYOUTS, key=lambda l: (sum(c in present for c in l.columns) / len(l.columns), len(l.columns)))
    share = sum(c in present for c in best.columns) / len(best.columns)
    if share < LIKELY:
        return None, []
    return best, [c for c in best.columns if c not in present]


def layouts_text() -> str:
    return "; ".join(f"{l.kind} ({', '.join(l.columns)})" for l in LAYOUTS if l.used)


def read_table(path: Path, text: str, problems: list[str]) -> Table | None:
    layout, missing = match_layout(header_of(text))
    if layout is None:
        problems.append(f"{path.name} line 1: not a CSV file of a known layout; expected the header of one of: {layouts_text()}")
        return None
    if missing:
        problems.append(f"{path.name} line 1: missing column(s) {', '.join(missing)}; a {layout.kind} file needs {', '.join(layout.columns)}")
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [c.strip() for c in next(reader)]
    rows, line = [], reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(f"{path.name} line {start}: expected {len(header)} fields as in the header; got {len(values)}")
                continue
            rows.append((start, dict(zip(header, values))))
    except csv.Error as error:
        problems.append(f"{path.name} line {reader.line_num}: not valid CSV: {error}")
    return Table(path, layout, rows)


def read_csv_files(files: list[tuple[Path, str]], overrides: Overrides) -> Converted:
    source = ", ".join(str(p) for p, _ in files)
    problems: list[str] = []
    tables = [t for t in (read_table(path, text, problems) for path, text in files) if t is not None]
    kinds = defaultdict(list)
    for table in tables:
        kinds[table.layout.kind].append(table)
    for kind, found in kinds.items():
        if len(found) > 1 and found[0].layout.used:
            problems.append(f"{', '.join(t.path.name for t in found)}: more than one {kind} file; give one of each kind")
    if not kinds.get("schedule") and not problems:
        problems.append(f"no schedule among the files; a schedule has the columns {', '.join(LAYOUTS[0].columns)}")
    if problems:
        raise SourceProblems(source, problems)
    converted = Converted(source, "CSV", empty_document())
    reader = _Reader(converted, problems)
    reader.schedule(kinds["schedule"][0])
    medals = kinds.get("medals", [None])[0]
    medallists = kinds.get("medallists", [None])[0]
    if medals:
        reader.medals(medals, medallists)
    elif medallists:
        reader.medallists(medallists)
    if problems:
        raise SourceProblems(source, problems)
    if kinds.get("medal table"):
        reader.compare_table(kinds["medal table"][0])
    unused = [t.path.name for t in tables if not t.layout.used]
    if unused:
        converted.skipped.append(f"not needed: {', '.join(unused)}")
    starts = [datetime.fromisoformat(s["start"]) for s in converted.document["sessions"]]
    year = min(starts).year if starts else ""
    derive_games(converted, starts, overrides, fallback_id=f"olympic-games-{year}", fallback_name=f"Olympic Games {year}",
                 why="from the schedule's dates and offsets")
    adopt_shipped_names(converted)
    return converted


class _Reader:
    def __init__(self, converted: Converted, problems: list[str]):
        self.converted = converted
        self.document = converted.document
        self.problems = problems
        self.events: dict = {}  # (discipline code, event name) -> event record
        self.event_types: dict = {}  # event id -> the schedule's event_type of its medal unit
        self.code_of: dict = {}  # discipline name -> code
        self.nations: dict = {}  # code -> record
        self.nation_places: dict = {}  # code -> where it was first named

    def problem(self, table: Table, line: int, column: str | None, message: str) -> None:
        self.problems.append(f"{table.path.name} line {line}{f', column {column}' if column else ''}: {message}")

    # -- the schedule ------------------------------------------------------
    def schedule(self, table: Table) -> None:
        seen, duplicates, no_end = set(), 0, 0
        rows = []
        for line, row in table.rows:
            key = tuple(row.values())
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            code = row["discipline_code"].strip()
            if not re.fullmatch(r"[A-Z0-9]{3}", code):
                self.problem(table, line, "discipline_code", f"expected a 3-letter discipline code like ATH; got {code!r}")
                continue
            if row["event_medal"].strip() not in ("0", "1", "3", ""):
                self.problem(table, line, "event_medal", f"expected 0, 1 (the unit that decides gold) or 3 (bronze); got {row['event_medal']!r}")
                continue
            start = self.instant(table, line, row, "start_date")
            end = self.instant(table, line, row, "end_date", optional=True)
            if start is None or end is False:
                continue
            if end is None or end <= start:
                end, no_end = start + timedelta(minutes=1), no_end + 1
            self.code_of.setdefault(row["discipline"].strip(), code)
            rows.append((line, row, code, start, end))

        sports, first_line = {}, {}
        for line, row, code, start, end in rows:
            if row["event_medal"].strip() == "1" and code != "CER":
                key = (code, row["event"].strip())
                if key not in self.events:
                    gender = GENDERS.get(row["gender"].strip(), "O")
                    ident = f"{code}-{gender}-{slug(row['event'])}"
                    taken = {e["id"] for e in self.events.values()}
                    ident = next(f"{ident}-{n}" if n > 1 else ident for n in range(1, len(taken) + 2) if (f"{ident}-{n}" if n > 1 else ident) not in taken)
                    self.events[key] = {"id": ident, "sport": code, "gender": gender, "name": {"en": row["event"].strip()}}
                    first_line[("events", ident)] = line
                    self.event_types[ident] = row.get("event_type", "").strip()
        bronze_units = {(code, row["event"].strip()) for _, row, code, _, _ in rows if row["event_medal"].strip() == "3"}

        ids = Counter()
        for line, row, code, start, end in rows:
            if code not in sports:
                sports[code] = sport_record(code, row["discipline"].strip())
                first_line[("sports", code)] = line
            key = (code, row["event"].strip())
            ident = _session_id(row, code, start)
            ids[ident] += 1
            record = {"id": ident if ids[ident] == 1 else f"{ident[:60]}-{ids[ident]}"}
            phase = _phase(row)
            if key in self.events:
                record.update({"event": self.events[key]["id"], "unit": {"en": phase}})
            else:  # a ceremony, or a unit of no single medal event
                what = row["event"].strip() or row["discipline"].strip()
                record.update({"sport": code, "events_text": {"en": what}, "unit": {"en": phase if phase != "Competition" else what}})
            medal = row["event_medal"].strip()
            medals = {"1": ["gold", "silver"] if key in bronze_units else list(MEDALS), "3": ["bronze"]}.get(medal, [])
            venue = row["venue"].strip() or row.get("location", row.get("location_description", "")).strip() or "(venue not given)"
            record.update({"start": start.isoformat(), "end": end.isoformat(), "venue": venue,
                           "medals": medals if key in self.events else [], "nations": []})
            if row["status"].strip().upper() == "CANCELLED":
                record["status"] = "cancelled"
            self.converted.places[("sessions", len(self.document["sessions"]))] = f"{table.path.name} line {line}"
            self.document["sessions"].append(record)
        self.document["sports"] = list(sports.values())
        self.document["events"] = list(self.events.values())
        for kind, key in (("sports", "id"), ("events", "id")):  # a problem with one names the row it came from
            for index, record in enumerate(self.document[kind]):
                self.converted.places[(kind, index)] = f"{table.path.name} line {first_line[(kind, record[key])]}"
        if duplicates:
            self.converted.skipped.append(f"{duplicates} exact duplicate row(s) of {table.path.name}")
        if no_end:
            self.converted.derived.append(f"{no_end} unit(s) without an end time (or none after the start) shown a minute long")
        self.converted.derived.append(f"{len(self.events)} medal events from the units with event_medal 1")

    def instant(self, table, line, row, column, optional=False):
        value = row[column].strip()
        if not value and optional:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.problem(table, line, column, f"expected an ISO 8601 date-time with offset like 2024-07-26T20:00:00+02:00; got {value!r}")
            return False if optional else None
        return parsed

    # -- medals ------------------------------------------------------------
    def event_of(self, table: Table, line: int, row: dict) -> dict | None:
        if "discipline_code" in row:
            code = row["discipline_code"].strip()
        else:
            code = self.code_of.get(row["discipline"].strip())
            if code is None:
                self.problem(table, line, "discipline", f"unknown discipline {row['discipline']!r}; expected one of the schedule's "
                             f"disciplines ({', '.join(sorted(self.code_of)[:8])}, ...)")
                return None
        column = "event_name" if "event_name" in row else "event"
        name = row[column].strip()
        event = self.events.get((code, name)) or _same_words(self.events, code, name)
        if event is None:
            known = [n for (c, n) in self.events if c == code]
            if not known:
                self.problem(table, line, "discipline_code" if "discipline_code" in row else "discipline",
                             f"unknown discipline {code!r}: the schedule has no medal event of it")
            else:
                self.problem(table, line, column, f"no medal event {name!r} of {code} in the schedule; expected one of {', '.join(map(repr, known[:4]))}, ...")
        return event

    def medal(self, table: Table, line: int, row: dict) -> str | None:
        column = "medal_type" if "medal_type" in row else "medal"
        medal = MEDAL_WORDS.get(row[column].strip().lower())
        if medal is None:
            self.problem(table, line, column, f"expected Gold, Silver or Bronze (or Gold Medal, ...); got {row[column]!r}")
        return medal

    def nation(self, table: Table, line: int, row: dict) -> str | None:
        code = row["country_code"].strip()
        if not re.fullmatch(r"[A-Z]{3}", code):
            self.problem(table, line, "country_code", f"expected an IOC code of 3 capital letters like NED; got {code!r}")
            return None
        if code not in self.nations:
            self.nations[code] = nation_record(code, row.get("country", "").strip() or None)
            self.nation_places[code] = f"{table.path.name} line {line}"
        return code

    def medallists(self, table: Table) -> None:
        """One row per athlete: a team's members (same event, medal and nation) make one result."""
        groups, placeholders = defaultdict(list), 0
        for line, row in table.rows:
            if not row["name"].strip() and not row["country_code"].strip():
                placeholders += 1
                continue
            event, medal, nation = self.event_of(table, line, row), self.medal(table, line, row), self.nation(table, line, row)
            if None in (event, medal, nation):
                continue
            team = row.get("team", "").strip()
            individual = not team and self.event_types.get(event["id"]) in INDIVIDUAL
            key = (event["id"], medal, nation, team or (row["name"].strip() if individual else ""))
            groups[key].append((line, person(row["name"])[:200]))
        for (event_id, medal, nation, _), members in groups.items():
            competitor = members[0][1] if len(members) == 1 else (
                ", ".join(m for _, m in members) if len(members) <= TEAM_NAMES_UP_TO else self.nations[nation]["name"]["en"])
            self.result(table, members[0][0], event_id, medal, competitor, nation)
        if placeholders:
            self.converted.skipped.append(f"{placeholders} row(s) of {table.path.name} without a name or nation")
        self.finish_results()

    def medals(self, table: Table, medallists: Table | None) -> None:
        """One row per medal; a team's members, where few, come from the medallists."""
        members = defaultdict(list)
        for _, row in medallists.rows if medallists else ():
            if row.get("team", "").strip() and row["country_code"].strip():
                code = row.get("discipline_code") or self.code_of.get(row["discipline"].strip())
                members[(code, row.get("event", row.get("event_name", "")).strip(), MEDAL_WORDS.get(row.get("medal_type", row.get("medal", "")).strip().lower()),
                         row["country_code"].strip())].append(person(row["name"]))
        for line, row in table.rows:
            event, medal, nation = self.event_of(table, line, row), self.medal(table, line, row), self.nation(table, line, row)
            if None in (event, medal, nation):
                continue
            name = row["name"].strip()
            if row["code"].strip().isdigit():
                competitor = person(name)[:200]
            else:  # a team
                team = members.get((event["sport"], row["event"].strip(), medal, nation), [])
                competitor = ", ".join(team) if 1 < len(team) <= TEAM_NAMES_UP_TO else name
            self.result(table, line, event["id"], medal, competitor, nation)
        self.finish_results()

    def result(self, table, line, event_id, medal, competitor, nation) -> None:
        self.converted.places[("results", len(self.document["results"]))] = f"{table.path.name} line {line}"
        self.document["results"].append({"event": event_id, "medal": medal, "competitor": competitor, "nation": nation})

    def finish_results(self) -> None:
        self.document["nations"] = [self.nations[code] for code in sorted(self.nations)]
        for index, code in enumerate(sorted(self.nations)):
            self.converted.places[("nations", index)] = self.nation_places[code]

    def compare_table(self, table: Table) -> None:
        """The published medal table: nations it leaves out are listed without a rank; any other
        difference from the medallists is said."""
        counted = defaultdict(lambda: [0, 0, 0])
        for result in self.document["results"]:
            counted[result["nation"]][MEDALS.index(result["medal"])] += 1
        columns = table.layout.columns[1:]
        listed = {}
        for line, row in table.rows:
            try:
                listed[row["country_code"].strip()] = ([int(float(row[c])) for c in columns], line)
            except ValueError:
                self.converted.warnings.append(f"{table.path.name} line {line}: medal counts are not numbers; the row is not compared")
        unranked = sorted(set(counted) - set(listed))
        if unranked:
            self.document["games"]["unranked_nations"] = unranked
            self.converted.derived.append(f"{', '.join(unranked)} won medals but are not in {table.path.name}: listed in the medal table without a rank")
        differ = [f"{code} {'-'.join(map(str, counted[code]))} (the table says {'-'.join(map(str, counts))}, line {line})"
                  for code, (counts, line) in listed.items() if counted.get(code, [0, 0, 0]) != counts]
        if differ:
            self.converted.warnings.append(f"the medallists give another count than {table.path.name} for: " + "; ".join(differ[:10]))
        else:
            self.converted.derived.append(f"medal table checked against {table.path.name}: the same for all {len(listed)} nations")


def person(name: str) -> str:
    """"Remco EVENEPOEL", "EVENEPOEL Remco" or "van ROUWENDAAL Sharon" -> "Remco Evenepoel",
    "Sharon van Rouwendaal": given names first, the surname (written in capitals) in ordinary case.
    (The shipped data sets' builders in tools/ name people with this too.)"""
    words = name.split()
    caps = [i for i, w in enumerate(words) if re.search(r"[^\W\d_a-z]{2,}", w)]
    fixed = [re.sub(r"[^\W\d_a-z]{2,}", lambda m: m[0].capitalize(), w) for w in words]
    if caps and caps[-1] < len(words) - 1:  # the surname comes first
        end = caps[-1] + 1
        fixed = fixed[end:] + fixed[:end]
    return " ".join(fixed).replace("'T ", "'t ")


def _session_id(row: dict, code: str, start: datetime) -> str:
    """The source's unit code where it has one, else its results address, else what and when."""
    if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", row.get("id", "").strip()):
        return row["id"].strip()
    if row.get("url", "").strip():
        parts = row["url"].strip().rstrip("/").split("/")
        return re.sub(r"[^A-Za-z0-9_.-]", "-", f"{code}.{parts[-2]}.{parts[-1]}")[:60]
    phase = re.sub(r"[^a-z0-9]+", "-", row["phase"].lower()).strip("-")
    return f"{code}.{phase}.{start.strftime('%m-%dT%H%M')}"[:60]


def _phase(row: dict) -> str:
    """The phase without the event's name: "Men's Round Robin" of event "Men" -> "Round Robin"."""
    phase, event = row["phase"].strip(), row["event"].strip()
    for prefix in (event + "'s", event, "Men's", "Women's", "Mixed"):
        if prefix and phase.startswith(prefix):
            phase = phase[len(prefix):]
            break
    return re.sub(r"^('s|,)\s*", "", phase.strip(" -")).strip(" -") or "Competition"


def _same_words(events: dict, code: str, name: str) -> dict | None:
    """The medal event of `code` whose name has the same words in another order ("Marathon Race
    Walk Mixed Relay" is the schedule's "Marathon Race Walk Relay Mixed")."""
    words = sorted(name.lower().split())
    found = [e for (c, n), e in events.items() if c == code and sorted(n.lower().split()) == words]
    return found[0] if len(found) == 1 else None
