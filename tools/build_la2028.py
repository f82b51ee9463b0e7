"""Build bot/data/games/la-2028.json from ../shared/data/la-2028/sessions.csv.

    python tools/build_la2028.py [--shared PATH]

LA 2028's programme is known by session only (847 ticketed sessions, unofficial, from
tomparkp/la28-session-picker, MIT): each session is written with its sport and its events as
text (docs/data-format.md), in its own time zone; a session whose time is still TBD keeps its day
and zone only. The source file is not copied. Re-running gives identical output."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from la2028_names import ROUNDS, SPORT_CODES, SPORTS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bot" / "data" / "games" / "la-2028.json"
HOST_ZONE = "America/Los_Angeles"
MIT = ("MIT License. Copyright (c) 2026 2028 Games Unofficial Session Guide Contributors. Permission is hereby granted, "
       "free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), "
       "to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, "
       "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is "
       "furnished to do so, subject to the following conditions: The above copyright notice and this permission notice shall "
       "be included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT "
       "WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS "
       "FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY "
       "CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN "
       "CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.")
SOURCES = [
    {"name": "2028 Games Unofficial Session Guide (github.com/tomparkp/la28-session-picker @ 40c48c1, src/data/sessions.json), "
             "from a community sheet checked against LA28's competition schedule of 12 Nov 2025",
     "url": "https://github.com/tomparkp/la28-session-picker", "terms": MIT},
]
NOTES = {
    "en": "LA 2028's ticketed sessions as an unofficial, community-compiled list (it may be inaccurate or out of date; "
          "check LA28's own schedule). The programme is known by session, not by event: each session lists its events "
          "as published, in English. Times are in the session's own zone (Los Angeles; Oklahoma City for softball and "
          "canoe slalom; the football cities). 50 football sessions have no time yet: they are listed on their day as "
          "time to be announced. The two sessions without a venue are assumed to be in Los Angeles.",
    "nl": "De sessies met kaartverkoop van LA 2028, als onofficiële lijst van liefhebbers (mogelijk onjuist of verouderd; "
          "zie het programma van LA28 zelf). Het programma is per sessie bekend, niet per onderdeel: elke sessie noemt haar "
          "onderdelen zoals gepubliceerd, in het Engels. Tijden staan in de eigen tijdzone van de sessie (Los Angeles; "
          "Oklahoma City voor softbal en kanoslalom; de voetbalsteden). 50 voetbalsessies hebben nog geen tijd: ze staan "
          "op hun dag, met tijd nog niet bekend. De twee sessies zonder locatie zijn in Los Angeles aangenomen.",
}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build(shared: Path) -> dict:
    rows = read_csv(shared / "sessions.csv")
    with_bronze_session = {SPORT_CODES[r["sport"]] for r in rows if r["round_type"] == "Bronze"}
    sessions = []
    for row in rows:
        sport = SPORT_CODES[row["sport"]]
        en, nl = ROUNDS[row["round_type"]]
        code = row["session_code"]
        medals = {"Final": ["gold", "silver"] if sport in with_bronze_session else ["gold", "silver", "bronze"],
                  "Bronze": ["bronze"]}.get(row["round_type"], [])
        record = {"id": code, "sport": sport, "events_text": {"en": row["description"]},
                  "unit": {"en": f"{code} · {en}", "nl": f"{code} · {nl}"}}
        if row["start_local"]:
            record.update({"start": row["start_local"], "end": row["end_local"]})
        else:  # time TBD: the day and the zone only
            record["date"] = row["date_local"]
        if row["time_zone"] != HOST_ZONE or not row["start_local"]:
            record["timezone"] = row["time_zone"]
        record.update({"venue": row["venue"], "medals": medals, "nations": []})
        sessions.append(record)
    sports = sorted({s["sport"] for s in sessions})
    return {
        "format": "podium-games/1",
        "games": {"id": "la-2028", "name": {"en": "LA 2028", "nl": "LA 2028"}, "host_timezone": HOST_ZONE,
                  "notes": NOTES, "sources": SOURCES},
        "sports": [{"id": code, "name": {"en": SPORTS[code][0], "nl": SPORTS[code][1]}} for code in sports],
        "nations": [],
        "events": [],
        "sessions": sessions,
        "results": [],
    }


def dump(document: dict) -> str:
    """Indented JSON, except that each session is one line."""
    head = {k: v for k, v in document.items() if k != "sessions"}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    lines = ",\n".join("  " + json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in document["sessions"])
    return text[:-2] + ',\n "sessions": [\n' + lines + "\n ]\n}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "la-2028")
    args = parser.parse_args()
    document = build(args.shared)
    OUTPUT.write_text(dump(document), encoding="utf-8")
    by_zone = defaultdict(int)
    for s in document["sessions"]:
        by_zone[s.get("timezone", HOST_ZONE)] += 1
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(document['sessions'])} sessions, {sum('date' in s for s in document['sessions'])} "
          f"with time TBD, zones {dict(by_zone)} ({OUTPUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
