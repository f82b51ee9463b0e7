"""Build bot/data/games/milano-cortina-2026.json from ../shared/data/milano-cortina-2026/.

    python tools/build_milano_cortina2026.py [--shared PATH]

Facts (units, times, venues, status, medallists) are read from the reference files (olympics.com
data via the Kaggle data set piterfm/milano-cortina-2026-olympic-winter-games) and written in our
own format (docs/data-format.md); the source files are not copied. Re-running gives identical output."""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from milano_cortina2026_names import CEREMONIES, EVENTS, SPORTS, TRAINING_EVENTS, UNITS  # noqa: E402
from olympic_nations import nation_record  # noqa: E402
from bot.data.formats.csv_layout import person  # noqa: E402  (one way to turn "SURNAME Given" into a name)

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bot" / "data" / "games" / "milano-cortina-2026.json"
MEDALS = ("gold", "silver", "bronze")
TEAM_NAMES_UP_TO = 4  # a team of up to 4 is named by its members ("A, B"), a bigger one by its nation
SOURCES = [
    {"name": "olympics.com via Kaggle, piterfm/milano-cortina-2026-olympic-winter-games (copy: github.com/mairahazura/Milan-2026 @ e66b77e)",
     "url": "https://www.kaggle.com/datasets/piterfm/milano-cortina-2026-olympic-winter-games",
     "terms": "CC BY-NC 4.0 as cited (attribution, non-commercial); facts only, the files are not redistributed"},
]
NOTES = {
    "en": "Schedule, venues, status and medallists as published by olympics.com after the Games. Individual Neutral "
          "Athletes (AIN) won one silver: it counts and is listed in the medal table, without a rank, as the "
          "published table leaves AIN out. Three units were cancelled. No standings beyond the medallists.",
    "nl": "Programma, locaties, status en medaillewinnaars zoals olympics.com ze na de Spelen publiceerde. De "
          "Individuele neutrale atleten (AIN) wonnen één keer zilver: die medaille telt en staat in het medailleklassement, "
          "zonder plaats, omdat het gepubliceerde klassement AIN niet vermeldt. Drie onderdelen zijn afgelast. Geen "
          "uitslagen buiten de medaillewinnaars.",
}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def unit_phase(row: dict) -> str:
    """The phase without the event's name: "Men's Round Robin" of event "Men" -> "Round Robin"."""
    phase, event = row["phase"], row["event"]
    for prefix in (event + "'s", event, "Men's", "Women's", "Mixed"):
        if phase.startswith(prefix):
            phase = phase[len(prefix):]
            break
    return phase.strip(" -")


def event_of(row: dict) -> tuple[str, str]:
    key = (row["discipline_code"], row["event"])
    return TRAINING_EVENTS.get(key, key)


def label_from_id(unit_id: str) -> dict | None:
    """What the ODF unit code itself says, where that is clearer than a number: Final A/B, jumping rounds."""
    code = unit_id[22:32]
    if match := re.fullmatch(r"FNL-([A-D])\d{3}00", code):
        return {"en": f"Final {match[1]}", "nl": f"Finale {match[1]}"}
    if code == "FNL-TR01SJ":
        return {"en": "Trial Round", "nl": "Proefronde"}
    if match := re.fullmatch(r"FNL-000(\d)SJ", code):
        return {"en": f"Round {match[1]}", "nl": f"Ronde {match[1]}"}
    if code == "FNL-0001CC":
        return {"en": "Cross-Country", "nl": "Langlaufen"}
    return None


def unit_labels(rows: list[dict]) -> dict[str, dict]:
    """unit id -> its label: the phase, with a run or round number where an event has several."""
    groups: dict = defaultdict(list)
    for row in rows:
        if label := label_from_id(row["id"]):
            groups[(row["id"], label["en"], label["nl"])].append(row)
            continue
        en, nl = UNITS[unit_phase(row)] if (row["discipline_code"], row["event"]) not in TRAINING_EVENTS else UNITS["Official Training"]
        groups[(event_of(row), en, nl)].append(row)
    labels = {}
    for (_, en, nl), members in groups.items():
        for number, row in enumerate(members, 1):  # rows are in start order
            if len(members) == 1:
                labels[row["id"]] = {"en": en, "nl": nl}
            elif en == "Competition":
                labels[row["id"]] = {"en": f"Run {number}", "nl": f"Run {number}"}
            else:
                labels[row["id"]] = {"en": f"{en} {number}", "nl": f"{nl} {number}"}
    return labels


