"""The one place that reads the environment and config/: every setting, checked at start."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

from bot.core.inputs import InvalidInput, parse_language, parse_time_of_day, parse_timezone
from bot.core.shards import ShardPlan, parse_shard_ids

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "podium.toml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A setting has a value the bot cannot use; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    database: Path | str  # a SQLite file, or a postgresql:// URL (PODIUM_DATABASE)
    timezone: str
    language: str
    alert_time: time
    log_level: str
    discord_token: str | None
    discord_api: str
    discord_gateway: str | None
    sync_guild: int | None
    clock_start: datetime | None  # PODIUM_CLOCK: start a simulated clock at this instant
    clock_speed: float  # PODIUM_CLOCK_SPEED: simulated seconds per real second
    send_rate: float = 49.0  # PODIUM_SEND_RATE: alert messages per second at most (0: no pacing)
    send_concurrency: int = 32  # PODIUM_SEND_CONCURRENCY: alert sends in flight at most
    catch_up_until: time | None = None  # PODIUM_CATCH_UP_UNTIL: latest local time for a missed alert (none: midnight)
    feed_url: str | None = None  # PODIUM_FEED_URL: a live feed (http(s) URL or file) to follow
    feed_interval: float = 180.0  # PODIUM_FEED_INTERVAL: seconds between polls
    feed_adapter: str = "podium"  # PODIUM_FEED_ADAPTER: the module in bot/feed/adapters that reads it
    feed_timeout: float = 10.0  # PODIUM_FEED_TIMEOUT: seconds to wait for the feed
    lease_ttl: float = 30.0  # PODIUM_LEASE_TTL: seconds without a heartbeat before a standby process takes over
    lease_heartbeat: float = 10.0  # PODIUM_LEASE_HEARTBEAT: seconds between the acting process's heartbeats
    shards: ShardPlan | None = None  # PODIUM_SHARD_COUNT and PODIUM_SHARD_IDS: this process's shards (None: one process, no sharding)
    rate_limit_url: str | None = None  # PODIUM_RATE_LIMIT_URL: redis://… shared by every process of one bot token

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def database_target(raw: str) -> Path | str:
    """PODIUM_DATABASE: a postgresql:// (or postgres://) URL as it is, otherwise a SQLite file."""
    return raw if raw.startswith(("postgresql://", "postgres://")) else Path(raw)


