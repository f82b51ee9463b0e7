"""The pure core as plain functions over plain data: no Discord, no SQL, `now` passed in."""
import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.evening_alert import compose_evening_alert
from bot.core.i18n import CATALOGUE, format_date
from bot.core.medals import medal_table, nation_medals, results_on
from bot.core.nations import UnknownNation, resolve_nation, suggest_nations
from bot.core.programme import UnknownSport, day_window, programme_for, resolve_sport
from bot.core.render import render_medal_table, render_nation_medals, render_programme, render_results
from bot.core.text import normalise, safe, split_message
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file, parse_dataset
from tests.support.datasets import mini_dataset

UTC = timezone.utc
AMSTERDAM, PARIS, LA = ZoneInfo("Europe/Amsterdam"), ZoneInfo("Europe/Paris"), ZoneInfo("America/Los_Angeles")


def games(document=None):
    return parse_dataset(json.dumps(document or mini_dataset()))


@pytest.fixture(scope="module")
def beijing():
    return load_dataset_file(SHIPPED_DATASET)


def table_of(data, **kw):
    return [(r.nation.code, r.rank, r.tied, r.gold, r.silver, r.bronze, r.total) for r in medal_table(data, **kw)]


# -- medal table ---------------------------------------------------------------

def test_table_in_ioc_order_gold_first():
    assert table_of(games()) == [("NED", 1, False, 1, 1, 1, 3), ("CAN", 2, False, 1, 0, 0, 1), ("GER", 3, False, 0, 1, 1, 2)]


def test_table_by_total():
    assert [c for c, *_ in table_of(games(), order="total")] == ["NED", "GER", "CAN"]


def test_nations_level_on_all_three_share_a_rank():
    doc = mini_dataset()
    owners = ["NED", "NED", "GER", "CAN", "CAN", "GER"]  # NED 1/1/0, CAN 1/1/0, GER 0/0/2
    for result, nation in zip(doc["results"], owners):
        result["nation"] = nation
    data = games(doc)
    assert table_of(data) == [("CAN", 1, True, 1, 1, 0, 2), ("NED", 1, True, 1, 1, 0, 2), ("GER", 3, False, 0, 0, 2, 2)]
    text = "\n".join(render_medal_table(medal_table(data), "en"))
    assert " =1  CAN Canada" in text and " =1  NED Netherlands" in text and "  3  GER Germany" in text
    assert [(c, rank) for c, rank, *_ in table_of(data, order="total")] == [("CAN", 1), ("NED", 1), ("GER", 3)]


def test_as_of_counts_a_medal_from_the_end_of_its_session():
    data = games()
    final_end = datetime(2030, 2, 8, 17, 0, tzinfo=UTC)  # 18:00 in Paris
    assert table_of(data, as_of=final_end - timedelta(seconds=1)) == []
    assert table_of(data, as_of=final_end) == [("NED", 1, False, 1, 1, 0, 2), ("GER", 2, False, 0, 0, 1, 1)]


def test_bronze_and_gold_games_decide_their_own_medals():
    data = games()
    between = datetime(2030, 2, 9, 12, 0, tzinfo=UTC)  # bronze game over, gold game not
    rows = {c: (g, s, b) for c, _, _, g, s, b, _ in table_of(data, as_of=between)}
    assert rows == {"NED": (1, 1, 1), "GER": (0, 0, 1)}


def test_a_nation_without_medals_is_an_answer_not_an_error():
    doc = mini_dataset()
    doc["nations"].append({"code": "BEL", "name": {"en": "Belgium", "nl": "België"}, "iso2": "BE", "iso3": "BEL", "flag": "🇧🇪"})
    data = games(doc)
    none = nation_medals(data, "BEL")
    assert none.row is None and none.medallists == []
    assert render_nation_medals(none, "en") == ["**🇧🇪 Belgium** has not won a medal yet."]
    assert render_nation_medals(none, "nl") == ["**🇧🇪 België** heeft nog geen medaille gewonnen."]