def build(shared: Path) -> dict:
    schedule = read_csv(shared / "schedules.csv")
    medallists = read_csv(shared / "medallists.csv")

    events, sessions = {}, []
    labels = unit_labels([r for r in schedule if r["discipline_code"] != "CER"])
    bronze_units = {event_of(r) for r in schedule if r["event_medal"] == "3"}
    for row in schedule:
        code = row["discipline_code"]
        record = {"id": row["id"]}
        if code == "CER":  # a ceremony: a session without a medal event
            en, nl = CEREMONIES[row["event"]]
            record.update({"sport": "CER", "events_text": {"en": en, "nl": nl}, "unit": {"en": en, "nl": nl}})
        else:
            event_id, en, nl = EVENTS[event_of(row)]
            events[event_id] = {"id": event_id, "sport": code, "gender": event_id.split("-")[1], "name": {"en": en, "nl": nl}}
            record.update({"event": event_id, "unit": labels[row["id"]]})
        # The two cancelled units have no end: a minute after the start (the format needs one).
        end = row["end_date"] or (datetime.fromisoformat(row["start_date"]) + timedelta(minutes=1)).isoformat()
        medals = {"1": ["gold", "silver"] if event_of(row) in bronze_units else list(MEDALS), "3": ["bronze"]}.get(row["event_medal"], [])
        record.update({"start": row["start_date"], "end": end, "venue": row["venue"], "medals": medals, "nations": []})
        if row["status"] == "CANCELLED":
            record["status"] = "cancelled"
        sessions.append(record)

    event_key = {EVENTS[key][0]: key for key in EVENTS}
    by_event = {(code, name): EVENTS[(code, name)][0] for code, name in EVENTS}
    teams: dict = defaultdict(list)  # (event id, medal, nation) -> member names
    for row in medallists:
        teams[(by_event[(row["discipline_code"], row["event_name"])], row["medal"].lower(), row["country_code"])].append(person(row["name"]))
    nations = sorted({nation for (_, _, nation) in teams})
    nation_records = [nation_record(code) for code in nations]
    names = {n["code"]: n["name"]["en"] for n in nation_records}
    results = []
    for (event_id, medal, nation), members in teams.items():
        if len(members) == 1:
            competitor = members[0]
        elif len(members) <= TEAM_NAMES_UP_TO:
            competitor = ", ".join(members)
        else:
            competitor = names[nation]
        results.append({"event": event_id, "medal": medal, "competitor": competitor, "nation": nation})
    results.sort(key=lambda r: (r["event"], MEDALS.index(r["medal"]), r["competitor"]))
    assert set(event_key) == set(events), set(event_key) ^ set(events)

    used_sports = sorted({e["sport"] for e in events.values()} | {"CER"})
    return {
        "format": "podium-games/1",
        "games": {"id": "milano-cortina-2026", "name": {"en": "Milano Cortina 2026", "nl": "Milaan-Cortina 2026"},
                  "host_timezone": "Europe/Rome", "notes": NOTES, "sources": SOURCES, "unranked_nations": ["AIN"]},
        "sports": [{"id": code, "name": {"en": SPORTS[code][0], "nl": SPORTS[code][1]}} for code in used_sports],
        "nations": nation_records,
        "events": sorted(events.values(), key=lambda e: e["id"]),
        "sessions": sessions,
        "results": results,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "milano-cortina-2026")
    args = parser.parse_args()
    document = build(args.shared)
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(document['events'])} events, {len(document['sessions'])} sessions, "
          f"{len(document['results'])} medallists, {len(document['nations'])} nations ({OUTPUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
