"""Posting an alert's messages into a channel: a deterministic nonce per part, a bounded number in
flight, our own pacing under Discord's global limit, and retries with backoff for passing faults.
Discord itself is reached through a Poster (bot/alerts/ports.py)."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date

from bot.alerts.pacing import Pacer
from bot.alerts.ports import RETRY, SENT, Poster

log = logging.getLogger("podium.alerts")


def alert_nonce(channel_id: int, day: date, part: int, kind: str = "evening") -> str:
    """The same (channel, date, part) always gets the same nonce (Discord allows 25 characters),
    so a message re-sent soon after a crash is recognised by Discord and not posted twice."""
    digest = hashlib.sha256(f"{kind}:{channel_id}:{day.isoformat()}:{part}".encode()).hexdigest()
    return digest[:25]


@dataclass
class SendOutcome:
    status: str  # sent | gone (404) | forbidden (403) | failed
    message_ids: list[int] = field(default_factory=list)
    detail: str | None = None


class Sender:
    def __init__(self, poster: Poster, *, concurrency: int = 32, pacer: Pacer | None = None,
                 retry_delays: tuple[float, ...] = (1.0, 4.0, 10.0)):
        self.poster = poster
        self.slots = asyncio.Semaphore(concurrency)
        self.pacer = pacer  # None: no pacing of our own (discord.py still honours 429s)
        self.retry_delays = retry_delays

    async def pace(self) -> None:
        if self.pacer is not None:
            await self.pacer.wait()

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
                        return SendOutcome("failed", sent, f"gave up after {attempt + 1} tries: {posted.detail}")
                    delay = self.retry_delays[attempt]
                    log.warning("sending to %s failed (%s); retrying in %.0f s", channel_id, posted.detail, delay, extra={"channel_id": channel_id})
                    await asyncio.sleep(delay)
        return SendOutcome("sent", sent)
