"""Live posts after a feed update: a focus nation's medals (and corrections), and schedule
changes: the evening post that listed a moved session is edited in place, with a one-line
notice when the session starts within the next few hours."""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.alerts.ports import SENT
from bot.alerts.sending import Sender
from bot.core.evening_alert import compose_evening_alert
from bot.core.live_changes import (
    MedalNews, SessionMove, medal_news, medals_to_tell, render_medal_change, render_notice, results_by_event, session_moves,
    starts_soon, touches_day,
)
from bot.core.models import GamesData, Subscription
from bot.store import deliveries
from bot.store import live_posts
from bot.store import subscriptions as subscriptions_store

log = logging.getLogger("podium.live")
NOTICE_WINDOW = timedelta(hours=3)


def _per_nation(work):
    """`work(nation)`, worked out once per nation (thousands of channels share a few nations)."""
    done: dict = {}

    def get(nation: str):
        if nation not in done:
            done[nation] = work(nation)
        return done[nation]

    return get


class LiveAlerts:
    def __init__(self, services, sender: Sender, notice_window: timedelta = NOTICE_WINDOW):
        self.services = services
        self.sender = sender
        self.poster = sender.poster
        self.notice_window = notice_window
        self.posted = 0  # live posts sent since start (medals, corrections, notices)
        self.edited = 0  # evening posts edited in place

    async def on_changes(self, old: GamesData | None, new: GamesData, changes, first_sync: bool = False) -> None:
        """After a feed update (and after the first sync since the start, which may bring what
        changed while the bot was down): bring every channel up to date."""
        subs = [s for s in await subscriptions_store.all_subscriptions(self.services.db) if s.status == "active"]
        await self.post_medals(old, new, subs, first_sync)
        moves = [] if first_sync else session_moves(old, changes)
        if moves:
            await self.follow_schedule(old, new, moves, subs)

    # -- medals ----------------------------------------------------------------------------------
    async def post_medals(self, old: GamesData | None, new: GamesData, subs: list[Subscription], first_sync: bool = False) -> None:
        """Post each channel's focus-nation medals that differ from what it was last told. A
        channel not followed yet counts as told what was true before this update (so it hears of
        this update's changes) or, on the first sync since the start, what is true now (a first
        sync is not news: a new database, or a feed followed for the first time, never floods)."""
        db, now = self.services.db, self.services.clock.now()
        following = {s.channel_id: s for s in subs if s.nation_code and s.spoilers}
        followed = await live_posts.followed(db)
        await live_posts.unfollow(db, [c for c in followed if c not in following])
        truth = results_by_event(new)
        before = truth if first_sync or old is None else results_by_event(old)
        known_before = _per_nation(lambda nation: medals_to_tell(before, nation))
        await live_posts.follow(db, {c: (s.nation_code, known_before(s.nation_code))
                                     for c, s in following.items() if followed.get(c) != s.nation_code}, now)
        told = await live_posts.told_medals(db)
        truth_texts = {event: live_posts.medals_text(results) for event, results in truth.items()}
        to_tell = _per_nation(lambda nation: medals_to_tell(truth, nation))
        behind = []
        for count, (channel_id, sub) in enumerate(following.items(), start=1):
            if count % 1000 == 0:
                await asyncio.sleep(0)  # let commands be answered meanwhile
            entry = told.get(channel_id) or live_posts.Told({}, {})
            if entry.agrees(truth_texts, to_tell(sub.nation_code)):
                continue  # up to date (most channels, most of the time): nothing to work out
            news = medal_news(entry.medals, truth, sub.nation_code)
            if news:
                behind.append(self._tell_medals(sub, news, entry.posts, new))
        await asyncio.gather(*behind)

    async def _tell_medals(self, sub: Subscription, news: list[MedalNews], posts: dict[str, int], data: GamesData) -> None:
        db = self.services.db
        for item in news:
            if item.changes:
                text = "\n".join(render_medal_change(change, data, sub.language) for change in item.changes)
                # The nonce counts this subject's posts: a medal that flips back is a new post.
                if not await self._post(sub, f"medal:{item.event_id}:{posts.get(item.event_id, 0)}", text):
                    return  # told stays behind: tried again at the next update
            await live_posts.tell_medals(db, sub.channel_id, item.event_id, item.results, self.services.clock.now(), posted=bool(item.changes))

    async def _post(self, sub: Subscription, kind: str, text: str) -> bool:
        now = self.services.clock.now()
        local_day = now.astimezone(ZoneInfo(sub.timezone)).date()
        outcome = await self.sender.send_parts(sub.channel_id, local_day, [text], kind=kind)
        if outcome.status != SENT:
            log.warning("live post %s to channel %s not sent: %s", kind, sub.channel_id, outcome.detail, extra={"channel_id": sub.channel_id})
            return False
        self.posted += 1
        return True

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
            if await self._edit_evening_post(sub, new, evening, message_ids, sent_at):
                await self._tell_moves(sub, touched, old, new, now)

    async def _tell_moves(self, sub: Subscription, moves: list[SessionMove], old: GamesData | None, new: GamesData, now: datetime) -> None:
        """The edited post shows each move; one that starts soon also gets a notice, unless the
        channel was last told exactly this (a session moved back and forth gets one each time)."""
        db, zone = self.services.db, ZoneInfo(sub.timezone)
        told = await live_posts.told_sessions(db, sub.channel_id)
        for move in moves:
            was, posts = told.get(move.session_id, (move.was, 0))
            if move.now == was:
                continue
            posted = False
            if starts_soon(move, now, self.notice_window):
                notice = render_notice(move, new if move.new else old, zone, sub.language)
                if notice:
                    if not await self._post(sub, f"{move.subject}:{posts}", notice):
                        continue
                    posted = True
            await live_posts.tell_session(db, sub.channel_id, move.session_id, move.now, now, posted)

    async def _edit_evening_post(self, sub: Subscription, data: GamesData, evening: date, message_ids: list[int], sent_at: datetime) -> bool:
        """Edit the parts of an evening post in place, delete parts no longer needed, post new
        ones, and keep the delivery log's message ids in step for the next edit. False when
        Discord refused the edit."""
        day = evening + timedelta(days=1)
        messages = compose_evening_alert(data, day, ZoneInfo(sub.timezone), sub.language, sport=sub.sport_id,
                                         focus=sub.nation_code, now=sent_at, spoilers=sub.spoilers, full=sub.full_programme)
        kept = message_ids[: len(messages)]
        steps = [(self.poster.edit, (sub.channel_id, message_id, text)) for message_id, text in zip(kept, messages)]
        steps += [(self.poster.delete, (sub.channel_id, message_id)) for message_id in message_ids[len(messages):]]  # got shorter
        for call, arguments in steps:
            outcome = await call(*arguments)
            if outcome.status != SENT:
                log.warning("could not edit the evening post in channel %s: %s", sub.channel_id, outcome.detail, extra={"channel_id": sub.channel_id})
                return False
        self.edited += 1
        extra = messages[len(message_ids):]
        if extra:  # the programme grew a part: post it after the edited ones
            outcome = await self.sender.send_parts(sub.channel_id, day, extra, kind=f"evening-extra:{len(message_ids)}")
            kept += outcome.message_ids
        if kept != message_ids:
            await deliveries.set_message_ids(self.services.db, sub.channel_id, evening, kept)
        return True
