"""Waiting for a condition in a test, never for a fixed time."""
from __future__ import annotations

import asyncio
import inspect
import time
from typing import Callable


async def until(condition: Callable[[], object], timeout: float = 10.0, what: str = "the condition") -> None:
    """Return as soon as condition() is true (a coroutine's result, if it returns one); fail
    naming `what` after `timeout` real seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return
        assert time.monotonic() < deadline, f"timed out after {timeout:g} s waiting for {what}"
        await asyncio.sleep(0.02)
