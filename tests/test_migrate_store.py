"""`python -m bot migrate-store`: a SQLite database copied into PostgreSQL, as an operator runs it."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from bot.core.models import Result, Subscription
from bot.data.importer import ensure_games_loaded
from bot.store import deliveries, leases, live_posts
from bot.store import games as games_store
from bot.store import subscriptions as store
from bot.store.database import Database
from tests.support.cli import run

NOW = datetime(2022, 2, 14, 19, 0, tzinfo=timezone.utc)
CHANNEL, OTHER = 1_187_654_321_098_765_432, 10


async def sqlite_with_everything(path):
    """A database as a bot that has run for a while leaves it: Games, subscriptions, sent alerts,
    live state and its lease."""
    async with await Database.open(path) as db:
        await ensure_games_loaded(db)
        await store.save_subscription(db, Subscription(CHANNEL, 1_087_654_321_098_765_432, time(20, 0), "Europe/Amsterdam", "nl",
                                                       nation_code="NED"), 5, NOW)
        await store.save_subscription(db, Subscription(OTHER, 1, time(19, 30), "UTC", "en", full_programme=True), None, NOW)
        await store.set_status(db, OTHER, "paused", "Missing Permissions", NOW)
        await deliveries.record(db, CHANNEL, date(2022, 2, 13), "sent", [111, 112], now=NOW)
        await deliveries.record(db, OTHER, date(2022, 2, 13), "failed", detail="403", now=NOW)
        log = deliveries.DeliveryLog(db)  # an alert of two parts, the second of unknown fate
        await log.claim(CHANNEL, date(2022, 2, 14), [(0, "h0"), (1, "h1")], NOW, NOW)
        await log.confirm(CHANNEL, date(2022, 2, 14), 0, 1_387_654_321_098_765_432)
        await log.close()
        await live_posts.follow(db, {CHANNEL: ("NED", {"SSK-W-3000": (Result("SSK-W-3000", "gold", "Irene Schouten", "NED"),)})}, NOW)
        await live_posts.tell_session(db, CHANNEL, "SSK-W-3000-FNL", "2022-02-05T08:30:00Z", NOW, posted=True)
        await leases.take(db, "bot", "host:1:x", "host", 1, NOW, NOW + timedelta(seconds=30))


async def contents(target) -> dict:
    """What the bot reads from a database, through the store's own functions."""
    async with await Database.open(target) as db:
        ids = [r[0] for r in await db.fetchall("SELECT id FROM games ORDER BY id")]
        return {
            "games": {games_id: await games_store.load_games(db, games_id) for games_id in ids},
            "summaries": [s.__dict__ | {"imported_at": None} for s in await games_store.games_summaries(db)],
            "subscriptions": await store.all_subscriptions(db),
            "deliveries": [await deliveries.deliveries_for(db, c) for c in (CHANNEL, OTHER)],
            "parts": await deliveries.unfinished_parts(db, {date(2022, 2, 14)}),
            "followed": await live_posts.followed(db),
            "told": await live_posts.told_medals(db),
            "sessions told": await live_posts.told_sessions(db, CHANNEL),
            "meta": await db.fetchall("SELECT key, value FROM meta ORDER BY key"),
        }


async def test_a_sqlite_database_is_copied_into_postgresql_with_a_summary(tmp_path, postgres_url):
    source = tmp_path / "podium.sqlite3"
    await sqlite_with_everything(source)
    result = run("migrate-store", "--from", str(source), "--to", postgres_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Copied {source} into {postgres_url} in one transaction: ")
    async with await Database.open(source) as db:
        sessions = (await db.fetchone("SELECT COUNT(*) FROM sessions"))[0]
    assert sessions >= 444  # Beijing 2022 at least (every shipped Games is loaded at first start)
    assert f"  sessions: {sessions:,}\n" in result.stdout
    assert "  subscriptions: 2\n" in result.stdout and "  deliveries: 2\n" in result.stdout and "  delivery_parts: 2\n" in result.stdout
    assert "Not copied: leases" in result.stdout
    copied, original = await contents(postgres_url), await contents(source)
    assert copied == original
    assert "beijing-2022" in copied["games"] and len(copied["subscriptions"]) == 2
    assert [p.message_id for p in copied["parts"][(CHANNEL, date(2022, 2, 14))].values()] == [1_387_654_321_098_765_432, None]
    async with await Database.open(postgres_url) as db:
        assert await leases.current(db, "bot") is None  # each process takes its own
        assert await db.games_revision() > 0


async def test_a_target_with_rows_is_refused_unless_replace_is_asked_for(tmp_path, postgres_url):
    source = tmp_path / "podium.sqlite3"
    await sqlite_with_everything(source)
    async with await Database.open(postgres_url) as db:
        await store.save_subscription(db, Subscription(99, 1, time(20, 0), "UTC", "en"), None, NOW)

    refused = run("migrate-store", "--from", str(source), "--to", postgres_url)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "already holds rows (subscriptions 1); nothing was copied. Pass --replace" in refused.stderr
    assert "Traceback" not in refused.stderr
    async with await Database.open(postgres_url) as db:
        assert [s.channel_id for s in await store.all_subscriptions(db)] == [99]  # unchanged

    replaced = run("migrate-store", "--from", str(source), "--to", postgres_url, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "Replaced 1 row(s) the target held before." in replaced.stdout
    assert await contents(postgres_url) == await contents(source)


async def test_a_row_postgresql_refuses_leaves_the_target_as_it_was(tmp_path, postgres_url):
    source = tmp_path / "podium.sqlite3"
    await sqlite_with_everything(source)
    async with await Database.open(source) as db:  # SQLite keeps text in an INTEGER column; PostgreSQL does not
        async with db.transaction() as conn:
            await conn.execute("UPDATE deliveries SET channel_id = 'not a number' WHERE channel_id = ?", (OTHER,))
    result = run("migrate-store", "--from", str(source), "--to", postgres_url)
    assert result.returncode == 2
    assert "a row of deliveries cannot be copied" in result.stderr and "nothing was copied" in result.stderr
    assert "Traceback" not in result.stderr
    async with await Database.open(postgres_url) as db:
        assert await db.fetchone("SELECT COUNT(*) FROM games") == (0,)  # the rows before it were rolled back too
        assert await db.fetchone("SELECT COUNT(*) FROM subscriptions") == (0,)


def test_wrong_arguments_are_one_clear_sentence(tmp_path):
    missing = run("migrate-store", "--from", str(tmp_path / "none.sqlite3"), "--to", "postgresql://postgres@127.0.0.1:5432/postgres")
    assert missing.returncode == 2 and "no such SQLite file" in missing.stderr
    assert not (tmp_path / "none.sqlite3").exists()
    not_a_url = run("migrate-store", "--from", str(tmp_path / "none.sqlite3"), "--to", str(tmp_path / "other.sqlite3"))
    assert not_a_url.returncode == 2 and "--to must be a PostgreSQL URL" in not_a_url.stderr
    unreachable = tmp_path / "podium.sqlite3"
    unreachable.touch()
    down = run("migrate-store", "--from", str(unreachable), "--to", "postgresql://podium:secret@127.0.0.1:1/podium")
    assert down.returncode == 2 and "cannot connect to the PostgreSQL database postgresql://podium:***@127.0.0.1:1/podium" in down.stderr
    assert "secret" not in down.stderr and "Traceback" not in down.stderr
    assert unreachable.stat().st_size == 0  # the source is not touched when the target cannot be reached
