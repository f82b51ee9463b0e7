"""Discord messages (markdown text) for the alert, the medal table, a nation and a day's results.

Every function returns a list of messages, each within Discord's 2,000 characters."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.i18n import format_date, format_short_date, format_time, t
from bot.core.medals import EventResult, MedalRow, NationMedals, decided_count, medal_table, nation_medals
from bot.core.memo import memoised
from bot.core.models import MEDALS, GamesData, Nation, pick
from bot.core.placings import Placing
from bot.core.programme import Programme, programme_for
from bot.core.programme_layout import COMPACTION, FULL, ProgrammeLayout, ProgrammeLine, lay_out, stage
from bot.core.text import safe, split_message

MEDAL_ICONS = {"gold": "🥇", "silver": "🥈", "bronze": "🥉"}
MEDAL_SESSION = "🏅"
FOCUS_MARK = "★"
PROGRAMME_MESSAGES = 3  # the most messages a day's programme takes, unless the full programme is asked for


def nation_label(nation: Nation, language: str) -> str:
    flag = f"{nation.flag} " if nation.flag else ""
    return f"{flag}{pick(nation.name, language)}"


def rank_label(row: MedalRow) -> str:
    if row.rank is None:  # listed with its medals, not ranked (e.g. Individual Neutral Athletes)
        return "–"
    return f"={row.rank}" if row.tied else str(row.rank)


def render_programme(programme: Programme, language: str, title: str = "tomorrow", *, full: bool = False,
                     lead: str = "", max_messages: int = PROGRAMME_MESSAGES) -> list[str]:
    """The day's programme (after `lead`, e.g. the focus nation's placings), the focus nation's
    sessions first. `full`: every session on its own line, in as many messages as it takes.
    Otherwise the whole programme when it fits in `max_messages`, else the first compaction of
    programme_layout.COMPACTION that does (grouped heats and rounds, then fewer lines per sport)."""
    prefix = f"{lead}\n\n" if lead else ""
    day = format_date(programme.day, language)
    if programme.is_empty:
        return split_message(prefix + t("programme.empty", language, date=day))
    count = programme.medal_count
    size = "none" if count == 0 else "one" if count == 1 else "many"
    heading = t(f"programme.title.{title}", language, date=day) + "\n" + t(f"programme.subtitle.{size}", language, zone=programme.tz.key, count=count)
    messages: list[str] = []
    for compaction in (FULL,) if full else COMPACTION:
        layout = lay_out(programme, group=compaction.group, cap=compaction.cap, focus_cap=compaction.focus_cap)
        sections = [heading, *_programme_sections(layout, programme, language, compaction.venues)]
        if layout.hidden:
            total = sum(len(block.items) for block in programme.blocks)
            sections.append(t("programme.shortened", language, hidden=layout.hidden, total=total))
        messages = split_message(prefix + "\n\n".join(sections))
        if len(messages) <= max_messages:
            break
    return messages


def _programme_sections(layout: ProgrammeLayout, programme: Programme, language: str, venues: bool) -> list[str]:
    sections = []
    if layout.focus:
        nation = programme.focus_nation
        label = nation_label(nation, language) if nation else programme.focus
        rows = [f"{FOCUS_MARK} " + t("programme.focus", language, nation=label)]
        rows += [_programme_line(line, language, venues, with_sport=True) for line in layout.focus]
        if layout.focus_hidden:
            rows.append(t("programme.more", language, count=layout.focus_hidden))
        sections.append("\n".join(rows))
    for block in layout.sports:
        rows = [f"**{pick(block.sport.name, language)}**"]
        rows += [_programme_line(line, language, venues) for line in block.lines]
        if block.hidden:
            rows.append(t("programme.more", language, count=block.hidden))
        sections.append("\n".join(rows))
    return sections


def _programme_line(line: ProgrammeLine, language: str, venues: bool = True, with_sport: bool = False) -> str:
    """'`08:24` Women's Team Pursuit – Final 🏅 · Oval', or for a group of sessions
    '`11:00–12:10` Women's 100m Freestyle – Heats ×3 · Paris La Defense Arena'."""
    item = line.first
    session = item.session
    sport = f"{pick(item.sport.name, language)} – " if with_sport else ""
    if line.is_group:
        end = line.end()
        span = format_time(line.start, language) + (f"–{format_time(end, language)}" if end else "")
        where = line.venues
        venue = f" · {safe(where[0])}" if len(where) == 1 else f" · {t('programme.venues', language, count=len(where))}"
        return f"`{span}` {sport}{pick(item.event.name, language)} – {safe(stage(session.unit, language))} ×{len(line.items)}{venue if venues else ''}"
    text = f"{sport}{pick(item.event.name, language)} – {safe(pick(session.unit, language))}"
    medal = f" {MEDAL_SESSION}" if item.is_medal else ""
    when = t("programme.time_tbd", language) if session.time_tbd else format_time(item.local_start, language)
    venue = f" · {safe(session.venue)}" if venues else ""
    if session.cancelled:  # still listed, never as on the programme
        return f"`{when}` ~~{text}~~ ({t('programme.cancelled', language)}){venue}"
    return f"`{when}` {text}{medal}{venue}"


