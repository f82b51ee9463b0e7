"""Subscriptions and the delivery log on both backends (a real SQLite file, a fresh PostgreSQL schema)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from bot.core.models import Subscription
from bot.store import deliveries
from bot.store import subscriptions as store
from bot.store.database import Database

NOW = datetime(2022, 2, 10, 12, 0, tzinfo=timezone.utc)


async def test_subscribe_again_updates_and_never_duplicates(store_target):
    async with await Database.open(store_target) as db:
        first = Subscription(10, 1, time(20, 0), "Europe/Amsterdam", "en")
        assert await store.save_subscription(db, first, by_user=5, now=NOW) is True
        second = Subscription(10, 1, time(21, 30), "Asia/Shanghai", "nl", "SSK", "NED")
        assert await store.save_subscription(db, second, by_user=5, now=NOW) is False
        assert await store.all_subscriptions(db) == [second]
        assert await store.guild_subscriptions(db, 1) == [second]
        assert await store.guild_subscriptions(db, 2) == []


async def test_pause_shows_the_reason_and_resubscribing_resumes(store_target):
    async with await Database.open(store_target) as db:
        sub = Subscription(10, 1, time(20, 0), "Europe/Amsterdam", "en")
        await store.save_subscription(db, sub, None, NOW)
        await store.set_status(db, 10, "paused", "Missing Permissions", NOW)
        paused = await store.get_subscription(db, 10)
        assert (paused.status, paused.paused_reason) == ("paused", "Missing Permissions")
        await store.save_subscription(db, sub, None, NOW)
        assert (await store.get_subscription(db, 10)).status == "active"


async def test_unsubscribe(store_target):
    async with await Database.open(store_target) as db:
        await store.save_subscription(db, Subscription(10, 1, time(20, 0), "UTC", "en"), None, NOW)
        assert await store.delete_subscription(db, 10) is True
        assert await store.delete_subscription(db, 10) is False
        assert await store.get_subscription(db, 10) is None


async def test_delivery_log_marks_sent_per_channel_and_date(store_target):
    async with await Database.open(store_target) as db:
        day = date(2022, 2, 14)
        await deliveries.record(db, 10, day, "failed", detail="502", now=NOW)
        assert not await deliveries.delivered(db, 10, day)
        await deliveries.record(db, 10, day, "sent", [111, 112], now=NOW)
        await deliveries.record(db, 11, date(2022, 2, 13), "sent", [113], now=NOW)
        assert await deliveries.delivered(db, 10, day)
        assert await deliveries.delivered_channels(db, {day}) == {(10, day)}
        assert await deliveries.deliveries_for(db, 10) == [("2022-02-14", "evening", "sent", "111,112", None)]


async def test_a_channel_may_ask_for_the_full_programme(store_target):
    async with await Database.open(store_target) as db:
        plain = Subscription(10, 1, time(20, 0), "Europe/Paris", "nl")
        full = Subscription(11, 1, time(20, 0), "Europe/Paris", "nl", full_programme=True)
        await store.save_subscription(db, plain, None, NOW)
        await store.save_subscription(db, full, None, NOW)
        assert [s.full_programme for s in await store.all_subscriptions(db)] == [False, True]
        assert plain.variant != full.variant  # rendered separately
        await store.save_subscription(db, Subscription(11, 1, time(20, 0), "Europe/Paris", "nl"), None, NOW)
        assert (await store.get_subscription(db, 11)).full_programme is False


async def test_a_database_from_before_the_full_programme_keeps_its_subscriptions(store_target, monkeypatch):
    import bot.store.database as sqlite_backend
    from bot.store import postgres as postgres_backend

    backend = postgres_backend if isinstance(store_target, str) else sqlite_backend
    every = backend.migrations()
    assert any(name == "full_programme" for _, name, _ in every)
    monkeypatch.setattr(backend, "migrations", lambda: [m for m in every if m[1] != "full_programme"])
    async with await Database.open(store_target) as db:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO subscriptions (channel_id, guild_id, alert_time, timezone, language, sport_id, nation_code, spoilers,"
                " created_at, updated_at) VALUES (10, 1, '19:30', 'Europe/Amsterdam', 'nl', 'SSK', 'NED', 0, 'x', 'x')")
        assert "full_programme" not in await columns(db, "subscriptions")
    monkeypatch.setattr(backend, "migrations", lambda: every)
    async with await Database.open(store_target) as db:
        assert await db.schema_version() == every[-1][0]
        assert "full_programme" in await columns(db, "subscriptions")
        assert await store.all_subscriptions(db) == [
            Subscription(10, 1, time(19, 30), "Europe/Amsterdam", "nl", "SSK", "NED", spoilers=False, full_programme=False)]


async def columns(db, table: str) -> list[str]:
    if db.dialect == "sqlite":
        return [row[1] for row in await db.fetchall(f"PRAGMA table_info({table})")]
    return [row[0] for row in await db.fetchall(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?", (table,))]


async def test_discord_ids_of_64_bits_are_kept(store_target):
    async with await Database.open(store_target) as db:
        big = Subscription(1_187_654_321_098_765_432, 1_087_654_321_098_765_432, time(20, 0), "UTC", "en")
        await store.save_subscription(db, big, by_user=1_287_654_321_098_765_432, now=NOW)
        await deliveries.record(db, big.channel_id, date(2022, 2, 14), "sent", [1_387_654_321_098_765_432], now=NOW)
        assert await store.get_subscription(db, big.channel_id) == big
        assert await deliveries.delivered_channels(db, {date(2022, 2, 14)}) == {(big.channel_id, date(2022, 2, 14))}
