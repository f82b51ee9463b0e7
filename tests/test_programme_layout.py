"""A Summer day in one evening alert: the busiest Paris 2024 day, the biggest Beijing 2022 day and LA 2028
days with TBD sessions, in English and Dutch. Every message within Discord's 2,000 characters, the
default alert in at most three; every medal session listed on its own line; the focus nation's
sessions first; "+N more" counts that add up; grouped heats and rounds with their true time span;
the full programme lists every session."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.evening_alert import compose_evening_alert
from bot.core.models import pick
from bot.core.programme import programme_for, to_local
from bot.core.programme_layout import lay_out, stage
from bot.core.render import PROGRAMME_MESSAGES, render_programme
from bot.data.dataset import SHIPPED_DIR, load_dataset_file

PARIS = ZoneInfo("Europe/Paris")
SHANGHAI = ZoneInfo("Asia/Shanghai")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
MORE = {"en": re.compile(r"^\+(\d+) more$"), "nl": re.compile(r"^\+(\d+) meer$")}
GROUP = re.compile(r"^`(\d\d:\d\d)–(\d\d:\d\d)` (.*) ×(\d+)(?: · .*)?$")


@pytest.fixture(scope="module")
def paris():
    return load_dataset_file(SHIPPED_DIR / "paris-2024.json")


@pytest.fixture(scope="module")
def beijing():
    return load_dataset_file(SHIPPED_DIR / "beijing2022.json")


@pytest.fixture(scope="module")
def la():
    return load_dataset_file(SHIPPED_DIR / "la-2028.json")


def busiest_day(data, tz) -> date:
    return Counter(to_local(s.start, tz).date() for s in data.sessions).most_common(1)[0][0]


def alert(data, day, tz, language, focus=None, full=False):
    evening = datetime.combine(day - timedelta(days=1), datetime.min.time(), tz).replace(hour=20)
    return compose_evening_alert(data, day, tz, language, focus=focus, now=evening, full=full)


def sections(messages: list[str]) -> list[list[str]]:
    """The alert's blocks (separated by blank lines), each as its lines; a block too long for one
    message goes on at the start of the next, without a heading of its own."""
    blocks: list[list[str]] = []
    for index, message in enumerate(messages):
        for number, block in enumerate(message.split("\n\n")):
            lines = block.split("\n")
            if index and not number and lines[0].startswith(("`", "+")):
                blocks[-1] += lines
            else:
                blocks.append(lines)
    return blocks


def sessions_on_line(line: str) -> int:
    group = GROUP.match(line)
    return int(group[4]) if group else 1


def counted(block: list[str], language: str) -> tuple[int, int]:
    """(sessions on the block's lines, sessions counted as '+N more')."""
    shown = sum(sessions_on_line(line) for line in block if line.startswith("`"))
    hidden = sum(int(m[1]) for m in (MORE[language].match(line) for line in block) if m)
    return shown, hidden


def check_alert(data, day, tz, language, focus=None):
    """The checks every default alert passes; returns its messages and programme."""
    programme = programme_for(data, day, tz, focus=focus)
    messages = alert(data, day, tz, language, focus)
    assert 1 <= len(messages) <= PROGRAMME_MESSAGES
    assert all(len(m) <= 2000 for m in messages)
    items = [item for block in programme.blocks for item in block.items]
    blocks = sections(messages)
    text_lines = [line for block in blocks for line in block]

    # every medal session has a line of its own, marked 🏅
    medal_lines = [line for line in text_lines if line.startswith("`") and "🏅" in line]
    medal_items = [item for item in items if item.is_medal and not item.session.cancelled]
    assert len(medal_lines) == len(medal_items)
    for item in medal_items:
        when = f"`{item.local_start:%H:%M}` "
        what = f"{pick(item.event.name, language)} – {pick(item.session.unit, language)} 🏅"
        assert any(line.startswith(when) and what in line for line in medal_lines), what

    # the focus nation's sessions come first, right after the heading, and nowhere else
    heading = next(i for i, block in enumerate(blocks) if block[0].startswith(("**Tomorrow's", "**Het programma")))
    focus_items = [item for item in items if item.focus]
    if focus_items:
        focus_block = blocks[heading + 1]
        assert focus_block[0].startswith("★ **")
        assert sum(counted(focus_block, language)) == len(focus_items)
    sport_names = {pick(block.sport.name, language): block for block in programme.blocks}
    sport_blocks = [block for block in blocks if block[0].strip("*") in sport_names and block[0].startswith("**")]
    listed = set()
    for block in sport_blocks:
        sport = sport_names[block[0].strip("*")]
        rest = [item for item in sport.items if not item.focus]
        shown, hidden = counted(block, language)
        assert shown + hidden == len(rest), block[0]  # "+N more" adds up to every session of the sport
        listed.add(sport.sport.id)
    assert listed == {block.sport.id for block in programme.blocks if any(not item.focus for item in block.items)}

    # a grouped line's time span runs from its first session's start to its last session's end
    in_focus = blocks[heading + 1] if focus_items else []
    for block in [in_focus, *sport_blocks]:
        sport = None if block is in_focus else sport_names[block[0].strip("*")].sport.id
        for line in block:
            group = GROUP.match(line)
            if group:
                check_span(group, [item for item in items if item.focus == (block is in_focus) and sport in (None, item.sport.id)],
                           language, tz, with_sport=block is in_focus)
    return messages, programme


def check_span(group, items, language, tz, with_sport):
    start, end, name, count = group[1], group[2], group[3], int(group[4])
    members = [item for item in items if not (item.is_medal or item.session.cancelled or item.session.time_tbd) and name ==
               (f"{pick(item.sport.name, language)} – " if with_sport else "") + f"{pick(item.event.name, language)} – {stage(item.session.unit, language)}"]
    assert len(members) == count, name
    assert start == min(item.local_start for item in members).strftime("%H:%M")
    assert end == max(to_local(item.session.end, tz) for item in members).strftime("%H:%M")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("focus", [None, "NED", "USA"])
def test_the_busiest_paris_day_fits_in_three_messages(paris, language, focus):
    day = busiest_day(paris, PARIS)
    assert day == date(2024, 7, 28)
    messages, programme = check_alert(paris, day, PARIS, language, focus)
    total = sum(len(block.items) for block in programme.blocks)
    assert total > 400
    more = MORE[language]
    assert any(more.match(line) for block in sections(messages) for line in block)  # some sessions are counted, not listed


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_dutch_day_in_paris_names_the_dutch_sessions_first(paris, language):
    messages, programme = check_alert(paris, date(2024, 8, 3), PARIS, language, "NED")
    focus_block = next(block for block in sections(messages) if block[0].startswith("★ **"))
    assert focus_block[0] == ("★ **🇳🇱 Netherlands in action**" if language == "en" else "★ **🇳🇱 Nederland in actie**")
    rowing = "Rowing – Men's Eight – Finals 🏅" if language == "en" else "Roeien – Acht met stuurvrouw/stuurman mannen – Finales 🏅"
    assert any(line.startswith("`11:10` ") and rowing in line for line in focus_block)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_paris_day_fits_with_any_focus(paris, language):
    for day in [date(2024, 7, 27) + timedelta(days=n) for n in range(0, 16, 3)]:
        for focus in (None, "FRA"):
            check_alert(paris, day, PARIS, language, focus)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_biggest_beijing_day_lists_every_session(beijing, language):
    day = busiest_day(beijing, SHANGHAI)
    messages, programme = check_alert(beijing, day, SHANGHAI, language, "NED")
    assert not any(MORE[language].match(line) for block in sections(messages) for line in block)
    total = sum(len(block.items) for block in programme.blocks)
    assert sum(1 for m in messages for line in m.split("\n") if line.startswith("`")) == total


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("day", [date(2028, 7, 10), date(2028, 7, 17)])
def test_an_la_day_with_tbd_sessions(la, language, day):
    messages, programme = check_alert(la, day, LOS_ANGELES, language)
    items = [item for block in programme.blocks for item in block.items]
    tbd = [item for item in items if item.session.time_tbd]
    assert tbd
    label = "`time TBA` " if language == "en" else "`tijd n.n.b.` "
    lines = [line for m in messages for line in m.split("\n")]
    for item in tbd:  # listed as "time to be announced", or counted in "+N more"; never at a time
        text = f"{pick(item.event.name, language)} – {pick(item.session.unit, language)}"
        assert all(line.startswith(label) for line in lines if text in line)
    shown_tbd = [line for line in lines if line.startswith(label)]
    assert shown_tbd
    if day == date(2028, 7, 10):  # a small day: every session listed
        assert len(shown_tbd) == len(tbd) == 6


def test_heats_and_rounds_of_one_event_share_a_line_with_their_time_span(paris):
    programme = programme_for(paris, date(2024, 7, 28), PARIS)
    layout = lay_out(programme, group=True)
    groups = [line for block in layout.sports for line in block.lines if line.is_group]
    assert groups
    for line in groups:
        assert len({(item.event.id, stage(item.session.unit, "en")) for item in line.items}) == 1
        assert not any(item.is_medal or item.session.cancelled or item.session.time_tbd for item in line.items)
        assert line.start == min(item.local_start for item in line.items)
        assert line.end() == max(to_local(item.session.end, PARIS) for item in line.items)
    judo = programme_for(paris, date(2024, 7, 28), PARIS, sport="JUD")
    assert len("\n".join(render_programme(judo, "nl", max_messages=1000))) > 2000  # the whole of it takes two messages
    line = next(line for block in lay_out(judo, group=True).sports for line in block.lines
                if line.first.event.id == "JUD-W-52-KG" and stage(line.first.session.unit, "en") == "Elimination Round of 32")
    (text,) = render_programme(judo, "nl", max_messages=1)  # in one message: grouped
    assert pick(line.first.event.name, "nl") == "Tot 52 kg vrouwen"
    assert f"\n`{line.start:%H:%M}–{line.end():%H:%M}` {pick(line.first.event.name, 'nl')} – Eliminatieronde laatste 32 ×{len(line.items)} · Champ-de-Mars Arena\n" in text


def test_cancelled_and_tbd_sessions_keep_a_line_of_their_own():
    milano = load_dataset_file(SHIPPED_DIR / "milano-cortina-2026.json")
    programme = programme_for(milano, date(2026, 2, 16), ZoneInfo("Europe/Rome"))
    lines = [line for block in lay_out(programme, group=True).sports for line in block.lines]
    cancelled = [line for line in lines if any(item.session.cancelled for item in line.items)]
    assert cancelled and all(not line.is_group for line in cancelled)
    text = "\n".join(render_programme(programme, "en", max_messages=1))
    assert any("~~" in line and "(cancelled)" in line and "Men's Super Team" in line for line in text.split("\n"))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_full_programme_lists_every_session(paris, language):
    day = date(2024, 7, 28)
    programme = programme_for(paris, day, PARIS, focus="NED")
    full = alert(paris, day, PARIS, language, "NED", full=True)
    assert len(full) > PROGRAMME_MESSAGES and all(len(m) <= 2000 for m in full)
    lines = [line for m in full for line in m.split("\n") if line.startswith("`")]
    items = [item for block in programme.blocks for item in block.items]
    assert len(lines) == len(items) == 415
    assert not GROUP.match("\n".join(lines)) and not any(MORE[language].match(line) for line in lines)
    assert not any(line.startswith(("+", "_+")) for m in full for line in m.split("\n"))  # no placing left out either


def test_the_preview_prints_the_games_it_is_given(paris, capsys):
    """`python -m bot preview --games paris-2024 --date 2024-08-03 --country NED`: the preview takes
    the Games as a parameter, whichever way they were chosen."""
    from argparse import Namespace

    from bot.cli_commands import print_preview
    from bot.settings import load_settings

    settings = load_settings({"PODIUM_TIMEZONE": "Europe/Paris", "PODIUM_LANGUAGE": "en"})
    args = Namespace(date="2024-08-03", timezone=None, language=None, sport=None, country="NED", full=False)
    assert print_preview(paris, settings, args) == 0
    out = capsys.readouterr().out
    assert 1 <= out.count("──── message ") + 1 <= PROGRAMME_MESSAGES
    focus, first_sport = out.index("★ **🇳🇱 Netherlands in action**"), out.index("\n**Judo**\n")
    assert out.index("**Tomorrow's programme — Saturday 3 August**") < focus < first_sport
    assert print_preview(paris, settings, Namespace(**{**vars(args), "full": True})) == 0
    assert capsys.readouterr().out.count("──── message ") + 1 > PROGRAMME_MESSAGES
