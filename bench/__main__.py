"""`python -m bench`: run the benchmarks against the fake Discord on loopback and print a table.

    python -m bench                  everything, full sizes (the 10,000-channel paced run alone takes > 200 s)
    python -m bench --quick          small sizes, a minute or so
    python -m bench --only fanout    one of fanout, latency, import, memory (repeatable)

docs/performance.md keeps the latest figures and explains the method."""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time

CHOICES = ("fanout", "latency", "import", "memory")


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{os.cpu_count()} CPU(s), {model}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def status(ok: bool) -> str:
    return "ok" if ok else "MISSED"


async def bench_fanout(quick: bool, rows: list) -> None:
    from bench.fanout import compare, run_fanout

    sizes = (200,) if quick else (1_000, 10_000)
    for n in sizes:
        c = await compare(n)
        p = c.podium
        once = "" if p.every_channel_once else f"; NOT once per channel: {p.alerts_per_channel}"
        gated = n >= 10_000  # the goal is set at 10,000 channels
        rows.append((f"fan-out {n:,} channels, no limit: Podium, alert → delivery log complete",
                     f"{p.per_second:,.0f} msg/s; {p.cpu_per_1000:.2f} CPU s / 1,000 msg",
                     f"{p.messages:,} msg in {p.seconds:.2f} s (alert to first message {p.to_first:.2f} s, first to last "
                     f"{p.first_to_last:.2f} s, last to logged {p.seconds - p.to_first - p.first_to_last:.2f} s); "
                     f"fake {p.fake_cpu / max(p.messages, 1) * 1000:.2f} CPU s / 1,000{once}", "", "" if p.every_channel_once else "MISSED"))
        for run in (c.raw, c.minimal):
            failed = f"; {len(run.failures)} failed: {run.failures[:2]}" if run.failures else ""
            rows.append((f"fan-out {n:,} channels, baseline: {run.label}, {p.send_concurrency} in flight",
                         f"{run.per_second:,.0f} msg/s; {run.cpu_per_1000:.2f} CPU s / 1,000 msg",
                         f"{run.messages:,} msg in {run.seconds:.2f} s{failed}", "", "MISSED" if run.failures else ""))
        rows.append((f"fan-out {n:,} channels: Podium / raw aiohttp", f"{c.ratio(c.raw):.2f} ×",
                     f"minimal discord.py bot / raw: {c.minimal.per_second / c.raw.per_second:.2f} ×",
                     "≥ 0.8 × at 10,000", status(c.ratio(c.raw) >= 0.8) if gated else ""))
        rows.append((f"fan-out {n:,} channels: Podium / minimal discord.py bot", f"{c.ratio(c.minimal):.2f} ×", "", "", ""))
        if c.podium_stdlib_json is not None:
            j = c.podium_stdlib_json
            rows.append((f"fan-out {n:,} channels: Podium with orjson / with the json module",
                         f"{p.per_second / j.per_second:.2f} × msg/s; {j.cpu_per_1000 / p.cpu_per_1000:.2f} × less CPU",
                         f"json module: {j.per_second:,.0f} msg/s, {j.cpu_per_1000:.2f} CPU s / 1,000 msg", "", ""))
        for row in rows[-6:]:
            print(f"  {row}", file=sys.stderr, flush=True)
    for n in sizes:
        r = await run_fanout(n, limited=True)
        once = "" if r.every_channel_once else f"; NOT once per channel: {r.alerts_per_channel}"
        rows.append((f"fan-out {n:,} channels, fake limit 50/s, PODIUM_SEND_RATE={r.send_rate:g}",
                     f"{r.ratio:.3f} × floor; {r.status_429} × 429",
                     f"first to last message {r.first_to_last:.2f} s vs floor {r.floor:.2f} s; alert → log complete {r.seconds:.2f} s; "
                     f"{r.cpu_per_1000:.2f} CPU s / 1,000 msg{once}",
                     "≤ 1.03 × floor, no 429", status(r.ratio <= 1.03 and r.status_429 == 0 and r.every_channel_once)))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)


