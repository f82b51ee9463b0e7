"""Which process serves which guilds: Discord's shard formula, and the shard ids a process is given.

Discord sends a guild's gateway events (and its interactions) to shard `(guild_id >> 22) % count`;
a process that runs shards `ids` of `count` alerts only the channels of those guilds."""
from __future__ import annotations

from dataclasses import dataclass


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord assigns a guild to (docs: Gateway, Sharding)."""
    return (guild_id >> 22) % shard_count


def parse_shard_ids(raw: str, shard_count: int) -> tuple[int, ...]:
    """'0-3', '4,5', '0-2,7' → sorted shard ids, each below `shard_count`. ValueError says what is wrong."""
    ids: set[int] = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        low, dash, high = part.partition("-")
        try:
            first, last = int(low), int(high) if dash else int(low)
        except ValueError:
            raise ValueError(f"{part!r} is not a shard id or a range like 0-3") from None
        if first > last:
            raise ValueError(f"the range {part!r} runs backwards")
        if first < 0 or last >= shard_count:
            raise ValueError(f"shard ids run from 0 to {shard_count - 1} with {shard_count} shard(s); {part!r} is outside")
        ids.update(range(first, last + 1))
    if not ids:
        raise ValueError("no shard ids given")
    return tuple(sorted(ids))


@dataclass(frozen=True)
class ShardPlan:
    """This process's shards (`ids`) out of `count`."""

    count: int
    ids: tuple[int, ...]

    def owns(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids

    @property
    def processes(self) -> int:
        """How many processes share the bot token, if each runs as many shards as this one."""
        return -(-self.count // len(self.ids))

    @property
    def lease_names(self) -> list[str]:
        return [f"shard:{i}" for i in self.ids]
