"""The fake Discord in its own process, so the bot's CPU and latency are not mixed with the fake's
(the benchmarks and their smoke test use it).

    python -m tests.fake_discord.remote    prints one JSON line {"api_url", "gateway_url", "token",
                                           "control_url", "pid"} and serves until stdin closes

`RemoteFake` (below) starts it and drives it over a small HTTP control API on another port:
set up guilds, channels and members, set the global limit, read the fan-out figures, and run a
batch of interactions (the fake's own interact()) and return their latencies. Times are
time.monotonic() of the fake's process (CLOCK_MONOTONIC: the same clock in every process)."""
from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout, web

from tests.fake_discord.server import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]  # the project folder
TOKEN = "bench-token"
MESSAGES = re.compile(r"^/channels/(\d+)/messages$")
HEADINGS = ("**Tomorrow's programme", "**Het programma van morgen", "🎉")


def is_alert(message: dict) -> bool:
    """The first part of an evening alert (a focus nation's placings of the day may come before the heading)."""
    return not message.get("_deleted") and any(h in message["content"] for h in HEADINGS)


# --------------------------------------------------------------------------- the server side

class Control:
    def __init__(self, fake):
        self.fake = fake

    async def setup(self, request: web.Request) -> web.Response:
        """{"guilds": [{"id", "name", "locale", "channels": [ids], "members": [ids]}], "global_limit": n | null}"""
        spec = await request.json()
        for guild in spec.get("guilds", []):
            if guild["id"] not in self.fake.guilds:
                self.fake.add_guild(guild["id"], name=guild.get("name", "Bench"), locale=guild.get("locale", "en-US"))
            known = self.fake.guilds[guild["id"]]["channels"]
            for channel in guild.get("channels", []):
                if channel not in known:
                    self.fake.add_channel(guild["id"], channel, f"c{channel % 100000}")
            for member in guild.get("members", []):
                self.fake.add_member(guild["id"], member, f"m{member % 100000}")
        if "global_limit" in spec:
            self.fake.global_limit_per_second = spec["global_limit"]
        if "nonce_window" in spec:  # 0: Discord has forgotten every nonce (a second post is a second message)
            self.fake.nonce_window = spec["nonce_window"]
        collect_garbage()
        return web.json_response({"ok": True})

    async def reset(self, request: web.Request) -> web.Response:
        """Forget the logged requests, the messages and their nonces (between runs: the next run
        posts anew, even with the same nonces)."""
        self.fake.reset()
        collect_garbage()
        return web.json_response({"ok": True})

    async def fanout(self, request: web.Request) -> web.Response:
        """What the message posts looked like: accepted ones, 429s, first and last, per channel."""
        posts = [r for r in self.fake.requests if r.method == "POST" and MESSAGES.match(r.path)]
        accepted = [r for r in posts if r.status == 200]
        limited = [r for r in self.fake.requests if r.status == 429]
        every_message = self.fake.all_messages()
        per_channel = {channel_id: sum(1 for m in messages if is_alert(m)) for channel_id, messages in every_message.items()}
        counts: dict[int, int] = {}
        for heads in per_channel.values():
            counts[heads] = counts.get(heads, 0) + 1
        return web.json_response({
            "posts": len(posts), "accepted": len(accepted), "messages": sum(len(m) for m in every_message.values()),
            "first_at": accepted[0].at if accepted else None, "last_at": accepted[-1].at if accepted else None,
            "status_429": len(limited), "global_429": sum(1 for r in limited if r.path and MESSAGES.match(r.path)),
            "channels_with_messages": len(per_channel),
            "alerts_per_channel": {str(k): v for k, v in sorted(counts.items())},
            "other_statuses": sorted({r.status for r in posts if r.status not in (200, 429)}),
            "global_429_count": self.fake.global_429_count,
            "limited": [[r.method, re.sub(r"\d{6,}", "{id}", r.path), round(r.at, 3)] for r in limited][:50],
            "fake_cpu": time.process_time(),
        })

    async def posted(self, request: web.Request) -> web.Response:
        """[[channel id, body], ...] of the message posts accepted since the last reset, in order."""
        out = []
        for r in self.fake.requests:
            found = MESSAGES.match(r.path) if r.method == "POST" and r.status == 200 else None
            if found:
                out.append([int(found.group(1)), r.body])
        return web.json_response(out)

    async def channel_alerts(self, request: web.Request) -> web.Response:
        """{channel id: number of alerts (first parts)} for every channel the fake knows."""
        out = {}
        for guild in self.fake.guilds.values():
            for channel_id in guild["channels"]:
                out[str(channel_id)] = sum(1 for m in self.fake.messages(channel_id) if is_alert(m))
        return web.json_response(out)

    async def interactions(self, request: web.Request) -> web.Response:
        """Run `total` interactions, `in_flight` at a time (or, with `rate`, started at that many per
        second whatever the answers), cycling through `commands` ([[name, options], ...]); return
        the latency of each (INTERACTION_CREATE sent to first callback) in seconds."""
        spec = await request.json()
        commands, total = spec["commands"], int(spec["total"])
        in_flight, rate = int(spec.get("in_flight") or 1), spec.get("rate")
        guild, channel, user = spec["guild"], spec["channel"], spec["user"]
        failures: list[str] = []
        handles = []

        async def one(n: int) -> None:
            name, options = commands[n % len(commands)]
            try:
                handle = await self.fake.interact(guild, channel, user, name, options or None)
                handles.append(handle)
                result = await handle.response(timeout=10)
                if result["type"] not in (4, 5) or not handle.text():
                    failures.append(f"/{name}: answer type {result['type']}")
            except Exception as error:  # noqa: BLE001 - reported, not raised
                failures.append(f"/{name}: {error}")

        started = time.monotonic()
        if rate:
            tasks = []
            for n in range(total):
                delay = started + n / float(rate) - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(one(n)))
            await asyncio.gather(*tasks)
        else:
            counter = iter(range(total))

            async def worker() -> None:
                for n in counter:
                    await one(n)

            await asyncio.gather(*(worker() for _ in range(in_flight)))
        elapsed = time.monotonic() - started
        latencies = [h.latency for h in handles if h.latency is not None]
        return web.json_response({"latencies": latencies, "failures": failures[:20], "failed": len(failures),
                                  "elapsed": elapsed, "mean": statistics.fmean(latencies) if latencies else None})

    async def quiet(self, request: web.Request) -> web.Response:
        """Return once no request has come in for `seconds` (default 0.3; at most `timeout`, 10 s):
        the follow-ups of the last answers are in."""
        seconds, timeout = float(request.query.get("seconds", 0.3)), float(request.query.get("timeout", 10))
        started = changed = time.monotonic()
        seen = len(self.fake.requests)
        while time.monotonic() - changed < seconds and time.monotonic() - started < timeout:
            await asyncio.sleep(0.05)
            if len(self.fake.requests) != seen:
                seen, changed = len(self.fake.requests), time.monotonic()
        return web.json_response({"quiet": time.monotonic() - changed >= seconds})

    async def forget_interactions(self, request: web.Request) -> web.Response:
        """Forget the logged requests (the handles stay: a follow-up may still come for one)."""
        self.fake.requests.clear()
        return web.json_response({"ok": True})


