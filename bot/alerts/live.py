"""Live posts after a feed update: a focus nation's medals (and corrections), and schedule
changes: the evening post that listed a moved session is edited in place, with a one-line
notice when the session starts within the next few hours."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.alerts.ports import SENT
from bot.alerts.sending import Sender
from bot.core.evening_alert import compose_evening_alert
from bot.core.live_changes import (
    SessionMove, medal_changes, render_medal_change, render_notice, session_moves, starts_soon, touches_day,
)
from bot.core.models import GamesData, Subscription
from bot.store import deliveries
from bot.store import subscriptions as subscriptions_store

log = logging.getLogger("podium.live")
NOTICE_WINDOW = timedelta(hours=3)


class LiveAlerts:
    def __init__(self, services, sender: Sender, notice_window: timedelta = NOTICE_WINDOW):
        self.services = services
        self.sender = sender
        self.poster = sender.poster
        self.notice_window = notice_window
        self.posted = 0  # live posts sent since start (medals, corrections, notices)
        self.edited = 0  # evening posts edited in place

    async def on_changes(self, old: GamesData | None, new: GamesData, changes) -> None:
        subs = [s for s in await subscriptions_store.all_subscriptions(self.services.db) if s.status == "active"]
        await self.post_medals(new, changes, subs)
        moves = session_moves(old, changes)
        if moves:
            await self.follow_schedule(old, new, moves, subs)

    # -- medals ----------------------------------------------------------------------------------
    async def post_medals(self, data: GamesData, changes, subs: list[Subscription]) -> None:
        medal_news = medal_changes(changes.results.added, changes.results.removed)
        for sub in subs:
            if not sub.nation_code or not sub.spoilers:
                continue
            for change in medal_news:
                if change.result.nation == sub.nation_code:
                    await self._post_once(sub, change.key, render_medal_change(change, data, sub.language))

    async def _post_once(self, sub: Subscription, key: str, text: str) -> None:
        db, now = self.services.db, self.services.clock.now()
        if not await subscriptions_store.record_live_post(db, sub.channel_id, key, now):
            return  # already posted
        local_day = now.astimezone(ZoneInfo(sub.timezone)).date()
        outcome = await self.sender.send_parts(sub.channel_id, local_day, [text], kind=key)
        if outcome.status == "sent":
            await subscriptions_store.set_live_post_messages(db, sub.channel_id, key, outcome.message_ids)
            self.posted += 1
        else:
            await subscriptions_store.release_live_post(db, sub.channel_id, key)
            log.warning("live post %s to channel %s not sent: %s", key, sub.channel_id, outcome.detail, extra={"channel_id": sub.channel_id})

    # -- schedule changes ----------------------------------------------------------------------
    async def follow_schedule(self, old: GamesData | None, new: GamesData, moves: list[SessionMove], subs: list[Subscription]) -> None:
        now = self.services.clock.now()
        by_channel = {s.channel_id: s for s in subs}
        # Evening posts whose programme day has not passed everywhere yet.
        posts = await deliveries.recent_evening_posts(self.services.db, (now - timedelta(days=2)).date())
        for channel_id, evening, message_ids, sent_at in posts:
            sub = by_channel.get(channel_id)
            if sub is None or not message_ids:
                continue
            zone = ZoneInfo(sub.timezone)
            programme_day = evening + timedelta(days=1)
            touched = [m for m in moves if touches_day(m, programme_day, zone, new, sub.sport_id)
                       or (old is not None and touches_day(m, programme_day, zone, old, sub.sport_id))]
            if not touched:
                continue
            await self._edit_evening_post(sub, new, evening, message_ids, sent_at)
            for move in touched:
                if starts_soon(move, now, self.notice_window):
                    notice = render_notice(move, new if move.new else old, zone, sub.language)
                    if notice:
                        await self._post_once(sub, move.key, notice)

    async def _edit_evening_post(self, sub: Subscription, data: GamesData, evening: date, message_ids: list[int], sent_at: datetime) -> None:
        """Edit the parts of an evening post in place, delete parts no longer needed, post new
        ones, and keep the delivery log's message ids in step for the next edit."""
        day = evening + timedelta(days=1)
        messages = compose_evening_alert(data, day, ZoneInfo(sub.timezone), sub.language, sport=sub.sport_id,
                                         focus=sub.nation_code, now=sent_at, spoilers=sub.spoilers)
        kept = message_ids[: len(messages)]
        steps = [(self.poster.edit, (sub.channel_id, message_id, text)) for message_id, text in zip(kept, messages)]
        steps += [(self.poster.delete, (sub.channel_id, message_id)) for message_id in message_ids[len(messages):]]  # got shorter
        for call, arguments in steps:
            outcome = await call(*arguments)
            if outcome.status != SENT:
                log.warning("could not edit the evening post in channel %s: %s", sub.channel_id, outcome.detail, extra={"channel_id": sub.channel_id})
                return
        self.edited += 1
        extra = messages[len(message_ids):]
        if extra:  # the programme grew a part: post it after the edited ones
            outcome = await self.sender.send_parts(sub.channel_id, day, extra, kind=f"evening-extra:{len(message_ids)}")
            kept += outcome.message_ids
        if kept != message_ids:
            await deliveries.set_message_ids(self.services.db, sub.channel_id, evening, kept)
