"""Settings from config/ and the environment: defaults, overrides, and a clear error per bad value."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.settings import SettingsError, load_settings


def test_defaults_come_from_config():
    settings = load_settings({})
    assert settings.database == Path("var/podium.sqlite3")
    assert settings.timezone == "Europe/Amsterdam"
    assert settings.language == "en"
    assert settings.alert_time == time(20, 0)
    assert settings.discord_token is None
    assert settings.discord_api == "https://discord.com/api/v10"
    assert settings.discord_gateway is None and settings.sync_guild is None
    assert settings.clock_start is None and settings.clock_speed == 1.0


def test_environment_overrides_config():
    settings = load_settings({
        "PODIUM_DATABASE": "/data/p.sqlite3", "PODIUM_TIMEZONE": "Asia/Shanghai", "PODIUM_LANGUAGE": "NL",
        "PODIUM_ALERT_TIME": "7:30", "DISCORD_TOKEN": " abc ", "PODIUM_DISCORD_API": "http://127.0.0.1:9999/api/v10/",
        "PODIUM_DISCORD_GATEWAY": "ws://127.0.0.1:9999/gateway", "PODIUM_SYNC_GUILD": "123",
        "PODIUM_CLOCK": "2022-02-14T19:59:00+01:00", "PODIUM_CLOCK_SPEED": "60",
    })
    assert settings.database == Path("/data/p.sqlite3")
    assert (settings.timezone, settings.language, settings.alert_time) == ("Asia/Shanghai", "nl", time(7, 30))
    assert settings.discord_token == "abc"
    assert settings.discord_api == "http://127.0.0.1:9999/api/v10"
    assert settings.discord_gateway == "ws://127.0.0.1:9999/gateway"
    assert settings.sync_guild == 123
    assert settings.clock_start == datetime(2022, 2, 14, 18, 59, tzinfo=timezone.utc)
    assert settings.clock_speed == 60


@pytest.mark.parametrize(
    "name, value, says",
    [
        ("PODIUM_TIMEZONE", "Europe/Amsterdm", "PODIUM_TIMEZONE: 'Europe/Amsterdm' is not a known IANA time zone"),
        ("PODIUM_LANGUAGE", "de", "PODIUM_LANGUAGE: 'de' is not supported; use one of: en, nl."),
        ("PODIUM_ALERT_TIME", "25:00", "PODIUM_ALERT_TIME: '25:00' is not a time of day; use HH:MM"),
        ("PODIUM_DISCORD_API", "discord.com", "PODIUM_DISCORD_API: 'discord.com' is not a URL"),
        ("PODIUM_SYNC_GUILD", "my-server", "PODIUM_SYNC_GUILD: 'my-server' is not a Discord id"),
        ("PODIUM_CLOCK", "2022-02-14 19:59", "PODIUM_CLOCK: '2022-02-14 19:59' is not an ISO 8601 instant with offset"),
        ("PODIUM_CLOCK_SPEED", "fast", "PODIUM_CLOCK_SPEED: 'fast' is not a speed"),
        ("PODIUM_SEND_RATE", "-1", "PODIUM_SEND_RATE: '-1' is not a number from 0 to 10000."),
        ("PODIUM_SEND_CONCURRENCY", "many", "PODIUM_SEND_CONCURRENCY: 'many' is not a number from 1 to 1000."),
        ("PODIUM_CATCH_UP_UNTIL", "midnight", "PODIUM_CATCH_UP_UNTIL: 'midnight' is not a time of day"),
        ("PODIUM_FEED_INTERVAL", "0", "PODIUM_FEED_INTERVAL: '0' is not a number from 0.05 to 86400."),
        ("PODIUM_FEED_ADAPTER", "rss", "PODIUM_FEED_ADAPTER: 'rss' is not a feed adapter; use one of: podium."),
    ],
)
def test_a_bad_value_names_the_setting(name, value, says):
    with pytest.raises(SettingsError) as caught:
        load_settings({name: value})
    assert str(caught.value).startswith(says)


def test_a_missing_config_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match="PODIUM_CONFIG: no file at"):
        load_settings({"PODIUM_CONFIG": str(tmp_path / "nope.toml")})


def test_simulated_clock_moves_at_its_speed():
    ticks = iter([100.0, 130.0])
    clock = Clock(datetime(2022, 2, 14, 18, 59, tzinfo=timezone.utc), speed=60, monotonic=lambda: next(ticks))
    assert clock.simulated
    assert clock.now() == datetime(2022, 2, 14, 18, 59, tzinfo=timezone.utc) + timedelta(minutes=30)


@pytest.mark.parametrize("token", ["abc.def\nghi", "abc def", "abc\u200bdef", "abc\x00def"])
def test_a_token_with_a_line_break_or_space_is_refused_without_repeating_it(token):
    with pytest.raises(SettingsError) as caught:
        load_settings({"DISCORD_TOKEN": token})
    assert str(caught.value).startswith("DISCORD_TOKEN: the token contains a line break, space or other character")
    assert "abc" not in str(caught.value)


def test_catch_up_until_after_midnight_is_accepted():
    assert load_settings({"PODIUM_CATCH_UP_UNTIL": "01:00"}).catch_up_until == time(1, 0)


@pytest.mark.parametrize("zone", ["CET", "EST5EDT", "Etc/GMT+5"])
def test_every_zone_tzdata_knows_is_a_valid_default(zone):
    assert load_settings({"PODIUM_TIMEZONE": zone}).timezone == zone
