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

from babel import Locale

sys.path.insert(0, str(Path(__file__).resolve().parent))
from beijing2022_names import (  # noqa: E402
    EVENTS, FLAG_OVERRIDES, IOC_TO_ISO2, NATION_NAMES, NO_FLAG, SPORTS, UNITS_NL,
)

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


def flag(iso2: str | None) -> str | None:
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in iso2) if iso2 else None


def nation_record(code: str, english_names: dict, dutch_names: dict) -> dict:
    iso2 = IOC_TO_ISO2[code]
    if code in NATION_NAMES:
        en, nl = NATION_NAMES[code]
    else:
        en, nl = english_names[iso2], dutch_names[iso2]
    import pycountry

    country = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    return {
        "code": code,
        "name": {"en": en, "nl": nl},
        "iso2": iso2,
        "iso3": country.alpha_3 if country else None,
        "flag": None if code in NO_FLAG else FLAG_OVERRIDES.get(code) or flag(iso2),
    }


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
    english_names, dutch_names = Locale("en").territories, Locale("nl").territories
    nations = [nation_record(code, english_names, dutch_names) for code in sorted(taking_part)]

    return {
        "format": "podium-games/1",
        "games": {"id": "beijing-2022", "name": {"en": "Beijing 2022", "nl": "Peking 2022"},
                  "host_timezone": "Asia/Shanghai"},
        "sports": [{"id": code, "name": {"en": en, "nl": nl}} for code, (en, nl, _) in sorted(SPORTS.items())],
        "nations": nations,
        "events": sorted(events.values(), key=lambda e: e["id"]),
        "sessions": sessions,
        "results": results,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "beijing2022")
    args = parser.parse_args()
    document = build(args.shared)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(document['events'])} events, {len(document['sessions'])} sessions, "
          f"{len(document['results'])} medallists, {len(document['nations'])} nations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
