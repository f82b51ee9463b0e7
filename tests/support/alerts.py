"""Evening-alert helpers for the end-to-end tests: subscriptions saved before the bot starts,
the alerts a channel got, the delivery log, and waiting until the alert service has settled."""
from __future__ import annotations

import asyncio
from datetime import datetime, time, timezone

from bot.core.models import Subscription
from bot.store import deliveries
from bot.store import subscriptions as store
from bot.store.database import Database
from tests.support.template import start_from_template
from tests.fake_discord.harness import bot_settings, running_bot
from tests.support.world import GUILD, MANAGER

HEADINGS = ("**Tomorrow's", "**Het programma", "🎉")  # how the first part of an evening alert starts


def sub(channel: int, zone: str = "Europe/Amsterdam", at: str = "20:00", language: str = "en", **extra) -> Subscription:
    """A subscription of a channel in the English server."""
    hour, minute = map(int, at.split(":"))
    return Subscription(channel, GUILD, time(hour, minute), zone, language, **extra)


async def subscribe(tmp_path, fake, *subs: Subscription) -> None:
    """Subscriptions saved before the bot starts (as /subscribe would have, on an earlier day)."""
    settings = bot_settings(tmp_path, fake)
    await start_from_template(settings.database)
    async with await Database.open(settings.database) as db:
        for subscription in subs:
            await store.save_subscription(db, subscription, MANAGER, datetime(2022, 1, 1, tzinfo=timezone.utc))


def alerts(fake, channel: int) -> list[str]:
    """The alerts a channel got (a long programme is several messages; its first part has the heading)."""
    return [m["content"] for m in fake.messages(channel) if m["content"].startswith(HEADINGS)]


async def settle(run, timeout: float = 10.0) -> None:
    """Wait until the alert service has no work in flight (a fan-out and the planning after it)."""
    await asyncio.wait_for(run.bot.alerts.wait_until_settled(), timeout)


async def delivery_log(tmp_path, fake, channel: int) -> list[tuple]:
    async with await Database.open(bot_settings(tmp_path, fake).database) as db:
        return await deliveries.deliveries_for(db, channel)


async def sent_at(tmp_path, fake, channel: int) -> datetime:
    async with await Database.open(bot_settings(tmp_path, fake).database) as db:
        row = await db.fetchone("SELECT updated_at FROM deliveries WHERE channel_id = ? AND status = 'sent'", (channel,))
    return datetime.fromisoformat(row[0])


def alert_bot(tmp_path, fake, clock: str, speed: float = 10, **overrides):
    """The bot on a simulated clock starting at `clock`, sending without pacing of its own."""
    return running_bot(tmp_path, fake, PODIUM_CLOCK=clock, PODIUM_CLOCK_SPEED=speed, PODIUM_SEND_RATE=0, **overrides)
