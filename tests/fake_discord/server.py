"""A fake Discord server on 127.0.0.1: the REST API (the parts Podium and discord.py use) and the
gateway (HELLO / IDENTIFY / READY / GUILD_CREATE / RESUME / INTERACTION_CREATE), with the payload
shapes of Discord's documentation, rate-limit headers, and fault injection for tests.

Sharding as Discord documents it: IDENTIFY may carry `shard: [id, count]`; that session gets READY
and GUILD_CREATE for the guilds with `(guild_id >> 22) % count == id` only, and every event of a
guild (its interactions too) goes to its shard's session. `/gateway/bot` answers
`recommended_shards`. The global limit (`global_limit_per_second`, per bot token, whatever the
connection or process) answers 429 with `global: true` and Retry-After; `global_429_count` counts them.

    fake = FakeDiscord(token="t0k3n")
    fake.add_guild(1, name="Test")
    fake.add_channel(1, 10, "general")
    await fake.start()
    ...  # point discord.py at fake.api_url / fake.gateway_url
    handle = await fake.interact(1, 10, user_id=42, name="medals", options={"country": "NED"})
    result = await handle.response()
    await fake.stop()
"""
from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import math
import re
import time
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from aiohttp import WSMsgType, web

try:  # the same zstd library discord.py would use for compress=zstd-stream
    import zstandard as _zstandard  # type: ignore
except ImportError:  # pragma: no cover - depends on the environment
    _zstandard = None
try:
    from compression import zstd as _stdlib_zstd  # type: ignore  # Python 3.14+
except ImportError:
    _stdlib_zstd = None

DISCORD_EPOCH_MS = 1420070400000

# permission bits (https://discord.com/developers/docs/topics/permissions)
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_PERMISSIONS = (CREATE_INSTANT_INVITE | ADD_REACTIONS | VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES
                        | READ_MESSAGE_HISTORY | USE_EXTERNAL_EMOJIS | CHANGE_NICKNAME | USE_APPLICATION_COMMANDS
                        | SEND_MESSAGES_IN_THREADS)
BOT_ROLE_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_EXTERNAL_EMOJIS

EPHEMERAL = 1 << 6
LOADING = 1 << 7

# gateway opcodes
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE, OP_VOICE, OP_RESUME, OP_RECONNECT = 0, 1, 2, 3, 4, 6, 7
OP_REQUEST_MEMBERS, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 8, 9, 10, 11

INTENT_GUILD_MESSAGES = 1 << 9

DEFAULT_ERRORS = {
    400: {"message": "400: Bad Request", "code": 0},
    401: {"message": "401: Unauthorized", "code": 0},
    403: {"message": "Missing Permissions", "code": 50013},
    404: {"message": "404: Not Found", "code": 0},
    405: {"message": "405: Method Not Allowed", "code": 0},
    500: {"message": "500: Internal Server Error", "code": 0},
    502: {"message": "502: Bad Gateway", "code": 0},
    503: {"message": "503: Service Unavailable", "code": 0},
    504: {"message": "504: Gateway Timeout", "code": 0},
}
UNKNOWN_CHANNEL = {"message": "Unknown Channel", "code": 10003}
UNKNOWN_MESSAGE = {"message": "Unknown Message", "code": 10008}
UNKNOWN_WEBHOOK = {"message": "Unknown Webhook", "code": 10015}
UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
UNKNOWN_GUILD = {"message": "Unknown Guild", "code": 10004}
UNKNOWN_MEMBER = {"message": "Unknown Member", "code": 10007}
UNKNOWN_COMMAND = {"message": "Unknown application command", "code": 10063}
MISSING_ACCESS = {"message": "Missing Access", "code": 50001}
MISSING_PERMISSIONS = {"message": "Missing Permissions", "code": 50013}
EMPTY_MESSAGE = {"message": "Cannot send an empty message", "code": 50006}
ALREADY_ACKNOWLEDGED = {"message": "Interaction has already been acknowledged.", "code": 40060}


def _read_upload(field) -> bytes:
    field.file.seek(0)
    return field.file.read()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def invalid_form(errors: dict) -> dict:
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


class LoggedRequest(tuple):
    """(method, path, status) -- path relative to the API base, without the query -- plus
    `.query`, `.body` (parsed JSON or payload_json), `.headers` and `.at` (time.monotonic())."""

    def __new__(cls, method: str, path: str, status: int, *, query=None, body=None, headers=None, at: float = 0.0):
        self = super().__new__(cls, (method, path, status))
        self.query = dict(query or {})
        self.body = body
        self.headers = dict(headers or {})
        self.at = at
        return self

    method = property(lambda self: self[0])
    path = property(lambda self: self[1])
    status = property(lambda self: self[2])


@dataclass
class Fault:
    method: str | None
    pattern: re.Pattern
    status: int
    body: Any
    headers: dict
    times: int
    apply: bool = False  # run the real handler first (the request "happened"), then answer the fault

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and (self.method in (None, "*", method)) and self.pattern.search(path) is not None


@dataclass
class BucketLimit:
    method: str | None
    pattern: re.Pattern
    limit: int
    window: float


class InteractionHandle:
    """One injected interaction: what the bot answered, and when.

    `await handle.response()` returns the final visible answer as a dict with type (the callback
    type), content, embeds, components, flags (64 = ephemeral), and for autocomplete `choices`;
    for a deferred answer (type 5) it waits for the edit of @original / the first follow-up."""

    def __init__(self, server: "FakeDiscord", payload: dict):
        self.server = server
        self.payload = payload
        self.id = int(payload["id"])
        self.token = payload["token"]
        self.type = payload["type"]
        self.sent_at: float | None = None  # time.monotonic() when INTERACTION_CREATE was sent
        self.callback_at: float | None = None  # first callback received
        self.settled_at: float | None = None  # final visible answer there (after a defer: its edit)
        self.callback_count = 0  # every callback attempt, accepted or not
        self.callbacks: list[dict] = []  # accepted callbacks (normally exactly one)
        self.rejected_callbacks: list[tuple[int, dict]] = []
        self.callback_type: int | None = None
        self.callback_data: dict = {}
        self.original: dict | None = None  # the response message (for types 4 and 5)
        self.followups: list[dict] = []
        self.deleted_original = False
        self._settled = asyncio.Event()
        self._changed = asyncio.Event()

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    @property
    def latency(self) -> float | None:
        """Seconds from sending the interaction to the (first accepted) callback."""
        if self.sent_at is None or self.callback_at is None:
            return None
        return self.callback_at - self.sent_at

    @property
    def settle_latency(self) -> float | None:
        """Seconds from sending the interaction to the final visible answer."""
        if self.sent_at is None or self.settled_at is None:
            return None
        return self.settled_at - self.sent_at

    @property
    def messages(self) -> list[dict]:
        """Every visible message of this interaction: the original response, then the follow-ups."""
        out = [self.original] if self.original is not None and not self.deleted_original else []
        return out + list(self.followups)

    def _settle(self) -> None:
        if not self._settled.is_set():
            self.settled_at = time.monotonic()
            self._settled.set()
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def result(self) -> dict | None:
        if not self._settled.is_set():
            return None
        data = self.callback_data or {}
        if self.callback_type in (4, 5) and self.original is not None:
            source = self.original
        elif self.callback_type in (6, 7) and self.original is not None:
            source = self.original
        else:
            source = data
        result = {
            "type": self.callback_type,
            "content": source.get("content", "") or "",
            "embeds": source.get("embeds") or [],
            "components": source.get("components") or [],
            "flags": int(source.get("flags") or 0),
            "followups": list(self.followups),
            "message": self.original,
        }
        if self.callback_type == 8:
            result["choices"] = data.get("choices", [])
        if self.callback_type == 9:
            result["custom_id"] = data.get("custom_id")
            result["title"] = data.get("title")
        return result

    async def response(self, timeout: float = 5.0) -> dict:
        try:
            await asyncio.wait_for(self._settled.wait(), timeout)
        except asyncio.TimeoutError:
            state = "never acknowledged" if not self.acknowledged else f"acknowledged with type {self.callback_type} but never completed"
            raise AssertionError(f"interaction {self.id} ({self.payload.get('data', {}).get('name') or self.payload.get('data', {}).get('custom_id')}) was {state} within {timeout}s") from None
        return self.result()

    async def wait_messages(self, count: int, timeout: float = 5.0) -> list[dict]:
        """Wait until the interaction shows at least `count` messages (original + follow-ups)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"interaction {self.id} shows {len(self.messages)} message(s), expected {count}")
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        return self.messages

    def text(self) -> str:
        """All visible text of the interaction (contents and embed texts), for assertions."""
        parts = []
        for message in self.messages:
            parts.append(message.get("content") or "")
            for embed in message.get("embeds") or []:
                parts.append(json.dumps(embed, ensure_ascii=False))
        if self.callback_type == 8:
            parts.append(json.dumps(self.callback_data.get("choices", []), ensure_ascii=False))
        return "\n".join(parts)


class _Connection:
    """One gateway websocket."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request):
        self.ws = ws
        self.request = request
        self.path = request.path
        self.query = dict(request.query)
        self.encoding = request.query.get("encoding", "json")
        self.compress = request.query.get("compress")
        self.session: _Session | None = None
        self.lock = asyncio.Lock()
        self.heartbeats = 0
        self.opened_at = time.monotonic()
        self.closed_code: int | None = None
        self._zlib = zlib.compressobj() if self.compress == "zlib-stream" else None
        self._zstd = None
        if self.compress == "zstd-stream":
            if _zstandard is not None:
                self._zstd = ("zstandard", _zstandard.ZstdCompressor().compressobj())
            elif _stdlib_zstd is not None:
                self._zstd = ("stdlib", _stdlib_zstd.ZstdCompressor())

    def encode(self, payload: dict) -> str | bytes:
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        if self._zlib is not None:
            return self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        if self._zstd is not None:
            kind, compressor = self._zstd
            if kind == "zstandard":
                return compressor.compress(text.encode()) + compressor.flush(_zstandard.COMPRESSOBJ_FLUSH_BLOCK)
            return compressor.compress(text.encode(), mode=_stdlib_zstd.ZstdCompressor.FLUSH_BLOCK)
        return text

    async def send(self, payload: dict) -> bool:
        async with self.lock:
            if self.ws.closed:
                return False
            data = self.encode(payload)
            try:
                if isinstance(data, bytes):
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(data)
            except (ConnectionError, RuntimeError):
                return False
            return True

    def abort(self) -> None:
        transport = self.request.transport
        if transport is not None:
            transport.abort()


