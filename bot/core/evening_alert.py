"""What a channel receives on an evening: tomorrow's programme, or nothing.

- Before the Games: nothing, except on the eve of the first day (a countdown with its programme).
- During the Games: the programme of the next local day; nothing when that day has no sessions
  (a rest day) for the channel's filters.
- After the Games: nothing.
A focus nation's placings of the day that is ending (as of `now`: every session of that day that
has ended, medals marked) come first; a data set without standings gives one line of its medals
instead. With `spoilers=False` neither is shown, only the programme."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from bot.core.medals import nation_medals
from bot.core.models import GamesData, pick
from bot.core.placings import nation_placings
from bot.core.programme import games_span, local_date, programme_for
from bot.core.render import MEDAL_ICONS, nation_label, placing_blocks, render_programme
from bot.core.text import safe, split_message



def compose_evening_alert(data: GamesData, day: date, tz: ZoneInfo, language: str, *, sport: str | None = None,
                          focus: str | None = None, now: datetime, spoilers: bool = True) -> list[str]:
    """The messages for the evening before `day` (empty: send nothing)."""
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
        placings = nation_placings(data, focus, today, tz, now)
        if placings:
            heading = t("alert.focus_placings", language, nation=nation_label(data.nations[focus], language))
            lines.append(heading + "\n" + "\n".join(placing_blocks(placings, language)))
        else:
            medal_line = focus_medals_today(data, focus, today, tz, language, now)
            if medal_line:
                lines.append(medal_line)
    messages = render_programme(programme, language, title="tomorrow")
    if not lines:
        return messages
    return split_message("\n".join(lines) + "\n\n" + "\n\n".join(messages))


def focus_medals_today(data: GamesData, code: str, today: date, tz: ZoneInfo, language: str, now: datetime) -> str | None:
    """'Today for 🇳🇱 Netherlands: 🥇 Men's 1500m (Kjeld Nuis) …' or None when it won nothing today."""
    won = [m for m in nation_medals(data, code, now).medallists if local_date(m.decided_at, tz) == today]
    if not won:
        return None
    nation = data.nations[code]
    parts = [f"{MEDAL_ICONS[m.medal]} {pick(m.event.name, language)} ({safe(m.competitor)})" for m in won]
    flag = f"{nation.flag} " if nation.flag else ""
    return t("alert.focus_medals", language, nation=f"{flag}{pick(nation.name, language)}", medals=", ".join(parts))
