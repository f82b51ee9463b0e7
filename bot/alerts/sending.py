"""Posting an alert's messages into a channel: a deterministic nonce per part, a bounded number in
flight, our own pacing under Discord's global limit, and retries with backoff for passing faults."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date

import aiohttp
import discord

from bot.alerts.pacing import Pacer

log = logging.getLogger("podium.alerts")
NO_MENTIONS = discord.AllowedMentions.none()
UNKNOWN_CHANNEL = 10003


def alert_nonce(channel_id: int, day: date, part: int, kind: str = "evening") -> str:
    """The same (channel, date, part) always gets the same nonce (Discord allows 25 characters),
    so a message re-sent after a crash is recognised by Discord and not posted twice."""
    digest = hashlib.sha256(f"{kind}:{channel_id}:{day.isoformat()}:{part}".encode()).hexdigest()
    return digest[:25]


def amortize_ratelimit_cleanup(http) -> None:
    """discord.py keeps a rate-limit bucket per (route, channel), and once it knows 256 of them it
    scans all of them for inactive ones every time it creates another: a fan-out to N channels
    costs O(N²) (for 10,000 channels, more CPU than everything else the fan-out does). Scan only
    when the number of buckets has doubled since the last scan: the same buckets are dropped, in
    batches, at amortised O(1) per request."""
    original = getattr(http, "_try_clear_expired_ratelimits", None)
    if original is None or not isinstance(getattr(http, "_buckets", None), dict) or getattr(http, "_podium_amortized", False):
        return
    threshold = 256

    def try_clear_expired_ratelimits() -> None:
        nonlocal threshold
        if len(http._buckets) < threshold:
            return
        original()
        threshold = max(256, 2 * len(http._buckets))

    http._try_clear_expired_ratelimits = try_clear_expired_ratelimits
    http._podium_amortized = True


@dataclass
class SendOutcome:
    status: str  # sent | gone (404) | forbidden (403) | failed
    message_ids: list[int] = field(default_factory=list)
    detail: str | None = None


class Sender:
    def __init__(self, client: discord.Client, *, concurrency: int = 32, pacer: Pacer | None = None,
                 retry_delays: tuple[float, ...] = (1.0, 4.0, 10.0)):
        self.client = client
        self.slots = asyncio.Semaphore(concurrency)
        self.pacer = pacer  # None: no pacing of our own (discord.py still honours 429s)
        self.retry_delays = retry_delays
        amortize_ratelimit_cleanup(getattr(client, "http", None))

    async def send_parts(self, channel_id: int, day: date, messages: list[str], kind: str = "evening") -> SendOutcome:
        channel = self.client.get_partial_messageable(channel_id)
        sent: list[int] = []
        async with self.slots:
            for part, text in enumerate(messages):
                nonce = alert_nonce(channel_id, day, part, kind)
                for attempt in range(len(self.retry_delays) + 1):
                    try:
                        if self.pacer is not None:
                            await self.pacer.wait()
                        message = await channel.send(text, nonce=nonce, allowed_mentions=NO_MENTIONS)
                        sent.append(message.id)
                        break
                    except discord.NotFound as error:
                        if error.code == UNKNOWN_CHANNEL:
                            return SendOutcome("gone", sent, error.text or "Unknown Channel")
                        return SendOutcome("failed", sent, f"404: {error.text}")
                    except discord.Forbidden as error:
                        return SendOutcome("forbidden", sent, error.text or "Missing Permissions")
                    except (discord.DiscordServerError, aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
                        if attempt == len(self.retry_delays):
                            return SendOutcome("failed", sent, f"gave up after {attempt + 1} tries: {error}")
                        delay = self.retry_delays[attempt]
                        log.warning("sending to %s failed (%s); retrying in %.0f s", channel_id, error, delay, extra={"channel_id": channel_id})
                        await asyncio.sleep(delay)
                    except discord.HTTPException as error:
                        return SendOutcome("failed", sent, f"{error.status}: {error.text}")
        return SendOutcome("sent", sent)
