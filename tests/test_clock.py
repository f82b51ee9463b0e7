"""The simulated clock: held at its start instant until started, then moving at its speed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.clock import Clock

START = datetime(2022, 2, 14, 18, 59, tzinfo=timezone.utc)


def test_a_held_clock_shows_its_start_until_started_then_runs_from_there():
    real = [100.0]
    clock = Clock(START, speed=60, monotonic=lambda: real[0], running=False)
    assert not clock.running
    real[0] = 160.0  # a slow boot: a real minute goes by
    assert clock.now() == START
    assert clock.seconds_until(START + timedelta(minutes=2)) == 2.0  # as if it started now
    clock.start()
    real[0] = 190.0
    assert clock.running and clock.now() == START + timedelta(minutes=30)
    clock.start()  # starting again changes nothing
    assert clock.now() == START + timedelta(minutes=30)


def test_real_time_always_runs():
    clock = Clock(running=False)
    assert clock.running and not clock.simulated
    assert abs((clock.now() - datetime.now(timezone.utc)).total_seconds()) < 1