async def bench_latency(quick: bool, rows: list) -> None:
    from bench.latency import run_latency

    total = 200 if quick else 1000
    results = await run_latency(total=total, in_flight=50, paced_rate=50.0)
    for r in results:
        failed = f"; {r.failed} failed: {r.failures[:2]}" if r.failed else ""
        rows.append((f"command latency, {r.who}, {r.count:,} × {r.commands}, {r.label}",
                     f"p50 {r.p50 * 1000:.1f} ms, p99 {r.p99 * 1000:.1f} ms; {r.cpu_per_interaction * 1000:.2f} ms CPU / interaction",
                     f"{r.throughput:,.0f} interactions/s{failed}", "", "MISSED" if r.failed else ""))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    pick = {(r.who, r.commands, r.label): r for r in results}
    podium, minimal = pick.get(("Podium", "/medals NED", "50 in flight")), pick.get(("minimal bot", "/medals NED", "50 in flight"))
    if podium and minimal:
        cpu = podium.cpu_per_interaction / minimal.cpu_per_interaction
        p99 = podium.p99 / minimal.p99
        rows.append(("/medals NED, 50 in flight: Podium / minimal bot (constant answer), CPU per interaction", f"{cpu:.2f} ×",
                     f"{podium.cpu_per_interaction * 1000:.2f} vs {minimal.cpu_per_interaction * 1000:.2f} ms", "≤ 1.5 ×", status(cpu <= 1.5)))
        rows.append(("/medals NED, 50 in flight: Podium / minimal bot (constant answer), p99", f"{p99:.2f} ×",
                     f"{podium.p99 * 1000:.1f} vs {minimal.p99 * 1000:.1f} ms", "≤ 1.5 ×", status(p99 <= 1.5)))
        for row in rows[-2:]:
            print(f"  {row}", file=sys.stderr, flush=True)


async def bench_import(quick: bool, rows: list) -> None:
    from bench.import_speed import measure

    for label, value, detail in await measure():
        rows.append((label, value, detail, "", ""))


async def bench_memory(quick: bool, rows: list) -> None:
    from bench.memory import run_memory

    n = 1_000 if quick else 10_000
    r = await run_memory(n)
    once = "" if r.every_channel_once else "; NOT once per channel"
    rows.append((f"peak RSS of python -m bot, {n:,} subscriptions, after a fan-out",
                 f"{r.peak_rss_mb:.0f} MB", f"RSS now {r.rss_mb:.0f} MB; {r.messages:,} msg; {r.bot_cpu:.1f} CPU s in all{once}",
                 "≤ 150 MB", status(r.peak_rss_mb <= 150 and r.every_channel_once)))
    print(f"  {rows[-1]}", file=sys.stderr, flush=True)


def table(rows: list) -> str:
    header = ("benchmark", "result", "detail", "target", "")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


async def main_async(args) -> list:
    rows: list = []
    runners = {"fanout": bench_fanout, "latency": bench_latency, "import": bench_import, "memory": bench_memory}
    for name in args.only or CHOICES:
        started = time.monotonic()
        print(f"{name} ...", file=sys.stderr, flush=True)
        await runners[name](args.quick, rows)
        print(f"{name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Podium's benchmarks, against the fake Discord on loopback.")
    parser.add_argument("--quick", action="store_true", help="small sizes (about a minute); the full run takes ten minutes or more")
    parser.add_argument("--only", action="append", choices=CHOICES, help="run only this benchmark (may be given more than once)")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}", file=sys.stderr, flush=True)
    rows = asyncio.run(main_async(args))
    print(f"\nPodium benchmarks{' (--quick)' if args.quick else ''} on {machine()}\n")
    print(table(rows))
    return 0 if all(row[4] != "MISSED" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
