"""The ODF and CSV importers on small inline files (no reference folder needed): detection by
content, and fuzzed files that are accepted or refused with problems, never a crash."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.data.dataset import DatasetError
from bot.data.formats import detect, read_games

MINI_ODF = """<?xml version="1.0" encoding="UTF-8"?>
<OdfBody CompetitionCode="OG2036" DocumentCode="ROW-------------------------------" DocumentType="DT_SCHEDULE" Version="3">
<Competition>
<Session SessionCode="ROW01" StartDate="2036-07-20T09:00:00+02:00" EndDate="2036-07-20T12:00:00+02:00" Medal="1" Venue="LAK" VenueName="Lake">
<SessionName Value="ROW01" Language="ENG" />
</Session>
<Unit Code="ROWM1X----------------HEAT000100--" PhaseType="3" ScheduleStatus="SCHEDULED" StartDate="2036-07-19T09:00:00+02:00" EndDate="2036-07-19T09:10:00+02:00" Venue="LAK" SessionCode="ROW00">
<ItemName Language="FRA" Value="Skiff - hommes, séries 1" />
<ItemName Language="ENG" Value="Men's Single Sculls Heat 1" />
<VenueDescription VenueName="Lake" LocationName="Lake" />
</Unit>
<Unit Code="ROWM1X----------------FNL-000100--" PhaseType="3" ScheduleStatus="SCHEDULED" StartDate="2036-07-20T09:00:00+02:00" EndDate="2036-07-20T09:00:00+02:00" Medal="1" Venue="LAK" SessionCode="ROW01">
<ItemName Language="ENG" Value="Men's Single Sculls Final A" />
<ItemName Language="FRA" Value="Skiff - hommes, finale A" />
<VenueDescription VenueName="Lake" LocationName="Lake" />
</Unit>
<Unit Code="ROWM1X----------------VICTMEDAL---" PhaseType="6" ScheduleStatus="SCHEDULED" StartDate="2036-07-20T10:00:00+02:00" EndDate="2036-07-20T10:20:00+02:00" Venue="LAK">
<ItemName Language="ENG" Value="Men's Single Sculls Victory Ceremony" />
</Unit>
<Unit Code="ROW-------------------DRAW000100--" PhaseType="7" ScheduleStatus="UNSCHEDULED" Venue="TBD">
<ItemName Language="ENG" Value="Draw" />
</Unit>
</Competition>
</OdfBody>
"""

MINI_SCHEDULE = """start_date,end_date,day,status,discipline,discipline_code,event,event_medal,phase,gender,event_type,venue,venue_code,id
2036-07-19T09:00:00+02:00,2036-07-19T09:10:00+02:00,2036-07-19,FINISHED,Rowing,ROW,Men's Single Sculls,0,Men's Single Sculls Heat 1,M,INDV,Lake,LAK,ROWM1X----------------HEAT000100--
2036-07-20T09:00:00+02:00,2036-07-20T09:10:00+02:00,2036-07-20,FINISHED,Rowing,ROW,Men's Single Sculls,1,Men's Single Sculls Final A,M,INDV,Lake,LAK,ROWM1X----------------FNL-000100--
2036-07-20T11:00:00+02:00,,2036-07-20,CANCELLED,Rowing,ROW,Men's Single Sculls,0,Men's Single Sculls Final B,M,INDV,Lake,LAK,ROWM1X----------------FNL-000200--
"""
MINI_MEDALLISTS = """date,medal_code,medal,code,name,gender,country_code,country,discipline,discipline_code,event_name
2036-07-20,1,GOLD,1,ZEIDLER Oliver,M,GER,Germany,Rowing,ROW,Men's Single Sculls
2036-07-20,2,SILVER,2,de GRAAF Simon,M,NED,Netherlands,Rowing,ROW,Men's Single Sculls
2036-07-20,3,BRONZE,3,NEWCOMER One,M,ZZZ,Zedland,Rowing,ROW,Men's Single Sculls
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_small_odf_message(tmp_path):
    imported = read_games([write(tmp_path, "rowing.dat", MINI_ODF)])
    data = imported.data
    assert imported.fmt == "ODF DT_SCHEDULE"
    assert (data.games.id, data.games.name["en"], data.games.host_timezone) == ("olympic-games-2036", "Olympic Games 2036", "Etc/GMT-2")
    assert data.events["ROWM1X"].name == {"en": "Men's Single Sculls", "fr": "Skiff - hommes"}
    heat, final = data.sessions
    assert heat.unit == {"en": "Heat 1", "fr": "séries 1"} and not heat.time_tbd
    assert final.time_tbd and final.medals == ("gold", "silver", "bronze")  # no length: the time is a placeholder
    assert imported.skipped == ["1 draw unit(s)", "1 victory or venue ceremony unit(s)"]


