"""The offline subcommands of `python -m bot`: each prints to stdout and returns an exit code."""
from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core.calendar_export import build_calendar, calendar_name, remaining_sessions
from bot.core.evening_alert import compose_evening_alert
from bot.core.games_choice import RESULTS, SCHEDULE, choose_games, resolve_games
from bot.core.i18n import t
from bot.core.inputs import parse_date, parse_language, parse_timezone
from bot.core.medals import medal_table, nation_medals
from bot.core.models import GamesData, pick
from bot.core.nations import resolve_nation
from bot.core.programme import end_of_day, games_span, resolve_sport
from bot.core.render import render_medal_table, render_nation_medals, short_terms
from bot.data.dataset import load_dataset_file
from bot.data.formats import Overrides, read_games
from bot.data.importer import ensure_games_loaded, import_games
from bot.settings import parse_instant
from bot.store import games as games_store
from bot.store.database import Database
from bot.store.dialect import shown


class CommandError(Exception):
    """One clear sentence for the user; the command exits with status 2."""


@asynccontextmanager
async def opened(settings):
    """The database, with the shipped Games loaded on first use."""
    async with await Database.open(settings.database) as db:
        await ensure_games_loaded(db)
        yield db


async def chosen_games(db: Database, name: str | None, when: datetime, purpose: str = SCHEDULE) -> GamesData:
    """The Games `--games` names, else the one that answers at `when` (core/games_choice.py)."""
    infos = await games_store.games_index(db)
    if not infos:
        raise CommandError("no Games are loaded; import one with `python -m bot import FILE`.")
    chosen = resolve_games(name, infos) if name else choose_games(infos, when, purpose)
    return await games_store.load_games(db, chosen.id)


def print_about(data: GamesData, language: str) -> None:
    print(t("games.about", language, games=pick(data.games.name, language)).replace("**", ""))


def print_messages(messages: list[str]) -> None:
    for index, message in enumerate(messages):
        if index:
            print(f"\n──── message {index + 1} of {len(messages)} ────\n")
        print(message)


async def cmd_preview(settings, args) -> int:
    day = parse_date(args.date) if args.date else None
    when = datetime.combine(day, time(0), ZoneInfo(settings.timezone)) if day else Clock.from_settings(settings).now()
    async with opened(settings) as db:
        data = await chosen_games(db, args.games, when, SCHEDULE)
    return print_preview(data, settings, args)


def print_preview(data: GamesData, settings, args) -> int:
    """Print the evening alert of `data` (one Games) for the day and channel settings in `args`."""
    # A Games named with --games is shown in its host's zone unless --timezone says otherwise.
    zone = parse_timezone(args.timezone) if args.timezone else data.games.host_timezone if getattr(args, "games", None) else settings.timezone
    language = parse_language(args.language) if args.language else settings.language
    tz = ZoneInfo(zone)
    span = games_span(data, tz)
    if not args.date and span is None:
        raise CommandError("the loaded Games have no sessions; give a day with --date.")
    day = parse_date(args.date) if args.date else span[0]
    sport = resolve_sport(args.sport, data.sports.values()).id if args.sport else None
    focus = resolve_nation(args.country, data.nations.values()).code if args.country else None
    # The alert for `day` goes out on the evening before it, at the default alert time.
    sent_at = datetime.combine(day - timedelta(days=1), settings.alert_time, tz)
    messages = compose_evening_alert(data, day, tz, language, sport=sport, focus=focus, now=sent_at, full=args.full)
    if not messages:
        print(f"(no alert is sent for {day.isoformat()}: it is outside {pick(data.games.name, 'en')} or has no sessions)")
        return 0
    print_about(data, language)
    print_messages(messages)
    return 0


async def cmd_medals(settings, args) -> int:
    zone = parse_timezone(args.timezone) if args.timezone else settings.timezone
    language = parse_language(args.language) if args.language else settings.language
    as_of_day = parse_date(args.as_of) if args.as_of else None
    tz = ZoneInfo(zone)
    if as_of_day:
        as_of = end_of_day(as_of_day, tz)
    else:
        as_of = Clock.from_settings(settings).now()
    async with opened(settings) as db:
        data = await chosen_games(db, args.games, as_of - timedelta(microseconds=1), RESULTS)
    print_about(data, language)
    if args.nation:
        nation = resolve_nation(args.nation, data.nations.values())
        print_messages(render_nation_medals(nation_medals(data, nation.code, as_of), language, as_of=as_of_day))
    else:
        rows = medal_table(data, as_of, order="total" if args.by_total else "gold")
        print_messages(render_medal_table(rows, language, as_of=as_of_day, limit=None if args.all else 10, total_nations=len(rows)))
    return 0


async def cmd_calendar(settings, args) -> int:
    language = parse_language(args.language) if args.language else settings.language
    after = parse_instant("--after", args.after) if args.after else Clock.from_settings(settings).now()
    async with opened(settings) as db:
        data = await chosen_games(db, args.games, after, SCHEDULE)
    sport = resolve_sport(args.sport, data.sports.values()).id if args.sport else None
    nation = resolve_nation(args.country, data.nations.values()).code if args.country else None
    ics = build_calendar(data, after=after, sport=sport, nation=nation, language=language)
    count = len(remaining_sessions(data, after=after, sport=sport, nation=nation))
    output = args.output or Path(f"podium-{data.games.id}.ics")
    try:
        output.write_bytes(ics)
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror or error}") from None
    name = calendar_name(data, sport=sport, nation=nation, language=language)
    print(f"{output}: {count} session(s) of {name} starting at or after {after.isoformat(timespec='seconds')}.")
    return 0


