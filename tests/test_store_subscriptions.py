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
