"""Our own format as a feed: a whole data set, or a partial one (`"partial": true`) whose records
replace or add to those of the Games loaded now (sessions and events by id, a nation by code, the
results of an event as a whole, the standings of a session as a whole)."""
from __future__ import annotations

import json

from bot.core.models import GamesData
from bot.data.dataset import DatasetError, parse_dataset
from bot.data.document import to_document

KEYED = {"sports": "id", "nations": "code", "events": "id", "sessions": "id"}


def games_id(raw: bytes) -> str | None:
    """The id of the Games a feed body is about, where it says so (parse() checks the rest)."""
    try:
        found = json.loads(raw.decode("utf-8")).get("games", {}).get("id")
    except (ValueError, RecursionError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def parse(raw: bytes, source: str, current: GamesData | None, *, skipped: list[str] | None = None) -> GamesData:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatasetError(source, [f"not UTF-8 text (byte {error.start})"]) from None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return parse_dataset(text, source)  # the checker words the JSON problem
    if isinstance(document, dict) and document.get("partial") is True:
        if current is None:
            raise DatasetError(source, ["partial: a partial feed needs Games loaded first; serve the whole data set once"])
        document = merge(to_document(current), document)
    return parse_dataset(json.dumps(document, ensure_ascii=False), source, skipped=[] if skipped is None else skipped)


def merge(base: dict, partial: dict) -> dict:
    merged = dict(base)
    if isinstance(partial.get("games"), dict):
        merged["games"] = partial["games"]
    for key, id_field in KEYED.items():
        updates = partial.get(key)
        if not isinstance(updates, list):
            continue
        by_id = {record[id_field]: record for record in base.get(key, [])}
        for record in updates:
            if isinstance(record, dict) and isinstance(record.get(id_field), str):
                if record.get("cancelled") is True:
                    by_id.pop(record[id_field], None)
                else:
                    by_id[record[id_field]] = record
        merged[key] = list(by_id.values())
    for key, group in (("results", "event"), ("standings", "session")):
        updates = partial.get(key)
        if not isinstance(updates, list):
            continue
        replaced = {record.get(group) for record in updates if isinstance(record, dict) and isinstance(record.get(group), str)}
        merged[key] = [r for r in base.get(key, []) if r.get(group) not in replaced] + [r for r in updates if isinstance(r, dict) and r.get("competitor")]
    # A cancelled session takes its standings with it.
    sessions = {record.get("id") for record in merged.get("sessions", []) if isinstance(record, dict) and isinstance(record.get("id"), str)}
    merged["standings"] = [r for r in merged.get("standings", []) if not isinstance(r, dict) or r.get("session") in sessions]
    if not merged["standings"] and "standings" not in base and "standings" not in partial:
        del merged["standings"]
    return merged