def render_medal_table(rows: list[MedalRow], language: str, as_of: date | None = None, limit: int | None = 10,
                       focus: str | None = None, total_nations: int | None = None) -> list[str]:
    title = t("table.title_as_of", language, date=format_short_date(as_of, language)) if as_of else t("table.title", language)
    if not rows:
        return [f"{title}\n{t('table.empty', language)}"]
    shown = rows if limit is None else rows[:limit]
    extra = []
    if focus and limit is not None and all(r.nation.code != focus for r in shown):
        extra = [r for r in rows if r.nation.code == focus]
    lines = [f"{'#':>3}  {t('table.header', language):<19} {t('table.columns', language)}"]
    lines += [_table_line(row, language) for row in shown]
    if extra:
        lines += ["  …"] + [_table_line(row, language) for row in extra]
    footer = []
    total = total_nations if total_nations is not None else len(rows)
    if len(shown) < total:
        footer.append(t("table.showing", language, shown=len(shown), total=total))
    header = title
    # Code blocks keep columns aligned; each part of a split table is its own code block.
    body_parts = split_message("\n".join(lines), 2000 - len(header) - 16 - sum(len(f) + 1 for f in footer))
    messages = []
    for index, body in enumerate(body_parts):
        text = (f"{header}\n" if index == 0 else "") + f"```\n{body}\n```"
        if index == len(body_parts) - 1 and footer:
            text += "\n" + "\n".join(footer)
        messages.append(text)
    return messages


def _table_line(row: MedalRow, language: str) -> str:
    name = f"{row.nation.code} {pick(row.nation.name, language)}"
    if len(name) > 19:
        name = name[:18] + "…"
    return f"{rank_label(row):>3}  {name:<19} {row.gold:>2} {row.silver:>2} {row.bronze:>2} {row.total:>3}"


def render_nation_medals(nm: NationMedals, language: str, as_of: date | None = None) -> list[str]:
    label = f"**{nation_label(nm.nation, language)}**"
    lines = []
    if as_of:
        lines.append(t("nation.as_of", language, date=format_short_date(as_of, language)))
    if nm.row is None:
        key = "nation.none_as_of" if as_of else "nation.none"
        lines.append(t(key, language, nation=label, date=format_short_date(as_of, language) if as_of else ""))
        return split_message("\n".join(lines))
    row = nm.row
    total = t("nation.total.one" if row.total == 1 else "nation.total.many", language, count=row.total)
    lines.append(t("nation.summary", language, nation=label, rank=rank_label(row), gold=row.gold, silver=row.silver, bronze=row.bronze, total=total))
    lines.append("")
    for medallist in nm.medallists:
        event = f"{pick(medallist.sport.name, language)} – {pick(medallist.event.name, language)}"
        lines.append(f"{MEDAL_ICONS[medallist.medal]} {event}: {safe(medallist.competitor)}")
    return split_message("\n".join(lines))


def nation_medals_messages(data: GamesData, code: str, language: str, as_of: datetime | None,
                           as_of_day: date | None = None) -> list[str]:
    """render_nation_medals(nation_medals(...)), once per loaded Games, nation, number of results
    decided by `as_of`, language and day shown."""
    key = ("nation medals messages", code, decided_count(data, as_of), language, as_of_day)
    return list(memoised(data, key, lambda: tuple(render_nation_medals(nation_medals(data, code, as_of), language, as_of=as_of_day))))


