"""Whatever a user types into an option, the core answers with a value or a user error: never a crash."""
from datetime import date, time

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
        assert "/" in parse_timezone(text) or parse_timezone(text) == "UTC"
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
