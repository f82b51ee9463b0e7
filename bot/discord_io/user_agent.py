"""Discord requires `User-Agent: DiscordBot (url, version)` on every request.

discord.py's REST client and gateway set it, but its webhook adapter -- which sends interaction
callbacks, follow-ups and edits of the original response -- sets none, so those went out with
aiohttp's default. The client's documented `http_trace` option (an aiohttp TraceConfig) sees every
request of discord.py's session before it is sent, and aiohttp documents the headers it is handed
as mutable: there we add the same User-Agent wherever none was set."""
from __future__ import annotations

import sys

import aiohttp
import discord

# the string discord.py's HTTPClient sends, so that every request of the bot looks the same
USER_AGENT = (f"DiscordBot (https://github.com/Rapptz/discord.py {discord.__version__}) "
              f"Python/{sys.version_info[0]}.{sys.version_info[1]} aiohttp/{aiohttp.__version__}")


async def _add_user_agent(session, context, params: aiohttp.TraceRequestStartParams) -> None:
    params.headers.setdefault("User-Agent", USER_AGENT)


def user_agent_trace() -> aiohttp.TraceConfig:
    """For `discord.Client(http_trace=...)`: every request of the client carries USER_AGENT."""
    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(_add_user_agent)
    return trace
