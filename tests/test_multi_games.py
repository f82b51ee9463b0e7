"""Several Games in one database: which one answers by the clock, naming one, every shipped Games
loaded side by side, re-importing one without touching another, and a database of the previous
release upgrading with its subscriptions and delivery log."""
from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import time as wallclock
from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.core.games_choice import RESULTS, SCHEDULE, GamesInfo, choose_games, resolve_games, suggest_games
from bot.core.inputs import InvalidInput
from bot.core.models import Subscription
from bot.data.dataset import parse_dataset
from bot.data.importer import SHIPPED_KEY, ensure_games_loaded, import_games
from bot.services import GamesCache
from bot.store import deliveries
from bot.store import games as games_store
from bot.store import subscriptions as subscriptions_store
from bot.store.database import Database
from bot.store.meta import get_meta, set_meta
from tests.support.cli import env_for, run
from tests.support.commands import ask, assert_error
from tests.support.datasets import changed, mini_dataset
from tests.support.world import CHANNEL, DUTCH_CHANNEL, DUTCH_GUILD, GUILD, MANAGER, MEMBER
from tests.fake_discord.harness import bot_settings, running_bot

UTC = timezone.utc


def info(games_id: str, first: str, last: str, results: int = 1, imported: str = "2026-01-01T00:00:00Z") -> GamesInfo:
    name = {"en": games_id.replace("-", " ").title()}
    return GamesInfo(games_id, name, datetime.fromisoformat(first), datetime.fromisoformat(last), results, imported)


