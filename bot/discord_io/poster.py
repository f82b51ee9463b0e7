"""The alerts' Poster (bot/alerts/ports.py) with discord.py: each call's exception becomes an
outcome. Also discord.py's rate-limit bucket clean-up made linear for long fan-outs."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import aiohttp
import discord
from discord.http import handle_message_parameters

from bot.alerts.ports import FAILED, FORBIDDEN, GONE, RETRY, SENT, Listing, OwnMessage, Posted

log = logging.getLogger("podium.discord")
NO_MENTIONS = discord.AllowedMentions.none()
UNKNOWN_CHANNEL = 10003
PASSING = (discord.DiscordServerError, aiohttp.ClientError, asyncio.TimeoutError, OSError)
# A claim's time and Discord's clock may differ a little: list from a little earlier.
CLOCK_MARGIN = timedelta(seconds=30)


def outcome_of(error: Exception) -> Posted:
    if isinstance(error, discord.NotFound):
        return Posted(GONE, detail=error.text or "Unknown Channel")
    if isinstance(error, discord.Forbidden):
        return Posted(FORBIDDEN, detail=error.text or "Missing Permissions")
    if isinstance(error, PASSING):
        return Posted(RETRY, detail=f"{type(error).__name__}: {error}")
    if isinstance(error, discord.HTTPException):
        return Posted(FAILED, detail=f"{error.status}: {error.text}")
    raise error


def amortize_ratelimit_cleanup(http) -> bool:
    """discord.py keeps a rate-limit bucket per (route, channel), and once it knows 256 of them it
    scans all of them for inactive ones every time it creates another: a fan-out to N channels
    costs O(N²) (for 10,000 channels, more CPU than everything else the fan-out does). Scan only
    when the number of buckets has doubled since the last scan: the same buckets are dropped, in
    batches, at amortised O(1) per request. Returns whether the change is in place
    (tests/test_poster.py fails if discord.py no longer has the method it wraps)."""
    original = getattr(http, "_try_clear_expired_ratelimits", None)
    if original is None or not isinstance(getattr(http, "_buckets", None), dict):
        log.warning("discord.py's HTTP client has no _try_clear_expired_ratelimits/_buckets: "
                    "the bucket clean-up stays quadratic in long fan-outs")
        return False
    if getattr(http, "_podium_amortized", False):
        return True
    threshold = 256

    def try_clear_expired_ratelimits() -> None:
        nonlocal threshold
        if len(http._buckets) < threshold:
            return
        original()
        threshold = max(256, 2 * len(http._buckets))

    http._try_clear_expired_ratelimits = try_clear_expired_ratelimits
    http._podium_amortized = True
    return True


def pace_every_request(http, pacer) -> None:
    """Every REST request this client sends waits for `pacer` first (a process of several sharing
    one token: its start-up, command sync and alerts all count against Discord's global limit),
    except interaction callbacks and follow-ups, which Discord leaves out of the global limit.
    Retries after a 429 are requests of their own and wait too. Call it before the client logs in.

    The wait is as close to the socket as aiohttp allows (its trace hooks): just before the first
    body chunk is written (aiohttp writes the buffered headers with it), or, for a request without
    a body, once the headers are ready (they go out at once after). Between the pacer's answer and
    the write nothing else runs; waiting before the request instead left room for a busy event
    loop (a restarted process loading its guilds) to hold a paced request back for 100-200 ms and
    send it into another process's slot."""
    trace = http.http_trace
    if trace is None:
        trace = http.http_trace = aiohttp.TraceConfig()

    def counted(url) -> bool:
        url, api = str(url), discord.http.Route.BASE
        return url.startswith(api) and not url[len(api):].startswith(("/interactions/", "/webhooks/"))

    async def headers_ready(session, context, params: aiohttp.TraceRequestHeadersSentParams) -> None:
        if not counted(params.url):
            return
        if params.headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in params.headers:
            context.paced_at_first_chunk = True
        else:
            await pacer.wait()

    async def chunk_ready(session, context, params: aiohttp.TraceRequestChunkSentParams) -> None:
        if getattr(context, "paced_at_first_chunk", False):
            context.paced_at_first_chunk = False
            await pacer.wait()

    trace.on_request_headers_sent.append(headers_ready)
    trace.on_request_chunk_sent.append(chunk_ready)


class DiscordPoster:
    """Posts through a discord.py client's REST session; `timeout` bounds one request."""

    def __init__(self, client: discord.Client, *, timeout: float = 30.0):
        self.client = client
        self.timeout = timeout
        amortize_ratelimit_cleanup(client.http)

    async def post(self, channel_id: int, text: str, nonce: str) -> Posted:
        """What channel.send() does, without building a discord.Message from the answer (only its
        id is needed; a tenth of the bot's CPU in a fan-out) and without a task per call."""
        params = handle_message_parameters(content=text, nonce=nonce, allowed_mentions=NO_MENTIONS)
        try:
            async with asyncio.timeout(self.timeout):
                with params:
                    message = await self.client.http.send_message(channel_id, params=params)
        except discord.NotFound as error:
            if error.code == UNKNOWN_CHANNEL:
                return Posted(GONE, detail=error.text or "Unknown Channel")
            return Posted(FAILED, detail=f"404: {error.text}")
        except Exception as error:
            return outcome_of(error)
        return Posted(SENT, int(message["id"]))

    async def edit(self, channel_id: int, message_id: int, text: str) -> Posted:
        message = self.client.get_partial_messageable(channel_id).get_partial_message(message_id)
        try:
            await asyncio.wait_for(message.edit(content=text, allowed_mentions=NO_MENTIONS), self.timeout)
        except Exception as error:
            return outcome_of(error)
        return Posted(SENT, message_id)

    async def delete(self, channel_id: int, message_id: int) -> Posted:
        message = self.client.get_partial_messageable(channel_id).get_partial_message(message_id)
        try:
            await asyncio.wait_for(message.delete(), self.timeout)
        except Exception as error:
            return outcome_of(error)
        return Posted(SENT, message_id)

    async def own_messages_since(self, channel_id: int, since: datetime) -> Listing:
        channel = self.client.get_partial_messageable(channel_id)
        me = self.client.user.id if self.client.user else self.client.application_id
        after = discord.Object(id=discord.utils.time_snowflake(since - CLOCK_MARGIN))
        found: list[OwnMessage] = []

        async def read() -> None:
            async for message in channel.history(limit=None, after=after, oldest_first=True):
                if message.author.id == me:
                    found.append(OwnMessage(message.id, message.content))

        try:
            await asyncio.wait_for(read(), self.timeout)
        except Exception as error:
            outcome = outcome_of(error)
            return Listing(outcome.status, detail=outcome.detail)
        return Listing(SENT, tuple(found))
