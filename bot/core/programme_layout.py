"""How a day's programme is laid out, so that a Summer Games day (200+ units) stays readable.

Plain data in, plain data out (the text is core/render.py's):
- the focus nation's sessions come first, in one section of their own;
- a medal session is always a line of its own;
- other sessions of one event and one stage (the heats, a round's matches) can share a line,
  shown with their time span;
- beyond `cap` such lines per sport, the rest is a count ("+14 more"); the focus nation's
  section has a cap of its own, reached only when every sport is down to its medal lines.
A cancelled session and one whose time is TBD always keep a line of their own."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.models import Localised, Sport, pick
from bot.core.programme import Programme, ProgrammeItem, to_local

STAGE_SEPARATOR = " · "  # "Quarterfinals · JPN – KOR": the stage, then what is particular to this unit


@dataclass(frozen=True)
class ProgrammeLine:
    """One line: one session, or several non-medal sessions of one event and stage."""

    items: tuple[ProgrammeItem, ...]  # in start order

    @property
    def first(self) -> ProgrammeItem:
        return self.items[0]

    @property
    def is_group(self) -> bool:
        return len(self.items) > 1

    @property
    def is_medal(self) -> bool:
        return any(item.is_medal for item in self.items)

    @property
    def start(self) -> datetime:
        return min(item.local_start for item in self.items)

    def end(self) -> datetime | None:
        """The end of the last session, in the viewer's zone (None off the end of the calendar)."""
        ends = [to_local(item.session.end, self.first.local_start.tzinfo) for item in self.items]
        known = [end for end in ends if end is not None]
        return max(known) if known else None

    @property
    def venues(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.session.venue for item in self.items))


@dataclass(frozen=True)
class SportLines:
    sport: Sport
    lines: tuple[ProgrammeLine, ...]
    hidden: int = 0  # sessions of this sport left out by the cap ("+N more")


@dataclass(frozen=True)
class ProgrammeLayout:
    focus: tuple[ProgrammeLine, ...]  # the focus nation's sessions (not repeated under their sport)
    sports: tuple[SportLines, ...]
    focus_hidden: int = 0  # the focus nation's sessions left out by its cap

    @property
    def hidden(self) -> int:
        return self.focus_hidden + sum(block.hidden for block in self.sports)


def stage(unit: Localised, language: str) -> str:
    """'Quarterfinals · JPN – KOR' -> 'Quarterfinals'."""
    return pick(unit, language).split(STAGE_SEPARATOR)[0]


def _group_key(item: ProgrammeItem) -> tuple[str, str] | None:
    """What sessions share a line by; None for one that keeps a line of its own."""
    session = item.session
    if item.is_medal or session.cancelled or session.time_tbd or session.event_id is None:
        return None
    return session.event_id, stage(session.unit, "en")


def lines_of(items: list[ProgrammeItem], group: bool) -> list[ProgrammeLine]:
    """Items (in start order) as lines, in the order of each line's first session."""
    if not group:
        return [ProgrammeLine((item,)) for item in items]
    lines: list[list[ProgrammeItem]] = []
    by_key: dict[tuple[str, str], list[ProgrammeItem]] = {}
    for item in items:
        key = _group_key(item)
        if key is None:
            lines.append([item])
        elif key in by_key:
            by_key[key].append(item)
        else:
            by_key[key] = [item]
            lines.append(by_key[key])
    return [ProgrammeLine(tuple(line)) for line in lines]


def capped(lines: list[ProgrammeLine], cap: int | None) -> tuple[tuple[ProgrammeLine, ...], int]:
    """Every medal line and the first `cap` other lines; and how many sessions were left out."""
    if cap is None:
        return tuple(lines), 0
    kept: list[ProgrammeLine] = []
    others = hidden = 0
    for line in lines:
        if line.is_medal:
            kept.append(line)
        elif others < cap:
            kept.append(line)
            others += 1
        else:
            hidden += len(line.items)
    return tuple(kept), hidden


def lay_out(programme: Programme, *, group: bool = True, cap: int | None = None, focus_cap: int | None = None) -> ProgrammeLayout:
    """The programme with the focus nation's sessions first; `group` puts the non-medal sessions of
    one event and stage on one line; `cap` limits the non-medal lines per sport, `focus_cap` those
    of the focus nation (None: no limit)."""
    focus = [item for block in programme.blocks for item in block.items if item.focus]
    focus.sort(key=lambda item: (item.session.start, item.session.id))
    sports = []
    for block in programme.blocks:
        rest = [item for item in block.items if not item.focus]
        if rest:
            lines, hidden = capped(lines_of(rest, group), cap)
            sports.append(SportLines(block.sport, lines, hidden))
    focus_lines, focus_hidden = capped(lines_of(focus, group), focus_cap)
    return ProgrammeLayout(focus_lines, tuple(sports), focus_hidden)


@dataclass(frozen=True)
class Compaction:
    group: bool = False  # the non-medal sessions of one event and stage on one line
    cap: int | None = None  # non-medal lines per sport
    venues: bool = True  # lines name their venue
    focus_cap: int | None = None  # non-medal lines of the focus nation


FULL = Compaction()
# From the whole programme to the most compact: the first that fits is used. The focus nation's
# sessions are the last to be cut.
COMPACTION = (
    FULL, Compaction(True), *(Compaction(True, cap) for cap in (8, 5, 3, 2, 1, 0)), Compaction(True, 0, venues=False),
    *(Compaction(True, 0, False, focus_cap) for focus_cap in (16, 10, 6, 3, 0)),
)
