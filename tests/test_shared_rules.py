"""Rules that used to be written out in several places, now one function each: a Discord locale
to a language, the end of a local day, a setting parsed as the same option typed in Discord."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.i18n import locale_language, server_language
from bot.core.programme import end_of_day
from bot.settings import SettingsError, load_settings


@pytest.mark.parametrize("locale, language", [("nl", "nl"), ("en-US", "en"), ("en-GB", "en"), ("de", None), ("", None), (None, None)])
def test_a_users_locale_gives_the_language_podium_speaks_for_it(locale, language):
    assert locale_language(locale) == language


@pytest.mark.parametrize("guild_locale, default, language", [
    ("nl", "en", "nl"),  # a Dutch server
    ("en-US", "nl", "nl"),  # Discord's default locale says nothing: the bot's default stands
    ("en-GB", "en", "en"),
    ("de", "nl", "nl"),  # a language Podium does not speak
    (None, "en", "en"),
])
def test_a_servers_locale_gives_its_language_only_when_it_says_something(guild_locale, default, language):
    assert server_language(guild_locale, default) == language


def test_the_end_of_a_day_is_midnight_at_its_end_in_its_zone():
    assert end_of_day(date(2022, 2, 15), ZoneInfo("Europe/Amsterdam")) == datetime(2022, 2, 15, 23, 0, tzinfo=timezone.utc)
    # the night clocks go back: the day has 25 hours, and it still ends at local midnight
    assert end_of_day(date(2030, 10, 27), ZoneInfo("Europe/Amsterdam")) == datetime(2030, 10, 27, 23, 0, tzinfo=timezone.utc)


def test_settings_take_what_the_commands_take():
    settings = load_settings({"PODIUM_TIMEZONE": "america/new york", "PODIUM_LANGUAGE": " NL ", "PODIUM_ALERT_TIME": "7.30"})
    assert (settings.timezone, settings.language, settings.alert_time.isoformat()) == ("America/New_York", "nl", "07:30:00")


def test_a_misspelt_zone_setting_suggests_the_zone():
    with pytest.raises(SettingsError) as caught:
        load_settings({"PODIUM_TIMEZONE": "Europe/Amsterdm"})
    assert str(caught.value).startswith("PODIUM_TIMEZONE: 'Europe/Amsterdm' is not a known IANA time zone; use a name like Europe/Amsterdam")
