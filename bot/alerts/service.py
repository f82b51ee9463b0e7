"""The evening alert: scheduling each channel's local alert time, catch-up after downtime, and
fan-out with the delivery log, so every (channel, local date) gets its alert exactly once.

One APScheduler job sleeps until the earliest alert is due (in real time, converted from the
bot's clock, which may be simulated). When it fires, the job for the next instant is planned at
once, counted from the instant that fired (not from "now"), and then every channel due at the
fired instant is sent to: fan-outs may overlap, and an instant that falls due while a long
fan-out runs is neither lost nor delayed by it beyond the shared send rate."""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.alerts.pacing import Pacer
from bot.alerts.ports import Poster
from bot.alerts.sending import Sender, SendOutcome
from bot.core.alert_times import alert_instant, catch_up_due, evening_deadline, next_alert
from bot.core.evening_alert import compose_evening_alert
from bot.core.models import Subscription
from bot.store import deliveries
from bot.store import subscriptions as subscriptions_store
from bot.store.deliveries import DeliveryLog

log = logging.getLogger("podium.alerts")
JOB_ID = "evening-alert"
LATE = timedelta(minutes=1)  # an alert that starts out later than this after its time is logged


def next_alert_cached(now: datetime, sub: Subscription, cache: dict) -> tuple[date, datetime]:
    """next_alert() once per distinct (alert time, zone) in a pass over every subscription: with
    thousands of channels there are only a handful of distinct ones."""
    key = (sub.alert_time, sub.timezone)
    found = cache.get(key)
    if found is None:
        found = cache[key] = next_alert(now, sub.alert_time, ZoneInfo(sub.timezone))
    return found


