"""Build bot/data/games/beijing2022.json from the public record in ../shared/data/beijing2022/.

    python tools/build_beijing2022.py [--shared PATH]

The facts (sessions, times, venues, medallists as they stand today, nations) are read from the
shared reference files and written in our own format (docs/data-format.md); the source files
themselves are not copied. Re-running gives byte-identical output."""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from beijing2022_names import EVENTS, SPORTS, UNITS_NL  # noqa: E402
from olympic_nations import nation_record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bot" / "data" / "games" / "beijing2022.json"
MEDAL_CODES = {"GSB": ["gold", "silver", "bronze"], "GS": ["gold", "silver"], "B": ["bronze"], "": []}
NOC_COLUMN = re.compile(r"^(NOC\.c_Short\d*|NOCShort)$")


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return list(csv.DictReader(io.StringIO(text)))


def unit_label(row: dict) -> dict:
    phase, unit = row["phase"].strip(), row["unit"].strip()
    unit = re.sub(r"^(Qualification|Final) - ", "", unit)
    english = unit or "Race"
    dutch = UNITS_NL.get(english)
    if dutch is None:
        raise SystemExit(f"no Dutch for unit {english!r} (phase {phase!r}); add it to UNITS_NL")
    if row["noc_1"] and row["noc_2"]:  # a game: say who plays
        pairing = f" · {row['noc_1']} – {row['noc_2']}"
        english, dutch = english + pairing, dutch + pairing
    return {"en": english, "nl": dutch}


def unit_nations(results_dir: Path, row: dict) -> list[str]:
    codes = {row["noc_1"], row["noc_2"]} - {""}
    for path in results_dir.glob(f"*-CSVs/{row['unit_id']}.csv"):
        for record in read_csv(path):
            for column, value in record.items():
                if column and NOC_COLUMN.match(column) and value:
                    codes.update(c for c in re.split(r"[;\s]+", value) if len(c) == 3)
    return sorted(codes)


# -- standings: who finished where in each unit ---------------------------------------------
MISSING = {"", "NA"}
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def _value(record: dict, *columns: str) -> str:
    """The first non-missing value of `columns`, cleaned of control characters and '@'."""
    for column in columns:
        value = CONTROL.sub("", (record.get(column) or "")).replace("@", "").strip()
        if value not in MISSING:
            return " ".join(value.split())
    return ""


