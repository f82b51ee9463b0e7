"""One global rate limit for every process of a bot token, kept in Redis.

Discord's global limit (50 requests/s) is per bot token, so processes that share a token share it.
Each request first reserves the next free slot in one Redis key (a GCRA: the key holds the
instant the next slot is free, moved on by one interval per reservation, with Redis's own clock),
then sleeps until its slot. N processes together thus start at most `per_second` requests a second,
spread evenly, whichever process is busiest. A process that wakes more than a quarter interval
after its slot (a busy CPU), or reads Redis's answer more than that after asking (so it cannot tell
when on its own clock the slot is), takes a new slot rather than crowd the next one into the same
second.

When Redis cannot be reached, each process paces itself alone at per_second / N (N: the processes
sharing the token), says so once with a warning, and tries Redis again every `retry_after` s.

The same Redis takes the gateway identifies of all processes in turn (IdentifyQueue)."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time

from bot.alerts.pacing import Pacer

log = logging.getLogger("podium.ratelimit")

# KEYS[1]: the limit's key; ARGV[1]: the interval between starts in µs. Returns the µs to wait.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(free, now)
redis.call('SET', KEYS[1], slot + interval, 'PX', 60000)
return slot - now
"""


def limit_key(token: str) -> str:
    """One key per bot token (a hash of it: the token itself never reaches Redis)."""
    return "podium:global-limit:" + hashlib.sha256(token.encode()).hexdigest()[:16]


class SharedPacer:
    """A Pacer (same wait()) whose rate is shared through Redis by every process of one token."""

    def __init__(self, client, key: str, per_second: float, processes: int, *, timeout: float = 0.5,
                 retry_after: float = 10.0, monotonic=time.monotonic):
        self.client = client
        self.key = key
        self.per_second = per_second
        self.interval_us = max(1, round(1_000_000 / per_second))
        self.processes = max(1, processes)
        self.fallback = Pacer(per_second / self.processes)
        self.timeout = timeout
        self.retry_after = retry_after
        self._monotonic = monotonic
        self._reserve = client.register_script(RESERVE)
        self._unreachable_until: float | None = None
        self._asking = asyncio.Lock()
        self.late = self.interval_us / 4_000_000  # seconds after its slot a start may still go
        self.missed = 0  # slots given up because this process woke, or read Redis's answer, too late for them

    @property
    def shared(self) -> bool:
        """False while the process paces itself alone (Redis unreachable)."""
        return self._unreachable_until is None

    async def wait(self) -> None:
        while True:
            if self._unreachable_until is not None and self._monotonic() < self._unreachable_until:
                return await self.fallback.wait()
            try:
                async with self._asking:  # one reservation in flight: its answer is read as soon as it comes
                    asked = self._monotonic()
                    delay_us = await asyncio.wait_for(self._reserve(keys=[self.key], args=[self.interval_us]), self.timeout)
                    answered = self._monotonic()
            except Exception as error:  # redis-py's ConnectionError, TimeoutError, a refused script: pace alone
                if self._unreachable_until is None:
                    log.warning("the shared rate limit (Redis) cannot be reached (%s); this process paces itself alone at %.1f "
                                "messages/s (%g/s shared by %d process(es)) until it can", error or type(error).__name__,
                                self.per_second / self.processes, self.per_second, self.processes)
                self._unreachable_until = self._monotonic() + self.retry_after
                return await self.fallback.wait()
            if self._unreachable_until is not None:
                log.warning("the shared rate limit (Redis) is reachable again: pacing with the other processes")
                self._unreachable_until = None
            if answered - asked > self.late:
                # The answer was read too late (a collection, a long callback) to place the slot on
                # this process's clock: take a new one; this one stays unused.
                self.missed += 1
                continue
            # The slot lies between `asked` and `answered` plus the delay: wait for the later
            # bound (never early), and give the slot up if woken after the earlier bound + late.
            delay = delay_us / 1_000_000
            if answered + delay > self._monotonic():
                await asyncio.sleep(answered + delay - self._monotonic())
            if self._monotonic() - (asked + delay) <= self.late:
                return
            # This process woke too late for its slot (a busy CPU): starting now would crowd the
            # next process's slot into the same second. Take a new slot; this one stays unused.
            self.missed += 1

    async def close(self) -> None:
        if self.missed:
            log.info("the shared rate limit: %d slot(s) given up, woken or answered too late for them", self.missed)
        await self.client.aclose()


def shared_pacer(url: str, token: str, per_second: float, processes: int) -> SharedPacer:
    """A SharedPacer on the Redis at `url` (redis://host:port/db); connects lazily, at the first wait()."""
    import redis.asyncio as redis  # only a process given PODIUM_RATE_LIMIT_URL needs it

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5, retry_on_timeout=False)
    return SharedPacer(client, limit_key(token), per_second, processes)


def pacer_for(settings):
    """The pacing of a sharded process's requests: shared through Redis when PODIUM_RATE_LIMIT_URL
    is set; else its own, at PODIUM_SEND_RATE divided by the processes that share the token; None
    when PODIUM_SEND_RATE is 0."""
    if not settings.send_rate:
        return None
    processes = settings.shards.processes if settings.shards else 1
    if settings.rate_limit_url:
        return shared_pacer(settings.rate_limit_url, settings.discord_token or "", settings.send_rate, processes)
    if processes > 1:
        log.warning("no shared rate limit (PODIUM_RATE_LIMIT_URL): this process paces itself alone at %.1f messages/s, "
                    "%g/s shared by %d processes", settings.send_rate / processes, settings.send_rate, processes)
    return Pacer(settings.send_rate / processes)


class IdentifyQueue:
    """One gateway IDENTIFY per `interval` seconds for the whole bot token, across processes
    (Discord's session start limit: max_concurrency 1 below 150,000 servers, one identify per 5 s).
    A turn is a Redis key set with NX that expires after `interval`; whoever sets it identifies.
    Without Redis, the process waits `interval` before each identify, as discord.py does alone."""

    def __init__(self, client, key: str, interval: float = 5.0, *, timeout: float = 0.5):
        self.client = client
        self.key = key
        self.interval = interval
        self.timeout = timeout
        self._warned = False

    async def wait_turn(self) -> None:
        while True:
            try:
                if await asyncio.wait_for(self.client.set(self.key, "1", nx=True, px=int(self.interval * 1000)), self.timeout):
                    return
                left_ms = await asyncio.wait_for(self.client.pttl(self.key), self.timeout)
            except Exception as error:  # unreachable: space this process's own identifies, as discord.py does
                if not self._warned:
                    self._warned = True
                    log.warning("identifies cannot be taken in turn through Redis (%s); this process identifies every %g s "
                                "on its own", error or type(error).__name__, self.interval)
                await asyncio.sleep(self.interval)
                return
            await asyncio.sleep(max(left_ms, 50) / 1000)


def identify_key(token: str) -> str:
    return "podium:identify:" + hashlib.sha256(token.encode()).hexdigest()[:16]
