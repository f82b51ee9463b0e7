"""What the fan-out is compared with, in the same run against the same fake Discord process:

- raw: aiohttp POSTs of the very bodies the bot sent (fresh nonces), `concurrency` in flight, one
  session, discord.py's User-Agent and Authorization headers; each response is read, not parsed.
  The floor for any Python client on this machine and this fake.
- minimal bot: a plain discord.py Client (guilds intent, connected to the fake's gateway, every
  guild in its cache) that loops `channel.send(content, nonce=...)` over the same bodies,
  `concurrency` in flight. What discord.py gives with no work of our own.

Both are timed from the first request to the last answer; their CPU is time.process_time() of
this process, which runs nothing else meanwhile (the fake is another process)."""
from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import dataclass, field

import aiohttp
import discord

NO_MENTIONS = discord.AllowedMentions.none()


@dataclass
class SendRun:
    label: str
    messages: int  # answered 200
    seconds: float
    cpu: float
    failures: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else float("inf")

    @property
    def cpu_per_1000(self) -> float:
        return self.cpu / self.messages * 1000 if self.messages else 0.0


def fresh_nonce(label: str, channel_id: int, part: int) -> str:
    """A nonce per (baseline, channel, part), so the fake posts a new message instead of
    answering with the one the bot already posted under the bot's nonce."""
    return hashlib.sha256(f"{label}:{channel_id}:{part}".encode()).hexdigest()[:25]


def with_fresh_nonces(label: str, posts: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
    out = []
    for part, (channel_id, body) in enumerate(posts):
        out.append((channel_id, dict(body, nonce=fresh_nonce(label, channel_id, part))))
    return out


async def _run(label: str, posts: list[tuple[int, dict]], concurrency: int, send) -> SendRun:
    slots = asyncio.Semaphore(concurrency)
    failures: list[str] = []
    sent = 0

    async def one(channel_id: int, body: dict) -> None:
        nonlocal sent
        async with slots:
            try:
                await send(channel_id, body)
                sent += 1
            except Exception as error:  # noqa: BLE001 - counted and reported, not raised
                failures.append(f"{channel_id}: {error!r}"[:200])

    cpu = time.process_time()
    started = time.monotonic()
    await asyncio.gather(*(one(channel_id, body) for channel_id, body in posts))
    return SendRun(label, sent, time.monotonic() - started, time.process_time() - cpu, failures[:5])


async def raw_posts(fake, posts: list[tuple[int, dict]], concurrency: int) -> SendRun:
    """POST each body to /channels/{id}/messages with plain aiohttp."""
    from discord.http import HTTPClient

    user_agent = HTTPClient(asyncio.get_running_loop()).user_agent
    headers = {"Authorization": f"Bot {fake.token}", "User-Agent": user_agent, "Content-Type": "application/json"}
    posts = with_fresh_nonces("raw", posts)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), headers=headers) as session:
        async def send(channel_id: int, body: dict) -> None:
            async with session.post(f"{fake.api_url}/channels/{channel_id}/messages", data=json.dumps(body)) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}")

        return await _run("raw aiohttp", posts, concurrency, send)


async def minimal_bot(fake, posts: list[tuple[int, dict]], concurrency: int, ready_timeout: float = 120.0) -> SendRun:
    """A plain discord.py Client that loops channel.send over the same bodies."""
    from bot.discord_io.endpoints import DISCORD_API, use_endpoints

    posts = with_fresh_nonces("minimal", posts)
    use_endpoints(fake.api_url, fake.gateway_url)
    client = discord.Client(intents=discord.Intents(guilds=True))
    client._connection.guild_ready_timeout = 0.05  # do not wait 2 s after the last GUILD_CREATE
    connection = None
    try:
        await client.login(fake.token)
        connection = asyncio.create_task(client.connect(reconnect=False))
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({connection, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            raise RuntimeError("the minimal discord.py bot did not get ready")

        async def send(channel_id: int, body: dict) -> None:
            channel = client.get_channel(channel_id)
            await channel.send(body["content"], nonce=body["nonce"], allowed_mentions=NO_MENTIONS)

        return await _run("minimal discord.py bot", posts, concurrency, send)
    finally:
        await client.close()
        if connection is not None:
            await asyncio.gather(connection, return_exceptions=True)
        use_endpoints(DISCORD_API, None)
