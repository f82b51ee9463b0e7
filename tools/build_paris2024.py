"""Build bot/data/games/paris-2024.json from ../shared/data/paris-2024/.

    python tools/build_paris2024.py [--shared PATH]

Facts (the final schedule, medals, medallists, and standings from the results of 9 August 2024) are
read from the reference files (olympics.com data via the Kaggle data set
piterfm/paris-2024-olympic-summer-games) and written in our own format (docs/data-format.md); the
source files are not copied. Re-running gives identical output."""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from olympic_nations import nation_record  # noqa: E402
from bot.data.formats.csv_layout import person  # noqa: E402  (one way to turn "SURNAME Given" into a name)
from paris2024_names import GENDER_EN, SPORTS, event_id, event_names, phase_nl  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bot" / "data" / "games" / "paris-2024.json"
MEDALS = ("gold", "silver", "bronze")
MEDAL_TYPE = {"Gold Medal": "gold", "Silver Medal": "silver", "Bronze Medal": "bronze"}
TEAM_NAMES_UP_TO = 4  # a team of up to 4 is named by its members, a bigger one by its name ("Netherlands")
SOURCES = [
    {"name": "olympics.com via Kaggle, piterfm/paris-2024-olympic-summer-games (final copy: github.com/susheel-vemuri/olympics-2024 @ 07fee45)",
     "url": "https://www.kaggle.com/datasets/piterfm/paris-2024-olympic-summer-games",
     "terms": "licence not stated; used as a source of facts only, credited, the files are not redistributed"},
    {"name": "results as of 9 August 2024 (copy: github.com/JReal10/paris-olympic-azure-data-engineering-project @ 5098cc8, results/)",
     "url": "https://github.com/JReal10/paris-olympic-azure-data-engineering-project",
     "terms": "the data's licence is not stated (the repository's MIT licence covers its own code); facts only"},
]
NOTES = {
    "en": "Final schedule, medals and medal table as published by olympics.com. Standings (every place, not only the "
          "medals) come from results taken on 9 August 2024 and stop at 8 August: units of 9 to 11 August, and some "
          "before, have none. The ceremonies have no end time or venue in the source; they are shown a minute long, in Paris.",
    "nl": "Definitief programma, medailles en medailleklassement zoals olympics.com ze publiceerde. De uitslagen (elke "
          "plaats, niet alleen de medailles) komen uit resultaten van 9 augustus 2024 en lopen tot en met 8 augustus: "
          "onderdelen van 9 tot en met 11 augustus, en enkele eerdere, hebben er geen. De ceremonies hebben in de bron "
          "geen eindtijd of locatie; ze staan er als één minuut, in Parijs.",
}
CEREMONIES = {"Opening Ceremony": ("Opening Ceremony", "Openingsceremonie"), "Closing Ceremony": ("Closing Ceremony", "Sluitingsceremonie")}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def clean_phase(row: dict) -> str:
    """The phase without the event's name and codes the event already says."""
    phase, event = row["phase"], row["event"]
    for prefix in (event, "Men's", "Women's", "Mixed"):
        if prefix and phase.startswith(prefix):
            phase = phase[len(prefix):]
            break
    phase = re.sub(r"^('s|,)\s*", "", phase.strip(" -"))
    phase = re.sub(r"^(LWT (Men's|Women's) Double Sculls|Quad\. Sculls|[MW](GR|FS) \d+kg|\d+m Rifle \d Pos\. (Men's|Women's))\s*", "", phase)
    phase = re.sub(r"\s*(Men's|Women's|Men|Women|Mixed)\s*", " ", f" {phase} ").strip() if row["discipline_code"] == "SHO" else phase
    return phase.strip(" -") or "Competition"


def session_id(row: dict) -> str:
    if row["url"]:
        parts = row["url"].rstrip("/").split("/")
        base = f"{row['discipline_code']}.{parts[-2]}.{parts[-1]}"
    else:
        base = f"{row['discipline_code']}.{re.sub(r'[^a-z0-9]+', '-', row['phase'].lower()).strip('-')}.{row['start_date'][5:16].replace(':', '')}"
    return base[:60]


def standings_by_unit(results_dir: Path) -> dict:
    """(discipline code, event name, unit suffix) -> [(time stamp, row)] of the results files."""
    found = defaultdict(list)
    for path in sorted(results_dir.glob("*.csv")):
        for row in read_csv(path):
            found[(row["discipline_code"], row["event_name"], row["stage_code"][-12:].lower())].append(row)
    return found