def collect_garbage() -> None:
    """The fake stands in for Discord, whose clock does not stop: a full garbage collection of
    its logged requests paused it for 60-140 ms in the middle of a fan-out, and the requests that
    arrived meanwhile were counted as arriving together (a few 429s, one second later, that
    Discord would not have sent). So its process collects only between runs (setup, reset)."""
    gc.collect()


async def serve_fake() -> None:
    gc.disable()  # see collect_garbage()
    fake = FakeDiscord(token=os.environ.get("PODIUM_FAKE_TOKEN") or TOKEN)
    if os.environ.get("PODIUM_FAKE_NICE"):  # ahead of the bots for the CPU: Discord's clock does not share their cores
        try:
            os.nice(int(os.environ["PODIUM_FAKE_NICE"]))
        except (OSError, ValueError):
            pass  # not allowed (only root may raise a priority): run as is
    fake.interaction_deadline = 30.0  # measure latency; do not turn a slow answer into a 404
    await fake.start()
    control = Control(fake)
    app = web.Application(client_max_size=64 * 2**20)
    app.router.add_post("/setup", control.setup)
    app.router.add_post("/reset", control.reset)
    app.router.add_get("/fanout", control.fanout)
    app.router.add_get("/posted", control.posted)
    app.router.add_get("/channel_alerts", control.channel_alerts)
    app.router.add_post("/interactions", control.interactions)
    app.router.add_post("/forget_interactions", control.forget_interactions)
    app.router.add_get("/quiet", control.quiet)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(json.dumps({"api_url": fake.api_url, "gateway_url": fake.gateway_url, "token": fake.token,
                      "control_url": f"http://127.0.0.1:{port}", "pid": os.getpid()}), flush=True)
    loop = asyncio.get_running_loop()
    closed = asyncio.Event()
    # stdin closing (the parent is done or gone) stops the fake
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    async def watch_stdin() -> None:
        while await reader.read(1024):
            pass
        closed.set()

    watcher = asyncio.create_task(watch_stdin())
    await closed.wait()
    watcher.cancel()
    await fake.stop()
    await runner.cleanup()