def load_settings(environ: Mapping[str, str] | None = None, config_path: Path | None = None) -> Settings:
    """Read config/podium.toml (or PODIUM_CONFIG), a .env file in the working folder, and the
    environment, which wins. Raises SettingsError naming the first bad setting."""
    env = dict(read_dotenv(Path(".env"))) if environ is None else {}
    env.update(os.environ if environ is None else environ)
    path = Path(env.get("PODIUM_CONFIG") or config_path or DEFAULT_CONFIG)
    config = read_config(path)
    discord_config = config.get("discord", {})
    alerts_config = config.get("alerts", {})
    feed_config = config.get("feed", {})
    lease_config = config.get("lease", {})

    def value(name: str, key: str, section: Mapping = config, default: str = "") -> str:
        raw = env.get(name)
        if raw is None or raw.strip() == "":
            raw = section.get(key, default)
        return str(raw).strip()

    return Settings(
        database=database_target(value("PODIUM_DATABASE", "database", default="var/podium.sqlite3")),
        timezone=check_timezone("PODIUM_TIMEZONE", value("PODIUM_TIMEZONE", "timezone", default="Europe/Amsterdam")),
        language=check_language("PODIUM_LANGUAGE", value("PODIUM_LANGUAGE", "language", default="en")),
        alert_time=parse_clock_time("PODIUM_ALERT_TIME", value("PODIUM_ALERT_TIME", "alert_time", default="20:00")),
        log_level=check_choice("PODIUM_LOG_LEVEL", value("PODIUM_LOG_LEVEL", "log_level", default="INFO").upper(), LOG_LEVELS),
        discord_token=check_token("DISCORD_TOKEN", env.get("DISCORD_TOKEN", "").strip()) or None,
        discord_api=check_url("PODIUM_DISCORD_API", value("PODIUM_DISCORD_API", "api", discord_config, "https://discord.com/api/v10"), ("http", "https")),
        discord_gateway=check_url("PODIUM_DISCORD_GATEWAY", value("PODIUM_DISCORD_GATEWAY", "gateway", discord_config), ("ws", "wss")) or None,
        sync_guild=parse_snowflake("PODIUM_SYNC_GUILD", value("PODIUM_SYNC_GUILD", "sync_guild", discord_config)),
        clock_start=parse_instant("PODIUM_CLOCK", env.get("PODIUM_CLOCK", "").strip()),
        clock_speed=parse_speed("PODIUM_CLOCK_SPEED", env.get("PODIUM_CLOCK_SPEED", "").strip() or "1"),
        send_rate=parse_number("PODIUM_SEND_RATE", value("PODIUM_SEND_RATE", "send_rate", alerts_config, "49"), 0, 10_000),
        send_concurrency=int(parse_number("PODIUM_SEND_CONCURRENCY", value("PODIUM_SEND_CONCURRENCY", "send_concurrency", alerts_config, "32"), 1, 1_000)),
        feed_url=value("PODIUM_FEED_URL", "url", feed_config) or None,
        feed_interval=parse_number("PODIUM_FEED_INTERVAL", value("PODIUM_FEED_INTERVAL", "interval", feed_config, "180"), 0.05, 86_400),
        feed_adapter=check_adapter("PODIUM_FEED_ADAPTER", value("PODIUM_FEED_ADAPTER", "adapter", feed_config, "podium")),
        feed_timeout=parse_number("PODIUM_FEED_TIMEOUT", value("PODIUM_FEED_TIMEOUT", "timeout", feed_config, "10"), 0.1, 600),
        catch_up_until=(parse_clock_time("PODIUM_CATCH_UP_UNTIL", raw) if (raw := value("PODIUM_CATCH_UP_UNTIL", "catch_up_until", alerts_config)) else None),
        **lease_settings(value("PODIUM_LEASE_TTL", "ttl", lease_config, "30"), value("PODIUM_LEASE_HEARTBEAT", "heartbeat", lease_config, "10")),
        shards=shard_settings(value("PODIUM_SHARD_COUNT", "shard_count", discord_config), value("PODIUM_SHARD_IDS", "shard_ids", discord_config)),
        rate_limit_url=check_url("PODIUM_RATE_LIMIT_URL", value("PODIUM_RATE_LIMIT_URL", "rate_limit_url", alerts_config), ("redis", "rediss")) or None,
    )


def shard_settings(count_raw: str, ids_raw: str) -> ShardPlan | None:
    """PODIUM_SHARD_COUNT (all shards of the bot) and PODIUM_SHARD_IDS (this process's: '0-3', '4,5';
    all of them when unset). Neither set: one unsharded process."""
    if not count_raw:
        if ids_raw:
            raise SettingsError("PODIUM_SHARD_IDS is set but PODIUM_SHARD_COUNT is not: give the total number of shards too.")
        return None
    count = int(parse_number("PODIUM_SHARD_COUNT", count_raw, 1, 100_000))
    if count != float(count_raw):
        raise SettingsError(f"PODIUM_SHARD_COUNT: {count_raw!r} is not a whole number of shards.")
    try:
        ids = parse_shard_ids(ids_raw, count) if ids_raw else tuple(range(count))
    except ValueError as error:
        raise SettingsError(f"PODIUM_SHARD_IDS: {error}.") from None
    return ShardPlan(count, ids)


