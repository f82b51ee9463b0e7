"""What a feed update means for the channels: medals won or reallocated, sessions moved or
cancelled, and the one-line posts that say so.

Live posts follow state: a channel is told about a change when what it was last told differs
from what is true now (not once per kind of change), so a medal that flips back and forth is
posted each time, and a change made while the bot was down is posted when it is back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.i18n import format_time, t
from bot.core.models import GamesData, Result, Session, pick
from bot.core.programme import day_window, to_local
from bot.core.render import MEDAL_ICONS
from bot.core.text import safe



@dataclass(frozen=True)
class MedalChange:
    kind: str  # won | reallocated_to | reallocated_from | changed
    result: Result  # the medal as it is now (as it was, for reallocated_from)
    was: str | None = None  # for "changed": the medal the nation had before


def medal_changes(added, removed) -> list[MedalChange]:
    """What an update of the results means, per nation and event: a medal won; a medal that came
    to it or went from it by a changed result; or its medal changed colour (one post, not two)."""
    removed_medals = {(r.event_id, r.medal) for r in removed}
    by_nation: dict[tuple[str, str], tuple[list, list]] = {}
    for r in added:
        by_nation.setdefault((r.event_id, r.nation), ([], []))[0].append(r)
    for r in removed:
        by_nation.setdefault((r.event_id, r.nation), ([], []))[1].append(r)
    changes = []
    for gained, lost in by_nation.values():
        if gained and lost:
            changes.append(MedalChange("changed", gained[0], was=lost[0].medal))
            gained, lost = gained[1:], lost[1:]
        changes += [MedalChange("reallocated_to" if (r.event_id, r.medal) in removed_medals else "won", r) for r in gained]
        changes += [MedalChange("reallocated_from", r) for r in lost]
    return changes


def results_by_event(data: GamesData | None) -> dict[str, tuple[Result, ...]]:
    """Each event's medals as they stand, in a stable order."""
    events: dict[str, list[Result]] = {}
    for r in data.results if data else ():
        events.setdefault(r.event_id, []).append(r)
    return {event: tuple(sorted(results, key=lambda r: (r.medal, r.nation, r.competitor))) for event, results in events.items()}


def medals_to_tell(now: dict[str, tuple[Result, ...]], nation: str) -> dict[str, tuple[Result, ...]]:
    """What a channel following `nation` knows once it is up to date: every event where the nation has a medal."""
    return {event: results for event, results in now.items() if any(r.nation == nation for r in results)}


@dataclass(frozen=True)
class MedalNews:
    """One event where a channel is behind: what to tell it (nothing, when only other nations'
    medals moved) and what it knows afterwards."""

    event_id: str
    results: tuple[Result, ...]  # the event's medals now
    changes: tuple[MedalChange, ...]  # the nation's changes, to post


def medal_news(told: dict[str, tuple[Result, ...]], now: dict[str, tuple[Result, ...]], nation: str) -> list[MedalNews]:
    """Compare what a channel following `nation` was last told (per event) with what is true now."""
    events = set(told) | set(medals_to_tell(now, nation))
    news = []
    for event in sorted(events):
        before, after = told.get(event, ()), now.get(event, ())
        if set(before) == set(after):
            continue
        changes = medal_changes([r for r in after if r not in before], [r for r in before if r not in after])
        news.append(MedalNews(event, after, tuple(c for c in changes if c.result.nation == nation)))
    return news


def render_medal_change(change: MedalChange, data: GamesData, language: str) -> str:
    r = change.result
    event = data.events.get(r.event_id)
    sport = data.sports.get(event.sport_id) if event else None
    event_text = f"{pick(sport.name, language)} – {pick(event.name, language)}" if event and sport else r.event_id
    nation = data.nations.get(r.nation)
    nation_text = (f"{nation.flag} " if nation and nation.flag else "") + (pick(nation.name, language) if nation else r.nation)
    was = t(f"live.medal.{change.was}", language) if change.was else ""
    return t(f"live.{change.kind}", language, icon=MEDAL_ICONS[r.medal], nation=nation_text, medal=t(f"live.medal.{r.medal}", language),
             event=event_text, competitor=safe(r.competitor), was=was)


@dataclass(frozen=True)
class SessionMove:
    old: Session | None  # None: a new session
    new: Session | None  # None: cancelled

    @property
    def session_id(self) -> str:
        return (self.new or self.old).id

    @property
    def subject(self) -> str:
        return f"session:{self.session_id}"

    @property
    def now(self) -> str:
        """The session's state as a channel is told it: its start, or cancelled."""
        return self.new.start.isoformat() if self.new else "cancelled"

    @property
    def was(self) -> str | None:
        """What the evening post said before (None: a new session)."""
        return self.old.start.isoformat() if self.old else None

    def starts(self) -> list[datetime]:
        return [s.start for s in (self.old, self.new) if s is not None]


def session_moves(old: GamesData | None, changes) -> list[SessionMove]:
    """Sessions whose time changed, that were cancelled (gone from the feed) or added."""
    before = {s.id: s for s in old.sessions} if old else {}
    moves = [SessionMove(before.get(s.id), s) for s in changes.sessions.changed
             if s.id in before and (before[s.id].start, before[s.id].end) != (s.start, s.end)]
    moves += [SessionMove(before[key], None) for key in changes.sessions.removed if key in before]
    moves += [SessionMove(None, s) for s in changes.sessions.added]
    return moves


def touches_day(move: SessionMove, day: date, zone: ZoneInfo, data: GamesData, sport: str | None) -> bool:
    """Does the move change the programme of local `day` (with the channel's sport filter)?"""
    session = move.new or move.old
    event = data.events.get(session.event_id) if session.event_id else data.event_of(session)
    if sport and (event is None or event.sport_id != sport):
        return False
    start, end = day_window(day, zone)
    return any(start <= instant < end for instant in move.starts())


def starts_soon(move: SessionMove, now: datetime, within: timedelta) -> bool:
    return any(now <= instant <= now + within for instant in move.starts())


def render_notice(move: SessionMove, data: GamesData, zone: ZoneInfo, language: str) -> str | None:
    if move.old is None:
        return None  # a new session shows in the edited programme; no notice
    session = move.new or move.old
    event = data.events.get(session.event_id) if session.event_id else data.event_of(session)
    sport = data.sports.get(event.sport_id) if event else None
    name = " – ".join(part for part in (pick(sport.name, language) if sport else "", pick(event.name, language) if event else session.event_id,
                                        safe(pick(session.unit, language))) if part)
    was = _clock(move.old.start, zone, language)
    if move.new is None:
        return t("live.cancelled", language, session=name, was=was)
    return t("live.moved", language, session=name, time=_clock(move.new.start, zone, language), was=was)


def _clock(instant: datetime, zone: ZoneInfo, language: str) -> str:
    """The local time of `instant`; in UTC when the zone would run off the calendar (a 9999 placeholder)."""
    local = to_local(instant, zone)
    return format_time(local, language) if local else f"{format_time(instant, language)} UTC"
