"""Pacing outgoing requests so the bot stays under Discord's global limit by itself."""
from __future__ import annotations

import asyncio
import time


class Pacer:
    """At most `per_second` starts per second, spread evenly (a leaky bucket with a small burst)."""

    def __init__(self, per_second: float = 50.0, burst: int = 1, monotonic=time.monotonic):
        self.interval = 1.0 / per_second
        self.burst = burst
        self._monotonic = monotonic
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self._monotonic()
            earliest = self._next - self.interval * (self.burst - 1)
            if earliest > now:
                await asyncio.sleep(earliest - now)
                now = self._monotonic()
            self._next = max(self._next, now) + self.interval
