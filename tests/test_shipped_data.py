"""The shipped Beijing 2022 data set against the public record (Olympedia, as results stand today)."""
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.core.medals import medal_table, nation_medals
from bot.core.models import pick
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

# The medal table today: gold, silver, bronze (2024 figure skating team re-ranking and the
# shared bronze in women's ski cross included: 109 / 109 / 110).
MEDAL_TABLE = {
    "NOR": (16, 8, 13), "GER": (12, 10, 5), "USA": (9, 9, 7), "CHN": (9, 4, 2), "SWE": (8, 5, 5),
    "NED": (8, 5, 4), "AUT": (7, 7, 4), "SUI": (7, 2, 6), "ROC": (5, 12, 15), "FRA": (5, 7, 2),
    "CAN": (4, 8, 14), "JPN": (3, 7, 8), "ITA": (2, 7, 8), "KOR": (2, 5, 2), "SLO": (2, 3, 2),
    "FIN": (2, 2, 4), "NZL": (2, 1, 0), "AUS": (1, 2, 1), "GBR": (1, 1, 0), "HUN": (1, 0, 2),
    "BEL": (1, 0, 1), "CZE": (1, 0, 1), "SVK": (1, 0, 1), "BLR": (0, 2, 0), "ESP": (0, 1, 0),
    "UKR": (0, 1, 0), "EST": (0, 0, 1), "LAT": (0, 0, 1), "POL": (0, 0, 1),
}
# Competition sessions per day, China Standard Time, 2 to 20 February.
SESSIONS_PER_DAY = [4, 16, 12, 30, 24, 31, 33, 25, 31, 32, 29, 28, 25, 32, 28, 24, 17, 14, 9]


@pytest.fixture(scope="module")
def games():
    return load_dataset_file(SHIPPED_DATASET)


def test_counts_match_the_record(games):
    assert len(games.events) == 109
    assert len(games.sessions) == 444
    assert len(games.results) == 328
    assert Counter(r.medal for r in games.results) == {"gold": 109, "silver": 109, "bronze": 110}
    assert len(games.sports) == 15
    assert len(games.nations) == 91  # every NOC that took part


def test_every_event_has_its_medals_and_a_deciding_session(games):
    for event_id in games.events:
        medals = Counter(r.medal for r in games.results if r.event_id == event_id)
        assert medals["gold"] == 1 and medals["silver"] == 1 and medals["bronze"] in (1, 2), event_id
        assert all((event_id, m) in games.decided_at for m in ("gold", "silver", "bronze")), event_id


def test_medal_table_row_of_every_nation(games):
    table = medal_table(games)
    assert {row.nation.code: (row.gold, row.silver, row.bronze) for row in table} == MEDAL_TABLE
    assert [(row.nation.code, row.rank) for row in table[:3]] == [("NOR", 1), ("GER", 2), ("USA", 3)]


def test_sessions_per_day_in_beijing(games):
    beijing = ZoneInfo("Asia/Shanghai")
    per_day = Counter(s.start.astimezone(beijing).date() for s in games.sessions)
    assert [per_day[date(2022, 2, d)] for d in range(2, 21)] == SESSIONS_PER_DAY
    assert sum(per_day.values()) == 444


def test_results_as_they_stand_today(games):
    team = {r.medal: r.nation for r in games.results if r.event_id == "FSK-X-TEAM"}
    assert team == {"gold": "USA", "silver": "JPN", "bronze": "ROC"}  # re-ranked in January 2024
    ski_cross = sorted((r.competitor, r.nation) for r in games.results
                       if r.event_id == "FRS-W-SKI-CROSS" and r.medal == "bronze")
    assert ski_cross == [("Daniela Maier", "GER"), ("Fanny Smith", "SUI")]


def test_names_in_english_and_dutch(games):
    assert games.sports["SSK"].name == {"en": "Speed Skating", "nl": "Schaatsen"}
    assert games.events["SSK-M-TEAM-PURSUIT"].name == {"en": "Men's Team Pursuit", "nl": "Ploegenachtervolging mannen"}
    assert all(pick(e.name, "nl") != "" and "nl" in e.name for e in games.events.values())
    assert all("nl" in s.unit for s in games.sessions)
    ned = games.nations["NED"]
    assert (ned.name["nl"], ned.iso2, ned.iso3, ned.flag) == ("Nederland", "NL", "NLD", "🇳🇱")
    assert games.nations["ROC"].flag is None  # competed without the Russian flag


def test_dutch_team_pursuit_medals(games):
    ned = nation_medals(games, "NED")
    assert (ned.row.gold, ned.row.silver, ned.row.bronze, ned.row.rank) == (8, 5, 4, 6)
    pursuit = [m for m in ned.medallists if m.event.id == "SSK-W-TEAM-PURSUIT"]
    assert [m.medal for m in pursuit] == ["bronze"]
