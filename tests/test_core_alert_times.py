"""When the evening alert is due: local times in many zones, and the DST nights."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.alert_times import alert_instant, catch_up_due, evening_deadline, next_alert

AMS = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc


@pytest.mark.parametrize(
    "zone, expected_utc",
    [
        ("Europe/Amsterdam", datetime(2022, 2, 14, 19, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2022, 2, 15, 1, 0, tzinfo=UTC)),
        ("Asia/Shanghai", datetime(2022, 2, 14, 12, 0, tzinfo=UTC)),
        ("Pacific/Auckland", datetime(2022, 2, 14, 7, 0, tzinfo=UTC)),  # NZDT, UTC+13
    ],
)
def test_alert_is_at_local_time_in_each_zone(zone, expected_utc):
    assert alert_instant(date(2022, 2, 14), time(20, 0), ZoneInfo(zone)) == expected_utc


def test_a_time_skipped_by_spring_forward_moves_to_the_next_valid_minute():
    # 27 March 2022, Amsterdam: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    instant = alert_instant(date(2022, 3, 27), time(2, 30), AMS)
    assert instant == datetime(2022, 3, 27, 1, 0, tzinfo=UTC)
    assert instant.astimezone(AMS).strftime("%H:%M %Z") == "03:00 CEST"


def test_a_time_repeated_by_fall_back_is_sent_once_at_the_first():
    # 30 October 2022, Amsterdam: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    day, instant = next_alert(datetime(2022, 10, 29, 12, 0, tzinfo=UTC), time(2, 30), AMS)
    assert (day, instant) == (date(2022, 10, 30), datetime(2022, 10, 30, 0, 30, tzinfo=UTC))
    # After the first 02:30 the next alert is the next day's, not the repeated hour.
    day, instant = next_alert(instant, time(2, 30), AMS)
    assert (day, instant) == (date(2022, 10, 31), datetime(2022, 10, 31, 1, 30, tzinfo=UTC))


def test_evening_alert_on_the_dst_change_days_is_at_local_20_00():
    assert alert_instant(date(2022, 3, 27), time(20, 0), AMS) == datetime(2022, 3, 27, 18, 0, tzinfo=UTC)
    assert alert_instant(date(2022, 3, 26), time(20, 0), AMS) == datetime(2022, 3, 26, 19, 0, tzinfo=UTC)
    ny = ZoneInfo("America/New_York")
    assert alert_instant(date(2022, 3, 13), time(20, 0), ny) == datetime(2022, 3, 14, 0, 0, tzinfo=UTC)


def test_next_alert_is_strictly_after_now():
    at_alert = datetime(2022, 2, 14, 19, 0, tzinfo=UTC)
    assert next_alert(at_alert, time(20, 0), AMS) == (date(2022, 2, 15), datetime(2022, 2, 15, 19, 0, tzinfo=UTC))
    just_before = datetime(2022, 2, 14, 18, 59, 59, tzinfo=UTC)
    assert next_alert(just_before, time(20, 0), AMS) == (date(2022, 2, 14), at_alert)


def test_catch_up_only_the_same_local_evening():
    at = time(20, 0)
    assert catch_up_due(datetime(2022, 2, 14, 18, 0, tzinfo=UTC), at, AMS) is None  # 19:00, not yet due
    assert catch_up_due(datetime(2022, 2, 14, 20, 0, tzinfo=UTC), at, AMS) == date(2022, 2, 14)  # 21:00
    assert catch_up_due(datetime(2022, 2, 14, 22, 59, tzinfo=UTC), at, AMS) == date(2022, 2, 14)  # 23:59
    assert catch_up_due(datetime(2022, 2, 14, 23, 1, tzinfo=UTC), at, AMS) is None  # 00:01 the next day
    # A configured cut-off: not after 22:00 local.
    assert catch_up_due(datetime(2022, 2, 14, 21, 30, tzinfo=UTC), at, AMS, until=time(22, 0)) is None
    assert catch_up_due(datetime(2022, 2, 14, 20, 30, tzinfo=UTC), at, AMS, until=time(22, 0)) == date(2022, 2, 14)


def test_catch_up_until_after_midnight_reaches_into_the_next_morning():
    at, until = time(20, 0), time(1, 0)  # PODIUM_CATCH_UP_UNTIL=01:00
    assert catch_up_due(datetime(2022, 2, 14, 18, 0, tzinfo=UTC), at, AMS, until) is None  # 19:00, not yet due
    assert catch_up_due(datetime(2022, 2, 14, 22, 0, tzinfo=UTC), at, AMS, until) == date(2022, 2, 14)  # 23:00
    assert catch_up_due(datetime(2022, 2, 14, 23, 30, tzinfo=UTC), at, AMS, until) == date(2022, 2, 14)  # 00:30 next day
    assert catch_up_due(datetime(2022, 2, 15, 0, 0, tzinfo=UTC), at, AMS, until) is None  # 01:00: too late
    assert catch_up_due(datetime(2022, 2, 15, 10, 0, tzinfo=UTC), at, AMS, until) is None  # 11:00 the next day


def test_an_evening_may_be_retried_until_local_midnight_or_the_catch_up_limit():
    amsterdam = ZoneInfo("Europe/Amsterdam")
    assert evening_deadline(date(2022, 2, 14), time(20, 0), amsterdam) == datetime(2022, 2, 14, 23, 0, tzinfo=timezone.utc)
    assert evening_deadline(date(2022, 2, 14), time(20, 0), amsterdam, time(22, 0)) == datetime(2022, 2, 14, 21, 0, tzinfo=timezone.utc)
    # a limit at or before the alert time reaches past midnight, as for the catch-up: 01:00 the next morning
    assert evening_deadline(date(2022, 2, 14), time(20, 0), amsterdam, time(1, 0)) == datetime(2022, 2, 15, 0, 0, tzinfo=timezone.utc)
