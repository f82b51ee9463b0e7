"""A nation's placings of a day (pure core) and how they read, in English and Dutch."""
import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.core.evening_alert import compose_evening_alert
from bot.core.i18n import CATALOGUE
from bot.core.placings import nation_placings
from bot.core.render import render_placings
from bot.data.dataset import parse_dataset
from tests.support.datasets import changed, mini_dataset

PARIS, LA = ZoneInfo("Europe/Paris"), ZoneInfo("America/Los_Angeles")
UTC = timezone.utc

STANDINGS = [
    {"session": "s1", "rank": 1, "competitor": "Kjeld Nuis", "nation": "NED", "result": "1:43.21"},
    {"session": "s1", "rank": 2, "competitor": "Thomas Krol", "nation": "NED", "result": "1:43.55"},
    {"session": "s1", "rank": 3, "competitor": "Someone Else", "nation": "GER", "result": "1:44.24"},
    {"session": "s1", "rank": 7, "competitor": "Patrick Roest", "nation": "NED", "result": "1:45.01"},
    {"session": "s1", "rank": None, "competitor": "Fallen Skater", "nation": "NED", "result": "DNF"},
    {"session": "s3", "rank": 3, "competitor": "Netherlands", "nation": "NED", "result": "2\u20131"},
    {"session": "s2", "rank": 1, "competitor": "Canada", "nation": "CAN", "result": "3\u20132"},
    {"session": "s2", "rank": 2, "competitor": "Germany", "nation": "GER"},
]
FINAL_END = datetime(2030, 2, 8, 18, 0, tzinfo=PARIS)


def games(change=None):
    doc = mini_dataset()
    doc["standings"] = json.loads(json.dumps(STANDINGS))
    return parse_dataset(json.dumps(changed(doc, change) if change else doc))


def rows(placings):
    return [(p.session.id, p.rank, p.competitor, p.result, p.medal) for p in placings]


def test_placings_of_a_day_medals_and_the_rest_in_rank_order():
    placings = nation_placings(games(), "NED", date(2030, 2, 8), PARIS, FINAL_END)
    assert rows(placings) == [
        ("s1", 1, "Kjeld Nuis", "1:43.21", "gold"),
        ("s1", 2, "Thomas Krol", "1:43.55", "silver"),
        ("s1", 7, "Patrick Roest", "1:45.01", None),
        ("s1", None, "Fallen Skater", "DNF", None),
    ]
    assert {(p.event.id, p.sport.id, p.session.unit["en"]) for p in placings} == {("SSK-M-1500", "SSK", "Final")}


def test_only_sessions_that_have_ended_by_as_of():
    data = games()
    assert nation_placings(data, "NED", date(2030, 2, 8), PARIS, FINAL_END - timedelta(seconds=1)) == []
    next_day = nation_placings(data, "NED", date(2030, 2, 9), PARIS, datetime(2030, 2, 9, 12, 0, tzinfo=PARIS))
    assert rows(next_day) == [("s3", 3, "Netherlands", "2\u20131", "bronze")]
    assert rows(nation_placings(data, "GER", date(2030, 2, 9), PARIS, datetime(2030, 2, 9, 12, 0, tzinfo=PARIS))) == []
    assert rows(nation_placings(data, "GER", date(2030, 2, 9), PARIS, datetime(2030, 2, 9, 14, 30, tzinfo=PARIS))) == [
        ("s2", 2, "Germany", "", "silver")]


def test_a_session_counts_on_the_local_day_it_starts_in_the_viewers_zone():
    """The bronze game starts 08:00 in Paris on the 9th: 23:00 on the 8th in Los Angeles."""
    data = games()
    placings = nation_placings(data, "NED", date(2030, 2, 8), LA, datetime(2030, 2, 9, 12, 0, tzinfo=PARIS))
    assert [(p.session.id, p.rank) for p in placings] == [("s1", 1), ("s1", 2), ("s1", 7), ("s1", None), ("s3", 3)]
    assert nation_placings(data, "NED", date(2030, 2, 9), LA, datetime(2030, 2, 10, tzinfo=UTC)) == []


def test_a_place_is_a_medal_only_when_the_results_agree():
    """Results can be reallocated after the Games (the figure skating team event): the
    standings of the day keep their ranks, the medal follows the results."""
    def reallocate(doc):
        doc["results"][0].update(competitor="Someone Else", nation="GER")

    placings = nation_placings(games(reallocate), "NED", date(2030, 2, 8), PARIS, FINAL_END)
    assert [(p.rank, p.medal) for p in placings] == [(1, None), (2, "silver"), (7, None), (None, None)]


def test_unknown_or_absent_nation_has_no_placings():
    assert nation_placings(games(), "CAN", date(2030, 2, 8), PARIS, FINAL_END) == []
    assert nation_placings(games(), "XYZ", date(2030, 2, 8), PARIS, FINAL_END) == []


def test_render_placings_in_english_and_dutch():
    data = games()
    placings = nation_placings(data, "NED", date(2030, 2, 8), PARIS, FINAL_END)
    assert render_placings(placings, data.nations["NED"], date(2030, 2, 8), "en") == [
        "**Results for 🇳🇱 Netherlands — Friday 8 February**\n"
        "\n"
        "**Speed Skating – Men's 1500m – Final**\n"
        "🥇 1. Kjeld Nuis · 1:43.21\n"
        "🥈 2. Thomas Krol · 1:43.55\n"
        "7. Patrick Roest · 1:45.01\n"
        "– Fallen Skater · DNF"
    ]
    assert render_placings(placings, data.nations["NED"], date(2030, 2, 8), "nl") == [
        "**Uitslagen voor 🇳🇱 Nederland — vrijdag 8 februari**\n"
        "\n"
        "**Schaatsen – 1500 meter mannen – Finale**\n"
        "🥇 1. Kjeld Nuis · 1:43.21\n"
        "🥈 2. Thomas Krol · 1:43.55\n"
        "7. Patrick Roest · 1:45.01\n"
        "– Fallen Skater · DNF"
    ]


