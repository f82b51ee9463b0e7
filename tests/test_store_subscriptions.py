"""Subscriptions and the delivery log on a real SQLite file."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from bot.core.models import Subscription
from bot.store import deliveries
from bot.store import subscriptions as store
from bot.store.database import Database

NOW = datetime(2022, 2, 10, 12, 0, tzinfo=timezone.utc)


async def test_subscribe_again_updates_and_never_duplicates(tmp_path):
    async with await Database.open(tmp_path / "p.sqlite3") as db:
        first = Subscription(10, 1, time(20, 0), "Europe/Amsterdam", "en")
        assert await store.save_subscription(db, first, by_user=5, now=NOW) is True
        second = Subscription(10, 1, time(21, 30), "Asia/Shanghai", "nl", "SSK", "NED")
        assert await store.save_subscription(db, second, by_user=5, now=NOW) is False
        assert await store.all_subscriptions(db) == [second]
        assert await store.guild_subscriptions(db, 1) == [second]
        assert await store.guild_subscriptions(db, 2) == []


async def test_pause_shows_the_reason_and_resubscribing_resumes(tmp_path):
    async with await Database.open(tmp_path / "p.sqlite3") as db:
        sub = Subscription(10, 1, time(20, 0), "Europe/Amsterdam", "en")
        await store.save_subscription(db, sub, None, NOW)
        await store.set_status(db, 10, "paused", "Missing Permissions", NOW)
        paused = await store.get_subscription(db, 10)
        assert (paused.status, paused.paused_reason) == ("paused", "Missing Permissions")
        await store.save_subscription(db, sub, None, NOW)
        assert (await store.get_subscription(db, 10)).status == "active"


async def test_unsubscribe(tmp_path):
    async with await Database.open(tmp_path / "p.sqlite3") as db:
        await store.save_subscription(db, Subscription(10, 1, time(20, 0), "UTC", "en"), None, NOW)
        assert await store.delete_subscription(db, 10) is True
        assert await store.delete_subscription(db, 10) is False
        assert await store.get_subscription(db, 10) is None


async def test_delivery_log_marks_sent_per_channel_and_date(tmp_path):
    async with await Database.open(tmp_path / "p.sqlite3") as db:
        day = date(2022, 2, 14)
        await deliveries.record(db, 10, day, "failed", detail="502", now=NOW)
        assert not await deliveries.delivered(db, 10, day)
        await deliveries.record(db, 10, day, "sent", [111, 112], now=NOW)
        await deliveries.record(db, 11, date(2022, 2, 13), "sent", [113], now=NOW)
        assert await deliveries.delivered(db, 10, day)
        assert await deliveries.delivered_channels(db, {day}) == {(10, day)}
        assert await deliveries.deliveries_for(db, 10) == [("2022-02-14", "evening", "sent", "111,112", None)]


async def test_a_channel_may_ask_for_the_full_programme(tmp_path):
    async with await Database.open(tmp_path / "p.sqlite3") as db:
        plain = Subscription(10, 1, time(20, 0), "Europe/Paris", "nl")
        full = Subscription(11, 1, time(20, 0), "Europe/Paris", "nl", full_programme=True)
        await store.save_subscription(db, plain, None, NOW)
        await store.save_subscription(db, full, None, NOW)
        assert [s.full_programme for s in await store.all_subscriptions(db)] == [False, True]
        assert plain.variant != full.variant  # rendered separately
        await store.save_subscription(db, Subscription(11, 1, time(20, 0), "Europe/Paris", "nl"), None, NOW)
        assert (await store.get_subscription(db, 11)).full_programme is False


async def test_a_database_from_before_the_full_programme_keeps_its_subscriptions(tmp_path, monkeypatch):
    import bot.store.database as database

    every = database.migrations()
    assert any(name == "full_programme" for _, name, _ in every)
    monkeypatch.setattr(database, "migrations", lambda: [m for m in every if m[1] != "full_programme"])
    path = tmp_path / "old.sqlite3"
    async with await Database.open(path) as db:
        await db.connection.execute(
            "INSERT INTO subscriptions (channel_id, guild_id, alert_time, timezone, language, sport_id, nation_code, spoilers,"
            " created_at, updated_at) VALUES (10, 1, '19:30', 'Europe/Amsterdam', 'nl', 'SSK', 'NED', 0, 'x', 'x')")
        assert "full_programme" not in [row[1] for row in await db.fetchall("PRAGMA table_info(subscriptions)")]
    monkeypatch.setattr(database, "migrations", lambda: every)
    async with await Database.open(path) as db:
        assert await db.schema_version() == every[-1][0]
        assert await store.all_subscriptions(db) == [
            Subscription(10, 1, time(19, 30), "Europe/Amsterdam", "nl", "SSK", "NED", spoilers=False, full_programme=False)]
