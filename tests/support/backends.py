"""The store backends the store tests run against (the shape mautrix and datasette use): a SQLite
database on a real file, and a PostgreSQL database in a fresh schema of the local server, created
for one test and dropped after it.

PODIUM_TEST_POSTGRES_URL names the server (default: the local one, user postgres). When it cannot
be reached the PostgreSQL cases are skipped with the reason, unless PODIUM_REQUIRE_SERVICES=1 (CI),
where a missing server fails them."""
from __future__ import annotations

import asyncio
import os
import uuid
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg
import pytest

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("sqlite", "postgresql")
_reachable: dict[str, str | None] = {}  # url -> None when reachable, else why not


def postgres_server_url() -> str:
    return os.environ.get("PODIUM_TEST_POSTGRES_URL", "").strip() or DEFAULT_POSTGRES_URL


def services_required() -> bool:
    return os.environ.get("PODIUM_REQUIRE_SERVICES", "").strip() == "1"


def unavailable(reason: str):
    """Skip (a developer's machine without the server) or fail (CI requires every service)."""
    if services_required():
        pytest.fail(f"{reason}, and PODIUM_REQUIRE_SERVICES=1 requires it", pytrace=False)
    pytest.skip(f"{reason} (set PODIUM_TEST_POSTGRES_URL to a server to run these)")


async def _why_unreachable(url: str) -> str | None:
    if url not in _reachable:
        try:
            connection = await asyncpg.connect(url, timeout=5)
        except (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as error:
            _reachable[url] = f"no PostgreSQL server at {url}: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
        else:
            await connection.close()
            _reachable[url] = None
    return _reachable[url]


def in_schema(url: str, schema: str) -> str:
    """The server's URL with every connection's search_path set to `schema`."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"] + [("search_path", schema)]
    return urlunsplit(parts._replace(query=urlencode(query)))


@asynccontextmanager
async def fresh_postgres():
    """A URL whose connections work in a new, empty schema; the schema is dropped afterwards."""
    server = postgres_server_url()
    reason = await _why_unreachable(server)
    if reason:
        unavailable(reason)
    schema = f"podium_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        yield in_schema(server, schema)
    finally:
        await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await admin.close()


@asynccontextmanager
async def fresh_target(backend: str, folder, name: str = "podium.sqlite3"):
    """What Database.open() takes: a new SQLite file in `folder`, or a URL of a new PostgreSQL schema."""
    if backend == "sqlite":
        yield folder / name
    else:
        async with fresh_postgres() as url:
            yield url


@pytest.fixture(params=BACKENDS)
async def store_target(request, tmp_path):
    """Run the test once per backend with a fresh, empty database (a file path or a URL)."""
    async with fresh_target(request.param, tmp_path) as target:
        yield target


@pytest.fixture
async def postgres_url():
    """A URL of a new, empty PostgreSQL schema (for the tests that need PostgreSQL itself)."""
    async with fresh_postgres() as url:
        yield url
