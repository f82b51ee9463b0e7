"""Structured logs: JSON lines, and the token never printed."""
from __future__ import annotations

import io
import json
import logging

from bot.logs import REDACTED, setup_logging


def test_log_lines_are_json_and_the_token_is_redacted():
    stream = io.StringIO()
    handler = setup_logging("INFO", secrets=["s3cret.T0KEN"], stream=stream)
    try:
        log = logging.getLogger("podium.test")
        log.info("connecting with s3cret.T0KEN", extra={"channel_id": 42})
        try:
            raise RuntimeError("bad header Bot s3cret.T0KEN")
        except RuntimeError:
            log.exception("failed")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = stream.getvalue().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == f"connecting with {REDACTED}" and first["channel_id"] == 42
    assert first["level"] == "INFO" and first["logger"] == "podium.test"
    assert "s3cret.T0KEN" not in stream.getvalue()
    assert REDACTED in second["error"]
