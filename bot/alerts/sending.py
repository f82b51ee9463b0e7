"""Posting an alert's messages into a channel, exactly once: each part is claimed in the delivery
log before it is sent and confirmed with its message id after; a part whose fate is unknown (a
crash, a timeout, a 5xx) is looked for among the bot's own messages in the channel before it is
sent again. Also: a deterministic nonce per part, a bounded number in flight, our own pacing
under Discord's global limit, and retries with backoff until the evening's catch-up limit.
Discord itself is reached through a Poster (bot/alerts/ports.py)."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from bot.alerts.pacing import Pacer
from bot.alerts.ports import FAILED, RETRY, SENT, Poster
from bot.store.deliveries import DeliveryLog, PartRecord

log = logging.getLogger("podium.alerts")
MIN_REAL_DELAY = 0.25  # seconds between tries at least, however fast a simulated clock runs


def alert_nonce(channel_id: int, day: date, part: int, kind: str = "evening") -> str:
    """The same (channel, date, part) always gets the same nonce (Discord allows 25 characters),
    so a message re-sent within Discord's nonce window is recognised and not posted twice."""
    digest = hashlib.sha256(f"{kind}:{channel_id}:{day.isoformat()}:{part}".encode()).hexdigest()
    return digest[:25]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class SendOutcome:
    status: str  # sent | gone (404) | forbidden (403) | failed
    message_ids: list[int] = field(default_factory=list)
    detail: str | None = None


@dataclass(frozen=True)
class Backoff:
    """Delays between tries, on the bot's clock: first, doubling, at most `cap` seconds."""

    first: float = 2.0
    cap: float = 300.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.first * 2 ** attempt)


