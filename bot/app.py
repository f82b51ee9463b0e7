"""The composition root: the one place that builds Podium's parts, starts them in order and stops
them in reverse order (the shape of discord.py's examples/advanced_startup.py).

    settings → database → lease → the shipped Games → Games cache → Discord client (REST login,
    cogs, command sync) → alerts → feed and live posts → gateway connection

Sharded (PODIUM_SHARD_COUNT), a process acts for its shards (PODIUM_SHARD_IDS) once it holds one
lease per shard ('shard:3'), and alerts only the channels of those shards' guilds; the process
that holds shard 0 also follows the feed and posts live news to every channel. Every process of
one token paces its posts through the shared rate limit (PODIUM_RATE_LIMIT_URL).

Only the process that holds the database's lease acts: a second process on the same database
waits at the lease as a standby (no gateway, no sends, no writes) and takes over when the lease
lapses or its holder's process is gone; a holder that loses the lease closes everything it
started and waits as a standby again.

The client logs in before the alerts start because they post through its REST session; its
gateway connects last, once everything a command may use is running. Nothing below this module
opens a lifetime of its own: each part is handed what it needs."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from bot.alerts.live import LiveAlerts
from bot.alerts.ratelimit import IdentifyQueue, SharedPacer, identify_key, pacer_for
from bot.alerts.service import AlertService
from bot.clock import Clock
from bot.data.importer import ensure_games_loaded
from bot.discord_io.client import make_bot, start_refused
from bot.discord_io.endpoints import use_endpoints
from bot.discord_io.poster import DiscordPoster, pace_every_request
from bot.feed.follower import FeedFollower
from bot.lease import BOT_LEASE, Lease, Leases, LeaseTerms, other_kind_acting
from bot.logs import setup_logging
from bot.services import Services
from bot.store.database import Database

log = logging.getLogger("podium.bot")

NO_TOKEN = (
    "DISCORD_TOKEN is not set: put your bot's token in the environment or in a .env file "
    "(see config/.env.example). To see Podium without Discord, run `python -m bot preview` "
    "(tomorrow's programme alert) or `python -m bot medals`."
)


async def serve(settings, clock: Clock | None = None, ready: asyncio.Event | None = None, on_bot=None) -> None:
    """Run the bot until its connection ends or this task is cancelled (how it is stopped: by
    SIGTERM/SIGINT in `python -m bot`, by the tests' harness), then close every part in reverse
    order. `on_bot(bot)`, when given, is called with the client before it logs in."""
    use_endpoints(settings.discord_api, settings.discord_gateway)
    clock = clock or Clock.from_settings(settings)
    async with await Database.open(settings.database) as db:
        terms = LeaseTerms(settings.lease_ttl, settings.lease_heartbeat)
        lease = Lease(db, BOT_LEASE, terms) if settings.shards is None else Leases(db, settings.shards.lease_names, terms)
        reported = None
        while True:
            await lease.acquire()  # a standby waits here
            if (other := await other_kind_acting(db, sharded=settings.shards is not None)) is not None:
                if other.holder != reported:  # said once per holder, not on every try
                    reported = other.holder
                    log.error("lease %r is held by host %s, pid %d: %s process acts on this database; this %s process does not "
                              "act beside it (both would alert the same channels) and waits", other.name, other.host, other.pid,
                              "an unsharded" if other.name == BOT_LEASE else "a sharded",
                              "sharded" if settings.shards is not None else "unsharded")
                await lease.release()
                await asyncio.sleep(terms.heartbeat)
                continue
            if await lease.run_while_held(act(settings, db, clock, ready, on_bot)):
                return
            # The lease was lost: everything act() started is closed; wait as a standby again.


async def act(settings, db: Database, clock: Clock, ready: asyncio.Event | None, on_bot) -> None:
    """Start the parts that act on the database and on Discord (while holding the lease), in
    order; close them in reverse order when the connection ends or this is cancelled."""
    async with contextlib.AsyncExitStack() as parts:
        await ensure_games_loaded(db)
        services = Services.create(settings, db, clock)  # holds the Games cache
        await services.games.current()  # loaded now, not at the first alert's instant (0.1-0.2 s with standings)

        bot = await parts.enter_async_context(make_bot(services))
        pacer = pacer_for(settings) if settings.shards is not None else None
        if pacer is not None:  # sharded: every request of this process is paced, shared with the others through Redis
            pace_every_request(bot.http, pacer)
            if isinstance(pacer, SharedPacer):  # the Redis connection: also for taking identifies in turn
                bot.identify_queue = IdentifyQueue(pacer.client, identify_key(settings.discord_token or ""))
                parts.push_async_callback(pacer.close)
        if on_bot is not None:
            on_bot(bot)
        if ready is not None:
            async def set_ready() -> None:
                ready.set()

            bot.add_listener(set_ready, "on_ready")
        await bot.login(settings.discord_token)  # REST session; setup_hook loads the cogs and syncs

        poster = DiscordPoster(bot)
        # sharded: every request is paced already (above), so the alerts add no pacing of their own
        alerts = AlertService(services, poster, own_pacing=settings.shards is None)
        await alerts.start()
        parts.push_async_callback(alerts.stop)

        live = feed = None
        if settings.feed_url and (settings.shards is None or 0 in settings.shards.ids):
            live = LiveAlerts(services, alerts.sender)
            feed = FeedFollower(services, settings.feed_url, adapter=settings.feed_adapter, timeout=settings.feed_timeout,
                                on_changes=live.on_changes)
            feed.start(settings.feed_interval)
            parts.push_async_callback(feed.stop)

        bot.attach(alerts=alerts, live=live, feed=feed)
        await bot.connect()


async def serve_until_stopped(settings) -> None:
    """serve() until it ends or SIGTERM/SIGINT arrives (a process manager stopping the worker);
    then every part closes in the reverse of its start order: the gateway stops reading, then the
    feed, the alerts, the Discord client, the lease and, last, the database."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    serving = asyncio.create_task(serve(settings), name="podium-serve")
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not serving.done():
        log.info("stopping: closing the feed, the alerts, the Discord connection, the lease and the database")
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
        return
    serving.result()


def run_bot(settings) -> int:
    """`python -m bot`: run until stopped; a missing or refused token is one sentence, exit 2."""
    if not settings.discord_token:
        print(f"error: {NO_TOKEN}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, secrets=[settings.discord_token])
    try:
        asyncio.run(serve_until_stopped(settings))
    except KeyboardInterrupt:
        pass
    except Exception as error:
        message = start_refused(error)
        if message is None:
            raise
        log.error(message)
        print(f"error: {message}", file=sys.stderr)
        return 2
    return 0