def test_a_nations_medals_with_rank_and_medallists(beijing):
    text = "\n".join(render_nation_medals(nation_medals(beijing, "NED"), "en"))
    assert text.startswith("**🇳🇱 Netherlands** — rank 6 · 🥇 8 🥈 5 🥉 4 · 17 medals")
    assert "🥇 Speed Skating – Women's 3000 m: Irene Schouten" in text
    dutch = "\n".join(render_nation_medals(nation_medals(beijing, "NED"), "nl"))
    assert "Schaatsen – 3000 meter vrouwen: Irene Schouten" in dutch


def test_shared_bronze_is_listed_twice(beijing):
    ski_cross = [r for r in results_on(beijing, date(2022, 2, 17), ZoneInfo("Asia/Shanghai")) if r.event.id == "FRS-W-SKI-CROSS"]
    assert [r.competitor for r in ski_cross[0].medallists["bronze"]] == ["Daniela Maier", "Fanny Smith"]
    text = "\n".join(render_results(ski_cross, date(2022, 2, 17), "en", beijing.nations))
    assert "🥉 🇩🇪 Daniela Maier (GER)" in text and "🥉 🇨🇭 Fanny Smith (SUI)" in text


# -- nations -------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["NED", "ned", "NLD", "NL", "Netherlands", "Nederland", "the netherlands",
                                   "  NEDERLAND ", "The Netherlands", "Kingdom of the Netherlands"])
def test_every_way_of_naming_the_netherlands(beijing, typed):
    assert resolve_nation(typed, beijing.nations.values()).code == "NED"


@pytest.mark.parametrize("typed, code", [("GER", "GER"), ("DE", "GER"), ("deu", "GER"), ("Duitsland", "GER"),
                                         ("SUI", "SUI"), ("CH", "SUI"), ("Zwitserland", "SUI"),
                                         ("Groot-Brittannie", "GBR"), ("groot brittannië", "GBR"), ("ROC", "ROC"),
                                         ("Chinees Taipei", "TPE"), ("südkorea", None), ("South Korea", "KOR")])
def test_codes_and_names_case_and_accent_insensitive(beijing, typed, code):
    if code is None:
        with pytest.raises(UnknownNation):
            resolve_nation(typed, beijing.nations.values())
    else:
        assert resolve_nation(typed, beijing.nations.values()).code == code


def test_unknown_nation_gets_up_to_three_suggestions(beijing):
    with pytest.raises(UnknownNation) as raised:
        resolve_nation("Nederlnd", beijing.nations.values())
    assert 1 <= len(raised.value.suggestions) <= 3
    assert raised.value.suggestions[0].code == "NED"
    with pytest.raises(UnknownNation) as nothing_like_it:
        resolve_nation("zzzzzzzz", beijing.nations.values())
    assert nothing_like_it.value.suggestions == []


def test_autocomplete_prefix_first(beijing):
    assert [n.code for n in suggest_nations("ned", beijing.nations.values())][0] == "NED"
    assert [n.code for n in suggest_nations("Noorw", beijing.nations.values(), language="nl")][0] == "NOR"
    assert len(suggest_nations("", beijing.nations.values())) == 25


# -- programme -----------------------------------------------------------------

def test_a_session_belongs_to_the_local_day_it_starts_on():
    data = games()
    # s3 starts 2030-02-09 07:00 UTC: the 9th in Paris, still the 8th in Los Angeles.
    assert [i.session.id for b in programme_for(data, date(2030, 2, 9), PARIS).blocks for i in b.items] == ["s3", "s2"]
    la = programme_for(data, date(2030, 2, 8), LA)
    assert [b.sport.id for b in la.blocks] == ["SSK", "IHO"]
    assert [i.session.id for b in la.blocks for i in b.items] == ["s1", "s3"]
    assert programme_for(data, date(2030, 2, 9), LA).medal_count == 1


