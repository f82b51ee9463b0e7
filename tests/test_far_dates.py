"""A session at a placeholder date ("TBD" 9999-12-31, 0001-01-01): refused by import, left out by
the feed with one warning, and harmless to the core when a database already holds one."""
from __future__ import annotations

import json
import logging
import time
import tracemalloc
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock
from bot.core.evening_alert import compose_evening_alert
from bot.core.medals import medal_table, nation_medals, results_on
from bot.core.models import GamesData
from bot.core.placings import nation_placings
from bot.core.programme import games_days, programme_for
from bot.core.render import render_programme
from bot.data.dataset import DatasetError, parse_dataset
from bot.feed.follower import FeedFollower
from bot.services import Services
from bot.settings import load_settings
from bot.store.database import Database
from tests.support.datasets import changed, mini_dataset, write_dataset

UTC = timezone.utc
ZONES = ["Europe/Amsterdam", "Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"]


def with_session_at(document: dict, start: str, end: str, index: int = 2) -> dict:
    return changed(document, lambda d: d["sessions"][index].update(start=start, end=end))


@pytest.mark.parametrize("start, end", [
    ("9999-12-31T20:00:00+00:00", "9999-12-31T23:59:00+00:00"),
    ("9999-12-31T23:00:00-05:00", "9999-12-31T23:30:00-05:00"),  # 04:00 UTC on 1 January 10000
    ("0001-01-01T00:00:00+00:00", "0001-01-01T01:00:00+00:00"),
    ("0001-01-01T00:30:00+01:00", "0001-01-01T02:00:00+01:00"),  # before 0001-01-01 UTC
    ("2031-02-08T16:30:00+01:00", "2031-02-08T18:00:00+01:00"),  # a year late: a typing slip
])
def test_import_refuses_a_session_far_outside_the_games_with_its_place(start, end):
    with pytest.raises(DatasetError) as raised:
        parse_dataset(json.dumps(with_session_at(mini_dataset(), start, end)), "far.json")
    problems = raised.value.problems
    assert len(problems) == 1, problems
    assert problems[0].startswith("sessions[2] (id s3).start: ")
    assert ("expected within the Games' dates (2030-02-08 to 2030-02-09) ± 60 days" in problems[0]
            ), problems[0]


def test_a_session_ending_far_away_is_named_by_its_end():
    far = with_session_at(mini_dataset(), "2030-02-09T08:00:00+01:00", "9999-12-31T00:00:00+00:00")
    with pytest.raises(DatasetError) as raised:
        parse_dataset(json.dumps(far))
    assert raised.value.problems[0].startswith("sessions[2] (id s3).end: 9999-12-31T00:00:00+00:00 is far outside the Games")


def test_the_feed_leaves_a_far_session_out_and_says_so():
    document = with_session_at(mini_dataset(), "9999-12-31T20:00:00+00:00", "9999-12-31T22:00:00+00:00")
    document["standings"] = [{"session": "s3", "rank": 1, "competitor": "Netherlands", "nation": "NED"}]
    skipped: list[str] = []
    data = parse_dataset(json.dumps(document), "feed", skipped=skipped)
    assert [s.id for s in data.sessions] == ["s1", "s2"] and data.standings == ()
    assert len(skipped) == 1 and skipped[0].startswith("sessions[2] (id s3).start: 9999-12-31T20:00:00+00:00 is far outside")


def games_with_a_placeholder_session() -> GamesData:
    """What a database imported before the check holds: the mini Games plus a 9999-12-31 session
    late in the UTC day, so that in every zone east of UTC it falls off the calendar's end."""
    data = parse_dataset(json.dumps(mini_dataset()))
    far = replace(data.sessions[0], id="tbd", start=datetime(9999, 12, 31, 22, 0, tzinfo=UTC),
                  end=datetime(9999, 12, 31, 23, 59, tzinfo=UTC), medals=())
    early = replace(data.sessions[0], id="early", start=datetime(1, 1, 1, 0, 0, tzinfo=UTC),
                    end=datetime(1, 1, 1, 1, 0, tzinfo=UTC), medals=())
    return GamesData.build(data.games, data.sports.values(), data.nations.values(), data.events.values(),
                           (*data.sessions, far, early), data.results)


@pytest.mark.parametrize("zone", ZONES)
def test_the_evening_alert_is_unharmed_quick_and_small(zone):
    data, tz = games_with_a_placeholder_session(), ZoneInfo(zone)
    tracemalloc.start()
    started = time.perf_counter()
    messages = compose_evening_alert(data, date(2030, 2, 9), tz, "en", focus="NED", now=datetime(2030, 2, 8, 19, tzinfo=UTC))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert messages and "medal game" in messages[0], messages
    assert elapsed < 0.5 and peak < 5_000_000, (elapsed, peak)
    assert len(games_days(data, tz)) <= 3
    assert compose_evening_alert(data, date(9999, 12, 31), tz, "en", now=datetime(2030, 2, 8, 19, tzinfo=UTC)) == []
    assert compose_evening_alert(data, date(1, 1, 1), tz, "en", now=datetime(2030, 2, 8, 19, tzinfo=UTC)) == []


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("day", [date.min, date(1, 1, 2), date(9999, 12, 30), date.max])
def test_every_view_of_a_day_at_the_calendars_ends_answers(zone, day):
    data, tz = games_with_a_placeholder_session(), ZoneInfo(zone)
    now = datetime(2030, 2, 10, tzinfo=UTC)
    assert render_programme(programme_for(data, day, tz), "en")
    assert results_on(data, day, tz) == []
    nation_placings(data, "NED", day, tz, now)
    medal_table(data, now)
    nation_medals(data, "NED", now)