def medal_table_messages(data: GamesData, language: str, as_of: datetime | None, as_of_day: date | None = None,
                         limit: int | None = 10, focus: str | None = None) -> tuple[list[str], int]:
    """(render_medal_table(medal_table(...)), nations in the table), once per loaded Games, number
    of results decided by `as_of`, language, day shown, limit and focus nation."""
    def build() -> tuple[tuple[str, ...], int]:
        rows = medal_table(data, as_of)
        return tuple(render_medal_table(rows, language, as_of=as_of_day, limit=limit, focus=focus, total_nations=len(rows))), len(rows)

    messages, nations = memoised(data, ("medal table messages", decided_count(data, as_of), language, as_of_day, limit, focus), build)
    return list(messages), nations


def programme_messages(data: GamesData, day: date, tz: ZoneInfo, language: str, sport: str | None = None,
                       focus: str | None = None, title: str = "tomorrow") -> list[str]:
    """render_programme(programme_for(...)), once per loaded Games, day, zone, language, sport,
    focus nation and title."""
    key = ("programme messages", day, tz, language, sport, focus, title)
    return list(memoised(data, key, lambda: tuple(render_programme(programme_for(data, day, tz, sport=sport, focus=focus), language,
                                                                     title=title))))


def render_results(results: list[EventResult], day: date, language: str, nations: dict | None = None) -> list[str]:
    day_text = format_date(day, language)
    if not results:
        return [t("results.none", language, date=day_text)]
    blocks = [t("results.title", language, date=day_text)]
    for result in results:
        rows = [f"**{pick(result.sport.name, language)} – {pick(result.event.name, language)}**"]
        for medal in MEDALS:
            for entry in result.medallists.get(medal, []):
                nation = (nations or {}).get(entry.nation)
                who = f"{nation.flag} " if nation and nation.flag else ""
                rows.append(f"{MEDAL_ICONS[medal]} {who}{safe(entry.competitor)} ({entry.nation})")
        blocks.append("\n".join(rows))
    return split_message("\n\n".join(blocks))


def render_placings(placings: list[Placing], nation: Nation, day: date, language: str) -> list[str]:
    """A nation's placings of a day, session by session: medal, place, competitor, result."""
    label = nation_label(nation, language)
    day_text = format_date(day, language)
    if not placings:
        return [t("placings.none", language, nation=label, date=day_text)]
    return split_message(t("placings.title", language, nation=label, date=day_text) + "\n\n" + "\n\n".join(placing_blocks(placings, language)))


def placing_blocks(placings: list[Placing], language: str) -> list[str]:
    """One block per session: '**Speed Skating – Women's Team Pursuit – Finals**' and a line per placing."""
    blocks: list[list[str]] = []
    current = None
    for placing in placings:
        if placing.session.id != current:
            current = placing.session.id
            heading = f"{pick(placing.sport.name, language)} – {pick(placing.event.name, language)} – {safe(pick(placing.session.unit, language))}"
            note = f" ({t(f'placings.{placing.session.ranks}_places', language)})" if placing.session.ranks != "overall" else ""
            blocks.append([f"**{heading}**{note}"])
        blocks[-1].append(placing_line(placing, language))
    return ["\n".join(block) for block in blocks]


def placing_line(placing: Placing, language: str = "en") -> str:
    """'🥉 1. Netherlands · 2:56.86 (Final B)', '6. Melissa Peperkamp · 141.75', '– Someone · DNF'.
    The mark is the medal the competitor won (from the medallists); the rank is the place in the
    session, or in the competitor's own race where the session had several."""
    icon = f"{MEDAL_ICONS[placing.medal]} " if placing.medal else ""
    rank = f"{placing.rank}." if placing.rank is not None else "–"
    result = f" · {safe(placing.result)}" if placing.result else ""
    race = f" ({safe(pick(placing.race, language))})" if placing.race else ""
    return f"{icon}{rank} {safe(placing.competitor)}{result}{race}"


def short_terms(terms: str, limit: int = 160) -> str:
    """A source's terms as one line: a licence's whole text is for docs/data-sources.md."""
    line = " ".join(terms.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def render_about(games: list, language: str) -> list[str]:
    """What Podium is, the Games it knows and every source of their facts with its terms (links
    in <> so Discord shows no preview). `games`: anything with a localised `name` and `sources`
    (a stored Games' summary, or Games)."""
    if not games:
        return [t("about.none", language)]
    blocks = [t("about.title", language)]
    for one in games:
        lines = [f"**{safe(pick(one.name, language))}**"]
        lines += [t("about.source", language, name=safe(s.name), url=s.url, terms=safe(short_terms(s.terms))) for s in one.sources]
        blocks.append("\n".join(lines))
    return split_message("\n\n".join(blocks))
