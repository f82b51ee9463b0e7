"""The SQLite connections: pragmas, numbered migrations, transactions.

One `Database` owns one write connection and a few read connections (WAL lets them work side by
side). Every write goes through `transaction()` (BEGIN IMMEDIATE), one at a time, on the write
connection. Reads (`fetchone`, `fetchall`, `snapshot()`) run on the read connections, which are
query-only: a reader sees committed rows only, never another task's transaction in progress.

`Database.open()` given a postgresql:// URL opens the PostgreSQL store instead (postgres.py), which
offers the same surface; SQLite's own path stays as it is (no translation layer on it)."""
from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

import aiosqlite

from bot.store.dialect import is_postgres

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)
READER_PRAGMAS = ("PRAGMA query_only=ON", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000")
READERS = 2  # read connections; reads beyond that wait for one to be free


class DatabaseError(RuntimeError):
    """The database file cannot be opened or is newer than this version of the bot."""


def read_only_message(path: Path) -> str:
    return (f"{path} is read-only: Podium writes to its database (and to {path.name}-wal and -shm beside it). "
            "Give the bot's user write access to the file and its folder, or set PODIUM_DATABASE to a writable file")


def damaged_message(path: Path, found: str) -> str:
    return (f"{path} is damaged: SQLite's integrity check failed ({found}). "
            "Restore it from a backup, or move it aside to start with an empty database")


def read_migrations(folder: Path) -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered file in `folder`, in order."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", path.name)
        if match:
            found.append((int(match[1]), match[2], path.read_text(encoding="utf-8")))
    return found


def migrations() -> list[tuple[int, str, str]]:
    """SQLite's migrations: the numbered files of migrations/."""
    return read_migrations(MIGRATIONS_DIR)


def refuse_newer_schema(where, current: int, known: list[tuple[int, str, str]]) -> None:
    if known and current > known[-1][0]:
        raise DatabaseError(f"{where} has schema version {current}, newer than this bot knows ({known[-1][0]}); upgrade the bot")


def refuse_foreign_tables(where, tables: list[str], remedy: str) -> None:
    """A database holding tables but not ours belongs to another application: never add ours to it."""
    if tables and "schema_migrations" not in tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise DatabaseError(f"{where} belongs to another application (tables: {shown}); Podium will not add its tables to it. {remedy}")


class Reader:
    """Queries on one connection: a read connection lent out by `Database.snapshot()` (every
    query sees the same state), or the write connection for the checks and migrations at open."""

    def __init__(self, connection: aiosqlite.Connection):
        self.connection = connection

    async def fetchall(self, sql: str, params=()) -> list[tuple]:
        async with self.connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params=()):
        async with self.connection.execute(sql, params) as cursor:
            return await cursor.fetchone()