async def cmd_games(settings, args) -> int:
    async with opened(settings) as db:
        summaries = await games_store.games_summaries(db)
        infos = await games_store.games_index(db)
        version = await db.schema_version()
    now = Clock.from_settings(settings).now()
    schedule, results = choose_games(infos, now, SCHEDULE), choose_games(infos, now, RESULTS)
    print(f"Database: {shown(settings.database)} (schema version {version})")
    if schedule is not None:
        print(f"Now ({now.isoformat(timespec='minutes')}): the programme and evening alert come from {schedule.id}, "
              f"medals and results from {results.id}.")
    for games in summaries:
        marker = "*" if schedule and games.id in (schedule.id, results.id) else " "
        print(
            f"{marker} {games.id}: {pick(games.name, settings.language)} — {games.events} events, {games.sessions} sessions, "
            f"{games.results} medallists; {games.first_start} to {games.last_end} (imported {games.imported_at})"
        )
        if games.notes:
            print(f"    {pick(games.notes, settings.language)}")
        for source in games.sources:
            print(f"    Source: {source.name} <{source.url}>; terms: {short_terms(source.terms)}")
    print("(* the Games that answer now; `--games` on a command, or `games` on Discord, picks another)")
    return 0


async def cmd_import(settings, args) -> int:
    imported = read_games(args.paths, Overrides(args.games_id, args.name, args.timezone))
    data = imported.data
    async with await Database.open(settings.database) as db:
        changes = await import_games(db, data, dry_run=args.dry_run)
    verb = "would change" if args.dry_run else "changed"
    where = ", ".join(map(str, args.paths))
    print(f"{where} ({imported.fmt}): {data.games.id} ({len(data.events)} events, {len(data.sessions)} sessions, {len(data.results)} medallists) is valid.")
    for heading, lines in (("Derived", imported.derived), ("Left out", imported.skipped), ("Warning", imported.warnings)):
        for line in lines:
            print(f"{heading}: {line}")
    print(f"{changes.count} row(s) {verb}:" if changes.count else f"Nothing {verb}: the database already holds this data set.")
    if changes.count:
        for line in changes.summary_lines():
            print(f"  {line}")
    if args.dry_run:
        print("Dry run: nothing was written.")
    return 0


async def cmd_serve_feed(settings, args) -> int:
    """Serve a past Games as a live feed until interrupted."""
    import asyncio

    from bot.data.dataset import SHIPPED_DIR
    from bot.feed.replay_server import REPLAYS, ReplayFeed
    from bot.settings import parse_instant, parse_speed

    start = parse_instant("--from", args.start) if args.start else settings.clock_start
    speed = parse_speed("--speed", args.speed) if args.speed else settings.clock_speed
    clock = Clock(start, speed)
    feed = ReplayFeed(load_dataset_file(SHIPPED_DIR / REPLAYS[args.replay]), clock)
    url = await feed.start(args.host, args.port)
    print(f"Serving {args.replay} as a live feed at {url} (clock {clock.now().isoformat(timespec='seconds')}, speed {clock.speed:g}).")
    print(f"Run the bot with PODIUM_FEED_URL={url} and the same clock. Ctrl-C stops.", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await feed.stop()
    return 0


async def cmd_migrate_store(settings, args) -> int:
    """Copy a SQLite database into PostgreSQL, in one transaction; a target holding rows is refused
    unless --replace."""
    from bot.store.copy import CopyRefused, copy_store
    from bot.store.dialect import is_postgres

    if not is_postgres(args.target):
        raise CommandError(f"--to must be a PostgreSQL URL (postgresql://user@host:5432/name), not {shown(args.target)}")
    if not args.source.is_file():
        raise CommandError(f"--from {args.source}: no such SQLite file")
    async with await Database.open(args.target) as target, await Database.open(args.source) as source:
        try:
            copied = await copy_store(source, target, replace=args.replace)
        except CopyRefused as refused:
            raise CommandError(str(refused)) from None
    print(f"Copied {args.source} into {shown(args.target)} in one transaction: {copied.total:,} row(s).")
    for name, count in copied.rows.items():
        print(f"  {name}: {count:,}")
    if copied.replaced:
        print(f"Replaced {copied.replaced:,} row(s) the target held before.")
    print("Not copied: leases (each process takes its own). Set PODIUM_DATABASE to the URL to run on it.")
    return 0


async def replay_start(settings, name: str, start: datetime | None) -> datetime:
    """`replay --games G [--from T]`: T, checked to be a moment when G answers (by default one
    minute before the alert time on the eve of G's first day, in PODIUM_TIMEZONE)."""
    async with opened(settings) as db:
        infos = await games_store.games_index(db)
    wanted = resolve_games(name, infos)
    if wanted.first_start is None:
        raise CommandError(f"{wanted.id} has no sessions to replay.")
    tz = settings.zone
    if start is None:
        eve = wanted.first_start.astimezone(tz).date() - timedelta(days=1)
        start = datetime.combine(eve, settings.alert_time, tz) - timedelta(minutes=1)
    serving = choose_games(infos, start, SCHEDULE)
    if serving.id != wanted.id:
        raise CommandError(f"at {start.isoformat()} the bot serves {serving.id}, not {wanted.id}; "
                           f"give a --from within {wanted.id} or just before it (it runs "
                           f"{wanted.first_start.isoformat()} to {wanted.last_end.isoformat()}).")
    return start