def rank_of(row: dict, bronze_game: bool) -> int | None:
    text = (row.get("rank") or "").strip()
    if text:
        return int(float(text)) if float(text) >= 1 else None
    outcome = row.get("result_WLT", "")
    if outcome in ("W", "L"):
        return (2 if bronze_game else 0) + (1 if outcome == "W" else 2)
    return None


def standing_name(row: dict) -> str:
    name = row["participant_name"].replace("@", "").strip()
    return (person(name) if row["participant_type"] == "Person" else name)[:200]


def build(shared: Path) -> dict:
    schedule, seen = [], set()
    for row in read_csv(shared / "schedules.csv"):  # 8 surplus exact duplicates dropped
        key = tuple(row.values())
        if key not in seen:
            seen.add(key)
            schedule.append(row)
    medal_rows = read_csv(shared / "medals.csv")
    medallists = read_csv(shared / "medallists.csv")
    results = standings_by_unit(shared / "results")
    code_of = {row["discipline"]: row["discipline_code"] for row in schedule}

    bronze_units = {(r["discipline_code"], r["event"]) for r in schedule if r["event_medal"] == "3"}
    medal_keys = {(r["discipline_code"], r["event"]) for r in schedule if r["event_medal"] == "1"}
    gender_of = {(r["discipline_code"], r["event"]): r["gender"] for r in schedule if r["event_medal"] == "1"}
    events = {}
    for code, event in sorted(medal_keys):
        gender = gender_of[(code, event)]
        en, nl = event_names(code, event, gender)
        events[(code, event)] = {"id": event_id(code, event, gender), "sport": code, "gender": gender, "name": {"en": en, "nl": nl}}

    # Which unit each results row belongs to: same discipline, event and unit code; of several
    # schedule rows with that url, the last that started before the result was stamped.
    rows_by_key = defaultdict(list)
    for index, row in enumerate(schedule):
        if row["url"]:
            rows_by_key[(row["discipline_code"], row["event"], row["url"].rstrip("/").split("/")[-1])].append(index)
    phases = defaultdict(list)  # a schedule row for a whole phase ("heat--------") holds its heats' results
    for (code, event, unit), indexes in rows_by_key.items():
        if unit.strip("-") and unit.endswith("--------"):
            phases[(code, event)].append((unit.rstrip("-"), indexes))
    unit_results = defaultdict(list)
    for key, rows in results.items():
        candidates = rows_by_key.get(key)
        if not candidates:
            prefixes = [(len(p), indexes) for p, indexes in phases[key[:2]] if key[2].startswith(p)]
            candidates = max(prefixes)[1] if prefixes else None
        if not candidates:
            continue
        for row in rows:
            stamp = datetime.fromisoformat(row["date"])
            started = [i for i in candidates if datetime.fromisoformat(schedule[i]["start_date"]) <= stamp]
            unit_results[started[-1] if started else candidates[0]].append(row)

    sessions, standings, ids = [], [], Counter()
    labels = Counter()
    for index, row in enumerate(schedule):
        code, key = row["discipline_code"], (row["discipline_code"], row["event"])
        ident = session_id(row)
        ids[ident] += 1
        if ids[ident] > 1:
            ident = f"{ident}-{ids[ident]}"
        record = {"id": ident}
        phase = clean_phase(row)
        if code == "CER":
            en, nl = CEREMONIES[row["discipline"]]
            record.update({"sport": "CER", "events_text": {"en": en, "nl": nl}, "unit": {"en": en, "nl": nl}})
        elif key not in events:  # artistic gymnastics qualification: every apparatus at once
            gender = GENDER_EN[row["gender"]]
            record.update({"sport": code, "events_text": {"en": f"{gender} Qualification (team, all-around and apparatus)",
                                                           "nl": f"Kwalificatie {'mannen' if row['gender'] == 'M' else 'vrouwen'} (landenwedstrijd, meerkamp en toestellen)"},
                           "unit": {"en": phase, "nl": phase_nl(phase)}})
        else:
            record.update({"event": events[key]["id"], "unit": {"en": phase, "nl": phase_nl(phase)}})
        rows = unit_results.get(index, [])
        nations = sorted({r["participant_country_code"] for r in rows if r["participant_country_code"]})
        if row["event_type"].startswith("H") and len(nations) == 2 and record.get("event"):
            pairing = " · " + " – ".join(nations)
            record["unit"] = {"en": record["unit"]["en"] + pairing, "nl": record["unit"]["nl"] + pairing}
        labels[(record.get("event"), record["unit"]["en"])] += 1
        start = row["start_date"]
        end = row["end_date"]
        if not end or end <= start:  # no end (ceremonies) or none after the start (cancelled matches)
            end = (datetime.fromisoformat(start) + timedelta(minutes=1)).isoformat()
        medals = {"1": ["gold", "silver"] if key in bronze_units else list(MEDALS), "3": ["bronze"]}.get(row["event_medal"], [])
        record.update({"start": start, "end": end, "venue": row["venue"] or "Paris", "medals": medals, "nations": nations})
        if code == "SRF":
            record["timezone"] = "Pacific/Tahiti"  # Teahupo'o; the times are given in Paris time
        if row["status"] == "CANCELLED":
            record["status"] = "cancelled"
        sessions.append(record)
        if record.get("event"):
            placed = {}
            for result in rows:
                name, nation = standing_name(result), result["participant_country_code"]
                if not name or not nation or (name, nation) in placed:
                    continue
                placed[(name, nation)] = {"session": ident, "rank": rank_of(result, row["event_medal"] == "3"), "competitor": name,
                                          "nation": nation, "result": (result.get("result") or "").strip()[:200]}
            standings += sorted(placed.values(), key=lambda s: (s["rank"] is None, s["rank"] or 0, s["competitor"]))

    # Several units with the same label in one event are numbered in start order.
    numbers = Counter()
    for record in sessions:
        label = (record.get("event"), record["unit"]["en"])
        if labels[label] > 1:
            numbers[label] += 1
            record["unit"] = {language: f"{text} · {numbers[label]}" for language, text in record["unit"].items()}

    teams = defaultdict(list)
    for row in medallists:
        if row["team"] and row["country_code"]:
            teams[(code_of[row["discipline"]], row["event"], MEDAL_TYPE[row["medal_type"]], row["country_code"])].append(person(row["name"]))
    medal_results = []
    for row in medal_rows:
        code = code_of[row["discipline"]]
        event = row["event"] if (code, row["event"]) in events else row["event"].replace("Mixed Relay", "Relay Mixed")
        medal, nation = MEDAL_TYPE[row["medal_type"]], row["country_code"]
        name = row["name"]
        if not row["code"].isdigit():  # a team
            members = teams.get((code, event, medal, nation), [])
            competitor = ", ".join(members) if 1 < len(members) <= TEAM_NAMES_UP_TO else name
        else:
            competitor = person(name)
        medal_results.append({"event": events[(code, event)]["id"], "medal": medal, "competitor": competitor, "nation": nation})
    medal_results.sort(key=lambda r: (r["event"], MEDALS.index(r["medal"]), r["competitor"], r["nation"]))

    codes = {r["nation"] for r in medal_results} | {n for s in sessions for n in s["nations"]} | {s["nation"] for s in standings}
    used_sports = sorted({e["sport"] for e in events.values()} | {s["sport"] for s in sessions if "sport" in s})
    return {
        "format": "podium-games/1",
        "games": {"id": "paris-2024", "name": {"en": "Paris 2024", "nl": "Parijs 2024"}, "host_timezone": "Europe/Paris",
                  "notes": NOTES, "sources": SOURCES},
        "sports": [{"id": code, "name": {"en": SPORTS[code][0], "nl": SPORTS[code][1]}} for code in used_sports],
        "nations": [nation_record(code) for code in sorted(codes)],
        "events": sorted(events.values(), key=lambda e: e["id"]),
        "sessions": sessions,
        "results": medal_results,
        "standings": standings,
    }


def dump(document: dict) -> str:
    """Indented JSON, except that each session and standing is one line (keeps the file small)."""
    def lines(items):
        return ",\n".join("  " + json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)
    head = {k: v for k, v in document.items() if k not in ("sessions", "standings")}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    return (text[:-2] + ',\n "sessions": [\n' + lines(document["sessions"]) + '\n ],\n "standings": [\n'
            + lines(document["standings"]) + "\n ]\n}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "paris-2024")
    args = parser.parse_args()
    document = build(args.shared)
    OUTPUT.write_text(dump(document), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(document['events'])} events, {len(document['sessions'])} sessions, "
          f"{len(document['results'])} medals, {len(document['nations'])} nations, {len(document['standings'])} standings "
          f"({OUTPUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
