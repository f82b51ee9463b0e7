"""`python -m bot` as the operator runs it (the Procfile's worker), against the fake Discord."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

from tests.support.cli import ROOT
from tests.support.world import CHANNEL, GUILD, MEMBER, TOKEN


def environment(tmp_path, fake, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DISCORD_"))}
    env.update({"DISCORD_TOKEN": TOKEN, "PODIUM_DATABASE": str(tmp_path / "podium.sqlite3"), "PODIUM_DISCORD_API": fake.api_url,
                "PODIUM_DISCORD_GATEWAY": fake.gateway_url, "PODIUM_LOG_LEVEL": "DEBUG", "PODIUM_CLOCK": "2022-02-15T20:00:00+01:00"})
    env.update(extra)
    return env


async def start(tmp_path, fake, **extra):
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=tmp_path, env=environment(tmp_path, fake, **extra),
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, limit=2**24)


async def read_until(stream, needle: str, timeout: float = 20.0) -> list[str]:
    lines = []
    async def scan():
        while True:
            line = (await stream.readline()).decode()
            if not line:
                raise AssertionError(f"stream ended before {needle!r}:\n" + "".join(lines))
            lines.append(line)
            if needle in line:
                return
    await asyncio.wait_for(scan(), timeout)
    return lines


def test_procfile_runs_the_same_command():
    """One process by default, `python -m bot` as these tests run it; the sharded lines the README
    describes are there commented out, each a Procfile line of its own once uncommented."""
    lines = [line for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()]
    assert [line for line in lines if not line.startswith("#")] == ["worker: python -m bot"]
    sharded = [line[1:] for line in lines if line.startswith("#shards-")]
    assert len(sharded) == 3
    for line in sharded:
        kind, command = line.split(": ", 1)
        assert kind.replace("-", "").isalnum() and command.endswith("python -m bot")
        assert "PODIUM_SHARD_COUNT=12" in command and "PODIUM_SHARD_IDS=" in command


async def test_the_bot_runs_answers_and_stops_cleanly_without_logging_its_token(tmp_path, fake):
    process = await start(tmp_path, fake)
    try:
        lines = await read_until(process.stdout, "connected as")
        handle = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
        assert "Netherlands" in (await handle.response())["content"]
        assert fake._session.intents == 1  # GUILDS only: nothing privileged
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), 20)
    output = "".join(lines) + out.decode() + err.decode()
    assert process.returncode == 0, output
    assert TOKEN not in output and "do-not-log-me" not in output
    entries = [json.loads(line) for line in ("".join(lines) + out.decode()).splitlines() if line.startswith("{")]
    assert entries and all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    assert fake.sync_count == 1 and fake.identify_count == 1


async def test_a_refused_token_exits_with_one_clear_sentence(tmp_path, fake):
    process = await start(tmp_path, fake, DISCORD_TOKEN="wrong." + TOKEN[:20])
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert err.decode().strip().splitlines()[-1] == (
        "error: Discord refused the token (401 Unauthorized); check DISCORD_TOKEN (the bot token from the Developer Portal).")
    assert "Traceback" not in err.decode() and TOKEN[:20] not in out.decode() + err.decode()


async def test_sync_to_one_guild_for_development(tmp_path, fake):
    process = await start(tmp_path, fake, PODIUM_SYNC_GUILD=str(GUILD))
    try:
        await read_until(process.stdout, "connected as")
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.communicate(), 20)
    assert fake.command_names(GUILD) == ["about", "calendar", "medals", "programme", "results", "subscribe", "subscriptions", "unsubscribe"]
    assert fake.command_names() == []
