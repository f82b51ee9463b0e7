"""Which nation a user means: IOC code, ISO codes, or a name in English or Dutch."""
from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Iterable

import pycountry

from bot.core.memo import memoised
from bot.core.models import GamesData, Nation, pick
from bot.core.text import normalise


MAX_QUERY = 100  # no nation's name is longer; caps the cost of fuzzy matching


class UnknownNation(ValueError):
    def __init__(self, query: str, suggestions: list[Nation]):
        self.query = query
        self.suggestions = suggestions
        super().__init__(f"unknown nation {query!r}")


@lru_cache(maxsize=512)
def _iso_names(iso3: str | None) -> tuple[str, ...]:
    """Extra names from ISO 3166 (e.g. 'Germany', 'Federal Republic of Germany')."""
    country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    if country is None:
        return ()
    return tuple(getattr(country, attr) for attr in ("name", "common_name", "official_name") if hasattr(country, attr))


_KEYS_CACHE: dict[int, tuple[Nation, frozenset[str]]] = {}


def _keys(nation: Nation) -> frozenset[str]:
    """Every normalised form that names `nation` (worked out once per loaded nation)."""
    cached = _KEYS_CACHE.get(id(nation))
    if cached is not None and cached[0] is nation:
        return cached[1]
    if len(_KEYS_CACHE) > 4096:  # old Games reloaded many times: start afresh
        _KEYS_CACHE.clear()
    keys = frozenset(_name_keys(nation))
    _KEYS_CACHE[id(nation)] = (nation, keys)
    return keys


def _name_keys(nation: Nation) -> set[str]:
    keys = {normalise(nation.code)}
    keys.update(normalise(code) for code in (nation.iso2, nation.iso3) if code)
    keys.update(normalise(name) for name in nation.name.values())
    keys.update(normalise(name) for name in _iso_names(nation.iso3))
    return keys


def resolve_nation(query: str, nations: Iterable[Nation]) -> Nation:
    nations = list(nations)
    key = normalise(query)
    if key:
        # Codes first: "NL" must not lose to a name that happens to normalise the same.
        for nation in nations:
            if key in (nation.code.casefold(), (nation.iso2 or "").casefold(), (nation.iso3 or "").casefold()):
                return nation
        for nation in nations:
            if key in _keys(nation):
                return nation
    raise UnknownNation(query, _similar(key, nations, 3))


def resolve_nation_in(data: GamesData, query: str) -> Nation:
    """resolve_nation() over the loaded Games, remembered per query while the data stays loaded
    (an unknown name raises each time)."""
    return memoised(data, ("resolve nation", query), lambda: resolve_nation(query, data.nations.values()))


def _similar(key: str, nations: list[Nation], limit: int) -> list[Nation]:
    key = key[:MAX_QUERY]
    if not key:
        return []
    by_key: dict[str, Nation] = {}
    for nation in nations:
        for name in _keys(nation):
            by_key.setdefault(name, nation)
    found: list[Nation] = []
    for match in difflib.get_close_matches(key, list(by_key), n=limit * 3, cutoff=0.6):
        if by_key[match] not in found:
            found.append(by_key[match])
    return found[:limit]


def suggest_nations(query: str, nations: Iterable[Nation], limit: int = 25, language: str = "en") -> list[Nation]:
    """For autocomplete: prefix matches, then substring matches, then close spellings."""
    ordered = sorted(nations, key=lambda n: normalise(pick(n.name, language)))
    key = normalise(query)
    if not key:
        return ordered[:limit]
    prefix = [n for n in ordered if any(k.startswith(key) for k in _keys(n))]
    inside = [n for n in ordered if n not in prefix and any(key in k for k in _keys(n))]
    found = prefix + inside
    for nation in _similar(key, ordered, limit):
        if nation not in found:
            found.append(nation)
    return found[:limit]
