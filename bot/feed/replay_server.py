"""`python -m bot serve-feed --replay beijing-2022`: the shipped data set as a live feed that
reveals results and standings as (simulated) time passes; ETag and 304 like a real feed.

Point a bot at it with PODIUM_FEED_URL=http://127.0.0.1:8765/feed.json and the same clock
(PODIUM_CLOCK / PODIUM_CLOCK_SPEED) to watch the Games unfold. The tests use it too."""
from __future__ import annotations

import hashlib
import json

from aiohttp import web

from bot.clock import Clock
from bot.core.models import GamesData
from bot.data.document import as_known_at, to_document

REPLAYS = {  # every shipped Games: id -> file in bot/data/games
    "beijing-2022": "beijing2022.json",
    "milano-cortina-2026": "milano-cortina-2026.json",
    "paris-2024": "paris-2024.json",
    "la-2028": "la-2028.json",
}


class ReplayFeed:
    def __init__(self, data: GamesData, clock: Clock):
        self.data = data
        self.clock = clock
        self.requests = 0
        self.not_modified = 0
        self._cache: tuple[tuple, bytes, str] | None = None
        self._runner: web.AppRunner | None = None
        self.url: str | None = None

    def body(self) -> tuple[bytes, str]:
        known = as_known_at(self.data, self.clock.now())
        key = (len(known.results), len(getattr(known, "standings", ())))
        if self._cache is None or self._cache[0] != key:
            body = json.dumps(to_document(known), ensure_ascii=False, separators=(",", ":")).encode()
            self._cache = (key, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        return self._cache[1], self._cache[2]

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        body, etag = self.body()
        if request.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="application/json", headers={"ETag": etag, "Cache-Control": "no-cache"})

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_get("/feed.json", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]
        self.url = f"http://{host}:{bound}/feed.json"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
