"""Where discord.py talks to: Discord itself by default, or another REST base / gateway URL
(a rate-limit proxy, or the fake Discord server the tests run against).

discord.py (2.x) builds every REST URL -- webhook and interaction follow-ups included, they use
the same ``discord.http.Route`` -- from the class attribute ``Route.BASE`` when a Route is
created, so setting it redirects them all.

The gateway: a non-sharded client never asks ``GET /gateway/bot``; it opens
``DiscordWebSocket.DEFAULT_GATEWAY`` (and goes back to it after a non-resumable
INVALID_SESSION). Resumes go to the ``resume_gateway_url`` of READY, stored in the socket's
``gateway`` attribute: with an override we keep that URL only when it is on the override's host
(the fake's own resume URL), else we resume through the override too (a proxy stays in the path).
"""
from __future__ import annotations

import discord.gateway
import discord.http
import yarl

DISCORD_API = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"

_original_get_bot_gateway = discord.http.HTTPClient.get_bot_gateway
_override: yarl.URL | None = None


def _same_origin(a: yarl.URL, b: yarl.URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


class _GatewayAttribute:
    """Data descriptor for DiscordWebSocket.gateway that keeps resumes on the configured gateway."""

    def __set_name__(self, owner, name) -> None:
        self.name = "_podium_" + name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__.get(self.name)

    def __set__(self, instance, value) -> None:
        if _override is not None and value is not None:
            url = value if isinstance(value, yarl.URL) else yarl.URL(str(value))
            if not _same_origin(url, _override):
                value = _override
        instance.__dict__[self.name] = value


def _install_gateway_attribute() -> None:
    ws_class = discord.gateway.DiscordWebSocket
    if not isinstance(ws_class.__dict__.get("gateway"), _GatewayAttribute):
        attribute = _GatewayAttribute()
        attribute.__set_name__(ws_class, "gateway")
        ws_class.gateway = attribute


async def _get_bot_gateway(self, *args, **kwargs):
    """For AutoShardedClient: Discord's shard count, but the configured gateway URL."""
    shards, url, limits = await _original_get_bot_gateway(self, *args, **kwargs)
    return shards, str(_override) if _override is not None else url, limits


def use_endpoints(api_base: str, gateway_url: str | None) -> None:
    """Point discord.py at `api_base` for REST and, when given, at `gateway_url` for the gateway.

    With Discord's own URLs (or an empty gateway) this restores discord.py's defaults."""
    global _override
    discord.http.Route.BASE = (api_base or DISCORD_API).rstrip("/")
    if gateway_url:
        _override = yarl.URL(gateway_url)
        # discord.py adds ?v=..&encoding=..&compress=.. with with_query, which keeps the path
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = _override
        discord.http.HTTPClient.get_bot_gateway = _get_bot_gateway
        _install_gateway_attribute()
    else:
        _override = None  # the descriptor, if installed, now passes every URL through unchanged
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(DISCORD_GATEWAY)
        discord.http.HTTPClient.get_bot_gateway = _original_get_bot_gateway
