"""What users type for dates, times of day, time zones and languages, checked into values.

A bad value raises InvalidInput with an i18n key and its parameters, so the CLI and Discord
can both say what was wrong and what would be right, in the user's language."""
from __future__ import annotations

import difflib
import re
from datetime import date, time
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.core.models import LANGUAGES
from bot.core.text import visible

# The days any command accepts: wide enough for every Games on record and to come, narrow enough
# that a day and the next are always on the calendar in every zone.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)


class InvalidInput(ValueError):
    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(f"{key}: {params}")


def parse_date(text: str) -> date:
    """YYYY-MM-DD, e.g. 2022-02-15, from FIRST_DATE to LAST_DATE."""
    raw = visible(text).strip()
    day = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            pass
    if day is None:
        raise InvalidInput("error.bad_date", value=raw[:40])
    if not FIRST_DATE <= day <= LAST_DATE:
        raise InvalidInput("error.date_out_of_range", value=raw, first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat())
    return day


def parse_time_of_day(text: str) -> time:
    """HH:MM in 24-hour time, e.g. 20:00 or 7:30."""
    raw = visible(text).strip()
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.h]([0-5]\d)", raw)
    if not match:
        raise InvalidInput("error.bad_time", value=raw[:40])
    return time(int(match[1]), int(match[2]))


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """casefolded name -> IANA name, for zones a person would pick (Region/City and UTC): what
    autocomplete and suggestions offer."""
    names = {z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))}
    names.add("UTC")
    return {z.casefold(): z for z in sorted(names)}


@lru_cache(maxsize=1)
def _all_zones() -> dict[str, str]:
    """casefolded name -> IANA name, for every zone tzdata knows (CET, EST5EDT, Etc/GMT+5 too)."""
    return {z.casefold(): z for z in sorted(available_timezones())}


def parse_timezone(text: str) -> str:
    """An IANA zone name, any case, spaces allowed for underscores (e.g. 'america/new york')."""
    raw = visible(text).strip()
    key = raw.replace(" ", "_").casefold()
    name = _zones().get(key) or _all_zones().get(key)
    if name is not None:
        ZoneInfo(name)  # present in tzdata
        return name
    raise InvalidInput("error.bad_timezone", value=raw[:60], suggestions=", ".join(suggest_timezones(raw, 3)) or "Europe/Amsterdam")


def suggest_timezones(query: str, limit: int = 25) -> list[str]:
    """Zones for autocomplete: those containing the query first, then close spellings."""
    key = visible(query).strip()[:64].replace(" ", "_").casefold()  # longer is no zone; keeps matching cheap
    zones = _zones()
    if not key:
        return [zones[k] for k in ("europe/amsterdam", "europe/london", "america/new_york", "asia/shanghai", "utc")][:limit]
    starts = [z for k, z in zones.items() if k.startswith(key) or k.split("/")[-1].startswith(key)]
    contains = [z for k, z in zones.items() if key in k and z not in starts]
    found = starts + contains
    if len(found) < limit:
        close = difflib.get_close_matches(key, list(zones), n=limit, cutoff=0.6)
        close += [k for k in difflib.get_close_matches(key, [k.split("/")[-1] for k in zones], n=limit, cutoff=0.6)]
        for k in close:
            for full, zone in zones.items():
                if (full == k or full.split("/")[-1] == k) and zone not in found:
                    found.append(zone)
    return found[:limit]


def parse_language(text: str) -> str:
    raw = visible(text).strip().lower()
    if raw in LANGUAGES:
        return raw
    raise InvalidInput("error.bad_language", value=raw[:20], choices=", ".join(LANGUAGES))