class Database:
    dialect = "sqlite"
    IntegrityError = sqlite3.IntegrityError  # a constraint refused a write (each store has its own)

    def __init__(self, connection: aiosqlite.Connection, path: Path):
        self.connection = connection  # the write connection
        self._on_writer = Reader(connection)  # checks and migrations at open, before the readers exist
        self.path = path
        self._write_lock = asyncio.Lock()
        self._readers: list[aiosqlite.Connection] = []
        self._idle_readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        # +1 whenever a write transaction ends (committed or rolled back): what was read before
        # may be out of date, so caches of reads key on it
        self.generation = 0

    @classmethod
    async def open(cls, path: Path | str, readers: int = READERS) -> "Database":
        if is_postgres(path):
            from bot.store.postgres import PostgresDatabase

            return await PostgresDatabase.open(path, readers)
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, aiosqlite.Error) as error:
            raise DatabaseError(f"cannot open the database at {path}: {error}") from None
        db = cls(connection, path)
        try:
            await db.check_file()
            for pragma in PRAGMAS:
                await connection.execute(pragma)
            await db.migrate()
            for _ in range(readers):
                await db._open_reader()
        except aiosqlite.DatabaseError as error:
            await db.close()
            if "readonly" in str(error) or "read-only" in str(error):
                raise DatabaseError(read_only_message(path)) from None
            if "malformed" in str(error):
                raise DatabaseError(damaged_message(path, str(error))) from None
            raise DatabaseError(f"{path} is not a Podium database ({error}); set PODIUM_DATABASE to another file") from None
        except BaseException:
            await db.close()
            raise
        return db

    async def _open_reader(self) -> None:
        reader = await aiosqlite.connect(self.path, isolation_level=None)
        self._readers.append(reader)
        for pragma in READER_PRAGMAS:
            await reader.execute(pragma)
        self._idle_readers.put_nowait(reader)

    async def check_file(self) -> None:
        """Before the first write: refuse a file Podium cannot write, one that fails SQLite's
        integrity check, and another application's database (never add our tables to it)."""
        path = self.path
        if not (os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))):
            raise DatabaseError(read_only_message(path))
        rows = await self._on_writer.fetchall("PRAGMA quick_check")
        if [tuple(r) for r in rows] != [("ok",)]:
            first = str(rows[0][0]) if rows else "no answer"
            raise DatabaseError(damaged_message(path, f"{len(rows)} problem(s), e.g. {first[:200]}"))
        tables = [r[0] for r in await self._on_writer.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        refuse_foreign_tables(path, tables, "Set PODIUM_DATABASE to a new file")

    async def close(self) -> None:
        for reader in self._readers:
            await reader.close()
        self._readers.clear()
        await self.connection.close()

    async def __aenter__(self) -> "Database":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def migrate(self) -> int:
        """Apply every migration the database has not had, each in its own transaction (in number
        order; one numbered below the newest applied is still applied: numbers were handed out to
        changes made side by side)."""
        await self.connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = await self.schema_version()
        known = migrations()
        refuse_newer_schema(self.path, current, known)
        applied_versions = {row[0] for row in await self._on_writer.fetchall("SELECT version FROM schema_migrations")}
        for version, name, sql in known:
            if version in applied_versions:
                continue
            applied = datetime.now(timezone.utc).isoformat(timespec="seconds")
            # The version row first: a second process started at the same moment waits for the
            # first one's transaction, then finds the row there and skips what is applied.
            script = f"BEGIN IMMEDIATE;\nINSERT INTO schema_migrations VALUES ({version}, '{name}', '{applied}');\n{sql}\nCOMMIT;"
            try:
                await self.connection.executescript(script)
            except BaseException as error:
                if self.connection.in_transaction:
                    await self.connection.execute("ROLLBACK")
                if isinstance(error, sqlite3.IntegrityError) and await self._on_writer.fetchone(
                        "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)):
                    continue  # applied by another process meanwhile
                raise
        return await self.schema_version()

    async def schema_version(self) -> int:
        row = await self._on_writer.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return row[0]

    @asynccontextmanager
    async def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT on the write connection, one at a time, rolled back on any
        exception. Read what the transaction itself wrote through the connection it yields."""
        async with self._write_lock:
            try:
                await self.connection.execute("BEGIN IMMEDIATE")
            except asyncio.CancelledError:  # BEGIN may still run on the connection's thread: undo it
                await asyncio.shield(self._undo_begin())
                raise
            try:
                yield self.connection
            except BaseException:
                await self.connection.execute("ROLLBACK")
                raise
            else:
                await self.connection.execute("COMMIT")
            finally:
                self.generation += 1

    async def _undo_begin(self) -> None:
        await self.connection.execute("SELECT 1")  # runs after the BEGIN: the connection's thread keeps order
        if self.connection.in_transaction:
            await self.connection.execute("ROLLBACK")

    @asynccontextmanager
    async def _reader(self):
        reader = await self._idle_readers.get()
        try:
            yield Reader(reader)
        finally:
            self._idle_readers.put_nowait(reader)

    @asynccontextmanager
    async def snapshot(self):
        """A read connection inside one read transaction: several queries that must agree (e.g.
        loading a whole Games) see one committed state, whatever commits meanwhile."""
        async with self._reader() as reader:
            await reader.connection.execute("BEGIN")
            try:
                yield reader
            finally:
                await reader.connection.execute("COMMIT")

    async def fetchall(self, sql: str, params=()) -> list[tuple]:
        """Committed rows only (a read connection in autocommit: the latest commit)."""
        async with self._reader() as reader:
            return await reader.fetchall(sql, params)

    async def fetchone(self, sql: str, params=()):
        async with self._reader() as reader:
            return await reader.fetchone(sql, params)

    async def games_revision(self) -> int:
        """A number that moves with every committed write of Games data: SQLite's user_version, a
        number in the file's header Podium uses for nothing else (moving it changes no row)."""
        return (await self.fetchone("PRAGMA user_version"))[0]

    @staticmethod
    async def bump_games_revision(conn: aiosqlite.Connection) -> None:
        """Move the revision, inside the transaction that writes the Games."""
        async with conn.execute("PRAGMA user_version") as cursor:
            version = (int((await cursor.fetchone())[0]) + 1) % 2**31
        await conn.execute(f"PRAGMA user_version = {version}")  # an int: PRAGMA takes no ? parameters