SHIPPED = [
    info("beijing-2022", "2022-02-02T12:05:00+00:00", "2022-02-20T06:20:00+00:00"),
    info("paris-2024", "2024-07-24T13:00:00+00:00", "2024-08-11T19:01:00+00:00"),
    info("milano-cortina-2026", "2026-02-04T10:30:00+00:00", "2026-02-22T22:00:00+00:00"),
    info("la-2028", "2028-07-10T16:00:00+00:00", "2028-07-31T04:00:00+00:00", results=0),
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- which Games answers (pure) ------------------------------------------------------------------

@pytest.mark.parametrize("now, schedule, results", [
    ("2022-02-10T12:00:00+00:00", "beijing-2022", "beijing-2022"),  # running: both
    ("2022-01-20T12:00:00+00:00", "beijing-2022", "beijing-2022"),  # before the first: it comes next, nothing earlier
    ("2024-06-01T12:00:00+00:00", "paris-2024", "beijing-2022"),  # before Paris: its programme, Beijing's medals
    ("2026-12-01T12:00:00+00:00", "la-2028", "milano-cortina-2026"),
    ("2028-07-13T20:00:00+00:00", "la-2028", "la-2028"),  # running, though without medals yet
    ("2028-05-01T12:00:00+00:00", "la-2028", "milano-cortina-2026"),
    ("2031-01-01T12:00:00+00:00", "la-2028", "milano-cortina-2026"),  # after the last: the last; medals: the last with any
])
def test_the_clock_chooses_the_games(now, schedule, results):
    assert choose_games(SHIPPED, at(now), SCHEDULE).id == schedule
    assert choose_games(SHIPPED, at(now), RESULTS).id == results


def test_overlapping_games_go_to_the_one_imported_last_and_none_loaded_is_none():
    test_games = info("test-2022", "2022-02-01T00:00:00+00:00", "2022-02-28T00:00:00+00:00", imported="2026-06-01T00:00:00Z")
    assert choose_games([*SHIPPED, test_games], at("2022-02-10T12:00:00+00:00")).id == "test-2022"
    assert choose_games([], at("2022-02-10T12:00:00+00:00")) is None


@pytest.mark.parametrize("query, games_id", [
    ("Milano Cortina 2026", "milano-cortina-2026"), ("milano-cortina-2026", "milano-cortina-2026"), ("2026", "milano-cortina-2026"),
    ("beijing", "beijing-2022"), ("Paris 2024", "paris-2024"), (" LA 2028 ", "la-2028"), ("milano cortina", "milano-cortina-2026"),
])
def test_a_games_is_named_by_id_name_or_year(query, games_id):
    assert resolve_games(query, SHIPPED).id == games_id


def test_a_wrong_or_ambiguous_name_lists_the_loaded_games():
    with pytest.raises(InvalidInput) as wrong:
        resolve_games("Sapporo", SHIPPED)
    assert wrong.value.key == "error.unknown_games" and "Beijing 2022 (beijing-2022)" in wrong.value.params["choices"]
    assert "La 2028 (la-2028)" in wrong.value.params["choices"]
    with pytest.raises(InvalidInput) as ambiguous:
        resolve_games("20", SHIPPED)
    assert ambiguous.value.key == "error.ambiguous_games"
    assert [g.id for g in suggest_games("", SHIPPED)] == ["la-2028", "milano-cortina-2026", "paris-2024", "beijing-2022"]
    assert [g.id for g in suggest_games("pa", SHIPPED)] == ["paris-2024"]


# -- side by side in the store -------------------------------------------------------------------

def mini(games_id: str):
    document = mini_dataset()
    document["games"]["id"] = games_id
    return parse_dataset(json.dumps(document))


async def test_reimporting_one_games_never_touches_another(tmp_path):
    async with await Database.open(tmp_path / "two.sqlite3") as db:
        await import_games(db, mini("mini-a"))
        await import_games(db, mini("mini-b"))
        cache = GamesCache(db, recheck=3600)
        b_before = await cache.get("mini-b")

        moved = changed(mini_dataset(), lambda d: (d["games"].update(id="mini-a"), d["sessions"][2].update(venue="Other Arena"),
                                                   d["results"].pop()))
        changes = await import_games(db, parse_dataset(json.dumps(moved)))
        assert changes.count == 2

        a_after, b_after = await games_store.load_games(db, "mini-a"), await games_store.load_games(db, "mini-b")
        assert {s.venue for s in a_after.sessions if s.id == "s3"} == {"Other Arena"}
        assert b_after == b_before  # every row of the other Games as it was
        # the cache follows the import at once, without being told
        assert {s.venue for s in (await cache.get("mini-a")).sessions if s.id == "s3"} == {"Other Arena"}
        assert await cache.get("mini-b") == b_before


async def old_release_database(path) -> None:
    """A database as the previous release left it: Beijing 2022 only, served as 'the active Games',
    its shipped hash recorded, a subscription and a delivery. This change adds no migration, so the
    schema is the one the previous release made."""
    from bot.data.dataset import SHIPPED_DATASET, load_dataset_file

    async with await Database.open(path) as db:  # the same schema: this change adds no migration
        await import_games(db, load_dataset_file(SHIPPED_DATASET))
        await set_meta(db, SHIPPED_KEY, hashlib.sha256(SHIPPED_DATASET.read_bytes()).hexdigest())
        await set_meta(db, "active_games", "beijing-2022")
        sub = Subscription(777, 555, time(20, 0), "Europe/Amsterdam", "nl", nation_code="NED")
        await subscriptions_store.save_subscription(db, sub, 1, datetime(2022, 2, 1, tzinfo=UTC))
        await deliveries.record(db, 777, date(2022, 2, 14), "sent", [123], now=datetime(2022, 2, 14, 19, tzinfo=UTC))


async def test_a_database_of_the_previous_release_upgrades_without_losing_anything(tmp_path):
    path = tmp_path / "old.sqlite3"
    await old_release_database(path)
    with sqlite3.connect(path) as conn:
        beijing_rows = conn.execute("SELECT COUNT(*) FROM standings").fetchone()[0]
    async with await Database.open(path) as db:
        loaded = await ensure_games_loaded(db)
        assert sorted(loaded) == ["la-2028", "milano-cortina-2026", "paris-2024"]  # Beijing was up to date
        subs = await subscriptions_store.all_subscriptions(db)
        assert [(s.channel_id, s.language, s.nation_code) for s in subs] == [(777, "nl", "NED")]
        assert await deliveries.delivered_channels(db, {date(2022, 2, 14)}) == {(777, date(2022, 2, 14))}
        cache = GamesCache(db)
        assert len((await cache.get("beijing-2022")).standings) == beijing_rows
        assert (await cache.choose(at("2028-07-13T20:00:00+02:00"))).games.id == "la-2028"
        assert await get_meta(db, SHIPPED_KEY) is not None


# -- the command line -----------------------------------------------------------------------------

def test_cli_medals_of_a_named_games(shipped_db):
    result = run("medals", "NED", "--games", "2026", env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("🏟️ Milano Cortina 2026\n")
    assert "rank 3 · 🥇 10 🥈 7 🥉 3 · 20 medals" in result.stdout


def test_cli_preview_of_la_2028_opening_day_in_los_angeles_time(shipped_db):
    result = run("preview", "--games", "la-2028", "--date", "2028-07-14", env=env_for(shipped_db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("🏟️ LA 2028\n**Tomorrow's programme — Friday 14 July**\nTimes in America/Los_Angeles")
    assert "`07:00` M/W Kayak Single Heats" in result.stdout  # CSL01, 09:00 in Oklahoma City
    assert "`17:00`" in result.stdout and "CER01A" in result.stdout  # the Opening Ceremony in Inglewood
    assert "`time TBA`" in result.stdout and "`00:00`" not in result.stdout


def test_cli_games_lists_every_games_and_which_answers(shipped_db):
    result = run("games", env=env_for(shipped_db, PODIUM_CLOCK="2026-12-01T12:00:00+01:00"))
    assert result.returncode == 0, result.stderr
    assert "the programme and evening alert come from la-2028, medals and results from milano-cortina-2026" in result.stdout
    for games_id in ("beijing-2022", "paris-2024", "milano-cortina-2026", "la-2028"):
        assert f"{games_id}: " in result.stdout


@pytest.mark.parametrize("args", [["medals", "--games", "Sapporo 1972"], ["preview", "--games", "nowhere"],
                                  ["calendar", "--games", "x"], ["replay", "--games", "Sapporo"]])
def test_cli_a_wrong_games_lists_the_loaded_ones(shipped_db, args):
    result = run(*args, env=env_for(shipped_db))
    assert result.returncode == 2
    assert "the loaded Games are: Beijing 2022 (beijing-2022), Paris 2024 (paris-2024), Milano Cortina 2026" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_replay_refuses_a_start_when_another_games_answers(shipped_db):
    result = run("replay", "--games", "beijing", "--from", "2026-02-10T12:00:00+01:00", env=env_for(shipped_db))
    assert result.returncode == 2 and "serves milano-cortina-2026, not beijing-2022" in result.stderr
    no_start = run("replay", env=env_for(shipped_db))
    assert no_start.returncode == 2 and "--from" in no_start.stderr


# -- on Discord, through the fake ------------------------------------------------------------------

async def test_medals_answer_from_milano_cortina_in_december_2026(tmp_path, fake):

    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2026-12-01T20:00:00+01:00"):
        result = await ask(fake, "medals", {"country": "NED"})
        assert result["text"].startswith("🏟️ **Milano Cortina 2026**\n")
        assert "rank 3 · 🥇 10 🥈 7 🥉 3" in result["text"]
        beijing = await ask(fake, "medals", {"country": "NED", "games": "beijing"})
        assert beijing["text"].startswith("🏟️ **Beijing 2022**\n") and "🥇 8 🥈 5 🥉 4" in beijing["text"]


async def test_programme_on_13_july_2028_gives_la_2028_and_names_it(tmp_path, fake):

    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2028-07-13T20:00:00-07:00", PODIUM_TIMEZONE="America/Los_Angeles"):
        result = await ask(fake, "programme")
        assert result["text"].startswith("🏟️ **LA 2028**\n**Tomorrow's programme — Friday 14 July**\nTimes in America/Los_Angeles")
        assert "CER01A" in result["text"]
        paris = await ask(fake, "programme", {"games": "Paris 2024", "date": "2024-08-03"})
        assert paris["text"].startswith("🏟️ **Paris 2024**\n**Programme for Saturday 3 August**")
        by_date = await ask(fake, "results", {"date": "2022-02-15"})  # a date inside another Games answers from it
        assert by_date["text"].startswith("🏟️ **Beijing 2022**\n")
        dutch = await ask(fake, "medals", {"games": "2026"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        assert dutch["text"].startswith("🏟️ **Milaan-Cortina 2026**\n**Medaillespiegel**")
        assert_error(await ask(fake, "programme", {"games": "Sapporo"}), "I don't know the Games 'Sapporo'",
                     "Beijing 2022 (beijing-2022)", "LA 2028 (la-2028)")
        offered = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"games": "cortina"}, type=4)
        assert [c["value"] for c in (await offered.response())["choices"]] == ["milano-cortina-2026"]
        everything = await fake.interact(GUILD, CHANNEL, MEMBER, "calendar", {"games": ""}, type=4)
        assert [c["value"] for c in (await everything.response())["choices"]] == ["la-2028", "milano-cortina-2026", "paris-2024",
                                                                                 "beijing-2022"]




async def test_between_games_a_channel_subscribes_to_a_sport_of_any_games(tmp_path, fake):
    """In December 2026 the next Games is LA 2028 (no speed skating), yet a Winter fan's sport
    filter is a sport of the loaded Games, and /subscriptions still names it."""
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2026-12-01T20:00:00+01:00"):
        offered = await fake.interact(GUILD, CHANNEL, MANAGER, "subscribe", {"sport": "speed sk"}, type=4)
        assert "SSK" in [c["value"] for c in (await offered.response())["choices"]]
        done = await ask(fake, "subscribe", {"sport": "Speed Skating"}, user=MANAGER)
        assert "only Speed Skating" in done["text"]
        listing = await ask(fake, "subscriptions", user=MANAGER)
        assert "only Speed Skating" in listing["text"]
        assert_error(await ask(fake, "programme", {"sport": "Speed Skating"}), "I don't know the sport")  # LA 2028 has none

async def test_a_channel_subscribed_during_beijing_gets_la_2028s_evening_alert(tmp_path, fake):
    """Subscribed in February 2022, nothing done since: on 13 July 2028 at 20:00 in Los Angeles it
    gets the programme of LA 2028's 14 July; a channel subscribed in another zone shows the bot can
    post (its alert comes at its own time)."""

    settings = bot_settings(tmp_path, fake)
    settings.database.parent.mkdir(parents=True, exist_ok=True)
    async with await Database.open(settings.database) as db:
        sub = Subscription(CHANNEL, GUILD, time(20, 0), "America/Los_Angeles", "en")
        await subscriptions_store.save_subscription(db, sub, MEMBER, datetime(2022, 2, 10, tzinfo=UTC))
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2028-07-13T19:59:50-07:00", PODIUM_CLOCK_SPEED=10, PODIUM_SEND_RATE=0):
        deadline = wallclock.monotonic() + 10
        while not fake.messages(CHANNEL):
            assert wallclock.monotonic() < deadline, "no alert arrived"
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)
    text = "\n".join(m["content"] for m in fake.messages(CHANNEL))
    assert text.startswith("**Tomorrow's programme — Friday 14 July**\nTimes in America/Los_Angeles")
    assert "CER01A" in text and "`07:00` M/W Kayak Single Heats" in text


async def test_the_eve_of_la_2028_brings_the_countdown(tmp_path, fake):

    settings = bot_settings(tmp_path, fake)
    settings.database.parent.mkdir(parents=True, exist_ok=True)
    async with await Database.open(settings.database) as db:
        sub = Subscription(CHANNEL, GUILD, time(20, 0), "America/Los_Angeles", "en")
        await subscriptions_store.save_subscription(db, sub, MEMBER, datetime(2022, 2, 10, tzinfo=UTC))
    first = date(2028, 7, 10)  # the first day with a session (football, time to be announced)
    eve = datetime.combine(first - timedelta(days=1), time(19, 59, 50)).isoformat() + "-07:00"
    async with running_bot(tmp_path, fake, PODIUM_CLOCK=eve, PODIUM_CLOCK_SPEED=10, PODIUM_SEND_RATE=0):
        deadline = wallclock.monotonic() + 10
        while not fake.messages(CHANNEL):
            assert wallclock.monotonic() < deadline, "no alert arrived"
            await asyncio.sleep(0.02)
    assert fake.messages(CHANNEL)[0]["content"].startswith("🎉 **LA 2028 starts tomorrow!**")


# -- replays of every shipped Games ---------------------------------------------------------------

@pytest.mark.parametrize("games_id", ["beijing-2022", "milano-cortina-2026", "paris-2024", "la-2028"])
def test_serve_feed_replays_every_shipped_games(games_id):
    from bot.__main__ import build_parser
    from bot.clock import Clock
    from bot.data.dataset import SHIPPED_DIR, load_dataset_file
    from bot.feed.adapters import podium
    from bot.feed.replay_server import REPLAYS, ReplayFeed

    assert build_parser().parse_args(["serve-feed", "--replay", games_id]).replay == games_id
    data = load_dataset_file(SHIPPED_DIR / REPLAYS[games_id])
    middle = data.sessions[len(data.sessions) // 2].start
    body, _ = ReplayFeed(data, Clock(middle, 1)).body()
    served = podium.parse(body, games_id, None, skipped=[])
    assert served.games.id == games_id and len(served.sessions) == len(data.sessions)
    assert len(served.results) < len(data.results) or not data.results  # results still to come are not revealed


async def test_replay_of_a_games_starts_on_its_eve_or_where_asked(shipped_db):
    from bot.cli_commands import replay_start
    from bot.settings import load_settings

    settings = load_settings({"PODIUM_DATABASE": str(shipped_db), "PODIUM_TIMEZONE": "America/Los_Angeles"})
    assert await replay_start(settings, "LA 2028", None) == datetime(2028, 7, 9, 19, 59, tzinfo=settings.zone)
    asked = at("2028-07-13T19:59:00-07:00")
    assert await replay_start(settings, "la-2028", asked) == asked
    assert await replay_start(settings, "paris", None) == datetime(2024, 7, 23, 19, 59, tzinfo=settings.zone)