def lease_settings(ttl_raw: str, heartbeat_raw: str) -> dict:
    ttl = parse_number("PODIUM_LEASE_TTL", ttl_raw, 1, 3600)
    heartbeat = parse_number("PODIUM_LEASE_HEARTBEAT", heartbeat_raw, 0.1, 1800)
    if heartbeat > ttl / 2:
        raise SettingsError(f"PODIUM_LEASE_HEARTBEAT: {heartbeat:g} s is more than half of PODIUM_LEASE_TTL ({ttl:g} s); "
                            "the acting process must have time to retry a heartbeat before its lease lapses.")
    return {"lease_ttl": ttl, "lease_heartbeat": heartbeat}


def read_config(path: Path) -> dict:
    if not path.exists():
        if path == DEFAULT_CONFIG:
            return {}
        raise SettingsError(f"PODIUM_CONFIG: no file at {path}.")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML ({error}).") from None


def read_dotenv(path: Path):
    """KEY=VALUE lines of a .env file; comments and blank lines skipped."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, val = line.partition("=")
            yield key.strip(), val.strip().strip("'\"")


def check_timezone(name: str, zone: str) -> str:
    """A zone as /subscribe takes it (core/inputs.py): any case, the IANA name back."""
    try:
        return parse_timezone(zone)
    except InvalidInput as error:
        raise SettingsError(f"{name}: '{zone}' is not a known IANA time zone; use a name like {error.params['suggestions']}.") from None


def check_language(name: str, raw: str) -> str:
    try:
        return parse_language(raw)
    except InvalidInput as error:
        raise SettingsError(f"{name}: '{raw}' is not supported; use one of: {error.params['choices']}.") from None


def check_token(name: str, raw: str) -> str:
    """A bot token is printable ASCII without spaces; a pasted line break would only fail later,
    deep in an HTTP header. The token itself is never repeated in the message."""
    if raw and not all(33 <= ord(ch) <= 126 for ch in raw):
        raise SettingsError(
            f"{name}: the token contains a line break, space or other character a Discord token never has; "
            "copy it again from the Discord Developer Portal (Bot → Token) onto a single line."
        )
    return raw


def check_choice(name: str, raw: str, choices) -> str:
    if raw not in choices:
        raise SettingsError(f"{name}: '{raw}' is not supported; use one of: {', '.join(choices)}.")
    return raw


def parse_clock_time(name: str, raw: str) -> time:
    """A time of day as /subscribe takes it (core/inputs.py)."""
    try:
        return parse_time_of_day(raw)
    except InvalidInput:
        raise SettingsError(f"{name}: '{raw}' is not a time of day; use HH:MM, e.g. 20:00.") from None


def check_url(name: str, raw: str, schemes) -> str:
    if raw and not re.match(rf"^({'|'.join(schemes)})://[^\s/]+", raw):
        raise SettingsError(f"{name}: '{raw}' is not a URL starting with {' or '.join(s + '://' for s in schemes)}.")
    return raw.rstrip("/")


def parse_snowflake(name: str, raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise SettingsError(f"{name}: '{raw}' is not a Discord id; use the server's numeric id.")
    return int(raw)


def check_adapter(name: str, raw: str) -> str:
    adapters = sorted(p.stem for p in (PROJECT_ROOT / "bot" / "feed" / "adapters").glob("*.py") if not p.stem.startswith("_"))
    if raw not in adapters:
        raise SettingsError(f"{name}: '{raw}' is not a feed adapter; use one of: {', '.join(adapters)}.")
    return raw


def parse_number(name: str, raw: str, low: float, high: float) -> float:
    try:
        number = float(raw)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise SettingsError(f"{name}: '{raw}' is not a number from {low:g} to {high:g}.")
    return number


def parse_instant(name: str, raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise SettingsError(f"{name}: '{raw}' is not an ISO 8601 instant with offset; use e.g. 2022-02-14T19:59:00+01:00.")
    return instant


def parse_speed(name: str, raw: str) -> float:
    try:
        speed = float(raw)
    except ValueError:
        speed = 0.0
    if not 0 < speed <= 100_000:
        raise SettingsError(f"{name}: '{raw}' is not a speed; use a number above 0, e.g. 1 or 60.")
    return speed