class Sender:
    def __init__(self, poster: Poster, *, clock=None, journal: DeliveryLog | None = None, concurrency: int = 32,
                 pacer: Pacer | None = None, backoff: Backoff = Backoff(), retry_delays: tuple[float, ...] = (1.0, 4.0, 10.0)):
        self.poster = poster
        self.clock = clock
        self.journal = journal
        self.slots = asyncio.Semaphore(concurrency)
        self.pacer = pacer  # None: no pacing of our own (discord.py still honours 429s)
        self.backoff = backoff
        self.retry_delays = retry_delays  # live posts (send_parts)
        self.reconciled = 0  # parts of unknown fate found already in Discord, since start

    async def pace(self) -> None:
        if self.pacer is not None:
            await self.pacer.wait()

    # -- an evening alert: recorded per part, reconciled, retried until its deadline -------------
    async def send_alert(self, channel_id: int, day: date, texts: list[str], records: dict[int, PartRecord],
                         rendered_at: datetime, deadline: datetime) -> SendOutcome:
        """Post the parts of (channel, day) that are not confirmed yet. `records` are the parts
        recorded by an earlier try (perhaps by a process that died); `deadline` is on the bot's
        clock: passing faults are retried until then."""
        ids: list[int | None] = [records[i].message_id if i in records else None for i in range(len(texts))]
        hashes = [content_hash(text) for text in texts]
        async with self.slots:
            attempt = 0
            unknown = {i: records[i] for i in range(len(texts)) if ids[i] is None and i in records}
            while unknown:  # a try before this one may have posted these: look before posting again
                outcome = await self._reconcile(channel_id, day, unknown, hashes, ids)
                if outcome is None:
                    break
                if outcome.status != RETRY or not await self._wait(attempt, deadline, channel_id, outcome.detail):
                    return self._ended(outcome, ids, attempt)
                attempt += 1
            todo = [i for i in range(len(texts)) if ids[i] is None]
            if todo:
                claimed_at = datetime.now(timezone.utc)
                await self.journal.claim(channel_id, day, [(i, hashes[i]) for i in todo], claimed_at, rendered_at)
            for i in todo:
                while ids[i] is None:
                    await self.pace()
                    posted = await self.poster.post(channel_id, texts[i], alert_nonce(channel_id, day, i))
                    if posted.status == SENT:
                        ids[i] = posted.message_id
                        self.journal.confirm(channel_id, day, i, posted.message_id)
                        break
                    if posted.status != RETRY or not await self._wait(attempt, deadline, channel_id, posted.detail):
                        return self._ended(posted, ids, attempt)
                    attempt += 1
                    while True:  # the post may have landed although the answer was an error
                        since = records[i].claimed_at if i in records else claimed_at
                        found = await self._reconcile(channel_id, day, {i: PartRecord(i, hashes[i], since, rendered_at, None)}, hashes, ids)
                        if found is None:
                            break
                        if found.status != RETRY or not await self._wait(attempt, deadline, channel_id, found.detail):
                            return self._ended(found, ids, attempt)
                        attempt += 1
        return SendOutcome(SENT, [i for i in ids if i is not None])

    async def _reconcile(self, channel_id: int, day: date, unknown: dict[int, PartRecord], hashes: list[str], ids: list):
        """Find parts of unknown fate among the bot's messages since their claim; confirm those
        found and drop them from `unknown`. None when the channel could be read, else its outcome."""
        await self.pace()
        listing = await self.poster.own_messages_since(channel_id, min(r.claimed_at for r in unknown.values()))
        if listing.status != SENT:
            return listing
        taken = {i for i in ids if i is not None}
        for i, record in list(unknown.items()):
            wanted = {record.content_hash, hashes[i]}
            match = next((m for m in listing.messages if m.id not in taken and content_hash(m.content) in wanted), None)
            if match is not None:
                ids[i] = match.id
                taken.add(match.id)
                self.reconciled += 1
                self.journal.confirm(channel_id, day, i, match.id)
                log.info("part %d of the alert for channel %s (%s) was already posted: not sending it again", i, channel_id, day,
                         extra={"channel_id": channel_id})
            del unknown[i]
        return None

    async def _wait(self, attempt: int, deadline: datetime, channel_id: int, detail: str | None) -> bool:
        """Sleep before the next try, without holding a slot; False once the deadline has passed."""
        now = self.clock.now()
        if now >= deadline:
            return False
        delay = min(self.backoff.delay(attempt), (deadline - now).total_seconds())  # a last try at the deadline
        log.warning("sending to %s failed (%s); retrying in %.0f s", channel_id, detail, delay, extra={"channel_id": channel_id})
        self.slots.release()  # other channels go on while this one waits
        try:
            await asyncio.sleep(max(MIN_REAL_DELAY, self.clock.seconds_until(now + timedelta(seconds=delay))))
        finally:
            await self.slots.acquire()
        return True

    @staticmethod
    def _ended(outcome, ids: list, attempt: int) -> SendOutcome:
        sent = [i for i in ids if i is not None]
        if outcome.status == RETRY:
            return SendOutcome(FAILED, sent, f"gave up at the evening's catch-up limit after {attempt + 1} tries: {outcome.detail}")
        return SendOutcome(outcome.status, sent, outcome.detail)

    # -- a live post: one try and a few retries, no part records ----------------------------------
    async def send_parts(self, channel_id: int, day: date, messages: list[str], kind: str = "evening") -> SendOutcome:
        sent: list[int] = []
        async with self.slots:
            for part, text in enumerate(messages):
                nonce = alert_nonce(channel_id, day, part, kind)
                for attempt in range(len(self.retry_delays) + 1):
                    await self.pace()
                    posted = await self.poster.post(channel_id, text, nonce)
                    if posted.status == SENT:
                        sent.append(posted.message_id)
                        break
                    if posted.status != RETRY:
                        return SendOutcome(posted.status, sent, posted.detail)
                    if attempt == len(self.retry_delays):
                        return SendOutcome(FAILED, sent, f"gave up after {attempt + 1} tries: {posted.detail}")
                    delay = self.retry_delays[attempt]
                    log.warning("sending to %s failed (%s); retrying in %.0f s", channel_id, posted.detail, delay, extra={"channel_id": channel_id})
                    await asyncio.sleep(delay)
        return SendOutcome(SENT, sent)
