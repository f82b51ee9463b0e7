"""The PostgreSQL store (asyncpg), chosen by PODIUM_DATABASE=postgresql://…: the same surface as
the SQLite `Database` in database.py, so the store modules run unchanged on either.

One write connection takes this process's writes one at a time (`transaction()`, READ COMMITTED;
what must hold across processes is held by constraints and single statements, e.g. a delivery
claim's primary key, a lease's conditional upsert). Reads go through a pool of read-only
connections: `fetchone`/`fetchall` see the latest commit, `snapshot()` one REPEATABLE READ state.
Migrations are the numbered files of migrations_pg/, the same versions and intent as SQLite's."""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

import asyncpg

from bot.store.database import READERS, DatabaseError, read_migrations, refuse_foreign_tables, refuse_newer_schema
from bot.store.dialect import numbered, returns_rows, shown

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations_pg"
CONNECT_TIMEOUT = 10  # seconds
MIGRATION_LOCK = 0x706F6469756D  # pg_advisory_lock key: one process migrates at a time ("podium")


def migrations() -> list[tuple[int, str, str]]:
    """PostgreSQL's migrations: the numbered files of migrations_pg/."""
    return read_migrations(MIGRATIONS_DIR)


def _rowcount(status: str) -> int:
    """Rows a command touched, from its status ('UPDATE 1', 'INSERT 0 3', 'DELETE 0')."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


class Cursor:
    """What a statement gave back, shaped like the aiosqlite cursor the store modules read."""

    def __init__(self, rows: list[tuple], rowcount: int):
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self):
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[tuple]:
        return list(self._rows)

    async def __aenter__(self) -> "Cursor":
        return self

    async def __aexit__(self, *exc) -> None:
        return None


class _Pending:
    """`conn.execute(...)` may be awaited or used with `async with`, as aiosqlite allows."""

    def __init__(self, coroutine):
        self._coroutine = coroutine

    def __await__(self):
        return self._coroutine.__await__()

    async def __aenter__(self) -> Cursor:
        return await self._coroutine

    async def __aexit__(self, *exc) -> None:
        return None


class Connection:
    """The aiosqlite connection surface the store modules use (execute, executemany), on asyncpg."""

    def __init__(self, connection: asyncpg.Connection):
        self.raw = connection

    @property
    def in_transaction(self) -> bool:
        return self.raw.is_in_transaction()

    def execute(self, sql: str, params=()) -> _Pending:
        return _Pending(self._execute(sql, params))

    async def _execute(self, sql: str, params) -> Cursor:
        query = numbered(sql)
        if returns_rows(sql):
            rows = [tuple(r) for r in await self.raw.fetch(query, *params)]
            return Cursor(rows, len(rows))
        return Cursor([], _rowcount(await self.raw.execute(query, *params)))

    async def executemany(self, sql: str, seq) -> None:
        seq = list(seq)
        if seq:
            await self.raw.executemany(numbered(sql), seq)


class Reader:
    """Queries on one read connection (a snapshot) or on the write connection at open."""

    def __init__(self, connection: asyncpg.Connection):
        self.connection = connection

    async def fetchall(self, sql: str, params=()) -> list[tuple]:
        return [tuple(r) for r in await self.connection.fetch(numbered(sql), *params)]

    async def fetchone(self, sql: str, params=()):
        row = await self.connection.fetchrow(numbered(sql), *params)
        return tuple(row) if row is not None else None


class PostgresDatabase:
    dialect = "postgresql"
    IntegrityError = asyncpg.IntegrityConstraintViolationError

    def __init__(self, writer: asyncpg.Connection, url: str):
        self.raw_writer = writer
        self.connection = Connection(writer)
        self._on_writer = Reader(writer)
        self.url = url
        self.path = shown(url)  # what messages name
        self._write_lock = asyncio.Lock()
        self._pool: asyncpg.Pool | None = None
        self.generation = 0  # +1 whenever a write transaction of this process ends (see Database)

    @classmethod
    async def open(cls, url: str, readers: int = READERS) -> "PostgresDatabase":
        try:
            writer = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
        except (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as error:
            raise DatabaseError(f"cannot connect to the PostgreSQL database {shown(url)}: {_reason(error)}") from None
        db = cls(writer, url)
        try:
            await db.check_database()
            await db.migrate()
            db._pool = await asyncpg.create_pool(url, min_size=readers, max_size=readers, timeout=CONNECT_TIMEOUT,
                                                 server_settings={"default_transaction_read_only": "on"})
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            await db.close()
            raise DatabaseError(f"the PostgreSQL database {shown(url)} cannot be used: {_reason(error)}") from None
        except BaseException:
            await db.close()
            raise
        return db

    async def check_database(self) -> None:
        """Refuse a schema that holds another application's tables (never add ours to it)."""
        tables = [r[0] for r in await self._on_writer.fetchall(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name")]
        refuse_foreign_tables(self.path, tables, "Set PODIUM_DATABASE to an empty database (or a URL with ?search_path=<an empty schema>)")

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
        await self.raw_writer.close()

    async def __aenter__(self) -> "PostgresDatabase":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def migrate(self) -> int:
        """Apply every migration newer than the database, each in its own transaction; processes
        starting together take turns (an advisory lock)."""
        writer = self.raw_writer
        await writer.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        try:
            await writer.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            current = await self.schema_version()
            known = migrations()
            refuse_newer_schema(self.path, current, known)
            applied_versions = {row[0] for row in await self._on_writer.fetchall("SELECT version FROM schema_migrations")}
            for version, name, sql in known:
                if version in applied_versions:  # one numbered below the newest applied is still applied
                    continue
                applied = datetime.now(timezone.utc).isoformat(timespec="seconds")
                async with writer.transaction():
                    await writer.execute(sql)
                    await writer.execute("INSERT INTO schema_migrations VALUES ($1, $2, $3)", version, name, applied)
        finally:
            await writer.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        return await self.schema_version()

    async def schema_version(self) -> int:
        row = await self._on_writer.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return row[0]

    @asynccontextmanager
    async def transaction(self):
        """One write transaction of this process at a time on the write connection, rolled back on
        any exception; read what it wrote through the connection it yields. Plain BEGIN, COMMIT
        and ROLLBACK: a task cancelled at any point leaves no transaction open behind it."""
        writer = self.raw_writer
        async with self._write_lock:
            try:
                await writer.execute("BEGIN")
            except asyncio.CancelledError:  # the BEGIN may have reached the server: undo it
                await asyncio.shield(self._roll_back())
                raise
            try:
                yield self.connection
            except BaseException:
                await asyncio.shield(self._roll_back())
                raise
            else:
                try:
                    await writer.execute("COMMIT")
                except BaseException:
                    await asyncio.shield(self._roll_back())
                    raise
            finally:
                self.generation += 1

    async def _roll_back(self) -> None:
        """ROLLBACK whether or not a transaction is known to be open: it runs after a cancelled
        BEGIN or statement has finished on the server (asyncpg waits for it), so nothing stays open."""
        if not self.raw_writer.is_closed():
            await self.raw_writer.execute("ROLLBACK")

    @asynccontextmanager
    async def snapshot(self):
        """A read connection inside one REPEATABLE READ transaction: its queries see one state."""
        async with self._pool.acquire() as connection:
            async with connection.transaction(isolation="repeatable_read", readonly=True):
                yield Reader(connection)

    async def fetchall(self, sql: str, params=()) -> list[tuple]:
        return [tuple(r) for r in await self._pool.fetch(numbered(sql), *params)]

    async def fetchone(self, sql: str, params=()):
        row = await self._pool.fetchrow(numbered(sql), *params)
        return tuple(row) if row is not None else None

    async def games_revision(self) -> int:
        """A number that moves with every committed write of Games data (see games.games_revision)."""
        return (await self.fetchone("SELECT value FROM games_revision"))[0]

    @staticmethod
    async def bump_games_revision(conn: Connection) -> None:
        """Move the revision, inside the transaction that writes the Games."""
        await conn.execute("UPDATE games_revision SET value = (value + 1) % 2147483648")


def _reason(error: BaseException) -> str:
    if isinstance(error, asyncio.TimeoutError):
        return "no answer in time"
    return str(error).splitlines()[0] if str(error) else error.__class__.__name__
