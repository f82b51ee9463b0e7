"""The whole bot on PostgreSQL: the real bot against the fake Discord, with PODIUM_DATABASE a
postgresql:// URL (a fresh schema of the local server), delivers an evening alert exactly once."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.store import deliveries
from bot.store import subscriptions as store
from bot.store.database import Database
from tests.fake_discord.harness import running_bot
from tests.support.alerts import alerts, settle, sub
from tests.support.world import CHANNELS, MANAGER


async def subscribe(url: str, *subs) -> None:
    async with await Database.open(url) as db:
        assert db.dialect == "postgresql"
        for subscription in subs:
            await store.save_subscription(db, subscription, MANAGER, datetime(2022, 1, 1, tzinfo=timezone.utc))


def bot_on(url: str, tmp_path, fake, clock: str):
    return running_bot(tmp_path, fake, PODIUM_DATABASE=url, PODIUM_CLOCK=clock, PODIUM_CLOCK_SPEED=10, PODIUM_SEND_RATE=0)


async def test_the_bot_on_postgresql_sends_an_evening_alert_once_across_a_restart(postgres_url, tmp_path, fake):
    channel, control = CHANNELS[:2]
    await subscribe(postgres_url, sub(channel))
    async with bot_on(postgres_url, tmp_path, fake, "2022-02-14T19:59:50+01:00") as run:
        messages = await fake.wait_for_messages(channel)
        await settle(run)
    assert messages[0]["content"].startswith("**Tomorrow's programme — Tuesday 15 February**")

    await subscribe(postgres_url, sub(control))  # while the bot was down: the restart catches it up
    async with bot_on(postgres_url, tmp_path, fake, "2022-02-14T20:00:30+01:00") as run:
        await settle(run)
    assert len(alerts(fake, control)) == 1  # the restarted bot could send ...
    assert len(alerts(fake, channel)) == 1  # ... and did not send this one again
    async with await Database.open(postgres_url) as db:
        assert [row[2] for row in await deliveries.deliveries_for(db, channel)] == ["sent"]
        assert [row[2] for row in await deliveries.deliveries_for(db, control)] == ["sent"]
        assert not (tmp_path / "podium.sqlite3").exists()  # nothing went to a SQLite file