class AlertService:
    def __init__(self, services, poster: Poster, *, own_pacing: bool = True):
        """`own_pacing`: pace alert posts at PODIUM_SEND_RATE (off when every request of the
        process is paced already, as when sharded)."""
        self.services = services
        settings = services.settings
        self.journal = DeliveryLog(services.db)
        pacer = Pacer(settings.send_rate) if settings.send_rate and own_pacing else None
        self.sender = Sender(poster, clock=services.clock, journal=self.journal, concurrency=settings.send_concurrency, pacer=pacer)
        self.workers = settings.send_concurrency  # channels of one fan-out in progress at once (a channel waiting to retry keeps its worker)
        self.shards = settings.shards  # sharded: only the channels of this process's guilds
        self.catch_up_until = settings.catch_up_until
        self.scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self.render_count = 0  # renders since start: one per distinct (date, variant) per fan-out
        self.late_alerts = 0  # alerts that went out more than LATE after their time, since start
        self._in_flight: set[tuple[int, date]] = set()
        self._next_instant: datetime | None = None
        self._horizon: datetime | None = None  # every alert instant up to here has been fired
        self._planning = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()

    @property
    def clock(self):
        return self.services.clock

    async def start(self) -> None:
        self.scheduler.start()
        self._spawn(self._start_up())

    async def _start_up(self) -> None:
        now = self.clock.now()
        await self.schedule_next(after=now)  # alerts due from now on are the scheduler's (also while catching up)
        try:
            await self.catch_up(now)  # those due before now, the catch-up's
        except Exception:
            log.exception("catching up missed alerts failed")

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.journal.close()

    async def wait_until_settled(self) -> None:
        """Return once no alert work is in flight: the start-up catch-up, a fan-out, and the planning
        of the next alert that follows each. New work may begin later (at the next alert time, after
        /subscribe). Tests, the bench and tools use it to know a fan-out is complete."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def reschedule(self, channel_id: int | None = None) -> None:
        await self.schedule_next()

    @property
    def next_instant(self) -> datetime | None:
        return self._next_instant

    # -- scheduling --------------------------------------------------------
    async def active_subscriptions(self) -> list[Subscription]:
        subs = [s for s in await subscriptions_store.all_subscriptions(self.services.db) if s.status == "active"]
        return subs if self.shards is None else [s for s in subs if self.shards.owns(s.guild_id)]

    async def schedule_next(self, after: datetime | None = None) -> list[Subscription]:
        """Plan the job for the first alert instant after the horizon: `after` (the instant that
        just fired), or, when the planned job is still ahead (every instant before now was fired), now.
        Returns the active subscriptions it planned with (read under the planning lock, so a
        /subscribe that plans meanwhile is never overwritten by an older reading)."""
        async with self._planning:
            now = self.clock.now()
            if after is not None:
                self._horizon = max(self._horizon or after, after)
            elif self._horizon is None or self._next_instant is None or self._next_instant > now:
                self._horizon = max(self._horizon or now, now)
            subs = await self.active_subscriptions()
            cache: dict = {}
            upcoming = [next_alert_cached(self._horizon, s, cache)[1] for s in subs]
            if not upcoming:
                self._next_instant = None
                if self.scheduler.get_job(JOB_ID):
                    self.scheduler.remove_job(JOB_ID)
                return subs
            instant = min(upcoming)
            self._next_instant = instant
            run_at = datetime.now(timezone.utc) + timedelta(seconds=self.clock.seconds_until(instant))
            self.scheduler.add_job(
                self._fire, DateTrigger(run_date=run_at, timezone=timezone.utc), args=[instant], id=JOB_ID,
                replace_existing=True, misfire_grace_time=None, coalesce=True,
            )
        log.info("next evening alert at %s for %d channel(s)", instant.isoformat(), upcoming.count(instant))
        return subs

    async def _fire(self, instant: datetime) -> None:
        subs = await self.schedule_next(after=instant)  # before the fan-out: the next instant must not wait for it
        self._spawn(self.run_due(instant, subs))

    async def run_due(self, instant: datetime, subs: list[Subscription] | None = None) -> None:
        """Send to every channel whose alert is due at `instant` (among `subs`, default all active)."""
        just_before = instant - timedelta(microseconds=1)
        due = []
        cache: dict = {}
        for sub in subs if subs is not None else await self.active_subscriptions():
            day, at = next_alert_cached(just_before, sub, cache)
            if at == instant:
                due.append((sub, day))
        await self.deliver(due)

    async def catch_up(self, now: datetime | None = None) -> None:
        """Back after downtime: send tonight's alerts that were due earlier this evening (and
        finish any that a crash interrupted)."""
        now = now or self.clock.now()
        due = []
        cache: dict = {}
        for sub in await self.active_subscriptions():
            key = (sub.alert_time, sub.timezone)
            if key not in cache:
                cache[key] = catch_up_due(now, sub.alert_time, ZoneInfo(sub.timezone), self.catch_up_until)
            day = cache[key]
            if day is not None:
                due.append((sub, day))
        if due:
            log.info("catching up %d alert(s) missed while the bot was down", len(due))
            await self.deliver(due)

    # -- fan-out -------------------------------------------------------------
    async def deliver(self, due: list[tuple[Subscription, date]]) -> None:
        """Render once per (date, variant), then send to every channel not yet served, through a
        fixed number of workers (the send concurrency: a task per channel in flight, not per
        channel due). An alert a crash interrupted is rendered as it was then and finished part by part."""
        if not due:
            return
        data = await self.services.games.current()
        if data is None:
            log.warning("no Games loaded; no evening alerts")
            return
        dates = {day for _, day in due}
        done = await deliveries.delivered_channels(self.services.db, dates)
        unfinished = await deliveries.unfinished_parts(self.services.db, dates)
        now = self.clock.now()
        rendered: dict[tuple, list[str]] = {}
        times: dict[tuple, tuple[datetime, datetime]] = {}
        jobs = []
        for sub, day in due:
            key = (sub.channel_id, day)
            if key in done or key in self._in_flight:
                continue
            records = unfinished.get(key, {})
            rendered_at = min((r.rendered_at for r in records.values()), default=now)
            variant = (day, sub.variant, rendered_at)
            if variant not in rendered:
                self.render_count += 1
                rendered[variant] = compose_evening_alert(
                    data, day + timedelta(days=1), ZoneInfo(sub.timezone), sub.language,
                    sport=sub.sport_id, focus=sub.nation_code, now=rendered_at, spoilers=sub.spoilers, full=sub.full_programme,
                )
            if rendered[variant]:
                when = (day, sub.alert_time, sub.timezone)
                if when not in times:
                    zone = ZoneInfo(sub.timezone)
                    times[when] = (alert_instant(day, sub.alert_time, zone), evening_deadline(day, sub.alert_time, zone, self.catch_up_until))
                self._in_flight.add(key)
                jobs.append((sub, day, rendered[variant], records, rendered_at, *times[when]))
        lateness: list[timedelta] = []
        pending = iter(jobs)

        async def worker() -> None:
            for job in pending:
                late = await self._deliver_one(*job)
                if late > LATE:
                    lateness.append(late)

        await asyncio.gather(*(worker() for _ in range(min(len(jobs), self.workers))))
        if lateness:
            self.late_alerts += len(lateness)
            log.warning("%d of %d alert(s) went out late, up to %.0f s after their time (a long fan-out, an outage or downtime)",
                        len(lateness), len(jobs), max(lateness).total_seconds())

    async def _deliver_one(self, sub: Subscription, day: date, messages: list[str], records: dict, rendered_at: datetime,
                           instant: datetime, deadline: datetime) -> timedelta:
        """Send one channel's alert (due at `instant`, passing faults retried until `deadline`) and
        log the outcome; returns how long after its time it was done."""
        try:
            outcome: SendOutcome = await self.sender.send_alert(sub.channel_id, day, messages, records, rendered_at, deadline)
            db, now = self.services.db, self.clock.now()
            if outcome.status == "sent":
                await self.journal.record(sub.channel_id, day, "sent", outcome.message_ids, now=now)
            elif outcome.status == "gone":
                await subscriptions_store.delete_subscription(db, sub.channel_id)
                log.warning("channel %s no longer exists: unsubscribed", sub.channel_id, extra={"channel_id": sub.channel_id})
            elif outcome.status == "forbidden":
                await subscriptions_store.set_status(db, sub.channel_id, "paused", outcome.detail, now)
                log.warning("no permission to post in channel %s: paused (%s)", sub.channel_id, outcome.detail, extra={"channel_id": sub.channel_id})
            else:
                await self.journal.record(sub.channel_id, day, "failed", outcome.message_ids, outcome.detail, now=now)
                log.error("alert for channel %s (%s) failed: %s", sub.channel_id, day, outcome.detail, extra={"channel_id": sub.channel_id})
        except Exception:
            log.exception("alert for channel %s (%s) could not be completed", sub.channel_id, day, extra={"channel_id": sub.channel_id})
        finally:
            self._in_flight.discard((sub.channel_id, day))
        late = self.clock.now() - instant
        if late > LATE:
            log.debug("the alert for channel %s (%s) went out %.0f s after its time", sub.channel_id, day, late.total_seconds(),
                     extra={"channel_id": sub.channel_id})
        return late

    def _spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