def test_programme_filters_and_focus():
    data = games()
    only_hockey = programme_for(data, date(2030, 2, 9), PARIS, sport="IHO", focus="NED")
    assert [(i.session.id, i.focus, i.is_medal) for b in only_hockey.blocks for i in b.items] == [("s3", True, True), ("s2", False, True)]
    assert programme_for(data, date(2030, 2, 8), PARIS, sport="IHO").is_empty


def test_day_window_across_dst():
    spring = day_window(date(2030, 3, 31), AMSTERDAM)
    autumn = day_window(date(2030, 10, 27), AMSTERDAM)
    assert spring[1] - spring[0] == timedelta(hours=23)
    assert autumn[1] - autumn[0] == timedelta(hours=25)
    assert spring[0] == datetime(2030, 3, 30, 23, 0, tzinfo=UTC)


def test_late_session_on_a_dst_day_stays_on_that_day():
    doc = mini_dataset()
    doc["sessions"][0]["start"], doc["sessions"][0]["end"] = "2030-03-31T23:30:00+02:00", "2030-04-01T00:30:00+02:00"
    data = games(doc)
    assert not programme_for(data, date(2030, 3, 31), AMSTERDAM).is_empty
    assert all(i.session.id != "s1" for b in programme_for(data, date(2030, 4, 1), AMSTERDAM).blocks for i in b.items)


def test_sports_by_code_or_name_in_either_language(beijing):
    assert resolve_sport("schaatsen", beijing.sports.values()).id == "SSK"
    assert resolve_sport("Speed skating", beijing.sports.values()).id == "SSK"
    assert resolve_sport("ssk", beijing.sports.values()).id == "SSK"
    with pytest.raises(UnknownSport) as raised:
        resolve_sport("schatsen", beijing.sports.values())
    assert raised.value.suggestions[0].id == "SSK"


# -- rendering -----------------------------------------------------------------

def test_alert_headings_in_both_languages(beijing):
    programme = programme_for(beijing, date(2022, 2, 15), AMSTERDAM)
    en, nl = render_programme(programme, "en"), render_programme(programme, "nl")
    assert en[0].startswith("**Tomorrow's programme — Tuesday 15 February**\nTimes in Europe/Amsterdam · ")
    assert nl[0].startswith("**Het programma van morgen — dinsdag 15 februari**\n")
    assert "`08:24` Ploegenachtervolging vrouwen – Finale 🏅 · National Speed Skating Oval" in "\n".join(nl)
    assert all(len(m) <= 2000 for m in en + nl)


def test_programme_lines_in_start_order_with_local_times(beijing):
    programme = programme_for(beijing, date(2022, 2, 15), ZoneInfo("Asia/Shanghai"))
    starts = [i.local_start for b in programme.blocks for i in b.items]
    assert all(s.date() == date(2022, 2, 15) for s in starts)
    for block in programme.blocks:
        assert [i.session.start for i in block.items] == sorted(i.session.start for i in block.items)


def test_localised_dates():
    assert format_date(date(2022, 2, 15), "en") == "Tuesday 15 February"
    assert format_date(date(2022, 2, 15), "nl") == "dinsdag 15 februari"


def test_catalogues_have_the_same_sentences():
    assert set(CATALOGUE["en"]) == set(CATALOGUE["nl"])


def test_medal_table_top_ten_with_the_focus_nation(beijing):
    messages = render_medal_table(medal_table(beijing), "en", focus="POL")
    text = "\n".join(messages)
    assert text.startswith("**Medal table**\n```\n")
    assert "  1  NOR Norway          16  8 13  37" in text
    assert "  …\n" in text and "POL Poland" in text and "SWE" in text and "ITA" not in text
    assert "Showing 10 of 29 nations" in text


# -- text ----------------------------------------------------------------------

