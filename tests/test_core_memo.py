"""Medal tables, a nation's medals and their messages are remembered per loaded Games: the
remembered answer must equal a fresh computation at every instant, and a changed Games (a new
GamesData) must never get the old one's answers."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.medals import decided_at, medal_table, nation_medals
from bot.core.nations import UnknownNation, resolve_nation, resolve_nation_in
from bot.core.programme import programme_for
from bot.core.render import (medal_table_messages, nation_medals_messages, programme_messages, render_medal_table,
                             render_nation_medals, render_programme)
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file


@pytest.fixture(scope="module")
def beijing():
    return load_dataset_file(SHIPPED_DATASET)


def fresh(data):
    """The same Games with nothing remembered: every answer on it is computed from scratch."""
    copy = replace(data)
    assert copy.memo == {} and copy is not data
    return copy


def instants(data):
    """Every instant a medal was decided, and a moment before each: where the tables change."""
    decided = sorted({when for r in data.results if (when := decided_at(data, r)) is not None})
    return [None, decided[0] - timedelta(days=1)] + [t for when in decided for t in (when - timedelta(microseconds=1), when)]


def test_remembered_tables_equal_fresh_ones_at_every_instant(beijing):
    for as_of in instants(beijing):
        for order in ("gold", "total"):
            assert medal_table(beijing, as_of, order) == medal_table(fresh(beijing), as_of, order), (as_of, order)
        assert nation_medals(beijing, "NED", as_of) == nation_medals(fresh(beijing), "NED", as_of), as_of
    # and they were remembered: asking again adds nothing to the memo
    size = len(beijing.memo)
    for as_of in instants(beijing)[:20]:
        medal_table(beijing, as_of)
    assert len(beijing.memo) == size > 0


def test_remembered_messages_equal_freshly_rendered_ones(beijing):
    day = date(2022, 2, 12)
    for as_of in instants(beijing)[::15]:
        for language in ("en", "nl"):
            for shown in (None, day):
                expected = render_nation_medals(nation_medals(fresh(beijing), "NED", as_of), language, as_of=shown)
                assert nation_medals_messages(beijing, "NED", language, as_of, shown) == expected
                rows = medal_table(fresh(beijing), as_of)
                table = render_medal_table(rows, language, as_of=shown, limit=10, focus="POL", total_nations=len(rows))
                assert medal_table_messages(beijing, language, as_of, shown, limit=10, focus="POL") == (table, len(rows))


def test_remembered_programmes_equal_freshly_rendered_ones(beijing):
    for day in (date(2022, 2, 3), date(2022, 2, 12), date(2022, 2, 20), date(2022, 2, 25)):
        for zone in (ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/Sao_Paulo")):
            for language, sport, focus, title in (("en", None, None, "tomorrow"), ("nl", "SSK", "NED", "day")):
                expected = render_programme(programme_for(fresh(beijing), day, zone, sport=sport, focus=focus), language, title=title)
                assert programme_messages(beijing, day, zone, language, sport, focus, title) == expected


def test_a_changed_games_never_gets_the_old_answers(beijing):
    before = medal_table(beijing)
    assert before[0].nation.code == "NOR"
    # the same Games with every Norwegian medal gone: a new GamesData, as a reload gives
    changed = replace(beijing, results=tuple(r for r in beijing.results if r.nation != "NOR"))
    assert all(row.nation.code != "NOR" for row in medal_table(changed))
    assert nation_medals(changed, "NOR").row is None and nation_medals(beijing, "NOR").row is not None
    assert "NOR" not in "".join(medal_table_messages(changed, "en", None)[0])
    assert medal_table(beijing) == before


def test_changing_an_answer_does_not_change_the_remembered_one(beijing):
    rows = medal_table(beijing)
    rows.clear()
    messages = nation_medals_messages(beijing, "NED", "en", None)
    messages.append("tampered")
    assert medal_table(beijing) and nation_medals_messages(beijing, "NED", "en", None)[-1] != "tampered"


def test_resolving_a_nation_in_the_loaded_games(beijing):
    for query in ("NED", "nl", "Nederland", "netherlands", "Noorwegen"):
        assert resolve_nation_in(beijing, query) == resolve_nation(query, beijing.nations.values())
    for _ in range(2):  # an unknown name is not remembered as anything: it raises every time
        with pytest.raises(UnknownNation) as raised:
            resolve_nation_in(beijing, "Atlantis")
        assert raised.value.query == "Atlantis"
