"""The bot's one source of "now": real time, or a simulated clock for replaying a past Games.

PODIUM_CLOCK starts the simulated clock at an instant; PODIUM_CLOCK_SPEED makes it run faster."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Callable


class Clock:
    def __init__(self, start: datetime | None = None, speed: float = 1.0, monotonic: Callable[[], float] = time.monotonic):
        self._monotonic = monotonic
        self._origin_real = monotonic()
        self._origin = start.astimezone(timezone.utc) if start else None
        self.speed = speed if start else 1.0

    @property
    def simulated(self) -> bool:
        return self._origin is not None

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        if self._origin is None:
            return datetime.now(timezone.utc)
        return self._origin + timedelta(seconds=(self._monotonic() - self._origin_real) * self.speed)

    def seconds_until(self, instant: datetime) -> float:
        """Real seconds to wait until the clock shows `instant` (0 if it is past)."""
        return max(0.0, (instant - self.now()).total_seconds() / self.speed)

    @classmethod
    def from_settings(cls, settings) -> "Clock":
        return cls(settings.clock_start, settings.clock_speed)
