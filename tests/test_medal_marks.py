"""A medal mark next to a name comes from the medallists, never from a place in a session."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.medal_marks import medal_marks
from bot.core.placings import nation_placings
from bot.core.render import placing_blocks
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

BEIJING = ZoneInfo("Asia/Shanghai")
AFTER_THE_GAMES = datetime(2022, 3, 1, tzinfo=timezone.utc)
# Medallists the record names as a numbered team of a nation with several entries in the deciding
# session: which entry is "Germany 1" is not in the record, so no entry gets a mark.
NUMBERED_TEAMS = {("FSK-X-ICE-DANCE", "silver", "ROC"), ("FSK-X-ICE-DANCE", "bronze", "USA"),
                  ("BOB-O-FOUR", "gold", "GER"), ("BOB-O-FOUR", "silver", "GER"), ("BOB-O-FOUR", "bronze", "CAN")}


@pytest.fixture(scope="module")
def games():
    return load_dataset_file(SHIPPED_DATASET)


def day_blocks(games, nation: str, day: date, language: str = "en") -> str:
    return "\n\n".join(placing_blocks(nation_placings(games, nation, day, BEIJING, AFTER_THE_GAMES), language))


def test_luge_run_4_marks_the_medallists_not_the_run_places(games):
    """Taubitz won run 4 but no medal; Geisenberger was 2nd in the run and won gold; Berreiter 4th and silver."""
    text = day_blocks(games, "GER", date(2022, 2, 8))
    block = text[text.index("**Luge – Women's Singles – Run 4**"):].split("\n\n")[0]
    assert block.splitlines() == [
        "**Luge – Women's Singles – Run 4** (places of this run or round alone)",
        "1. Julia Taubitz · 58.358",
        "🥇 2. Natalie Geisenberger · 58.403",
        "🥈 4. Anna Berreiter · 58.566",
    ]


def test_kimberley_bos_gets_her_bronze(games):
    text = day_blocks(games, "NED", date(2022, 2, 12))
    assert "**Skeleton – Women's Skeleton – Run 4** (places of this run or round alone)\n🥉 2. Kimberley Bos · 1:01.87" in text


def test_dutch_heading_says_the_places_are_of_the_run(games):
    text = day_blocks(games, "NED", date(2022, 2, 12), "nl")
    assert "(plaatsen van alleen deze run of ronde)\n🥉 2. Kimberley Bos" in text


def test_every_mark_is_a_medallist_and_every_medallist_is_marked(games):
    """Over the whole Games: each mark is one of the event's medallists of that nation, each
    medallist marks exactly one entry of its deciding session, except the numbered teams."""
    by_session: dict[str, list] = {}
    for standing in games.standings:
        by_session.setdefault(standing.session_id, []).append(standing)
    marked, unmarked = [], set()
    for session in (s for s in games.sessions if s.medals):
        standings = by_session.get(session.id, [])
        marks = medal_marks(games, session, standings)
        for index, medal in marks.items():
            assert any(r.event_id == session.event_id and r.medal == medal and r.nation == standings[index].nation for r in games.results)
            marked.append((session.event_id, medal, standings[index].nation))
        for result in games.results:
            if result.event_id == session.event_id and result.medal in session.medals and \
                    (result.event_id, result.medal, result.nation) not in marked:
                unmarked.add((result.event_id, result.medal, result.nation))
    assert unmarked == NUMBERED_TEAMS
    assert len(marked) == len(games.results) - len(NUMBERED_TEAMS) == 323


def test_a_place_without_a_medallist_gets_no_mark(games):
    """Rank 1 of a run, of Final B, of a small final: never a mark by itself."""
    final_b = next(s for s in games.sessions if s.event_id == "STK-W-1500" and s.medals)
    standings = [s for s in games.standings if s.session_id == final_b.id]
    marks = medal_marks(games, final_b, standings)
    assert {standings[i].competitor: m for i, m in marks.items()} == {
        "Min Jeong Choi": "gold", "Arianna Fontana": "silver", "Suzanne Schulting": "bronze"}


def test_names_match_across_spellings_but_not_across_people(games):
    ski = next(s for s in games.sessions if s.event_id == "CCS-W-SKIATHLON")
    standings = [s for s in games.standings if s.session_id == ski.id]
    marks = {standings[i].competitor: m for i, m in medal_marks(games, ski, standings).items()}
    assert marks["Natalia Nepryaeva"] == "silver"  # the record spells her Nataliya Nepryayeva
    assert len(marks) == 3


def test_ranks_and_races_survive_the_feed_document(games):
    """A replayed or fed Games keeps what its ranks are and which race each is in."""
    import json

    from bot.data.dataset import parse_dataset
    from bot.data.document import to_document

    again = parse_dataset(json.dumps(to_document(games), ensure_ascii=False))
    assert [s.ranks for s in again.sessions] == [s.ranks for s in games.sessions]
    assert again.standings == games.standings
