"""What a channel receives on an evening: tomorrow's programme, or nothing.

- Before the Games: nothing, except on the eve of the first day (a countdown with its programme).
- During the Games: the programme of the next local day; nothing when that day has no sessions
  (a rest day) for the channel's filters.
- After the Games: nothing.
A focus nation's placings of the day that is ending (as of `now`: every session of that day that
has ended, of the channel's sport if it follows one, medals marked) come first; a data set without standings gives one line of its medals
instead. With `spoilers=False` neither is shown, only the programme."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from bot.core.medals import nation_medals
from bot.core.models import GamesData, pick
from bot.core.placings import Placing, nation_placings
from bot.core.programme import games_span, local_date, programme_for
from bot.core.render import MEDAL_ICONS, nation_label, placing_blocks, render_programme
from bot.core.text import safe

PLACINGS_BUDGET = 1000  # characters for the focus nation's placings in an alert that is not the full programme


def compose_evening_alert(data: GamesData, day: date, tz: ZoneInfo, language: str, *, sport: str | None = None,
                          focus: str | None = None, now: datetime, spoilers: bool = True, full: bool = False) -> list[str]:
    """The messages for the evening before `day` (empty: send nothing): at most
    render.PROGRAMME_MESSAGES of them, or with `full` every session, in as many as it takes."""
    span = games_span(data, tz)
    if span is None or not span[0] <= day <= span[1]:
        return []
    programme = programme_for(data, day, tz, sport=sport, focus=focus)
    if programme.is_empty:
        return []
    lines = []
    if day == span[0]:
        lines.append(t("alert.countdown", language, games=pick(data.games.name, language)))
    if spoilers and focus and focus in data.nations:
        today = day - timedelta(days=1)
        placings = [p for p in nation_placings(data, focus, today, tz, now) if sport is None or p.sport.id == sport]
        if placings:
            heading = t("alert.focus_placings", language, nation=nation_label(data.nations[focus], language))
            blocks, left_out = shortened_placings(placings, language, None if full else PLACINGS_BUDGET)
            if left_out:
                blocks.append(t("alert.more_placings", language, count=left_out))
            lines.append(heading + "\n" + "\n".join(blocks))
        else:
            medal_line = focus_medals_today(data, focus, today, tz, language, now, sport)
            if medal_line:
                lines.append(medal_line)
    return render_programme(programme, language, title="tomorrow", full=full, lead="\n".join(lines))


def focus_medals_today(data: GamesData, code: str, today: date, tz: ZoneInfo, language: str, now: datetime,
                       sport: str | None = None) -> str | None:
    """'Today for 🇳🇱 Netherlands: 🥇 Men's 1500m (Kjeld Nuis) …' (of `sport` only, if given), or None
    when it won nothing today."""
    won = [m for m in nation_medals(data, code, now).medallists
           if local_date(m.decided_at, tz) == today and (sport is None or m.sport.id == sport)]
    if not won:
        return None
    nation = data.nations[code]
    parts = [f"{MEDAL_ICONS[m.medal]} {pick(m.event.name, language)} ({safe(m.competitor)})" for m in won]
    flag = f"{nation.flag} " if nation.flag else ""
    return t("alert.focus_medals", language, nation=f"{flag}{pick(nation.name, language)}", medals=", ".join(parts))


def shortened_placings(placings: list[Placing], language: str, budget: int | None) -> tuple[list[str], int]:
    """One block per session (placing_blocks) within `budget` characters: the sessions where the
    nation won a medal first, then the others in order, shown in start order; and how many
    placings were left out."""
    sessions: dict[str, list[Placing]] = {}
    for placing in placings:
        sessions.setdefault(placing.session.id, []).append(placing)
    groups = list(sessions.values())
    blocks = [placing_blocks(group, language)[0] for group in groups]
    if budget is None:
        return blocks, 0
    chosen: set[int] = set()
    used = 0
    for index in sorted(range(len(groups)), key=lambda i: (not any(p.medal for p in groups[i]), i)):
        if used + len(blocks[index]) + 1 <= budget:
            chosen.add(index)
            used += len(blocks[index]) + 1
    left_out = sum(len(group) for index, group in enumerate(groups) if index not in chosen)
    return [blocks[index] for index in sorted(chosen)], left_out
