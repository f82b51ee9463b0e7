"""What the alerts need of Discord, and nothing more: post a message with a nonce, edit or delete
one, and list the bot's own recent messages in a channel. bot/discord_io/poster.py implements it
with discord.py; bot/alerts/ imports no discord.

Every call answers with an outcome instead of raising:
  sent       done (for a post: `message_id` is the new message)
  gone       the channel (or message) no longer exists
  forbidden  the bot may not do this in the channel
  retry      a passing fault (5xx, timeout, connection): try again later; for a post the message
             may or may not have landed
  failed     Discord refused it for good (e.g. 400); trying again will not help"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

SENT, GONE, FORBIDDEN, RETRY, FAILED = "sent", "gone", "forbidden", "retry", "failed"


@dataclass(frozen=True)
class Posted:
    status: str
    message_id: int | None = None
    detail: str | None = None


@dataclass(frozen=True)
class OwnMessage:
    id: int
    content: str


@dataclass(frozen=True)
class Listing:
    """The bot's own messages in a channel, oldest first (`messages` is empty unless status is sent)."""

    status: str
    messages: tuple[OwnMessage, ...] = field(default=())
    detail: str | None = None


class Poster(Protocol):
    async def post(self, channel_id: int, text: str, nonce: str) -> Posted:
        """Post `text` (mentions disabled) with `nonce` enforced."""

    async def edit(self, channel_id: int, message_id: int, text: str) -> Posted: ...

    async def delete(self, channel_id: int, message_id: int) -> Posted: ...

    async def own_messages_since(self, channel_id: int, since: datetime) -> Listing:
        """The bot's messages in the channel created at or after `since` (real time, aware)."""
