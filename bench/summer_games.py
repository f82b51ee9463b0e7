"""A generated Summer-Games-sized data set (≈3,000 sessions, 330 events, 200 nations) in our format."""
from __future__ import annotations

import itertools
import random
import string
from datetime import datetime, timedelta, timezone

SPORTS = 40
EVENTS = 330
SESSIONS = 3000
NATIONS = 200


def summer_games(seed: int = 2028) -> dict:
    rng = random.Random(seed)
    codes = ["".join(letters) for letters in itertools.islice(itertools.product(string.ascii_uppercase, repeat=3), 1000, 1000 + NATIONS)]
    nations = [{"code": c, "name": {"en": f"Nation {c}", "nl": f"Land {c}"}, "iso2": None, "iso3": None, "flag": None} for c in codes]
    sports = [{"id": f"S{n:02d}", "name": {"en": f"Sport {n}", "nl": f"Sport {n}"}} for n in range(SPORTS)]
    events = [{"id": f"E{n:03d}", "sport": f"S{n % SPORTS:02d}", "gender": "MWXO"[n % 4],
               "name": {"en": f"Event {n}", "nl": f"Onderdeel {n}"}} for n in range(EVENTS)]
    opening = datetime(2028, 7, 15, 9, 0, tzinfo=timezone(timedelta(hours=-7)))
    sessions = []
    for n in range(SESSIONS):
        event = events[n % EVENTS]
        start = opening + timedelta(days=n * 16 // SESSIONS, minutes=rng.randrange(0, 13 * 60, 5))
        is_final = n >= SESSIONS - EVENTS
        sessions.append({
            "id": f"U{n:05d}", "event": event["id"], "unit": {"en": "Final" if is_final else f"Heat {n}", "nl": "Finale" if is_final else f"Serie {n}"},
            "start": start.isoformat(), "end": (start + timedelta(minutes=90)).isoformat(), "venue": f"Venue {n % 35}",
            "medals": ["gold", "silver", "bronze"] if is_final else [], "nations": rng.sample(codes, 8),
        })
    results = [{"event": e["id"], "medal": medal, "competitor": f"Athlete {e['id']}-{medal}", "nation": rng.choice(codes)}
               for e in events for medal in ("gold", "silver", "bronze")]
    return {"format": "podium-games/1",
            "games": {"id": "summer-2028", "name": {"en": "Summer 2028", "nl": "Zomer 2028"}, "host_timezone": "America/Los_Angeles"},
            "sports": sports, "nations": nations, "events": events, "sessions": sessions, "results": results}
