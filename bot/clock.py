"""The bot's one source of "now": real time, or a simulated clock for replaying a past Games.

PODIUM_CLOCK starts the simulated clock at an instant; PODIUM_CLOCK_SPEED makes it run faster.
A simulated clock may be created held (`running=False`): it shows its start instant until
`start()` is called, so simulated time can begin when the bot is ready rather than while it boots
(a slow boot would otherwise eat the first simulated minutes)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Callable


class Clock:
    def __init__(self, start: datetime | None = None, speed: float = 1.0, monotonic: Callable[[], float] = time.monotonic,
                 *, running: bool = True):
        self._monotonic = monotonic
        self._origin = start.astimezone(timezone.utc) if start else None
        self.speed = speed if start else 1.0
        # real (monotonic) time at which the simulated clock showed its start; None while held
        self._origin_real: float | None = monotonic() if running or start is None else None

    @property
    def simulated(self) -> bool:
        return self._origin is not None

    @property
    def running(self) -> bool:
        """False while a simulated clock is held at its start instant."""
        return self._origin_real is not None

    def start(self) -> None:
        """Let a held clock run from its start instant; a clock that runs already is left alone."""
        if self._origin_real is None:
            self._origin_real = self._monotonic()

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        if self._origin is None:
            return datetime.now(timezone.utc)
        if self._origin_real is None:
            return self._origin
        return self._origin + timedelta(seconds=(self._monotonic() - self._origin_real) * self.speed)

    def seconds_until(self, instant: datetime) -> float:
        """Real seconds to wait until the clock shows `instant` (0 if it is past); for a held
        clock, counted as if it started now."""
        return max(0.0, (instant - self.now()).total_seconds() / self.speed)

    @classmethod
    def from_settings(cls, settings, *, running: bool = True) -> "Clock":
        return cls(settings.clock_start, settings.clock_speed, running=running)