def test_split_message_keeps_every_character_and_respects_the_limit():
    blocks = ["\n".join(f"line {b}.{n} " + "x" * 40 for n in range(30)) for b in range(5)]
    text = "\n\n".join(blocks)
    parts = split_message(text, 500)
    assert all(len(p) <= 500 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
    assert all(not p.startswith("\n") and not p.endswith("\n") for p in parts)


def test_split_message_cuts_a_long_line_at_spaces():
    line = " ".join(["word"] * 1000)
    parts = split_message(line, 100)
    assert all(len(p) <= 100 for p in parts) and all(p.split() == ["word"] * len(p.split()) for p in parts)


def test_data_text_cannot_ping():
    assert "@everyone" not in safe("@everyone look") and safe("@here").endswith("here")


def test_normalise():
    assert normalise("  The   Netherlands ") == "netherlands"
    assert normalise("Groot-Brittannië") == normalise("groot brittannie")


# -- the evening alert ---------------------------------------------------------

def test_evening_alert_through_the_games(beijing):
    now = datetime(2022, 2, 1, 19, 0, tzinfo=UTC)
    before = compose_evening_alert(beijing, date(2022, 2, 1), AMSTERDAM, "en", now=now)
    eve = compose_evening_alert(beijing, date(2022, 2, 2), AMSTERDAM, "en", now=now)
    after = compose_evening_alert(beijing, date(2022, 2, 21), AMSTERDAM, "en", now=now)
    assert before == [] and after == []
    assert eve[0].startswith("🎉 **Beijing 2022 starts tomorrow!**\n\n**Tomorrow's programme — Wednesday 2 February**")


def test_no_alert_for_a_day_without_the_channels_sport(beijing):
    now = datetime(2022, 2, 10, 19, 0, tzinfo=UTC)
    assert compose_evening_alert(beijing, date(2022, 2, 3), AMSTERDAM, "en", sport="ALP", now=now) == []


def test_focus_nation_placings_of_the_day_come_first(beijing):
    """The day's placings of the focus nation, medals marked and places without a medal too;
    then tomorrow's programme. Without spoilers, only the programme."""
    evening = datetime(2022, 2, 15, 19, 0, tzinfo=UTC)  # 20:00 in Amsterdam
    alert = compose_evening_alert(beijing, date(2022, 2, 16), AMSTERDAM, "nl", focus="NED", now=evening)
    assert alert[0].startswith("**Vandaag voor 🇳🇱 Nederland**\n**Snowboarden – Big air vrouwen – Finale**\n6. Melissa Peperkamp · 141.75\n")
    assert "**Schaatsen – Ploegenachtervolging vrouwen – Finale** (plaatsen binnen elke race)\n🥉 1. Netherlands · 2:56.86 (B-finale)\n" in alert[0]
    assert "**Schaatsen – Ploegenachtervolging mannen – Finale** (plaatsen binnen elke race)\n2. Netherlands · 3:41.62 (B-finale)\n" in alert[0]
    assert "**Het programma van morgen — woensdag 16 februari**" in alert[0]
    assert alert[0].index("Vandaag voor") < alert[0].index("Het programma van morgen")
    quiet = compose_evening_alert(beijing, date(2022, 2, 16), AMSTERDAM, "nl", focus="NED", now=evening, spoilers=False)
    assert quiet[0].startswith("**Het programma van morgen — woensdag 16 februari**")
    assert "Vandaag voor" not in "".join(quiet) and "Peperkamp" not in "".join(quiet)


def test_a_channel_following_one_sport_gets_only_that_sports_placings(beijing):
    """Speed skating fans with focus NED on 11 February: the Dutch skating placings of the day, not
    the skeleton or short track ones an unfiltered channel gets."""
    evening = datetime(2022, 2, 11, 19, 0, tzinfo=UTC)
    every = compose_evening_alert(beijing, date(2022, 2, 12), AMSTERDAM, "en", focus="NED", now=evening)
    skating = compose_evening_alert(beijing, date(2022, 2, 12), AMSTERDAM, "en", focus="NED", now=evening, sport="SSK")
    unfiltered = every[0][:every[0].index("**Tomorrow's programme")]
    assert "**Skeleton" in unfiltered and "**Short Track" in unfiltered  # what the filter takes out is there without it
    today = skating[0][:skating[0].index("**Tomorrow's programme")]
    assert "**Speed Skating" in today
    assert "**Skeleton" not in today and "**Short Track" not in today
