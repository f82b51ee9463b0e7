"""A small, valid Games data set as a dict, and helpers to write it (or a broken copy) to a file."""
from __future__ import annotations

import copy
import json
from pathlib import Path


def mini_dataset() -> dict:
    return {
        "format": "podium-games/1",
        "games": {"id": "mini-2030", "name": {"en": "Mini Games 2030", "nl": "Mini Spelen 2030"}, "host_timezone": "Europe/Paris"},
        "sports": [
            {"id": "SSK", "name": {"en": "Speed Skating", "nl": "Schaatsen"}},
            {"id": "IHO", "name": {"en": "Ice Hockey", "nl": "IJshockey"}},
        ],
        "nations": [
            {"code": "NED", "name": {"en": "Netherlands", "nl": "Nederland"}, "iso2": "NL", "iso3": "NLD", "flag": "🇳🇱"},
            {"code": "GER", "name": {"en": "Germany", "nl": "Duitsland"}, "iso2": "DE", "iso3": "DEU", "flag": "🇩🇪"},
            {"code": "CAN", "name": {"en": "Canada", "nl": "Canada"}, "iso2": "CA", "iso3": "CAN", "flag": "🇨🇦"},
        ],
        "events": [
            {"id": "SSK-M-1500", "sport": "SSK", "gender": "M", "name": {"en": "Men's 1500m", "nl": "1500 meter mannen"}},
            {"id": "IHO-W", "sport": "IHO", "gender": "W", "name": {"en": "Women's Tournament", "nl": "Toernooi vrouwen"}},
        ],
        "sessions": [
            {"id": "s1", "event": "SSK-M-1500", "unit": {"en": "Final", "nl": "Finale"}, "start": "2030-02-08T16:30:00+01:00",
             "end": "2030-02-08T18:00:00+01:00", "venue": "Oval", "medals": ["gold", "silver", "bronze"], "nations": ["NED", "GER"]},
            {"id": "s2", "event": "IHO-W", "unit": {"en": "Gold medal game", "nl": "Finale (goud)"}, "start": "2030-02-09T12:00:00+01:00",
             "end": "2030-02-09T14:30:00+01:00", "venue": "Arena", "medals": ["gold", "silver"], "nations": ["CAN", "GER"]},
            {"id": "s3", "event": "IHO-W", "unit": {"en": "Bronze medal game", "nl": "Troostfinale"}, "start": "2030-02-09T08:00:00+01:00",
             "end": "2030-02-09T10:30:00+01:00", "venue": "Arena", "medals": ["bronze"], "nations": ["NED"]},
        ],
        "results": [
            {"event": "SSK-M-1500", "medal": "gold", "competitor": "Kjeld Nuis", "nation": "NED"},
            {"event": "SSK-M-1500", "medal": "silver", "competitor": "Thomas Krol", "nation": "NED"},
            {"event": "SSK-M-1500", "medal": "bronze", "competitor": "Someone Else", "nation": "GER"},
            {"event": "IHO-W", "medal": "gold", "competitor": "Canada", "nation": "CAN"},
            {"event": "IHO-W", "medal": "silver", "competitor": "Germany", "nation": "GER"},
            {"event": "IHO-W", "medal": "bronze", "competitor": "Netherlands", "nation": "NED"},
        ],
    }


def write_dataset(folder: Path, document, name: str = "games.json") -> Path:
    path = folder / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    return path


def changed(document: dict, change) -> dict:
    """A deep copy of `document` with `change(copy)` applied."""
    out = copy.deepcopy(document)
    change(out)
    return out
