"""Whatever a user types into an option, the core answers with a value or a user error: never a crash."""
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.core.i18n import CATALOGUE
from bot.core.inputs import InvalidInput, parse_date, parse_language, parse_time_of_day, parse_timezone
from bot.core.nations import UnknownNation, resolve_nation, suggest_nations
from bot.core.programme import UnknownSport, resolve_sport, suggest_sports
from bot.core.text import split_message
from bot.core.user_errors import user_message
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

GAMES = load_dataset_file(SHIPPED_DATASET)
TYPED = st.one_of(st.text(max_size=300), st.text(alphabet="0123456789-:/ .hNEDned", max_size=20),
                  st.sampled_from(["", " ", "@everyone", "<@&123>", "`", "\u202e", "Ünïcödé", "A" * 6000]))
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def said(error: Exception) -> str:
    messages = [user_message(error, language) for language in CATALOGUE]
    assert all(m and len(m) < 400 and "@everyone" not in m for m in messages), messages
    return messages[0]


@FUZZ
@given(TYPED)
def test_dates(text):
    try:
        assert isinstance(parse_date(text), date)
    except InvalidInput as error:
        said(error)


@FUZZ
@given(TYPED)
def test_times(text):
    try:
        assert isinstance(parse_time_of_day(text), time)
    except InvalidInput as error:
        said(error)


@FUZZ
@given(TYPED)
def test_timezones(text):
    try:
        assert parse_timezone(text) in available_timezones() | {"UTC"}
    except InvalidInput as error:
        said(error)


@FUZZ
@given(TYPED)
def test_languages(text):
    try:
        assert parse_language(text) in ("en", "nl")
    except InvalidInput as error:
        said(error)


@FUZZ
@given(TYPED)
def test_nations(text):
    assert len(suggest_nations(text, GAMES.nations.values())) <= 25
    try:
        assert resolve_nation(text, GAMES.nations.values()).code in GAMES.nations
    except UnknownNation as error:
        assert len(error.suggestions) <= 3
        said(error)


@FUZZ
@given(TYPED)
def test_sports(text):
    assert len(suggest_sports(text, GAMES.sports.values())) <= 25
    try:
        assert resolve_sport(text, GAMES.sports.values()).id in GAMES.sports
    except UnknownSport as error:
        said(error)


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6000), st.integers(min_value=50, max_value=2000))
def test_split_message_never_exceeds_the_limit(text, limit):
    parts = split_message(text, limit)
    assert all(len(part) <= limit for part in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


ZONES = ["Europe/Amsterdam", "Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"]
INSTANTS = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)).map(lambda d: d.replace(tzinfo=timezone.utc))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(INSTANTS, st.dates(), st.sampled_from(ZONES), st.booleans())
def test_the_evening_alert_never_raises_whatever_a_session_date(start, day, zone, spoilers):
    """A database imported before the far-date check may hold any instant: every channel's alert
    still renders, for any day, in any zone (one channel's alert cannot stop another's)."""
    from bot.core.evening_alert import compose_evening_alert
    from bot.core.models import GamesData
    from bot.core.programme import games_days, programme_for
    from bot.core.render import render_programme

    end = start + timedelta(minutes=1) if start.year < 9999 else start
    far = replace(GAMES.sessions[0], id="far", start=start, end=end)
    data = GamesData.build(GAMES.games, GAMES.sports.values(), GAMES.nations.values(), GAMES.events.values(),
                           (*GAMES.sessions, far), GAMES.results, GAMES.standings)
    tz = ZoneInfo(zone)
    now = datetime(2022, 2, 14, 19, tzinfo=timezone.utc)
    assert len(games_days(data, tz)) < 200
    compose_evening_alert(data, day, tz, "en", focus="NED", now=now, spoilers=spoilers)
    assert compose_evening_alert(data, date(2022, 2, 15), tz, "en", focus="NED", now=now, spoilers=spoilers)
    render_programme(programme_for(data, day, tz), "en")