def _rank(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _crew(record: dict) -> str:
    """A bob crew by its members' surnames, "Friedrich / Margis / Bauer / Schüller" ("" if none listed):
    a nation's sleds are all called "Germany" in the source."""
    return " / ".join(n for i in range(1, 5) if (n := _value(record, f"c_PersonLastName{i}")))


def _entry(record: dict, suffix: str, crews: bool = False) -> dict | None:
    """One competitor of a row: suffix "" in one-per-row files, "1", "2", ... in wide files."""
    s = suffix
    nation = _value(record, f"NOC.c_Short{s}", f"NOCShort{s}")
    codes = [c for c in re.split(r"[;\s]+", nation) if len(c) == 3]
    first, last = _value(record, f"c_ParticipantFirstName{s}"), _value(record, f"c_ParticipantLastName{s}")
    short = _value(record, f"c_ParticipantShort{s}", f"ParticipantShort{s}")
    if crews and _crew(record):
        name = _crew(record)
    elif first and last:
        name = f"{first} {last}"  # "Ireen Wüst": the source's own spelling, with accents
    elif "/" in short:
        name = short.replace("/", " / ")  # a pair or a bob crew: "Friedrich / Margis"
    else:
        name = _value(record, f"c_Participant{s}", f"Participant{s}")  # a team: "Netherlands", "Italy 1"
    if not codes or not name:
        return None
    absolute, shown = _value(record, f"c_ResultAbs{s}"), _value(record, f"c_Result{s}")
    result = absolute or shown
    return {"rank": _rank(_value(record, f"n_Rank{s}", f"c_Rank{s}")), "competitor": name[:200], "nation": codes[0],
            "result": result}


def _races(records: list[dict], crews: bool = False) -> list[list[dict]]:
    """The rows of a results file as races: one race of many rows, or (wide files) one race per row.
    A one-race file that lists competitors twice holds two rounds (mixed team aerials): the rows
    marked as qualified (Q) and those of competitors listed once are the first round."""
    if not records:
        return []
    columns = records[0].keys()
    suffixes = sorted({m[1] for c in columns if (m := re.fullmatch(r"c_Participant(\d+)", c or ""))}, key=int)
    if suffixes:
        return [[e for s in suffixes if (e := _entry(r, s, crews))] for r in records]
    rows = [(r, e) for r in records if (e := _entry(r, "", crews))]
    count = defaultdict(int)
    for _, e in rows:
        count[(e["competitor"], e["nation"])] += 1
    if max(count.values(), default=1) == 1:
        return [[e for _, e in rows]]
    first = [e for r, e in rows if count[(e["competitor"], e["nation"])] == 1 or _value(r, "c_ODF_QualificationMark") == "Q"]
    final = [e for r, e in rows if count[(e["competitor"], e["nation"])] > 1 and _value(r, "c_ODF_QualificationMark") != "Q"]
    return [first, final]


# Sessions whose standings rank one run, round or segment alone (the medal is decided on the total).
RUN_ONLY = (("LUG", r"Run \d"), ("SKN", r"Run \d"), ("BOB", r"Run \d"), ("ALP", r"Run \d|Downhill|Slalom"),
            ("SJP", r"1st Round|Final Round"), ("NCB", r"Ski Jumping"),
            ("FSK", r".*(Short Program|Free Skate|Rhythm Dance|Free Dance)"))


def _starts_at_one(race: list[dict]) -> bool:
    return min((e["rank"] for e in race if e["rank"]), default=None) == 1


def _several_races(entries: list[dict]) -> bool:
    """Ranks that count up once per race (1, 1, 2, 2, ...): one list holding several races."""
    ranks = [e["rank"] for e in entries if e["rank"]]
    races = ranks.count(1)
    return races > 1 and all(ranks.count(r) == races for r in set(ranks) if r < max(ranks))


def unit_standings(results_dir: Path, row: dict, nation_names: dict) -> tuple[str, list[dict]]:
    """What the unit's ranks are ("overall", "run" or "race", docs/data-format.md) and its standings.
    Games (hockey, curling) from the schedule's score: 1 and 2 (3 and 4 in a bronze game). Races
    from the results file; where a file holds several races of one unit:
    - rounds of a final (moguls, aerials: the same competitors again): each competitor's last
      round, whose ranks are the final places of those it eliminates;
    - placing finals (team pursuit, short track, parallel slalom, cross: Final B before Final A)
      and heats: the rank within the competitor's own race, with the race named. The overall
      place is not computed: a Final B winner is 1st of Final B, not "5th".
    A run of a sliding sport or of a two-run alpine race ranks that run alone ("run")."""
    unit = row["unit_id"]
    if row["noc_1"] and row["noc_2"] and row["score_1"] != "" and row["score_2"] != "":
        scores = (int(row["score_1"]), int(row["score_2"]))
        base = 2 if row["medals_awarded"] == "B" else 0
        winner = 0 if scores[0] > scores[1] else 1 if scores[1] > scores[0] else None
        result = f"{scores[0]}\u2013{scores[1]}"
        return "overall", [{"session": unit, "rank": None if winner is None else base + (1 if i == winner else 2),
                            "competitor": re.sub(r" \(.*\)$", "", nation_names[code]), "nation": code, "result": result}
                           for i, code in enumerate((row["noc_1"], row["noc_2"]))]
    races = []
    for path in sorted(results_dir.glob(f"*-CSVs/{unit}.csv")):
        races += [race for race in _races(read_csv(path), crews=row["discipline_code"] == "BOB") if race]
    ranks = "run" if any(row["discipline_code"] == sport and re.fullmatch(units, row["unit"].strip()) for sport, units in RUN_ONLY) else "overall"
    if not races:
        return ranks, []
    key = lambda e: (e["competitor"], e["nation"])  # noqa: E731
    seen = [key(e) for race in races for e in race]
    if len(races) > 1 and len(seen) != len(set(seen)):  # rounds: the last one counts
        entries: dict = {}
        for race in races:
            for entry in race:
                entries.pop(key(entry), None)
                entries[key(entry)] = entry
        ordered = list(entries.values())
    elif len(races) > 1 and row["medals_awarded"] and not any(_starts_at_one(race) for race in races[:-1]):
        ordered = [e for race in reversed(races) for e in race]  # finals published with their final places (ski cross: B is 5-8)
    elif len(races) > 1:  # placing finals (the last race is the A final) or heats, each ranked from 1
        ranks, ordered = "race", []
        for number, race in enumerate(races):
            if row["medals_awarded"]:
                letter = "ABCDEFGH"[len(races) - 1 - number]
                label = {"en": f"Final {letter}", "nl": f"{letter}-finale"}
            else:
                label = {"en": f"Race {number + 1}", "nl": f"Rit {number + 1}"}
            ordered += [dict(e, race=label) for e in race]
    else:
        ordered = races[0]
        if _several_races(ordered):
            ranks = "race"  # 1, 1, 2, 2: the winners of two races, then the runners-up; races not named
    out, keys = [], set()
    for entry in ordered:
        if key(entry) in keys:
            continue
        keys.add(key(entry))
        out.append({"session": unit, **entry})
    race_order = lambda s: "ABCDEFGH".find(s["race"]["en"][-1]) if row["medals_awarded"] and "race" in s else 0  # noqa: E731
    return ranks, sorted(out, key=lambda s: (race_order(s), s["rank"] is None, s["rank"] or 0))


def build(shared: Path) -> dict:
    derived = shared / "derived"
    schedule = read_csv(derived / "beijing2022_schedule_nbc.csv")
    medallists = read_csv(derived / "beijing2022_medallists_olympedia.csv")
    results_dir = shared / "nbc-raw" / "results"

    events, olympedia_key = {}, {}
    sessions = []
    for row in schedule:
        event_id, en, nl, olympedia_event = EVENTS[(row["discipline_code"], row["event"])]
        events[event_id] = {"id": event_id, "sport": row["discipline_code"], "gender": event_id.split("-")[1],
                            "name": {"en": en, "nl": nl}}
        olympedia_key[(SPORTS[row["discipline_code"]][2], olympedia_event)] = event_id
        sessions.append({
            "id": row["unit_id"], "event": event_id, "unit": unit_label(row),
            "start": row["start_local"], "end": row["end_local"], "venue": row["venue"],
            "medals": MEDAL_CODES[row["medals_awarded"]], "nations": unit_nations(results_dir, row),
        })

    results = []
    for row in medallists:
        event_id = olympedia_key[(row["discipline"], row["event"])]
        results.append({"event": event_id, "medal": row["medal"].lower(), "competitor": row["winner"],
                        "nation": row["noc"]})
    results.sort(key=lambda r: (r["event"], ("gold", "silver", "bronze").index(r["medal"]), r["competitor"]))

    taking_part = {code for s in sessions for code in s["nations"]} | {r["nation"] for r in results}
    nations = [nation_record(code) for code in sorted(taking_part)]

    names = {n["code"]: n["name"]["en"] for n in nations}
    standings, by_unit = [], {s["id"]: s for s in sessions}
    for row in schedule:
        ranks, unit_rows = unit_standings(results_dir, row, names)
        if ranks != "overall":
            by_unit[row["unit_id"]]["ranks"] = ranks
        standings += unit_rows
    unknown = {s["nation"] for s in standings} - set(names)
    if unknown:
        raise SystemExit(f"standings name nations not in the nations list: {sorted(unknown)}")

    return {
        "format": "podium-games/1",
        "games": {"id": "beijing-2022", "name": {"en": "Beijing 2022", "nl": "Peking 2022"},
                  "host_timezone": "Asia/Shanghai"},
        "sports": [{"id": code, "name": {"en": en, "nl": nl}} for code, (en, nl, _) in sorted(SPORTS.items())],
        "nations": nations,
        "events": sorted(events.values(), key=lambda e: e["id"]),
        "sessions": sessions,
        "results": results,
        "standings": standings,
    }


def dump(document: dict) -> str:
    """Indented JSON, except that each of the many standings is one line (keeps the file small)."""
    rest = {k: v for k, v in document.items() if k != "standings"}
    text = json.dumps(rest, ensure_ascii=False, indent=1)
    lines = ",\n".join("  " + json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in document["standings"])
    return text[:-2] + ',\n "standings": [\n' + lines + "\n ]\n}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "beijing2022")
    args = parser.parse_args()
    document = build(args.shared)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(dump(document), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(document['events'])} events, {len(document['sessions'])} sessions, "
          f"{len(document['results'])} medallists, {len(document['nations'])} nations, "
          f"{len(document['standings'])} standings ({OUTPUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