def test_a_small_csv_data_set(tmp_path):
    files = [write(tmp_path, "a.txt", "\ufeff" + MINI_SCHEDULE), write(tmp_path, "b.txt", MINI_MEDALLISTS)]
    data = read_games(files).data
    assert [s.status for s in data.sessions] == ["scheduled", "scheduled", "cancelled"]
    assert sorted((r.medal, r.competitor, r.nation) for r in data.results) == [
        ("bronze", "One Newcomer", "ZZZ"), ("gold", "Oliver Zeidler", "GER"), ("silver", "Simon de Graaf", "NED")]
    assert data.nations["NED"].name["nl"] == "Nederland"  # the shipped record, shared by every Games
    assert data.nations["ZZZ"].name == {"en": "Zedland"} and data.nations["ZZZ"].flag is None  # unknown: the file's name


def test_detection_is_by_content():
    assert [detect(t) for t in ("{}", "  \n<OdfBody/>", "a,b\n", " [1]")] == ["json", "odf", "csv", "json"]


def mutated(text: str, edits) -> str:
    for position, length, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length:]
    return text


EDITS = st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 40), st.sampled_from(["", "<", ">", '"', ",", "\n", "&amp;", "&x;", "9999", "-", "Z", "é", "\x00"])),
                 min_size=1, max_size=5)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_fuzzed_odf_is_accepted_or_refused_never_a_crash(tmp_path, edits):
    path = write(tmp_path, "fuzz.xml", mutated(MINI_ODF, edits))
    try:
        read_games([path])
    except DatasetError as error:
        assert error.problems and all(isinstance(p, str) and len(p) < 2000 for p in error.problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(EDITS, EDITS)
def test_fuzzed_csv_is_accepted_or_refused_never_a_crash(tmp_path, schedule_edits, medallist_edits):
    files = [write(tmp_path, "s.csv", mutated(MINI_SCHEDULE, schedule_edits)), write(tmp_path, "m.csv", mutated(MINI_MEDALLISTS, medallist_edits))]
    try:
        read_games(files)
    except DatasetError as error:
        assert error.problems and all(isinstance(p, str) and len(p) < 2000 for p in error.problems)


def test_a_problem_the_data_set_checks_find_names_the_row_it_came_from(tmp_path):
    schedule = MINI_SCHEDULE.replace("Men's Single Sculls,1,", "Men's Single Sculls @everyone,1,")
    medallists = MINI_MEDALLISTS.replace("Rowing,ROW,Men's Single Sculls", "Rowing,ROW,Men's Single Sculls @everyone")
    with pytest.raises(DatasetError) as raised:
        read_games([write(tmp_path, "s.csv", schedule), write(tmp_path, "m.csv", medallists)])
    problems = raised.value.problems
    assert any(p.startswith("s.csv line 3: events[0] (id ROW-M-MEN-S-SINGLE-SCULLS-EVERYONE).name.en: looks like a Discord mention") for p in problems), problems