def test_render_sessions_as_blocks_and_a_result_left_out_when_empty():
    data = games()
    placings = nation_placings(data, "GER", date(2030, 2, 8), LA, datetime(2030, 2, 10, tzinfo=UTC))
    assert render_placings(placings, data.nations["GER"], date(2030, 2, 8), "en") == [
        "**Results for 🇩🇪 Germany — Friday 8 February**\n"
        "\n"
        "**Speed Skating – Men's 1500m – Final**\n"
        "🥉 3. Someone Else · 1:44.24"
    ]
    day_after = nation_placings(data, "GER", date(2030, 2, 9), PARIS, datetime(2030, 2, 10, tzinfo=UTC))
    assert render_placings(day_after, data.nations["GER"], date(2030, 2, 9), "nl") == [
        "**Uitslagen voor 🇩🇪 Duitsland — zaterdag 9 februari**\n"
        "\n"
        "**IJshockey – Toernooi vrouwen – Finale (goud)**\n"
        "🥈 2. Germany"
    ]


def test_render_no_placings():
    data = games()
    assert render_placings([], data.nations["NED"], date(2030, 2, 10), "en") == [
        "No results for 🇳🇱 Netherlands on Sunday 10 February (yet)."]
    assert render_placings([], data.nations["NED"], date(2030, 2, 10), "nl") == [
        "(Nog) geen uitslagen voor 🇳🇱 Nederland op zondag 10 februari."]


def test_placing_text_cannot_ping():
    data = games(lambda d: d["standings"][0].update(competitor="Kjeld @ Nuis", result="@1:43"))
    placings = nation_placings(data, "NED", date(2030, 2, 8), PARIS, FINAL_END)
    text = render_placings(placings, data.nations["NED"], date(2030, 2, 8), "en")[0]
    assert "🥇 1. Kjeld @\u200b Nuis · @\u200b1:43" in text


def test_placings_sentences_in_both_catalogues():
    for key in ("placings.title", "placings.none", "alert.focus_placings"):
        assert key in CATALOGUE["en"] and key in CATALOGUE["nl"]
    assert set(CATALOGUE["en"]) == set(CATALOGUE["nl"])


def test_evening_alert_opens_with_the_focus_nations_placings_of_the_day():
    data = games()
    evening = datetime(2030, 2, 8, 20, 0, tzinfo=PARIS)
    alert = compose_evening_alert(data, date(2030, 2, 9), PARIS, "en", focus="NED", now=evening)
    assert alert == [
        "**Today for 🇳🇱 Netherlands**\n"
        "**Speed Skating – Men's 1500m – Final**\n"
        "🥇 1. Kjeld Nuis · 1:43.21\n"
        "🥈 2. Thomas Krol · 1:43.55\n"
        "7. Patrick Roest · 1:45.01\n"
        "– Fallen Skater · DNF\n"
        "\n"
        "**Tomorrow's programme — Saturday 9 February**\n"
        "Times in Europe/Paris · 1 medal event\n"  # a bronze and a gold game of one event: one event
        "\n"
        "★ **🇳🇱 Netherlands in action**\n"  # its sessions tomorrow come first, named with their sport
        "`08:00` Ice Hockey – Women's Tournament – Bronze medal game 🏅 · Arena\n"
        "\n"
        "**Ice Hockey**\n"
        "`12:00` Women's Tournament – Gold medal game 🏅 · Arena"
    ]
    dutch = compose_evening_alert(data, date(2030, 2, 9), PARIS, "nl", focus="NED", now=evening)
    assert dutch[0].startswith("**Vandaag voor 🇳🇱 Nederland**\n**Schaatsen – 1500 meter mannen – Finale**\n🥇 1. Kjeld Nuis")


def test_evening_alert_without_spoilers_is_the_programme_only():
    data = games()
    evening = datetime(2030, 2, 8, 20, 0, tzinfo=PARIS)
    plain = compose_evening_alert(data, date(2030, 2, 9), PARIS, "en", now=evening)
    quiet = compose_evening_alert(data, date(2030, 2, 9), PARIS, "en", focus="NED", now=evening, spoilers=False)
    assert quiet[0].startswith("**Tomorrow's programme — Saturday 9 February**\n")
    assert "Kjeld Nuis" not in "".join(quiet) and "Today for" not in "".join(quiet)
    assert len(quiet) == len(plain)


def test_evening_alert_falls_back_to_the_medal_line_without_standings():
    """A data set without standings (they are optional) still reports the focus nation's medals."""
    data = parse_dataset(json.dumps(mini_dataset()))
    evening = datetime(2030, 2, 8, 20, 0, tzinfo=PARIS)
    alert = compose_evening_alert(data, date(2030, 2, 9), PARIS, "en", focus="NED", now=evening)
    assert alert[0].startswith("Today for 🇳🇱 Netherlands: 🥇 Men's 1500m (Kjeld Nuis), 🥈 Men's 1500m (Thomas Krol)\n\n")
    quiet = compose_evening_alert(data, date(2030, 2, 9), PARIS, "en", focus="NED", now=evening, spoilers=False)
    assert "Today for" not in "".join(quiet)