async def test_the_feed_warns_once_about_a_far_session_and_applies_the_rest(tmp_path, caplog):
    document = with_session_at(mini_dataset(), "9999-12-31T20:00:00+00:00", "9999-12-31T22:00:00+00:00")
    feed = write_dataset(tmp_path, document, "feed.json")
    async with await Database.open(tmp_path / "podium.sqlite3") as db:
        services = Services.create(load_settings({}), db, Clock(datetime(2030, 2, 7, tzinfo=UTC)))
        follower = FeedFollower(services, str(feed))
        caplog.set_level(logging.WARNING, logger="podium.feed")
        outcomes = []
        for poll in range(4):
            document["sessions"][0]["venue"] = f"Oval {poll}"  # the feed changes between polls
            write_dataset(tmp_path, document, "feed.json")
            outcomes.append(await follower.poll())
        data = await services.games.current()
    assert outcomes == ["applied"] * 4
    assert [s.id for s in data.sessions] == ["s1", "s2"] and data.sessions[0].venue == "Oval 3"
    warnings = [r.getMessage() for r in caplog.records if r.name == "podium.feed"]
    assert len(warnings) == 1 and "sessions[2] (id s3).start" in warnings[0] and "left out" in warnings[0], warnings


def test_a_tbd_session_on_a_placeholder_date_is_named_by_its_date():
    def tbd(d):
        d["sessions"][2].pop("start"), d["sessions"][2].pop("end")
        d["sessions"][2]["date"] = "9999-12-31"
    with pytest.raises(DatasetError) as raised:
        parse_dataset(json.dumps(changed(mini_dataset(), tbd)))
    assert raised.value.problems == [
        "sessions[2] (id s3).date: 9999-12-31 is far outside the Games; expected within the Games' dates (2030-02-08 to 2030-02-09) ± 60 days"]


async def test_a_placeholder_session_already_in_the_database_stops_no_channels_alert(tmp_path, fake):
    """Through the real bot and scheduler: a database imported before the check holds a session at
    9999-12-31 23:30 UTC (past the calendar's end east of UTC); every channel still gets its alert."""
    from bot.data.dataset import SHIPPED_DATASET, load_dataset_file
    from bot.data.importer import ensure_games_loaded, import_games
    from tests.fake_discord.harness import bot_settings
    from tests.support.alerts import alert_bot, settle, sub, subscribe
    from tests.support.world import CHANNELS

    channels = {CHANNELS[0]: ("Europe/Amsterdam", "20:00"), CHANNELS[1]: ("Asia/Shanghai", "03:00"),
                CHANNELS[2]: ("Pacific/Kiritimati", "09:00")}  # all three at 19:00 UTC
    await subscribe(tmp_path, fake, *(sub(channel, zone, at) for channel, (zone, at) in channels.items()))
    shipped = load_dataset_file(SHIPPED_DATASET)
    far = replace(shipped.sessions[0], id="TBD-FINAL", start=datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
                  end=datetime(9999, 12, 31, 23, 59, tzinfo=UTC), medals=())
    with_far = GamesData.build(shipped.games, shipped.sports.values(), shipped.nations.values(), shipped.events.values(),
                               (*shipped.sessions, far), shipped.results, shipped.standings)
    async with await Database.open(bot_settings(tmp_path, fake).database) as db:
        await ensure_games_loaded(db)
        await import_games(db, with_far)
    async with alert_bot(tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        for channel in channels:
            await fake.wait_for_messages(channel)
        await settle(run)
    for channel, (zone, _) in channels.items():
        assert fake.messages(channel)[0]["content"].startswith("**Tomorrow's programme"), channel


@pytest.mark.parametrize("zone", ZONES)
def test_a_placeholder_session_given_a_real_time_gets_a_notice(zone):
    from bot.core.live_changes import SessionMove, render_notice

    data = games_with_a_placeholder_session()
    far = next(s for s in data.sessions if s.id == "tbd")
    real = replace(far, start=datetime(2030, 2, 9, 15, tzinfo=UTC), end=datetime(2030, 2, 9, 16, tzinfo=UTC))
    notice = render_notice(SessionMove(far, real), data, ZoneInfo(zone), "en")
    assert notice and "Men's 1500m" in notice