# --------------------------------------------------------------------------- the client side

class RemoteFake:
    """A fake Discord in a child process; has the attributes the harness reads (token, api_url,
    gateway_url), so `running_bot(tmp, remote, ...)` points the real bot at it."""

    def __init__(self, token: str | None = None, *, nice: int = 0) -> None:
        self.wanted_token = token  # None: TOKEN
        self.nice = nice  # e.g. -10: a higher priority than the bot's processes, where allowed
        self.process: subprocess.Popen | None = None
        self.token = self.api_url = self.gateway_url = self.control_url = ""
        self.pid = 0
        self._session: ClientSession | None = None

    async def start(self) -> "RemoteFake":
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        if self.wanted_token:
            env["PODIUM_FAKE_TOKEN"] = self.wanted_token
        if self.nice:
            env["PODIUM_FAKE_NICE"] = str(self.nice)
        self.process = subprocess.Popen([sys.executable, "-m", "tests.fake_discord.remote"], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = await asyncio.get_running_loop().run_in_executor(None, self.process.stdout.readline)
        if not line:
            raise RuntimeError("the fake Discord process did not start")
        info = json.loads(line)
        self.token, self.api_url, self.gateway_url = info["token"], info["api_url"], info["gateway_url"]
        self.control_url, self.pid = info["control_url"], info["pid"]
        self._session = ClientSession(timeout=ClientTimeout(total=600))
        return self

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self.process is not None:
            try:
                self.process.stdin.close()
                await asyncio.get_running_loop().run_in_executor(None, self.process.wait, 10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    async def __aenter__(self) -> "RemoteFake":
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    async def _call(self, method: str, path: str, payload=None):
        async with self._session.request(method, self.control_url + path, json=payload) as response:
            response.raise_for_status()
            return await response.json()

    async def setup(self, guilds: list[dict], global_limit: int | None = None) -> None:
        await self._call("POST", "/setup", {"guilds": guilds, "global_limit": global_limit})

    async def set_nonce_window(self, seconds: float) -> None:
        await self._call("POST", "/setup", {"nonce_window": seconds})

    async def set_global_limit(self, limit: int | None) -> None:
        await self._call("POST", "/setup", {"global_limit": limit})

    async def reset(self) -> None:
        await self._call("POST", "/reset")

    async def fanout(self) -> dict:
        return await self._call("GET", "/fanout")

    async def posted(self) -> list[tuple[int, dict]]:
        return [(channel_id, body) for channel_id, body in await self._call("GET", "/posted")]

    async def channel_alerts(self) -> dict[int, int]:
        return {int(k): v for k, v in (await self._call("GET", "/channel_alerts")).items()}

    async def interactions(self, **spec) -> dict:
        return await self._call("POST", "/interactions", spec)

    async def forget_interactions(self) -> None:
        await self._call("POST", "/forget_interactions")

    async def quiet(self) -> bool:
        """Wait until the fake has had no request for 0.3 s (the last follow-ups are in)."""
        return (await self._call("GET", "/quiet"))["quiet"]


if __name__ == "__main__":
    if os.environ.get("BENCH_PROFILE_FAKE"):  # where to dump a cProfile of the fake (an investigation aid)
        import cProfile

        cProfile.run("asyncio.run(serve_fake())", os.environ["BENCH_PROFILE_FAKE"])
    else:
        asyncio.run(serve_fake())
