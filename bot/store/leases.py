"""Leases: which process may act on the database (see bot/lease.py for the heartbeat and the
standby). Times are UTC text of one fixed width, so SQL compares them as instants."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from bot.store.database import Database

COLUMNS = "name, holder, host, pid, acquired_at, renewed_at, expires_at, pid_space"


@dataclass(frozen=True)
class LeaseRow:
    name: str
    holder: str
    host: str
    pid: int
    acquired_at: datetime
    renewed_at: datetime
    expires_at: datetime
    pid_space: str = ""  # host and pid namespace in which `pid` is meaningful ('' unknown)


def _stamp(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def _row(row) -> LeaseRow:
    return LeaseRow(row[0], row[1], row[2], row[3], _instant(row[4]), _instant(row[5]), _instant(row[6]), row[7])


async def take(db: Database, name: str, holder: str, host: str, pid: int, now: datetime, expires_at: datetime, *,
               pid_space: str = "", replacing: str | None = None) -> LeaseRow:
    """Take the lease when it is free, lapsed (expires_at <= now), held by `replacing` (a holder
    known to be gone) or already `holder`'s (then it is renewed); in one transaction, so two
    processes cannot both take it. Returns the lease as it stands afterwards: held by `holder` or
    by whoever holds it still."""
    async with db.transaction() as conn:
        await conn.execute(
            f"""INSERT INTO leases ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
                  pid_space = excluded.pid_space,
                  acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
                  renewed_at = excluded.renewed_at, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.renewed_at OR leases.holder = ?""",
            (name, holder, host, pid, _stamp(now), _stamp(now), _stamp(expires_at), pid_space, replacing),
        )
        async with conn.execute(f"SELECT {COLUMNS} FROM leases WHERE name = ?", (name,)) as cursor:
            return _row(await cursor.fetchone())


async def renew(db: Database, name: str, holder: str, now: datetime, expires_at: datetime) -> bool:
    """Extend `holder`'s lease; False when it is no longer theirs or has lapsed (it is lost)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE leases SET renewed_at = ?, expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?",
            (_stamp(now), _stamp(expires_at), name, holder, _stamp(now)),
        )
        return cursor.rowcount == 1


async def release(db: Database, name: str, holder: str) -> bool:
    """Give the lease up (a clean stop), so a standby need not wait for it to lapse."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))
        return cursor.rowcount == 1


async def current(db: Database, name: str) -> LeaseRow | None:
    row = await db.fetchone(f"SELECT {COLUMNS} FROM leases WHERE name = ?", (name,))
    return _row(row) if row else None
