"""`python -m bench`: run the benchmarks against the fake Discord on loopback and print a table.

    python -m bench                  everything, full sizes (1,000 and 10,000 channels, three rounds each: 15 minutes or so)
    python -m bench --quick          small sizes, a minute or so
    python -m bench --only fanout    one of fanout, latency, import, memory, scale (repeatable)
    python -m bench --only scale     3 processes × 4 shards, 10,000 channels, one global limit (8 minutes or so;
                                     not part of a plain `python -m bench`)
    python -m bench --rounds 5       rounds of the fan-out comparison (medians are reported)

docs/performance.md keeps the latest figures and explains the method."""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time

CHOICES = ("fanout", "latency", "import", "memory", "scale")
DEFAULT = ("fanout", "latency", "import", "memory")  # scale takes minutes and needs Redis: asked for by name


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    except OSError:
        pass
    return f"{os.cpu_count()} CPU(s), {model}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def load() -> str:
    """The load averages over 1, 5 and 15 minutes: how much else the machine was doing."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load {one:.1f} / {five:.1f} / {fifteen:.1f}"


def status(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def spread(values) -> str:
    return " / ".join(f"{v:,.0f}" if v >= 100 else f"{v:.2f}" for v in values)


async def bench_fanout(args, rows: list) -> None:
    from bench.fanout import compare, run_fanout

    sizes = (200,) if args.quick else (1_000, 10_000)
    rounds = args.rounds or (1 if args.quick else 3)
    for n in sizes:
        c = await compare(n, rounds=rounds)
        first = c.rounds[0].podium
        once = "" if c.every_channel_once else "; NOT once per channel"
        each = f"{len(c.rounds)} round(s), median; each round"
        rows.append((f"fan-out {n:,} channels, no limit: Podium, alert → delivery log complete",
                     f"{c.median(lambda r: r.podium.per_second):,.0f} msg/s; {c.median(lambda r: r.podium.cpu_per_1000):.2f} CPU s / 1,000 msg",
                     f"{each}: {spread(r.podium.per_second for r in c.rounds)} msg/s; alert to first message "
                     f"{spread(r.podium.to_first for r in c.rounds)} s, first to last {spread(r.podium.first_to_last for r in c.rounds)} s, "
                     f"last to logged {spread(r.podium.seconds - r.podium.to_first - r.podium.first_to_last for r in c.rounds)} s; "
                     f"fake {c.median(lambda r: r.podium.fake_cpu / max(r.podium.messages, 1) * 1000):.2f} CPU s / 1,000{once}",
                     "", "" if c.every_channel_once else "MISSED"))
        for name in ("raw", "minimal"):
            runs = [getattr(r, name) for r in c.rounds]
            failed = sum(len(run.failures) for run in runs)
            rows.append((f"fan-out {n:,} channels, baseline: {runs[0].label}, {first.send_concurrency} in flight",
                         f"{c.median(lambda r: getattr(r, name).per_second):,.0f} msg/s; "
                         f"{c.median(lambda r: getattr(r, name).cpu_per_1000):.2f} CPU s / 1,000 msg",
                         f"{each}: {spread(run.per_second for run in runs)} msg/s" + (f"; {failed} failed: {runs[0].failures[:2]}" if failed else ""),
                         "", "MISSED" if failed else ""))
        raw = c.ratio("raw")
        rows.append((f"fan-out {n:,} channels: Podium / raw aiohttp, messages per second", f"{raw:.2f} ×",
                     f"each round {spread(r.podium.per_second / r.raw.per_second for r in c.rounds)}; "
                     f"minimal discord.py bot / raw {c.median(lambda r: r.minimal.per_second / r.raw.per_second):.2f} ×",
                     "≥ 0.8 × at 10,000", status(raw >= 0.8) if n >= 10_000 else ""))
        rows.append((f"fan-out {n:,} channels: Podium / minimal discord.py bot, messages per second", f"{c.ratio('minimal'):.2f} ×",
                     f"each round {spread(r.podium.per_second / r.minimal.per_second for r in c.rounds)}; CPU per message "
                     f"{c.median(lambda r: r.podium.cpu_per_1000 / r.minimal.cpu_per_1000):.2f} × the minimal bot's, "
                     f"{c.median(lambda r: r.podium.cpu_per_1000 / r.raw.cpu_per_1000):.2f} × raw's", "", ""))
        if c.rounds[0].podium_stdlib_json is not None:
            rows.append((f"fan-out {n:,} channels: Podium with orjson / with the json module",
                         f"{c.median(lambda r: r.podium.per_second / r.podium_stdlib_json.per_second):.2f} × msg/s; "
                         f"{c.median(lambda r: r.podium.cpu_per_1000 / r.podium_stdlib_json.cpu_per_1000):.2f} × the CPU per message",
                         f"json module: {c.median(lambda r: r.podium_stdlib_json.per_second):,.0f} msg/s, "
                         f"{c.median(lambda r: r.podium_stdlib_json.cpu_per_1000):.2f} CPU s / 1,000 msg", "", ""))
        for row in rows[-6:]:
            print(f"  {row}", file=sys.stderr, flush=True)
    for n in ((200,) if args.quick else (1_000,)):
        r = await run_fanout(n, limited=True)
        once = "" if r.every_channel_once else f"; NOT once per channel: {r.alerts_per_channel}"
        rows.append((f"fan-out {n:,} channels, fake limit 50/s, PODIUM_SEND_RATE={r.send_rate:g}",
                     f"{r.ratio:.3f} × floor; {r.status_429} × 429",
                     f"first to last message {r.first_to_last:.2f} s vs floor {r.floor:.2f} s; alert → log complete {r.seconds:.2f} s; "
                     f"{r.cpu_per_1000:.2f} CPU s / 1,000 msg{once}",
                     "≤ 1.03 × floor, no 429", status(r.ratio <= 1.03 and r.status_429 == 0 and r.every_channel_once)))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)


async def bench_latency(args, rows: list) -> None:
    import statistics

    from bench.latency import run_latency

    total = 200 if args.quick else 1000
    rounds = await run_latency(total=total, in_flight=50, paced_rate=50.0, rounds=args.rounds or (1 if args.quick else 3))
    by_kind: dict[tuple, list] = {}
    for one in rounds:
        for r in one:
            by_kind.setdefault((r.who, r.commands, r.label), []).append(r)
    for (who, commands, label), runs in by_kind.items():
        failed = sum(r.failed for r in runs)
        med = lambda figure: statistics.median(figure(r) for r in runs)  # noqa: E731
        rows.append((f"command latency, {who}, {runs[0].count:,} × {commands}, {label}",
                     f"p50 {med(lambda r: r.p50) * 1000:.1f} ms, p99 {med(lambda r: r.p99) * 1000:.1f} ms; "
                     f"{med(lambda r: r.cpu_per_interaction) * 1000:.2f} ms CPU / interaction",
                     f"{len(runs)} round(s), median; each round p99 {spread(r.p99 * 1000 for r in runs)} ms, "
                     f"{spread(r.throughput for r in runs)} interactions/s"
                     + (f"; {failed} failed: {runs[0].failures[:2]}" if failed else ""), "", "MISSED" if failed else ""))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    pairs = []
    for one in rounds:
        pick = {(r.who, r.commands, r.label): r for r in one}
        podium, minimal = pick.get(("Podium", "/medals NED", "50 in flight")), pick.get(("minimal bot", "/medals NED", "50 in flight"))
        if podium and minimal:
            pairs.append((podium.cpu_per_interaction / minimal.cpu_per_interaction, podium.p99 / minimal.p99, podium, minimal))
    if pairs:
        cpu, p99 = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
        rows.append(("/medals NED, 50 in flight: Podium / minimal bot (constant answer), CPU per interaction", f"{cpu:.2f} ×",
                     f"each round {spread(p[0] for p in pairs)}", "≤ 1.5 ×", status(cpu <= 1.5)))
        rows.append(("/medals NED, 50 in flight: Podium / minimal bot (constant answer), p99", f"{p99:.2f} ×",
                     f"each round {spread(p[1] for p in pairs)}", "≤ 1.5 ×", status(p99 <= 1.5)))
        for row in rows[-2:]:
            print(f"  {row}", file=sys.stderr, flush=True)


async def bench_import(args, rows: list) -> None:
    from bench.import_speed import measure

    for label, value, detail in await measure():
        rows.append((label, value, detail, "", ""))


async def bench_memory(args, rows: list) -> None:
    from bench.memory import run_memory

    n = 1_000 if args.quick else 10_000
    r = await run_memory(n)
    once = "" if r.every_channel_once else "; NOT once per channel"
    rows.append((f"peak RSS of python -m bot, {n:,} subscriptions, after a fan-out",
                 f"{r.peak_rss_mb:.0f} MB", f"RSS now {r.rss_mb:.0f} MB; {r.messages:,} msg; {r.bot_cpu:.1f} CPU s in all{once}",
                 "≤ 150 MB", status(r.peak_rss_mb <= 150 and r.every_channel_once)))
    print(f"  {rows[-1]}", file=sys.stderr, flush=True)


async def bench_scale(args, rows: list) -> None:
    from bench.scale import measure_limiters, run_scale

    for r in await measure_limiters():
        rows.append((f"shared limit: one slot reservation, 3 clients back to back, {r['engine']}",
                     f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms", f"{r['per_second']:,.0f} reservations/s", "", ""))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    size = dict(channels=300, guilds=30, shard_count=6) if args.quick else dict(channels=10_000, guilds=500, shard_count=12)
    for kill_one in (False, True):
        r = await run_scale(**size, processes=3, kill_one=kill_one)
        once = "every channel exactly once" if r.every_channel_once else f"NOT once per channel: {r.alerts_per_channel}, {r.channels_with_messages} with messages"
        killed = f"; killed {r.killed}, its restart held its leases {r.restart_to_lease:.1f} s later" if r.killed else ""
        rows.append((f"scale: {r.processes} processes × {r.shard_count // r.processes} shards, {r.channels:,} channels in {r.guilds} guilds, "
                     f"fake limit 50/s for the token{', one process killed -9 mid-fan-out' if kill_one else ''}",
                     f"{r.ratio:.3f} × floor; {r.status_429} × 429",
                     f"first to last message {r.first_to_last:.1f} s vs floor {r.floor:.0f} s; alert instant to log complete "
                     f"{r.start_to_logged:.1f} s; {r.messages:,} messages ({r.posts:,} posts accepted); {once}{killed}; load {r.load_before} → {r.load_after}"
                     + (f"; 429s (s after the first post): {', '.join(f'{m} {p} {at}' for m, p, at in r.limited[:5])}" if r.limited else ""),
                     "≤ 1.03 × floor, no 429, once each",
                     status((r.ratio <= 1.03 or args.quick) and r.status_429 == 0 and r.every_channel_once)))
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)


def table(rows: list) -> str:
    header = ("benchmark", "result", "detail", "target", "")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


async def main_async(args) -> list:
    rows: list = []
    runners = {"fanout": bench_fanout, "latency": bench_latency, "import": bench_import, "memory": bench_memory,
               "scale": bench_scale}
    for name in args.only or DEFAULT:
        started = time.monotonic()
        print(f"{name} ...", file=sys.stderr, flush=True)
        await runners[name](args, rows)
        print(f"{name}: {time.monotonic() - started:.0f} s; {load()}", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Podium's benchmarks, against the fake Discord on loopback.")
    parser.add_argument("--quick", action="store_true", help="small sizes (about a minute); the full run takes ten minutes or more")
    parser.add_argument("--only", action="append", choices=CHOICES, help="run only this benchmark (may be given more than once)")
    parser.add_argument("--rounds", type=int, help="rounds of the fan-out and latency comparisons (default 1 with --quick, else 3); "
                                                     "figures are medians")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}; {load()}", file=sys.stderr, flush=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = load()
    rows = asyncio.run(main_async(args))
    print(f"\nPodium benchmarks{' (--quick)' if args.quick else ''} on {machine()}")
    print(f"from {started} to {time.strftime('%H:%M UTC', time.gmtime())}; {load_before} at the start, {load()} at the end "
          "(the machine's other work shares its CPUs)\n")
    print(table(rows))
    return 0 if all(row[4] != "MISSED" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
