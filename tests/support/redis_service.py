"""The Redis the shared rate limit's tests use: PODIUM_TEST_REDIS_URL, else the local server.
When it cannot be reached the test is skipped with the reason, unless PODIUM_REQUIRE_SERVICES=1
(CI), where that is a failure."""
from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

DEFAULT = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    url = os.environ.get("PODIUM_TEST_REDIS_URL") or DEFAULT
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            pass
    except OSError as error:
        reason = f"Redis at {parts.hostname}:{parts.port or 6379} (PODIUM_TEST_REDIS_URL) is not reachable: {error}"
        if os.environ.get("PODIUM_REQUIRE_SERVICES", "").strip() == "1":
            pytest.fail(f"{reason}, and PODIUM_REQUIRE_SERVICES=1 requires it", pytrace=False)
        pytest.skip(reason)
    return url
