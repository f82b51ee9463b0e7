"""Copy a SQLite database into PostgreSQL (`python -m bot migrate-store`): every table but the
leases (each process takes its own) and the migrations' record, in one transaction on the target.

Both databases are opened (so migrated) to the same schema first; rows are read from one snapshot
of the source and written with PostgreSQL's COPY, parents before children."""
from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from bot.store.database import Database
from bot.store.postgres import PostgresDatabase

# Parents before the tables whose foreign keys name them; a table not listed comes after these.
ORDER = ("games", "sports", "nations", "events", "sessions", "session_slots", "results", "standings", "meta",
         "subscriptions", "deliveries", "delivery_parts", "live_posts", "live_channels", "live_told")
NOT_COPIED = ("schema_migrations", "leases")


class CopyRefused(Exception):
    """The copy cannot be made; nothing was written. The message says why and what to do."""


@dataclass(frozen=True)
class Copied:
    rows: dict[str, int]  # table -> rows copied, in the order written
    replaced: int  # rows the target held before (deleted first, with --replace)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


async def tables(source: Database) -> list[str]:
    """The source's tables to copy, in an order the foreign keys accept."""
    names = [r[0] for r in await source.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    names = [n for n in names if n not in NOT_COPIED]
    return [n for n in ORDER if n in names] + sorted(n for n in names if n not in ORDER)


async def copy_store(source: Database, target: PostgresDatabase, *, replace: bool = False) -> Copied:
    """Copy every row of `source` (SQLite) into `target` (PostgreSQL) in one transaction. A target
    that holds rows already is refused, unless `replace`: then they are deleted in that transaction."""
    if await source.schema_version() != await target.schema_version():
        raise CopyRefused(f"the source has schema version {await source.schema_version()} and the target "
                          f"{await target.schema_version()}; run this version of the bot on both")
    names = await tables(source)
    held = {name: (await target.fetchone(f"SELECT COUNT(*) FROM {name}"))[0] for name in names}
    if any(held.values()) and not replace:
        listed = ", ".join(f"{name} {count:,}" for name, count in held.items() if count)
        raise CopyRefused(f"{target.path} already holds rows ({listed}); nothing was copied. "
                          "Pass --replace to delete them and copy, in one transaction")
    rows: dict[str, int] = {}
    async with source.snapshot() as reader:
        async with target.transaction() as conn:
            for name in reversed(names):
                await conn.execute(f"DELETE FROM {name}")
            for name in names:
                names_of_columns = [r[1] for r in await reader.fetchall(f"PRAGMA table_info({name})")]
                columns = ", ".join(names_of_columns)  # our own schema's column list, never data
                records = await reader.fetchall(f"SELECT {columns} FROM {name}")
                if records:
                    try:
                        await conn.raw.copy_records_to_table(name, records=records, columns=names_of_columns)
                    except (asyncpg.DataError, asyncpg.IntegrityConstraintViolationError, asyncpg.UndefinedColumnError,
                            asyncpg.UndefinedTableError, TypeError, ValueError) as error:
                        raise CopyRefused(f"a row of {name} cannot be copied ({str(error).splitlines()[0]}); nothing was copied") from None
                rows[name] = len(records)
            await target.bump_games_revision(conn)  # a process holding the Games loads them again
    return Copied(rows, sum(held.values()))
