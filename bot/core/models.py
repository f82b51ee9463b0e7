"""Plain data of a Games: what the store loads and the pure core works on."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Mapping

LANGUAGES = ("en", "nl")
MEDALS = ("gold", "silver", "bronze")
# What the ranks of a session's standings are: the places of the session ("overall"), the places
# of this one run, round or segment alone ("run": the event's final order is not this), or the
# places within each competitor's own race ("race": a standing names its race where known,
# e.g. Final A, Final B).
RANKINGS = ("overall", "run", "race")

# A localised text: language code -> text; "en" is always present.
Localised = Mapping[str, str]


def pick(text: Localised, language: str) -> str:
    """The text in `language`, falling back to English."""
    return text.get(language) or text["en"]


SESSION_STATUSES = ("scheduled", "cancelled")


@dataclass(frozen=True)
class Source:
    """Where a data set's facts come from, and on what terms (shown where a user looks)."""

    name: str
    url: str
    terms: str


@dataclass(frozen=True)
class Games:
    id: str
    name: Localised
    host_timezone: str
    notes: Localised | None = None  # what the data covers and does not (e.g. standings up to a date)
    sources: tuple[Source, ...] = ()
    unranked_nations: tuple[str, ...] = ()  # in the medal table with their medals but without a rank


@dataclass(frozen=True)
class Sport:
    id: str
    name: Localised


@dataclass(frozen=True)
class Nation:
    code: str  # IOC code
    name: Localised
    iso2: str | None = None
    iso3: str | None = None
    flag: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    sport_id: str
    gender: str  # M, W, X or O
    name: Localised


@dataclass(frozen=True)
class Session:
    id: str
    event_id: str | None  # None for a session known only as a session (sport_id and events_text instead)
    unit: Localised
    start: datetime  # aware, UTC; for a session whose time is TBD, noon of its day in its zone (never shown)
    end: datetime  # aware, UTC
    venue: str
    medals: tuple[str, ...] = ()  # medals decided here, in MEDALS order
    nations: tuple[str, ...] = ()  # who takes part, where known
    status: str = "scheduled"  # or "cancelled": still listed, shown as cancelled
    time_tbd: bool = False  # the day is known, the time is not: "time to be announced"
    timezone: str | None = None  # the zone the session takes place in, where not the host's
    ranks: str = "overall"  # what a standing's rank is: see RANKINGS
    sport_id: str | None = None  # set for a session without an event
    events_text: Localised | None = None  # the events of a session without an event, as published

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True)
class Result:
    event_id: str
    medal: str
    competitor: str
    nation: str


@dataclass(frozen=True)
class Standing:
    """Where one competitor finished in one session (not only medallists)."""

    session_id: str
    rank: int | None  # None: no rank (did not finish, disqualified, not published)
    competitor: str
    nation: str
    result: str = ""  # time, score or points as published; "" when none
    race: Localised | None = None  # the race the rank is in, in a session of several ("Final B")


@dataclass(frozen=True)
class GamesData:
    """One Games, indexed by id; what every core function takes."""

    games: Games
    sports: Mapping[str, Sport]
    nations: Mapping[str, Nation]
    events: Mapping[str, Event]
    sessions: tuple[Session, ...]  # in start order
    results: tuple[Result, ...]
    # When each (event, medal) is decided; filled by `medal_decided_at`.
    decided_at: Mapping[tuple[str, str], datetime] = field(default_factory=dict)
    standings: tuple[Standing, ...] = ()  # in the order given (by session, then rank)
    # What the core worked out from this Games (medal tables, indexes): it lives and dies with the
    # loaded data, so a reload or a changed copy (dataclasses.replace) starts with an empty one.
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def build(cls, games, sports, nations, events, sessions, results, standings=()) -> "GamesData":
        ordered = tuple(sorted(sessions, key=lambda s: (s.start, s.id)))
        return cls(
            games=games,
            sports={s.id: s for s in sports},
            nations={n.code: n for n in nations},
            events={e.id: e for e in events},
            sessions=ordered,
            results=tuple(results),
            decided_at=medal_decided_at(ordered),
            standings=tuple(standings),
        )

    def event_of(self, session: Session) -> Event:
        """The session's medal event; for a session known only as a session, an event standing in
        for it (its sport, its events as published)."""
        if session.event_id is not None:
            return self.events[session.event_id]
        return Event(session.id, session.sport_id or "", "O", session.events_text or session.unit)


def medal_decided_at(sessions) -> dict[tuple[str, str], datetime]:
    """(event, medal) -> the end of the last session deciding it; an event with no
    medal session falls back to the end of its last session (key (event, "*"))."""
    decided: dict[tuple[str, str], datetime] = {}
    for s in sessions:
        if s.event_id is None or s.cancelled:
            continue
        keys = [(s.event_id, m) for m in s.medals] + [(s.event_id, "*")]
        for key in keys:
            if key not in decided or s.end > decided[key]:
                decided[key] = s.end
    return decided


@dataclass(frozen=True)
class Subscription:
    """A channel on the evening alert, with its own time, zone, language and filters."""

    channel_id: int
    guild_id: int
    alert_time: time
    timezone: str
    language: str
    sport_id: str | None = None
    nation_code: str | None = None
    status: str = "active"  # or "paused"
    paused_reason: str | None = None
    spoilers: bool = True  # medal posts and results in the alert; off for those who watch later
    full_programme: bool = False  # every session, in as many messages as it takes (else at most three)

    @property
    def variant(self) -> tuple:
        """What the alert's text depends on besides the day: channels that share it share one rendering."""
        return (self.timezone, self.language, self.sport_id, self.nation_code, self.spoilers, self.full_programme)
