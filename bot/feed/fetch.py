"""Fetching a feed cheaply: HTTP with ETag / If-Modified-Since (an unchanged feed costs one 304),
or a local file (its modification time and size stand in for the ETag)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import aiohttp

MAX_BYTES = 50 * 1024 * 1024


class FeedUnavailable(Exception):
    """The feed could not be read this time (network, HTTP status, missing file); try again later."""


@dataclass(frozen=True)
class Fetched:
    body: bytes | None  # None: unchanged since the last fetch
    etag: str | None = None
    last_modified: str | None = None


class FeedSource:
    def __init__(self, location: str, timeout: float = 10.0):
        self.location = location
        self.timeout = timeout
        self.etag: str | None = None
        self.last_modified: str | None = None

    @property
    def is_http(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    async def fetch(self) -> Fetched:
        fetched = await (self._fetch_http() if self.is_http else self._fetch_file())
        if fetched.body is not None:
            self.etag, self.last_modified = fetched.etag, fetched.last_modified
        return fetched

    def forget(self) -> None:
        """Fetch in full next time (after a body that could not be applied)."""
        self.etag = self.last_modified = None

    async def _fetch_http(self) -> Fetched:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session:
                async with session.get(self.location, headers=headers) as response:
                    if response.status == 304:
                        return Fetched(None)
                    if response.status != 200:
                        raise FeedUnavailable(f"HTTP {response.status} from {self.location}")
                    chunks, size = [], 0
                    async for chunk in response.content.iter_chunked(1 << 16):
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise FeedUnavailable(f"{self.location} is larger than {MAX_BYTES // 2**20} MiB")
                        chunks.append(chunk)
                    return Fetched(b"".join(chunks), response.headers.get("ETag"), response.headers.get("Last-Modified"))
        except asyncio.TimeoutError:
            raise FeedUnavailable(f"no answer from {self.location} within {self.timeout:g} s") from None
        except aiohttp.ClientError as error:
            raise FeedUnavailable(f"cannot reach {self.location}: {error.__class__.__name__}") from None

    async def _fetch_file(self) -> Fetched:
        path = Path(self.location)
        try:
            stat = path.stat()
        except OSError as error:
            raise FeedUnavailable(f"cannot read {path}: {error.strerror}") from None
        stamp = f'"{stat.st_mtime_ns}-{stat.st_size}"'
        if stamp == self.etag:
            return Fetched(None)
        body = await asyncio.to_thread(path.read_bytes)
        return Fetched(body, stamp)
