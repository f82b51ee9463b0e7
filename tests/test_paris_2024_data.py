"""The shipped Paris 2024 data set against the reference files in ../shared/data/paris-2024/: the final
medal table (computed by Podium's core from the shipped medallists), every medal, every unit's time,
venue and status, and standings only as far as the results of 9 August 2024 go."""
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from bot.core.medals import medal_table, nation_medals
from bot.data.dataset import SHIPPED_DIR, load_dataset_file
from tests.support.reference import reference_rows, words

ROOT_TOOLS = Path(__file__).resolve().parent.parent / "tools"
sys.path.insert(0, str(ROOT_TOOLS))
from paris2024_names import event_id  # noqa: E402  (the event ids, as data)

MEDAL_TYPE = {"Gold Medal": "gold", "Silver Medal": "silver", "Bronze Medal": "bronze"}


@pytest.fixture(scope="module")
def games():
    return load_dataset_file(SHIPPED_DIR / "paris-2024.json")


def reference(name: str) -> list[dict]:
    return reference_rows("paris-2024", name)


def sport_of(games, session) -> str:
    return games.event_of(session).sport_id


def test_counts_and_the_headline_figures(games):
    assert len(games.events) == 329 and len(games.results) == 1044
    assert Counter(r.medal for r in games.results) == {"gold": 329, "silver": 330, "bronze": 385}
    usa = nation_medals(games, "USA").row
    assert (usa.gold, usa.silver, usa.bronze, usa.rank) == (40, 44, 42, 1)
    ned = nation_medals(games, "NED").row
    assert (ned.gold, ned.silver, ned.bronze, ned.rank) == (15, 7, 12, 6)


def test_medal_table_equals_the_final_one(games):
    published = [(r["country_code"], int(r["Gold Medal"]), int(r["Silver Medal"]), int(r["Bronze Medal"]))
                 for r in reference("medals_total.csv")]
    table = medal_table(games)
    assert len(published) == 92
    assert {row.nation.code: (row.gold, row.silver, row.bronze) for row in table} == {c: (g, s, b) for c, g, s, b in published}
    # the published rows are in gold-first order; the core ranks the same nations the same way
    assert [row.nation.code for row in table][:5] == [code for code, *_ in published[:5]]
    assert all(row.rank is not None for row in table)  # AIN and EOR are ranked here, as published


def test_every_medal_with_its_winner(games):
    schedule = reference("schedules.csv")
    code_of = {r["discipline"]: r["discipline_code"] for r in schedule}
    gender_of = {(r["discipline_code"], r["event"]): r["gender"] for r in schedule if r["event_medal"] == "1"}
    expected, individuals = Counter(), Counter()
    for row in reference("medals.csv"):
        code = code_of[row["discipline"]]
        event = row["event"] if (code, row["event"]) in gender_of else row["event"].replace("Mixed Relay", "Relay Mixed")
        key = (event_id(code, event, gender_of[(code, event)]), MEDAL_TYPE[row["medal_type"]], row["country_code"])
        expected[key] += 1
        if row["code"].isdigit():  # an athlete, not a team
            individuals[(*key, tuple(words(row["name"])))] += 1
    assert sum(expected.values()) == 1044
    assert Counter((r.event_id, r.medal, r.nation) for r in games.results) == expected
    shipped = Counter((r.event_id, r.medal, r.nation, tuple(words(r.competitor))) for r in games.results)
    assert not individuals - shipped  # every individual medallist, by name, in the right event


def test_every_unit_with_its_time_venue_and_status(games):
    rows, seen = [], set()
    for row in reference("schedules.csv"):
        if tuple(row.values()) not in seen:
            seen.add(tuple(row.values()))
            rows.append(row)
    assert len(rows) == 3895 - 8
    def key(code, start, venue, cancelled):
        return (code, start, venue, cancelled)
    expected = Counter(key(r["discipline_code"], datetime.fromisoformat(r["start_date"]), r["venue"] or "Paris",
                           r["status"] == "CANCELLED") for r in rows)
    shipped = Counter(key(sport_of(games, s), s.start, s.venue, s.cancelled) for s in games.sessions)
    assert shipped == expected
    ends = Counter((r["discipline_code"], datetime.fromisoformat(r["end_date"])) for r in rows
                   if r["end_date"] and r["end_date"] > r["start_date"])
    shipped_ends = Counter((sport_of(games, s), s.end) for s in games.sessions)
    assert not ends - shipped_ends


def test_known_times(games):
    def find(event_id, medals=("gold", "silver", "bronze")):
        return next(s for s in games.sessions if s.event_id == event_id and s.medals == medals)
    final_100m = find("ATH-M-100-M")
    assert final_100m.start == datetime.fromisoformat("2024-08-04T21:50:00+02:00") and final_100m.venue == "Stade de France"
    assert find("FBL-M-TOURNAMENT", ("gold", "silver")).start == datetime.fromisoformat("2024-08-09T18:00:00+02:00")
    triathlon = find("TRI-M-INDIVIDUAL")
    assert triathlon.start == datetime.fromisoformat("2024-07-31T10:45:00+02:00")  # postponed a day


def test_standings_only_as_far_as_the_results_go(games):
    sessions = {s.id: s for s in games.sessions}
    with_standings = {s.session_id for s in games.standings}
    assert len(games.standings) > 17000
    last = max(sessions[i].start for i in with_standings)
    assert last < datetime.fromisoformat("2024-08-09T00:00:00+02:00")
    assert "8 August" in games.games.notes["en"] and "8 augustus" in games.games.notes["nl"]
    women_10k = next(s for s in games.sessions if s.event_id == "OWS-W-10-KM")
    assert [(s.rank, s.competitor, s.nation) for s in games.standings if s.session_id == women_10k.id][0] == (
        1, "Sharon van Rouwendaal", "NED")


def test_names_in_english_and_dutch(games):
    assert games.sports["SWM"].name == {"en": "Swimming", "nl": "Zwemmen"}
    assert games.events["SWM-W-100-M-FREESTYLE"].name == {"en": "Women's 100 m Freestyle", "nl": "100 meter vrije slag vrouwen"}
    assert all("nl" in x.name for x in list(games.sports.values()) + list(games.events.values()))
    assert all("nl" in s.unit for s in games.sessions)
