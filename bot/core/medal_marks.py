"""Which standing of a medal session won which medal: taken from the medallists, never from a place.

A place is not a medal: in a session that ranks one run (luge run 4) or one race of several
(Final B), the rank-2 competitor may have won gold or nothing at all. A standing gets a medal mark
only when one of the event's medallists is that competitor: same nation, and a name that matches
the standing better than any other standing of that nation ("Natalie Geisenberger", "People's
Republic of China" ~ "China", "Tobias Wendl, Tobias Arlt" ~ "Wendl / Arlt"). A medallist that
matches no standing, or two equally well ("Germany 1" against two German sleds), marks nothing."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher

from bot.core.models import GamesData, Session, Standing

ALIKE = 0.75  # how alike two spellings of one name are at least (transliterations)
WORD = re.compile(r"[^\W_]+")  # words and numbers: "Italy 1" is not "Italy 2"


def name_words(name: str) -> frozenset[str]:
    """The words of a name, case and accents folded: 'Schüller' and 'SCHULLER' are one word."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return frozenset(w for w in WORD.findall(plain) if len(w) > 1 or w.isdigit())


def medal_marks(data: GamesData, session: Session, standings: list[Standing]) -> dict[int, str]:
    """index in `standings` (all of one session) -> the medal that competitor won in this session."""
    if not session.medals:
        return {}
    by_nation: dict[str, list[int]] = defaultdict(list)
    for index, standing in enumerate(standings):
        by_nation[standing.nation].append(index)
    marks: dict[int, str] = {}
    for result in data.results:
        if result.event_id != session.event_id or result.medal not in session.medals:
            continue
        candidates = by_nation.get(result.nation, [])
        if len(candidates) == 1 and _only_medal_of_nation(data, session, result.nation):
            index = candidates[0]  # one entry, one medal: a team named "China" or "People's Republic of China"
        else:
            index = _best_match(result.competitor, candidates, standings)
        if index is not None and index not in marks:
            marks[index] = result.medal
    return marks


def _only_medal_of_nation(data: GamesData, session: Session, nation: str) -> bool:
    won = [r for r in data.results if r.event_id == session.event_id and r.medal in session.medals and r.nation == nation]
    return len(won) == 1


def _best_match(competitor: str, candidates: list[int], standings: list[Standing]) -> int | None:
    """The one standing whose name is closest: most words in common, else the most alike spelling
    ("Nataliya Nepryayeva" ~ "Natalia Nepryaeva"); None when nothing is close or two are as close."""
    wanted = name_words(competitor)
    scored = sorted((
        (len(wanted & (words := name_words(standings[i].competitor))), _alike(wanted, words), i)
        for i in candidates), reverse=True)
    if not scored or (scored[0][0] == 0 and scored[0][1] < ALIKE):
        return None
    if len(scored) > 1 and scored[1][:2] == scored[0][:2]:
        return None
    return scored[0][2]


def _alike(wanted: frozenset[str], words: frozenset[str]) -> float:
    """How alike two names are spelled, word by word in any order (0 to 1, two decimals)."""
    if not wanted or not words:
        return 0.0
    best = [max(SequenceMatcher(None, w, other).ratio() for other in words) for w in wanted]
    return round(sum(best) / len(best), 2)
