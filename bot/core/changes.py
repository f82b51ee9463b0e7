"""What an import would change: the difference between the loaded Games and a data set."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.models import GamesData


@dataclass
class TableChanges:
    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # keys of rows to remove

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


@dataclass
class Changes:
    games_id: str
    games: TableChanges
    sports: TableChanges
    nations: TableChanges
    events: TableChanges
    sessions: TableChanges
    results: TableChanges
    standings: TableChanges = field(default_factory=TableChanges)

    TABLES = ("games", "sports", "nations", "events", "sessions", "results", "standings")

    @property
    def count(self) -> int:
        return sum(getattr(self, table).count for table in self.TABLES)

    def summary_lines(self) -> list[str]:
        lines = []
        for table in self.TABLES:
            part = getattr(self, table)
            lines.append(f"{table:9} {len(part.added):5} added {len(part.changed):5} changed {len(part.removed):5} removed")
        return lines


def diff_games(old: GamesData | None, new: GamesData, known_sports=None, known_nations=None) -> Changes:
    """Rows to add, update and remove so that the store holds `new`.

    Sports and nations are shared by every Games, so they are added or updated, never removed;
    `known_sports`/`known_nations` are what the store holds of them already."""
    games = TableChanges()
    if old is None:
        games.added.append(new.games)
    elif old.games != new.games:
        games.changed.append(new.games)
    return Changes(
        games_id=new.games.id,
        games=games,
        sports=_diff_keyed(known_sports or {}, new.sports, removable=False),
        nations=_diff_keyed(known_nations or {}, new.nations, removable=False),
        events=_diff_keyed(old.events if old else {}, new.events),
        sessions=_diff_keyed({s.id: s for s in old.sessions} if old else {}, {s.id: s for s in new.sessions}),
        results=_diff_set(old.results if old else (), new.results),
        standings=_diff_keyed(_standings_by_key(old.standings) if old else {}, _standings_by_key(new.standings)),
    )


def standing_key(standing) -> tuple[str, str, str]:
    """A standing is identified by its session, competitor and nation; rank and result may change."""
    return (standing.session_id, standing.competitor, standing.nation)


def _standings_by_key(standings) -> dict:
    return {standing_key(s): s for s in standings}


def _diff_keyed(old: dict, new: dict, removable: bool = True) -> TableChanges:
    out = TableChanges()
    for key, row in new.items():
        if key not in old:
            out.added.append(row)
        elif old[key] != row:
            out.changed.append(row)
    if removable:
        out.removed = [key for key in old if key not in new]
    return out


def _diff_set(old, new) -> TableChanges:
    """Results have no id: a result is its (event, medal, competitor, nation); a reallocation
    is one removed and one added."""
    old_set, new_set = set(old), set(new)
    return TableChanges(
        added=[r for r in new if r not in old_set],
        removed=[r for r in old if r not in new_set],
    )