def shard_of(guild_id: int, shard_count: int) -> int:
    return (int(guild_id) >> 22) % shard_count


@dataclass
class _Session:
    id: str
    intents: int
    shard: tuple[int, int] = (0, 1)  # [shard id, shard count] from IDENTIFY
    seq: int = 0
    events: list[dict] = field(default_factory=list)
    conn: _Connection | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class FakeDiscord:
    """See the module docstring. Everything is configurable before or after start()."""

    API_PREFIXES = ("/api/v10", "/api/v9", "/api")
    tokens_seen: set[str] = set()  # every token any fake was given: tests/conftest.py checks no log line holds one

    def __init__(self, token: str = "fake-bot-token", *, application_id: int = 900000000000000001,
                 bot_id: int | None = None, owner_id: int = 900000000000000099, bot_name: str = "Podium",
                 heartbeat_interval_ms: int = 41250):
        self.token = token
        FakeDiscord.tokens_seen.add(token)
        self.application_id = application_id
        self.bot_id = bot_id or application_id
        self.owner_id = owner_id
        self.bot_name = bot_name
        self.heartbeat_interval_ms = heartbeat_interval_ms
        # behaviour knobs
        self.latency: float = 0.0  # seconds added to every REST answer
        self.global_limit_per_second: int | None = None
        self.global_429_count = 0  # requests refused for the global limit
        self.recommended_shards = 1  # /gateway/bot's "shards"
        self.bucket_limit = 50  # per route bucket and major parameter
        self.bucket_window = 1.0
        self.nonce_window = 300.0  # enforce_nonce: seconds a nonce stays known (Discord: a few minutes); 0: off
        self.interaction_deadline: float | None = 3.0  # Discord: the initial callback within 3 s
        self.ack_heartbeats = True
        self.invalidate_on_clean_close = False
        # state
        self.guilds: dict[int, dict] = {}
        self.users: dict[int, dict] = {}
        self.commands: dict[int | None, list[dict]] = {}  # None: global; else guild id
        self.command_puts: list[tuple[int | None, list[dict]]] = []  # every bulk overwrite
        self._messages: dict[int, list[dict]] = {}
        self._message_index: dict[int, dict] = {}
        self._channel_guilds: dict[int, int] = {}  # channel id -> guild id, a cache for find_channel
        self._nonces: dict[tuple[int, str], tuple[float, dict]] = {}
        self.interactions: dict[int, InteractionHandle] = {}
        self._interactions_by_token: dict[str, InteractionHandle] = {}
        self.requests: list[LoggedRequest] = []
        # (method, path, User-Agent or None) of every HTTP request: REST, interaction callbacks,
        # webhooks and gateway upgrades alike, whatever their answer
        self.user_agents: list[tuple[str, str, str | None]] = []
        self.faults: list[Fault] = []
        self.bucket_limits: list[BucketLimit] = []
        self._buckets: dict[tuple, list[float]] = {}
        self._global_times: list[float] = []
        self._request_waiters: list[tuple[Callable[[LoggedRequest], bool], asyncio.Future]] = []
        self.identify_count = 0
        self.resume_count = 0
        self.failed_resumes = 0
        self.heartbeat_count = 0
        self.gateway_connections: list[_Connection] = []
        self._sessions: dict[str, _Session] = {}
        self._session: _Session | None = None  # the current one (the latest identified, when sharded)
        self.shard_sessions: dict[int, _Session] = {}  # shard id -> its session
        self._session_ready = asyncio.Event()
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task] = set()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.add_user(self.bot_id, bot_name, bot=True)
        self.add_user(self.owner_id, "owner")

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> "FakeDiscord":
        app = web.Application(client_max_size=64 * 2**20, middlewares=[self._record_user_agent])
        app.router.add_route("GET", "/gateway", self._gateway_handler)
        app.router.add_route("GET", "/gateway-resume", self._gateway_handler)
        app.router.add_route("*", "/api/{tail:.*}", self._rest_handler)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    @web.middleware
    async def _record_user_agent(self, request: web.Request, handler):
        self.user_agents.append((request.method, request.path, request.headers.get("User-Agent")))
        return await handler(request)

    async def stop(self) -> None:
        for conn in list(self.gateway_connections):
            if not conn.ws.closed:
                try:
                    await asyncio.wait_for(conn.ws.close(code=1001), 1)
                except Exception:
                    conn.abort()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeDiscord":
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway-resume"

    # ------------------------------------------------------------------ ids and model
    def snowflake(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (1 << 17) | (next(self._ids) & 0x1FFFF)

    def add_user(self, user_id: int, name: str, *, bot: bool = False) -> dict:
        user = {"id": str(user_id), "username": name, "discriminator": "0", "global_name": None if bot else name,
                "avatar": None, "public_flags": 0, "flags": 0}
        if bot:
            user["bot"] = True
        self.users[int(user_id)] = user
        return user

    @property
    def bot_user(self) -> dict:
        return {**self.users[self.bot_id], "verified": True, "mfa_enabled": False, "email": None, "locale": "en-US",
                "banner": None, "accent_color": None, "system": False}

    def add_guild(self, guild_id: int, name: str = "Test", locale: str = "en-US", *, owner_id: int | None = None) -> dict:
        guild_id = int(guild_id)
        owner_id = int(owner_id or self.owner_id)
        bot_role, manager_role = self.snowflake(), self.snowflake()
        guild = {
            "id": guild_id, "name": name, "locale": locale, "owner_id": owner_id,
            "roles": {
                guild_id: self._role(guild_id, "@everyone", EVERYONE_PERMISSIONS, 0),
                bot_role: self._role(bot_role, self.bot_name, BOT_ROLE_PERMISSIONS, 1, managed=True,
                                     tags={"bot_id": str(self.bot_id)}),
                manager_role: self._role(manager_role, "Channel Managers", MANAGE_CHANNELS, 2),
            },
            "bot_role_id": bot_role, "manager_role_id": manager_role,
            "channels": {}, "members": {}, "joined_at": now_iso(),
        }
        self.guilds[guild_id] = guild
        self._add_member_record(guild, self.bot_id, [bot_role])
        if owner_id not in self.users:
            self.add_user(owner_id, "owner")
        self._add_member_record(guild, owner_id, [])
        self._maybe_dispatch("GUILD_CREATE", lambda: self.guild_payload(guild_id), guild_id)
        return guild

    @staticmethod
    def _role(role_id: int, name: str, permissions: int, position: int, *, managed: bool = False, tags: dict | None = None) -> dict:
        role = {"id": str(role_id), "name": name, "color": 0,
                "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                "hoist": False, "icon": None, "unicode_emoji": None, "position": position, "permissions": str(permissions),
                "managed": managed, "mentionable": False, "flags": 0}
        if tags:
            role["tags"] = tags
        return role

    def _add_member_record(self, guild: dict, user_id: int, roles: list[int]) -> dict:
        member = {"user_id": int(user_id), "roles": list(roles), "joined_at": now_iso(), "nick": None}
        guild["members"][int(user_id)] = member
        return member

    def add_channel(self, guild_id: int, channel_id: int, name: str = "general", bot_can_send: bool = True, *,
                    bot_can_view: bool = True, type: int = 0, parent_id: int | None = None) -> dict:
        guild = self.guilds[int(guild_id)]
        overwrites = []
        deny = (0 if bot_can_send else SEND_MESSAGES | SEND_MESSAGES_IN_THREADS) | (0 if bot_can_view else VIEW_CHANNEL)
        if deny:
            overwrites.append({"id": str(self.bot_id), "type": 1, "allow": "0", "deny": str(deny)})
        channel = {"id": int(channel_id), "guild_id": int(guild_id), "name": name, "type": type,
                   "position": len(guild["channels"]), "permission_overwrites": overwrites, "parent_id": parent_id,
                   "topic": None, "nsfw": False, "last_message_id": None, "rate_limit_per_user": 0}
        existed = int(channel_id) in guild["channels"]
        guild["channels"][int(channel_id)] = channel
        self._messages.setdefault(int(channel_id), [])
        self._maybe_dispatch("CHANNEL_UPDATE" if existed else "CHANNEL_CREATE", lambda: self.channel_payload(channel), guild_id)
        return channel

    def set_bot_can_send(self, channel_id: int, allowed: bool) -> None:
        """Change the bot's send permission in a channel (dispatches CHANNEL_UPDATE when connected)."""
        channel = self.find_channel(channel_id)
        guild = self.guilds[channel["guild_id"]]
        self.add_channel(guild["id"], channel["id"], channel["name"], bot_can_send=allowed)

    def remove_channel(self, channel_id: int) -> None:
        """Delete a channel: later sends answer 404 Unknown Channel (dispatches CHANNEL_DELETE)."""
        channel = self.find_channel(channel_id)
        if channel is None:
            return
        payload = self.channel_payload(channel)
        del self.guilds[channel["guild_id"]]["channels"][channel["id"]]
        self._maybe_dispatch("CHANNEL_DELETE", lambda: payload, channel["guild_id"])

    def add_member(self, guild_id: int, user_id: int, name: str = "member", manage_channels: bool = False, *,
                   administrator: bool = False) -> dict:
        guild = self.guilds[int(guild_id)]
        if int(user_id) not in self.users:
            self.add_user(user_id, name)
        roles = [guild["manager_role_id"]] if manage_channels else []
        if administrator:
            admin_role = guild.get("admin_role_id")
            if admin_role is None:
                admin_role = guild["admin_role_id"] = self.snowflake()
                guild["roles"][admin_role] = self._role(admin_role, "Admins", ADMINISTRATOR, 3)
            roles.append(admin_role)
        return self._add_member_record(guild, user_id, roles)

    def find_channel(self, channel_id: int) -> dict | None:
        channel_id = int(channel_id)
        # which guild had it last time: one lookup instead of a scan of every guild (benchmarks have
        # hundreds); checked on every use, so channels added, moved or removed any way stay right
        guild = self.guilds.get(self._channel_guilds.get(channel_id))
        channel = guild["channels"].get(channel_id) if guild is not None else None
        if channel is not None:
            return channel
        for guild in self.guilds.values():
            channel = guild["channels"].get(channel_id)
            if channel is not None:
                self._channel_guilds[channel_id] = guild["id"]
                return channel
        return None

    def permissions(self, guild_id: int, user_id: int, channel_id: int | None = None) -> int:
        """Discord's permission computation: base from roles, then channel overwrites."""
        guild = self.guilds[int(guild_id)]
        if int(user_id) == guild["owner_id"]:
            return ALL_PERMISSIONS
        member = guild["members"].get(int(user_id))
        roles = member["roles"] if member else []
        base = int(guild["roles"][guild["id"]]["permissions"])
        for role_id in roles:
            role = guild["roles"].get(role_id)
            if role:
                base |= int(role["permissions"])
        if base & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel_id is None:
            return base
        channel = guild["channels"].get(int(channel_id))
        if channel is None:
            return base
        perms = base
        overwrites = {(o["type"], int(o["id"])): o for o in channel["permission_overwrites"]}
        everyone = overwrites.get((0, guild["id"]))
        if everyone:
            perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for role_id in roles:
            o = overwrites.get((0, role_id))
            if o:
                allow |= int(o["allow"])
                deny |= int(o["deny"])
        perms = (perms & ~deny) | allow
        o = overwrites.get((1, int(user_id)))
        if o:
            perms = (perms & ~int(o["deny"])) | int(o["allow"])
        if not perms & VIEW_CHANNEL:
            return 0
        return perms

    # ------------------------------------------------------------------ payloads
    def channel_payload(self, channel: dict) -> dict:
        payload = {"id": str(channel["id"]), "type": channel["type"], "guild_id": str(channel["guild_id"]),
                   "name": channel["name"], "position": channel["position"],
                   "permission_overwrites": [dict(o) for o in channel["permission_overwrites"]],
                   "parent_id": str(channel["parent_id"]) if channel["parent_id"] else None, "topic": channel["topic"],
                   "nsfw": channel["nsfw"], "last_message_id": channel["last_message_id"],
                   "rate_limit_per_user": channel["rate_limit_per_user"], "default_auto_archive_duration": 1440,
                   "flags": 0}
        return payload

    def member_payload(self, guild_id: int, user_id: int, *, with_permissions_in: int | None = None) -> dict:
        guild = self.guilds[int(guild_id)]
        member = guild["members"][int(user_id)]
        payload = {"user": dict(self.users[int(user_id)]), "nick": member["nick"], "avatar": None, "banner": None,
                   "roles": [str(r) for r in member["roles"]], "joined_at": member["joined_at"], "premium_since": None,
                   "deaf": False, "mute": False, "flags": 0, "pending": False, "communication_disabled_until": None}
        if with_permissions_in is not None:
            payload["permissions"] = str(self.permissions(guild_id, user_id, with_permissions_in))
        return payload

    def guild_payload(self, guild_id: int) -> dict:
        guild = self.guilds[int(guild_id)]
        return {
            "id": str(guild["id"]), "name": guild["name"], "icon": None, "icon_hash": None, "splash": None,
            "discovery_splash": None, "owner_id": str(guild["owner_id"]), "afk_channel_id": None, "afk_timeout": 300,
            "widget_enabled": False, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "roles": [dict(r) for r in guild["roles"].values()], "emojis": [],
            "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None, "system_channel_flags": 0,
            "rules_channel_id": None, "max_presences": None, "max_members": 500000, "vanity_url_code": None,
            "description": None, "banner": None, "premium_tier": 0, "premium_subscription_count": 0,
            "preferred_locale": guild["locale"], "public_updates_channel_id": None, "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50, "nsfw_level": 0, "nsfw": False, "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None, "stickers": [], "incidents_data": None,
            # GUILD_CREATE extras
            "joined_at": guild["joined_at"], "large": False, "unavailable": False, "lazy": True,
            "member_count": len(guild["members"]), "voice_states": [],
            "members": [self.member_payload(guild["id"], self.bot_id)],
            "channels": [{k: v for k, v in self.channel_payload(c).items() if k != "guild_id"} for c in guild["channels"].values()],
            "threads": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
        }

    def application_payload(self) -> dict:
        return {
            "id": str(self.application_id), "name": self.bot_name, "icon": None, "description": "", "summary": "",
            "type": None, "hook": True, "rpc_origins": [], "bot_public": True, "bot_require_code_grant": False,
            "verify_key": "0" * 64, "flags": 0, "owner": dict(self.users[self.owner_id]), "team": None,
            "bot": dict(self.users[self.bot_id]), "interactions_endpoint_url": None, "role_connections_verification_url": None,
            "tags": [], "install_params": None, "integration_types_config": {"0": {}}, "approximate_guild_count": len(self.guilds),
            "redirect_uris": [], "event_webhooks_status": 1, "is_monetized": False, "custom_install_url": None,
        }

    def _message(self, channel_id: int, data: dict, *, message_id: int | None = None, type: int = 0,
                 webhook: bool = False, flags: int = 0, interaction: InteractionHandle | None = None) -> dict:
        channel = self.find_channel(channel_id)
        message = {
            "id": str(message_id or self.snowflake()), "channel_id": str(channel_id), "author": dict(self.users[self.bot_id]),
            "content": data.get("content") or "", "timestamp": now_iso(), "edited_timestamp": None, "tts": bool(data.get("tts")),
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": list(data.get("attachments") or []),
            "embeds": list(data.get("embeds") or []), "pinned": False, "type": type, "flags": flags,
            "components": list(data.get("components") or []),
        }
        if channel is not None:
            message["guild_id"] = str(channel["guild_id"])
        if data.get("_files"):
            message["_files"] = list(data["_files"])
        if data.get("nonce") is not None:
            message["nonce"] = data["nonce"]
        if data.get("message_reference"):
            message["message_reference"] = data["message_reference"]
        if webhook:
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
        if interaction is not None:
            user = interaction.payload.get("member", {}).get("user") or interaction.payload.get("user")
            message["interaction_metadata"] = {"id": str(interaction.id), "type": interaction.type, "user": user,
                                               "authorizing_integration_owners": {"0": interaction.payload.get("guild_id")}}
        return message

    # ------------------------------------------------------------------ test-facing queries
    def messages(self, channel_id: int) -> list[dict]:
        """Messages the bot created in a channel with POST /channels/{id}/messages (not deleted), in order."""
        return [m for m in self._messages.get(int(channel_id), []) if not m.get("_deleted")]

    async def wait_for_messages(self, channel_id: int, count: int = 1, timeout: float = 8.0) -> list[dict]:
        """Wait until a channel has at least `count` messages; return them."""
        deadline = time.monotonic() + timeout
        while len(self.messages(channel_id)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"channel {channel_id} got {len(self.messages(channel_id))} message(s), expected {count}")
            await asyncio.sleep(0.02)
        return self.messages(channel_id)

    def reset(self) -> None:
        """Forget the logged requests, the messages and their nonces (between benchmark runs: the
        next run posts anew, even with the same nonces). Guilds, channels and members stay."""
        self.requests.clear()
        for messages in self._messages.values():
            messages.clear()
        self._message_index.clear()
        self._nonces.clear()

    def all_messages(self) -> dict[int, list[dict]]:
        return {cid: self.messages(cid) for cid in self._messages if self.messages(cid)}

    def global_commands(self) -> list[dict]:
        return list(self.commands.get(None, []))

    def guild_commands(self, guild_id: int) -> list[dict]:
        return list(self.commands.get(int(guild_id), []))

    def command_names(self, guild_id: int | None = None) -> list[str]:
        return sorted(c["name"] for c in self.commands.get(int(guild_id) if guild_id else None, []))

    def interaction_latencies(self) -> list[float]:
        """Seconds from INTERACTION_CREATE to the first accepted callback, per answered interaction."""
        return [h.latency for h in self.interactions.values() if h.latency is not None]

    @property
    def sync_count(self) -> int:
        return len(self.command_puts)

    def requests_to(self, method: str | None = None, pattern: str = "") -> list[LoggedRequest]:
        regex = re.compile(pattern)
        return [r for r in self.requests if (method is None or r.method == method) and regex.search(r.path)]

    async def wait_for_request(self, method: str | None, pattern: str, *, status: int | None = None, timeout: float = 5.0) -> LoggedRequest:
        """Wait for the next request (from now on) matching method (None: any), path regex and status."""
        regex = re.compile(pattern)

        def check(r: LoggedRequest) -> bool:
            return (method is None or r.method == method) and bool(regex.search(r.path)) and (status is None or r.status == status)

        future = asyncio.get_running_loop().create_future()
        self._request_waiters.append((check, future))
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._request_waiters = [(c, f) for c, f in self._request_waiters if f is not future]

    # ------------------------------------------------------------------ fault injection
    def fail_next(self, method: str | None, path_regex: str, status: int, body: Any = None, headers: dict | None = None,
                  times: int = 1, *, apply: bool = False) -> Fault:
        """The next `times` requests matching (method or None/"*", regex searched in the path relative to
        /api/v10) get `status` with `body` (a default Discord error body if None). With apply=True the
        request is carried out first (e.g. the message is stored) and only the answer is the fault.
        A 429 gets {"message", "retry_after", "global"} plus Retry-After and Via headers by default;
        pass headers={"Via": ""} to leave Via out (discord.py then treats it as a Cloudflare ban)."""
        headers = dict(headers or {})
        if status == 429:
            if body is None:
                body = {"message": "You are being rate limited.", "retry_after": 0.2, "global": False}
            if isinstance(body, dict):
                retry_after = float(body.get("retry_after", 0.2))
                headers.setdefault("Retry-After", str(max(1, math.ceil(retry_after))))
                headers.setdefault("X-RateLimit-Scope", "global" if body.get("global") else "user")
                if body.get("global"):
                    headers.setdefault("X-RateLimit-Global", "true")
            headers.setdefault("Via", "1.1 google")
        elif body is None:
            body = dict(DEFAULT_ERRORS.get(status, {"message": f"{status}", "code": 0}))
        fault = Fault(method.upper() if method and method != "*" else None, re.compile(path_regex), status, body, headers, times, apply)
        self.faults.append(fault)
        return fault

    def forget_nonces(self) -> None:
        """As if the nonce window had passed for every message so far (set nonce_window = 0 to
        keep no nonce at all): a re-sent nonce now makes a second message, as on Discord later."""
        self._nonces.clear()

    def clear_faults(self) -> None:
        self.faults.clear()

    def limit_bucket(self, method: str | None, path_regex: str, limit: int, window: float = 1.0) -> None:
        """Give matching routes a smaller rate limit (per major parameter), enforced with 429s."""
        self.bucket_limits.append(BucketLimit(method.upper() if method else None, re.compile(path_regex), limit, window))

    # ------------------------------------------------------------------ REST
    ROUTES: list[tuple[str, str, str, bool]] = [
        # method, template, handler name, needs bot auth
        ("GET", "/users/@me", "get_me", True),
        ("GET", "/gateway", "get_gateway", False),
        ("GET", "/gateway/bot", "get_gateway_bot", True),
        ("GET", "/oauth2/applications/@me", "get_application", True),
        ("GET", "/applications/@me", "get_application", True),
        ("GET", "/applications/{application_id}/commands", "get_commands", True),
        ("PUT", "/applications/{application_id}/commands", "put_commands", True),
        ("POST", "/applications/{application_id}/commands", "post_command", True),
        ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", "get_commands", True),
        ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", "put_commands", True),
        ("POST", "/applications/{application_id}/guilds/{guild_id}/commands", "post_command", True),
        ("GET", "/applications/{application_id}/commands/{command_id}", "get_command", True),
        ("DELETE", "/applications/{application_id}/commands/{command_id}", "delete_command", True),
        ("GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", "get_command", True),
        ("DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", "delete_command", True),
        ("GET", "/applications/{application_id}/guilds/{guild_id}/commands/permissions", "get_command_permissions", True),
        ("GET", "/channels/{channel_id}", "get_channel", True),
        ("GET", "/channels/{channel_id}/messages", "list_messages", True),
        ("POST", "/channels/{channel_id}/messages", "create_message", True),
        ("GET", "/channels/{channel_id}/messages/{message_id}", "get_message", True),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}", "edit_message", True),
        ("DELETE", "/channels/{channel_id}/messages/{message_id}", "delete_message", True),
        ("POST", "/channels/{channel_id}/typing", "typing", True),
        ("GET", "/guilds/{guild_id}", "get_guild", True),
        ("GET", "/guilds/{guild_id}/channels", "get_guild_channels", True),
        ("GET", "/guilds/{guild_id}/members/{user_id}", "get_member", True),
        ("GET", "/guilds/{guild_id}/roles", "get_roles", True),
        ("POST", "/interactions/{interaction_id}/{interaction_token}/callback", "interaction_callback", False),
        ("POST", "/webhooks/{webhook_id}/{webhook_token}", "followup", False),
        ("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "webhook_get_message", False),
        ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "webhook_edit_message", False),
        ("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "webhook_delete_message", False),
    ]
    MAJOR = ("channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id", "interaction_token")

    @classmethod
    def _compiled_routes(cls):
        if not hasattr(cls, "_compiled"):
            compiled = []
            for method, template, handler, auth in cls.ROUTES:
                regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
                compiled.append((method, template, re.compile(regex), handler, auth))
            # literal segments (commands/permissions, @me) before placeholders
            compiled.sort(key=lambda r: r[1].count("{"))
            cls._compiled = compiled
        return cls._compiled

    def _route(self, method: str, path: str):
        allowed = False
        for m, template, regex, handler, auth in self._compiled_routes():
            match = regex.match(path)
            if match:
                if m == method:
                    return template, match.groupdict(), handler, auth
                allowed = True
        return None, {}, ("method_not_allowed" if allowed else "not_found"), False

    def _relative(self, request: web.Request) -> str:
        path = request.path
        for prefix in self.API_PREFIXES:
            if path.startswith(prefix + "/") or path == prefix:
                return path[len(prefix):] or "/"
        return path

    async def _read_body(self, request: web.Request) -> Any:
        if not request.can_read_body:
            return None
        ctype = request.content_type or ""
        if ctype.startswith("multipart/"):
            form = await request.post()
            body = json.loads(form["payload_json"]) if "payload_json" in form else {}
            files = [v for k, v in form.items() if hasattr(v, "filename")]
            if files:
                # the uploaded bytes, kept on the message as "_files" (not part of the public payload)
                uploads = [{"filename": f.filename, "content": _read_upload(f)} for f in files]
                targets = [body]
                if isinstance(body.get("data"), dict):  # an interaction callback: the message is in "data"
                    targets.append(body["data"])
                for target in targets:
                    target["_files"] = uploads
                    target.setdefault("attachments", [])
                    known = {str(a.get("id")) for a in target["attachments"]}
                    for index, f in enumerate(files):
                        if str(index) not in known:
                            target["attachments"].append({"id": str(index), "filename": f.filename})
                    target["attachments"] = [{**a, "size": 0, "url": f"{self.base_url}/attachments/{a.get('filename')}",
                                              "proxy_url": f"{self.base_url}/attachments/{a.get('filename')}", "id": str(self.snowflake())}
                                             for a in target["attachments"]]
            return body
        raw = await request.read()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode(errors="replace")

    def _bucket_for(self, method: str, template: str | None, path: str, params: dict):
        limit, window = self.bucket_limit, self.bucket_window
        for bl in self.bucket_limits:
            if (bl.method is None or bl.method == method) and bl.pattern.search(path):
                limit, window = bl.limit, bl.window
                break
        major = tuple(params.get(k) for k in self.MAJOR if k in params)
        name = f"{method} {template or path}"
        bucket_hash = hashlib.sha1(name.encode()).hexdigest()[:16]
        return (name, major), bucket_hash, limit, window

    def _ratelimit_headers(self, key, bucket_hash, limit, window, consume: bool):
        now = time.time()
        state = self._buckets.get(key)
        if state is None or now >= state[0] + window:
            state = self._buckets[key] = [now, 0]
        if consume:
            state[1] += 1
        remaining = max(0, limit - state[1])
        reset = state[0] + window
        return {
            "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{reset:.3f}", "X-RateLimit-Reset-After": f"{max(0.0, reset - now):.3f}",
            "X-RateLimit-Bucket": bucket_hash,
        }, state[1] > limit, max(0.0, reset - now)

    def _global_exempt(self, path: str) -> bool:
        return path.startswith("/interactions/") or path.startswith(f"/webhooks/{self.application_id}/")

    def _global_exceeded(self, now: float) -> float | None:
        """Seconds until a request arriving at `now` would be within the global limit (any one
        second holds at most global_limit_per_second accepted requests); None: it is now."""
        if not self.global_limit_per_second:
            return None
        self._global_times = [t for t in self._global_times if now - t < 1.0]
        if len(self._global_times) >= self.global_limit_per_second:
            return max(0.001, 1.0 - (now - min(self._global_times)))
        self._global_times.append(now)
        return None

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic()  # the global limit counts arrivals (not when this busy process got to them)
        method = request.method
        path = self._relative(request)
        if self.latency:
            await asyncio.sleep(self.latency)
        body = await self._read_body(request)
        template, params, handler_name, needs_auth = self._route(method, path)
        key, bucket_hash, limit, window = self._bucket_for(method, template, path, params)

        fault = next((f for f in self.faults if f.matches(method, path)), None)
        if fault is not None:
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            if fault.apply:
                await self._call(handler_name, request, params, body, needs_auth)
            headers, _, _ = self._ratelimit_headers(key, bucket_hash, limit, window, consume=False)
            headers.update(fault.headers)
            return self._respond(request, path, body, fault.status, fault.body, headers)

        if not self._global_exempt(path):
            retry = self._global_exceeded(arrived)
            if retry is not None:
                self.global_429_count += 1
                headers, _, _ = self._ratelimit_headers(key, bucket_hash, limit, window, consume=False)
                headers.update({"Retry-After": str(max(1, math.ceil(retry))), "X-RateLimit-Global": "true",
                                "X-RateLimit-Scope": "global", "Via": "1.1 google"})
                return self._respond(request, path, body, 429,
                                     {"message": "You are being rate limited.", "retry_after": round(retry, 3), "global": True}, headers)

        headers, exceeded, reset_after = self._ratelimit_headers(key, bucket_hash, limit, window, consume=True)
        if exceeded:
            headers.update({"Retry-After": str(max(1, math.ceil(reset_after))), "X-RateLimit-Scope": "user", "Via": "1.1 google"})
            return self._respond(request, path, body, 429,
                                 {"message": "You are being rate limited.", "retry_after": round(reset_after, 3), "global": False}, headers)

        status, payload, more = await self._call(handler_name, request, params, body, needs_auth)
        headers.update(more)
        return self._respond(request, path, body, status, payload, headers)

    async def _call(self, handler_name: str, request: web.Request, params: dict, body: Any, needs_auth: bool):
        if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        if handler_name == "not_found":
            return 404, DEFAULT_ERRORS[404], {}
        if handler_name == "method_not_allowed":
            return 405, DEFAULT_ERRORS[405], {}
        handler = getattr(self, "_h_" + handler_name)
        result = handler(request, params, body)
        if asyncio.iscoroutine(result):
            result = await result
        if len(result) == 2:
            return result[0], result[1], {}
        return result

    def _respond(self, request: web.Request, path: str, body: Any, status: int, payload: Any, headers: dict) -> web.Response:
        headers = {k: v for k, v in headers.items() if v not in (None, "")}
        logged = LoggedRequest(request.method, path, status, query=request.query, body=body, headers=request.headers, at=time.monotonic())
        self.requests.append(logged)
        for check, future in list(self._request_waiters):
            if not future.done() and check(logged):
                future.set_result(logged)
        if status == 204 or payload is None:
            return web.Response(status=204 if status < 300 else status, headers=headers)
        if isinstance(payload, (dict, list)):
            # exactly "application/json" (no charset): discord.py compares the header literally
            headers["Content-Type"] = "application/json"
            return web.Response(status=status, body=json.dumps(payload, ensure_ascii=False).encode(), headers=headers)
        return web.Response(status=status, text=str(payload), headers=headers, content_type="text/plain")

    # --- REST handlers: each returns (status, payload[, headers])
    def _h_get_me(self, request, params, body):
        return 200, self.bot_user

    def _h_get_gateway(self, request, params, body):
        return 200, {"url": self.gateway_url}

    def _h_get_gateway_bot(self, request, params, body):
        return 200, {"url": self.gateway_url, "shards": self.recommended_shards,
                     "session_start_limit": {"total": 1000, "remaining": 1000 - self.identify_count,
                                             "reset_after": 14400000, "max_concurrency": 1}}

    def _h_get_application(self, request, params, body):
        return 200, self.application_payload()

    def _scope(self, params) -> int | None | str:
        if str(params.get("application_id")) != str(self.application_id):
            return "bad"
        guild_id = params.get("guild_id")
        if guild_id is not None:
            if not guild_id.isdigit() or int(guild_id) not in self.guilds:
                return "bad-guild"
            return int(guild_id)
        return None

    def _h_get_commands(self, request, params, body):
        scope = self._scope(params)
        if scope == "bad":
            return 403, MISSING_ACCESS
        if scope == "bad-guild":
            return 403, MISSING_ACCESS
        return 200, [dict(c) for c in self.commands.get(scope, [])]

    def _command_record(self, scope, data: dict, existing: dict | None) -> dict:
        command = {
            "id": existing["id"] if existing else str(self.snowflake()),
            "application_id": str(self.application_id), "version": str(self.snowflake()),
            "type": data.get("type", 1), "name": data["name"], "name_localizations": data.get("name_localizations"),
            "description": data.get("description", ""), "description_localizations": data.get("description_localizations"),
            "options": data.get("options", []), "default_member_permissions": data.get("default_member_permissions"),
            "dm_permission": data.get("dm_permission", True), "contexts": data.get("contexts"),
            "integration_types": data.get("integration_types", [0]), "nsfw": data.get("nsfw", False),
        }
        if scope is not None:
            command["guild_id"] = str(scope)
        return command

    def _check_command(self, data) -> dict | None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return invalid_form({"name": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]}})
        if not re.fullmatch(r"[-_\w]{1,32}", data["name"]) or data["name"] != data["name"].lower():
            return invalid_form({"name": {"_errors": [{"code": "APPLICATION_COMMAND_INVALID_NAME", "message": "Command name is invalid"}]}})
        if data.get("type", 1) == 1 and not 1 <= len(data.get("description", "")) <= 100:
            return invalid_form({"description": {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be between 1 and 100 in length."}]}})
        return None

    def _h_put_commands(self, request, params, body):
        scope = self._scope(params)
        if scope in ("bad", "bad-guild"):
            return 403, MISSING_ACCESS
        if not isinstance(body, list):
            return 400, invalid_form({"_errors": [{"code": "BASE_TYPE_ARRAY", "message": "Must be an array"}]})
        if len(body) > 100:
            return 400, invalid_form({"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 100 or fewer in length."}]})
        for index, data in enumerate(body):
            problem = self._check_command(data)
            if problem:
                return 400, invalid_form({str(index): problem["errors"]})
        old = {(c["name"], c["type"]): c for c in self.commands.get(scope, [])}
        new = [self._command_record(scope, data, old.get((data["name"], data.get("type", 1)))) for data in body]
        self.commands[scope] = new
        self.command_puts.append((scope, [dict(c) for c in new]))
        return 200, [dict(c) for c in new]

    def _h_post_command(self, request, params, body):
        scope = self._scope(params)
        if scope in ("bad", "bad-guild"):
            return 403, MISSING_ACCESS
        problem = self._check_command(body)
        if problem:
            return 400, problem
        commands = self.commands.setdefault(scope, [])
        existing = next((c for c in commands if c["name"] == body["name"] and c["type"] == body.get("type", 1)), None)
        record = self._command_record(scope, body, existing)
        if existing:
            commands[commands.index(existing)] = record
            return 200, record
        commands.append(record)
        return 201, record

    def _find_command(self, params):
        scope = self._scope(params)
        if scope in ("bad", "bad-guild"):
            return scope, None
        return scope, next((c for c in self.commands.get(scope, []) if c["id"] == params["command_id"]), None)

    def _h_get_command(self, request, params, body):
        _, command = self._find_command(params)
        return (200, command) if command else (404, UNKNOWN_COMMAND)

    def _h_delete_command(self, request, params, body):
        scope, command = self._find_command(params)
        if not command:
            return 404, UNKNOWN_COMMAND
        self.commands[scope].remove(command)
        return 204, None

    def _h_get_command_permissions(self, request, params, body):
        return 200, []

    def _channel_or_404(self, params):
        channel_id = params.get("channel_id", "")
        channel = self.find_channel(int(channel_id)) if channel_id.isdigit() else None
        return channel

    def _h_get_channel(self, request, params, body):
        channel = self._channel_or_404(params)
        if channel is None:
            return 404, UNKNOWN_CHANNEL
        if not self.permissions(channel["guild_id"], self.bot_id, channel["id"]) & VIEW_CHANNEL:
            return 403, MISSING_ACCESS
        return 200, self.channel_payload(channel)

    def _h_list_messages(self, request, params, body):
        """GET /channels/{id}/messages as Discord documents it: `limit` 1-100 (default 50), at most
        one of `before`, `after`, `around`; newest first. With `after`, the `limit` messages right
        after that id. Like Discord, a listed message carries no nonce (only the create answer does)."""
        channel = self._channel_or_404(params)
        if channel is None:
            return 404, UNKNOWN_CHANNEL
        if not self.permissions(channel["guild_id"], self.bot_id, channel["id"]) & VIEW_CHANNEL:
            return 403, MISSING_ACCESS
        query = request.query
        try:
            limit = int(query.get("limit", 50))
            anchors = {k: int(query[k]) for k in ("before", "after", "around") if k in query}
        except ValueError:
            return 400, invalid_form({"limit": {"_errors": [{"code": "NUMBER_TYPE_COERCE", "message": "Value is not int."}]}})
        if not 1 <= limit <= 100 or len(anchors) > 1:
            return 400, invalid_form({"limit": {"_errors": [{"code": "NUMBER_TYPE_MAX", "message": "Must be between 1 and 100."}]}})
        oldest_first = self.messages(channel["id"])
        ids = [int(m["id"]) for m in oldest_first]
        if "after" in anchors:
            chosen = [m for m, i in zip(oldest_first, ids) if i > anchors["after"]][:limit]
        elif "before" in anchors:
            chosen = [m for m, i in zip(oldest_first, ids) if i < anchors["before"]][-limit:]
        elif "around" in anchors:
            older = [m for m, i in zip(oldest_first, ids) if i < anchors["around"]][-(limit // 2):] if limit > 1 else []
            chosen = (older + [m for m, i in zip(oldest_first, ids) if i >= anchors["around"]])[:limit]
        else:
            chosen = oldest_first[-limit:]
        listed = [self._public(m) for m in reversed(chosen)]
        for message in listed:
            message.pop("nonce", None)
        return 200, listed

    @staticmethod
    def _public(message: dict) -> dict:
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _check_message_body(self, body, *, partial: bool = False) -> dict | None:
        if not isinstance(body, dict):
            return invalid_form({"_errors": [{"code": "DICT_TYPE_CONVERT", "message": "Only dictionaries may be used in a DictType"}]})
        content = body.get("content")
        embeds = body.get("embeds") or []
        errors: dict = {}
        if content is not None and len(content) > 2000:
            errors["content"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]}
        if len(embeds) > 10:
            errors["embeds"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 10 or fewer in length."}]}
        total = 0
        for index, embed in enumerate(embeds):
            total += len(embed.get("title") or "") + len(embed.get("description") or "")
            total += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
            for f in embed.get("fields") or []:
                total += len(f.get("name") or "") + len(f.get("value") or "")
            if len(embed.get("description") or "") > 4096:
                errors.setdefault("embeds", {})[str(index)] = {"description": {"_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 4096 or fewer in length."}]}}
            if len(embed.get("fields") or []) > 25:
                errors.setdefault("embeds", {})[str(index)] = {"fields": {"_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 25 or fewer in length."}]}}
        if total > 6000:
            errors.setdefault("embeds", {})["_errors"] = [{"code": "MAX_EMBED_SIZE_EXCEEDED", "message": "Embed size exceeds maximum size of 6000"}]
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > 25:
            errors["nonce"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 25 or fewer in length."}]}
        if errors:
            return invalid_form(errors)
        if not partial and not (content or embeds or body.get("components") or body.get("attachments") or body.get("sticker_ids")):
            return EMPTY_MESSAGE
        return None

    def _h_create_message(self, request, params, body):
        channel = self._channel_or_404(params)
        if channel is None:
            return 404, UNKNOWN_CHANNEL
        perms = self.permissions(channel["guild_id"], self.bot_id, channel["id"])
        if not perms & VIEW_CHANNEL:
            return 403, MISSING_ACCESS
        if not perms & SEND_MESSAGES:
            return 403, MISSING_PERMISSIONS
        problem = self._check_message_body(body)
        if problem:
            return 400, problem
        now = time.monotonic()
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            key = (channel["id"], str(nonce))
            known = self._nonces.get(key)
            if known and now - known[0] < self.nonce_window and not known[1].get("_deleted"):
                return 200, self._public(known[1])
        message = self._message(channel["id"], body)
        self._messages.setdefault(channel["id"], []).append(message)
        self._message_index[int(message["id"])] = message
        channel["last_message_id"] = message["id"]
        if nonce is not None and body.get("enforce_nonce"):
            self._nonces[(channel["id"], str(nonce))] = (now, message)
        if self._session is not None and self._session.intents & INTENT_GUILD_MESSAGES:
            self._maybe_dispatch("MESSAGE_CREATE", lambda: self._public(message), channel["guild_id"])
        return 200, self._public(message)

    def _channel_message(self, params):
        channel = self._channel_or_404(params)
        if channel is None:
            return None, (404, UNKNOWN_CHANNEL)
        mid = params.get("message_id", "")
        message = self._message_index.get(int(mid)) if mid.isdigit() else None
        if message is None or message["channel_id"] != str(channel["id"]) or message.get("_deleted"):
            return None, (404, UNKNOWN_MESSAGE)
        return message, None

    def _h_get_message(self, request, params, body):
        message, error = self._channel_message(params)
        return error or (200, self._public(message))

    def _edit(self, message: dict, body: dict) -> None:
        for key in ("content", "embeds", "components", "attachments", "_files"):
            if key in body and body[key] is not None:
                message[key] = body[key]
        if "flags" in body and body["flags"] is not None:
            # only SUPPRESS_EMBEDS can be changed; keep ephemeral / loading semantics simple
            message["flags"] = (message.get("flags", 0) & ~LOADING & ~4) | (int(body["flags"]) & 4)
        else:
            message["flags"] = message.get("flags", 0) & ~LOADING
        message["edited_timestamp"] = now_iso()

    def _h_edit_message(self, request, params, body):
        message, error = self._channel_message(params)
        if error:
            return error
        if message["author"]["id"] != str(self.bot_id):
            return 403, {"message": "Cannot edit a message authored by another user", "code": 50005}
        problem = self._check_message_body(body, partial=True)
        if problem:
            return 400, problem
        self._edit(message, body)
        return 200, self._public(message)

    def _h_delete_message(self, request, params, body):
        message, error = self._channel_message(params)
        if error:
            return error
        message["_deleted"] = True
        return 204, None

    def _h_typing(self, request, params, body):
        return (204, None) if self._channel_or_404(params) else (404, UNKNOWN_CHANNEL)

    def _guild_or_none(self, params):
        gid = params.get("guild_id", "")
        return self.guilds.get(int(gid)) if gid.isdigit() else None

    def _h_get_guild(self, request, params, body):
        guild = self._guild_or_none(params)
        if guild is None:
            return 404, UNKNOWN_GUILD
        payload = self.guild_payload(guild["id"])
        for key in ("joined_at", "large", "unavailable", "lazy", "member_count", "voice_states", "members", "channels",
                    "threads", "presences", "stage_instances", "guild_scheduled_events", "soundboard_sounds"):
            payload.pop(key, None)
        return 200, payload

    def _h_get_guild_channels(self, request, params, body):
        guild = self._guild_or_none(params)
        if guild is None:
            return 404, UNKNOWN_GUILD
        return 200, [self.channel_payload(c) for c in guild["channels"].values()]

    def _h_get_roles(self, request, params, body):
        guild = self._guild_or_none(params)
        if guild is None:
            return 404, UNKNOWN_GUILD
        return 200, [dict(r) for r in guild["roles"].values()]

    def _h_get_member(self, request, params, body):
        guild = self._guild_or_none(params)
        if guild is None:
            return 404, UNKNOWN_GUILD
        uid = params.get("user_id", "")
        if not uid.isdigit() or int(uid) not in guild["members"]:
            return 404, UNKNOWN_MEMBER
        return 200, self.member_payload(guild["id"], int(uid))

    # --- interactions
    def _callback_object(self, handle: InteractionHandle, type_: int) -> dict:
        interaction = {"id": str(handle.id), "type": handle.type, "activity_instance_id": None,
                       "response_message_id": handle.original["id"] if handle.original else None,
                       "response_message_loading": type_ == 5,
                       "response_message_ephemeral": bool(handle.original and handle.original.get("flags", 0) & EPHEMERAL)}
        resource: dict = {"type": type_}
        if handle.original is not None and type_ in (4, 5, 7):
            resource["message"] = self._public(handle.original)
        return {"interaction": interaction, "resource": resource}

    def _h_interaction_callback(self, request, params, body):
        handle = self.interactions.get(int(params["interaction_id"])) if params["interaction_id"].isdigit() else None
        if handle is None or handle.token != params["interaction_token"]:
            return 404, UNKNOWN_INTERACTION
        handle.callback_count += 1
        now = time.monotonic()

        def reject(status, payload):
            handle.rejected_callbacks.append((status, body))
            handle._notify()
            return status, payload

        if handle.acknowledged:
            return reject(400, ALREADY_ACKNOWLEDGED)
        if self.interaction_deadline is not None and handle.sent_at is not None and now - handle.sent_at > self.interaction_deadline:
            return reject(404, UNKNOWN_INTERACTION)
        if not isinstance(body, dict) or "type" not in body:
            return reject(400, invalid_form({"type": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]}}))
        type_ = int(body["type"])
        data = body.get("data") or {}
        if type_ in (4, 7):
            problem = self._check_message_body(data, partial=type_ == 7)
            if problem:
                return reject(400, problem)
        if type_ in (6, 7) and handle.type != 3:
            return reject(400, {"message": "Interaction response type is not valid for this interaction", "code": 40001})
        if type_ == 8 and handle.type != 4:
            return reject(400, {"message": "Interaction response type is not valid for this interaction", "code": 40001})
        handle.callback_at = now
        handle.callback_type = type_
        handle.callback_data = data
        handle.callbacks.append(body)
        channel_id = int(handle.payload["channel_id"])
        if type_ == 4:
            handle.original = self._message(channel_id, data, type=20, webhook=True, flags=int(data.get("flags") or 0) & (EPHEMERAL | 4),
                                            interaction=handle)
            self._message_index[int(handle.original["id"])] = handle.original
            handle._settle()
        elif type_ == 5:
            handle.original = self._message(channel_id, {}, type=20, webhook=True,
                                            flags=LOADING | (int(data.get("flags") or 0) & EPHEMERAL), interaction=handle)
            self._message_index[int(handle.original["id"])] = handle.original
            handle._notify()
        elif type_ == 7:
            message = handle.payload.get("message")
            stored = self._message_index.get(int(message["id"])) if message else None
            if stored is not None:
                self._edit(stored, data)
                handle.original = stored
            handle._settle()
        elif type_ == 6:
            message = handle.payload.get("message")
            handle.original = self._message_index.get(int(message["id"])) if message else None
            handle._notify()
        else:  # 1 pong, 8 autocomplete, 9 modal, 10/12 premium/activity
            handle._settle()
        if request.query.get("with_response") in ("1", "true", "True"):
            return 200, self._callback_object(handle, type_)
        return 204, None

    def _webhook_handle(self, params) -> InteractionHandle | None:
        if params.get("webhook_id") != str(self.application_id):
            return None
        handle = self._interactions_by_token.get(params.get("webhook_token", ""))
        if handle is None or not handle.acknowledged:
            return None
        return handle

    def _h_followup(self, request, params, body):
        handle = self._webhook_handle(params)
        if handle is None:
            return 404, UNKNOWN_WEBHOOK
        problem = self._check_message_body(body)
        if problem:
            return 400, problem
        wait = request.query.get("wait") in ("1", "true", "True")
        if handle.callback_type == 5 and handle.original is not None and handle.original.get("flags", 0) & LOADING:
            # Discord: the first follow-up after a deferred response edits the loading message
            self._edit(handle.original, body)
            handle._settle()
            message = handle.original
        else:
            flags = int(body.get("flags") or 0) & (EPHEMERAL | 4)
            message = self._message(int(handle.payload["channel_id"]), body, webhook=True, flags=flags, interaction=handle)
            self._message_index[int(message["id"])] = message
            handle.followups.append(message)
            if handle.callback_type == 6:
                handle._settle()
            handle._notify()
        return (200, self._public(message)) if wait else (204, None)

    def _webhook_message(self, handle: InteractionHandle, message_id: str):
        if message_id == "@original":
            if handle.original is None or handle.deleted_original:
                return None
            return handle.original
        if not message_id.isdigit():
            return None
        for message in handle.messages:
            if message["id"] == message_id:
                return message
        return None

    def _h_webhook_get_message(self, request, params, body):
        handle = self._webhook_handle(params)
        if handle is None:
            return 404, UNKNOWN_WEBHOOK
        message = self._webhook_message(handle, params["message_id"])
        return (200, self._public(message)) if message else (404, UNKNOWN_MESSAGE)

    def _h_webhook_edit_message(self, request, params, body):
        handle = self._webhook_handle(params)
        if handle is None:
            return 404, UNKNOWN_WEBHOOK
        message = self._webhook_message(handle, params["message_id"])
        if message is None:
            return 404, UNKNOWN_MESSAGE
        problem = self._check_message_body(body or {}, partial=True)
        if problem:
            return 400, problem
        self._edit(message, body or {})
        if message is handle.original:
            handle._settle()
        handle._notify()
        return 200, self._public(message)

    def _h_webhook_delete_message(self, request, params, body):
        handle = self._webhook_handle(params)
        if handle is None:
            return 404, UNKNOWN_WEBHOOK
        message = self._webhook_message(handle, params["message_id"])
        if message is None:
            return 404, UNKNOWN_MESSAGE
        if message is handle.original:
            handle.deleted_original = True
        else:
            handle.followups.remove(message)
        handle._notify()
        return 204, None

    # ------------------------------------------------------------------ interactions (injection)
    def find_command(self, name: str, guild_id: int | None) -> dict | None:
        for scope in ((int(guild_id),) if guild_id else ()) + (None,):
            for command in self.commands.get(scope, []):
                if command["name"] == name or name in (command.get("name_localizations") or {}).values():
                    return command
        return None

    @staticmethod
    def _infer_type(value) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        return 3

    async def interact(self, guild_id: int, channel_id: int, user_id: int, name: str | None = None,
                       options: dict | list | None = None, *, locale: str = "en-US", type: int = 2,
                       custom_id: str | None = None, component_type: int = 2, values: list | None = None,
                       focused: str | None = None, message: dict | None = None, wait_connected: float = 5.0) -> InteractionHandle:
        """Send INTERACTION_CREATE over the gateway (type 2 command, 4 autocomplete, 3 component) and
        return its handle. Options are a {name: value} dict (types taken from the synced command; a
        channel option takes the channel id and is resolved) or a raw list of option objects."""
        guild = self.guilds[int(guild_id)]
        channel = guild["channels"].get(int(channel_id))
        if channel is None:
            raise KeyError(f"no channel {channel_id} in guild {guild_id}: add_channel() first")
        if int(user_id) not in guild["members"]:
            self.add_member(guild_id, user_id, f"user{user_id}")
        interaction_id = self.snowflake()
        token = "aW50ZXJhY3Rpb246" + uuid.uuid4().hex + uuid.uuid4().hex
        payload: dict = {
            "id": str(interaction_id), "application_id": str(self.application_id), "type": type, "token": token, "version": 1,
            "guild_id": str(guild_id), "guild": {"id": str(guild_id), "locale": guild["locale"], "features": []},
            "channel_id": str(channel_id), "channel": self.channel_payload(channel),
            "member": self.member_payload(guild_id, user_id, with_permissions_in=channel_id),
            "app_permissions": str(self.permissions(guild_id, self.bot_id, channel_id)),
            "locale": locale, "guild_locale": guild["locale"], "entitlements": [], "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": str(guild_id)}, "context": 0, "attachment_size_limit": 10 * 2**20,
        }
        if type in (2, 4):
            if name is None:
                raise ValueError("a command interaction needs the command name")
            command = self.find_command(name, guild_id)
            if command is None:
                raise KeyError(f"command /{name} was never synced to the fake (global or guild {guild_id})")
            data: dict = {"id": command["id"], "name": command["name"], "type": command.get("type", 1)}
            if command.get("guild_id"):
                data["guild_id"] = command["guild_id"]
            resolved: dict = {}
            data["options"] = self._options(command, options, guild_id, user_id, resolved, focused if type == 4 else None, type == 4)
            if resolved:
                data["resolved"] = resolved
            payload["data"] = data
        elif type == 3:
            if custom_id is None:
                raise ValueError("a component interaction needs custom_id")
            payload["data"] = {"custom_id": custom_id, "component_type": component_type}
            if values is not None:
                payload["data"]["values"] = list(values)
            payload["message"] = message or self._message_with_component(int(channel_id), custom_id, component_type, values)
        elif type == 5:
            payload["data"] = {"custom_id": custom_id, "components": options or []}
        else:
            payload["data"] = {}
        handle = InteractionHandle(self, payload)
        self.interactions[handle.id] = handle
        self._interactions_by_token[token] = handle
        await self._wait_session(wait_connected, guild_id)
        handle.sent_at = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id)
        return handle

    def _options(self, command: dict, options, guild_id, user_id, resolved: dict, focused: str | None, autocomplete: bool):
        if options is None:
            return []
        if isinstance(options, list):
            return options
        definitions = {o["name"]: o for o in command.get("options") or []}
        out = []
        names = list(options)
        if autocomplete and focused is None and names:
            focused = names[-1]
        for key, value in options.items():
            definition = definitions.get(key)
            if definition is None:  # allow the localized name
                definition = next((d for d in definitions.values() if key in (d.get("name_localizations") or {}).values()), None)
            if definition is None and command.get("options") is not None and definitions:
                raise KeyError(f"/{command['name']} has no option {key!r}; it has {sorted(definitions)}")
            type_ = definition["type"] if definition else self._infer_type(value)
            option = {"name": definition["name"] if definition else key, "type": type_}
            if type_ == 7:  # channel
                channel = self.find_channel(int(value))
                option["value"] = str(int(value))
                if channel is not None:
                    resolved.setdefault("channels", {})[str(channel["id"])] = {
                        "id": str(channel["id"]), "name": channel["name"], "type": channel["type"],
                        "permissions": str(self.permissions(guild_id, user_id, channel["id"])),
                        "guild_id": str(channel["guild_id"]), "parent_id": str(channel["parent_id"]) if channel["parent_id"] else None,
                        "flags": 0, "rate_limit_per_user": 0, "nsfw": False, "position": channel["position"],
                        "permission_overwrites": [dict(o) for o in channel["permission_overwrites"]],
                        "topic": None, "last_message_id": channel["last_message_id"],
                    }
            elif type_ in (6, 8, 9):  # user, role, mentionable
                option["value"] = str(int(value))
                if type_ == 6 and int(value) in self.users:
                    resolved.setdefault("users", {})[str(value)] = dict(self.users[int(value)])
                    if int(value) in self.guilds[int(guild_id)]["members"]:
                        member = self.member_payload(guild_id, int(value))
                        member.pop("user")
                        resolved.setdefault("members", {})[str(value)] = member
            elif type_ == 4:
                option["value"] = value if autocomplete and key == focused else int(value)
            elif type_ == 10:
                option["value"] = value if autocomplete and key == focused else float(value)
            elif type_ == 5:
                option["value"] = bool(value)
            else:
                option["value"] = str(value)
            if autocomplete and key == focused:
                option["focused"] = True
                option["value"] = str(value)
            out.append(option)
        return out

    def _message_with_component(self, channel_id: int, custom_id: str, component_type: int = 2, values: list | None = None) -> dict:
        """The message carrying the component: the latest stored one that has it, else a new one
        with just that component (discord.py rebuilds dynamic items from the message)."""
        def has(components) -> bool:
            for c in components or []:
                if c.get("custom_id") == custom_id or has(c.get("components")):
                    return True
            return False

        for message in reversed(list(self._message_index.values())):
            if has(message.get("components")):
                return self._public(message)
        if component_type == 2:
            component = {"type": 2, "custom_id": custom_id, "style": 2, "label": custom_id}
        else:
            component = {"type": component_type, "custom_id": custom_id, "min_values": 1, "max_values": 1}
            if component_type == 3:
                component["options"] = [{"label": str(v), "value": str(v)} for v in (values or ["x"])]
        data = {"content": "", "components": [{"type": 1, "components": [component]}]}
        return self._public(self._message(channel_id, data, type=20, webhook=True))

    # ------------------------------------------------------------------ gateway
    async def _wait_session(self, timeout: float, guild_id: int | None = None) -> None:
        if guild_id is not None and self.shard_sessions:
            deadline = time.monotonic() + timeout
            while self.session_for(guild_id) is None:
                if time.monotonic() > deadline:
                    raise AssertionError(f"no gateway session for guild {guild_id}'s shard: no process identified on it")
                await asyncio.sleep(0.01)
            return
        if self._session is not None:
            return
        try:
            await asyncio.wait_for(self._session_ready.wait(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError("no gateway session: the bot never identified") from None

    def session_for(self, guild_id: int | None) -> _Session | None:
        """The session a guild's events go to: its shard's (Discord: (guild_id >> 22) % count)."""
        if guild_id is None or not self.shard_sessions:
            return self._session
        count = next(iter(self.shard_sessions.values())).shard[1]
        return self.shard_sessions.get(shard_of(guild_id, count))

    def shard_guilds(self, shard: tuple[int, int]) -> list[int]:
        return [g for g in self.guilds if shard_of(g, shard[1]) == shard[0]]

    @property
    def connected(self) -> bool:
        return self._session is not None and self._session.conn is not None and not self._session.conn.ws.closed

    async def wait_connected(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.connected:
            if time.monotonic() > deadline:
                raise AssertionError("the bot did not (re)connect to the gateway")
            await asyncio.sleep(0.01)

    async def dispatch(self, event: str, data: dict, *, guild_id: int | None = None) -> int:
        """Send a DISPATCH to the current session, or to `guild_id`'s shard's session (buffered for
        RESUME while disconnected)."""
        session = self.session_for(guild_id)
        if session is None:
            raise AssertionError(f"cannot dispatch {event}: no gateway session" + (f" for guild {guild_id}'s shard" if guild_id else ""))
        async with session.lock:
            session.seq += 1
            payload = {"op": OP_DISPATCH, "t": event, "s": session.seq, "d": data}
            session.events.append(payload)
            del session.events[:-1000]
            if session.conn is not None:
                await session.conn.send(payload)
            return session.seq

    def _maybe_dispatch(self, event: str, make: Callable[[], dict], guild_id: int | None = None) -> None:
        if self.session_for(guild_id) is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(self.dispatch(event, make(), guild_id=guild_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _current_conn(self) -> _Connection:
        if self._session is None or self._session.conn is None:
            live = [c for c in self.gateway_connections if not c.ws.closed]
            if not live:
                raise AssertionError("no gateway connection")
            return live[-1]
        return self._session.conn

    async def gateway_drop(self) -> None:
        """Cut the gateway TCP connection without a close frame (the client sees 1006)."""
        conn = self._current_conn()
        conn.abort()
        await asyncio.sleep(0)

    async def gateway_close(self, code: int = 4000, message: str = "") -> None:
        conn = self._current_conn()
        if code == 1006:
            await self.gateway_drop()
            return
        await conn.ws.close(code=code, message=message.encode())

    async def gateway_send_reconnect(self) -> None:
        await self._current_conn().send({"op": OP_RECONNECT, "d": None, "s": None, "t": None})

    async def gateway_invalid_session(self, resumable: bool = False) -> None:
        conn = self._current_conn()
        if not resumable and conn.session is not None:
            self._forget_session(conn.session)
        await conn.send({"op": OP_INVALID_SESSION, "d": bool(resumable), "s": None, "t": None})

    def _forget_session(self, session: _Session) -> None:
        self._sessions.pop(session.id, None)
        if self.shard_sessions.get(session.shard[0]) is session:
            del self.shard_sessions[session.shard[0]]
        if self._session is session:
            self._session = next(reversed(self.shard_sessions.values()), None)
            if self._session is None:
                self._session_ready = asyncio.Event()

    async def gateway_outage(self, seconds: float | None = None) -> None:
        """Cut the gateway and refuse new connections (503) for `seconds`, or until
        `gateway_restore()` when None: an outage on Discord's side. REST keeps working."""
        self.gateway_refusing = True
        self.gateway_refused = getattr(self, "gateway_refused", 0)
        try:
            await self.gateway_drop()
        except AssertionError:
            pass
        if seconds is not None:
            loop = asyncio.get_running_loop()
            loop.call_later(seconds, self.gateway_restore)

    def gateway_restore(self) -> None:
        self.gateway_refusing = False

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        if getattr(self, "gateway_refusing", False):
            self.gateway_refused = getattr(self, "gateway_refused", 0) + 1
            return web.Response(status=503, text="gateway unavailable")
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = _Connection(ws, request)
        self.gateway_connections.append(conn)
        await conn.send({"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-discord"]},
                         "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    try:
                        payload = json.loads(msg.data)
                    except ValueError:
                        await ws.close(code=4002, message=b"Error while decoding payload.")
                        break
                    await self._on_gateway_payload(conn, payload)
                elif msg.type == WSMsgType.BINARY:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                elif msg.type == WSMsgType.ERROR:
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            conn.closed_code = ws.close_code
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if self.invalidate_on_clean_close and ws.close_code in (1000, 1001):
                    self._forget_session(session)
        return ws

    async def _on_gateway_payload(self, conn: _Connection, payload: dict) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == OP_HEARTBEAT:
            conn.heartbeats += 1
            self.heartbeat_count += 1
            if self.ack_heartbeats:
                await conn.send({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == OP_IDENTIFY:
            await self._identify(conn, data or {})
        elif op == OP_RESUME:
            await self._resume(conn, data or {})
        elif op in (OP_PRESENCE, OP_VOICE, OP_REQUEST_MEMBERS):
            pass
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    def _token_ok(self, token: str | None) -> bool:
        return token is not None and token.removeprefix("Bot ") == self.token

    async def _identify(self, conn: _Connection, data: dict) -> None:
        self.identify_count += 1
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if not self._token_ok(data.get("token")):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = data.get("intents")
        if intents is None:
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        shard = data.get("shard") or [0, 1]
        if (not isinstance(shard, list) or len(shard) != 2 or not all(isinstance(n, int) for n in shard)
                or not 0 <= shard[0] < shard[1]):
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        if any(s.shard[1] != shard[1] for s in self.shard_sessions.values() if s.shard[0] != shard[0]):
            await conn.ws.close(code=4010, message=b"Invalid shard.")  # one shard count for all sessions of a token
            return
        session = _Session(id=uuid.uuid4().hex, intents=int(intents), shard=(shard[0], shard[1]))
        old = self.shard_sessions.get(shard[0])
        if old is not None:
            self._forget_session(old)
        self._sessions[session.id] = session
        conn.session = session
        async with session.lock:
            session.conn = conn
            ready = {
                "v": 10, "user": self.bot_user, "guilds": [{"id": str(g), "unavailable": True} for g in self.shard_guilds(session.shard)],
                "session_id": session.id, "session_type": "normal", "resume_gateway_url": self.resume_gateway_url,
                "application": {"id": str(self.application_id), "flags": 0}, "private_channels": [], "relationships": [],
                "presences": [], "guild_join_requests": [], "geo_ordered_rtc_regions": ["rotterdam"],
                "user_settings": {}, "auth_session_id_hash": "", "_trace": ["fake-discord"],
            }
            if data.get("shard"):
                ready["shard"] = data["shard"]
            for event, payload in [("READY", ready)] + [("GUILD_CREATE", self.guild_payload(g)) for g in self.shard_guilds(session.shard)]:
                session.seq += 1
                message = {"op": OP_DISPATCH, "t": event, "s": session.seq, "d": payload}
                session.events.append(message)
                await conn.send(message)
        self.shard_sessions[session.shard[0]] = session
        self._session = session
        self._session_ready.set()

    async def _resume(self, conn: _Connection, data: dict) -> None:
        session = self._sessions.get(data.get("session_id") or "")
        if not self._token_ok(data.get("token")):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if session is None:
            self.failed_resumes += 1
            await conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        self.resume_count += 1
        since = int(data.get("seq") or 0)
        async with session.lock:
            if session.conn is not None and session.conn is not conn and not session.conn.ws.closed:
                old = session.conn
                session.conn = None
                await old.ws.close(code=4000, message=b"Session resumed elsewhere.")
            conn.session = session
            for message in [m for m in session.events if m["s"] > since]:
                await conn.send(message)
            session.seq += 1
            resumed = {"op": OP_DISPATCH, "t": "RESUMED", "s": session.seq, "d": {"_trace": ["fake-discord"]}}
            session.events.append(resumed)
            await conn.send(resumed)
            session.conn = conn
        self._session = session
        self._session_ready.set()
