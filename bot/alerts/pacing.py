"""Pacing outgoing requests so the bot stays under Discord's global limit by itself."""
from __future__ import annotations

import asyncio
import time


class Pacer:
    """At most `per_second` starts per second, spread evenly (a leaky bucket with a small burst).

    Starts follow an ideal schedule, one every 1/per_second: a start that the event loop wakes a
    little late (less than one interval) does not push every later start back, so a long fan-out
    keeps the rate instead of losing the loop's lag on every message (at 49/s and a busy loop that
    was 6-8 % of the time). Any one-second window still holds at most per_second + 1 starts; after
    a pause of more than one interval the schedule restarts from now (no burst of saved-up starts)."""

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
            late = now - self._next
            self._next = (self._next if 0 <= late < self.interval else max(self._next, now)) + self.interval
