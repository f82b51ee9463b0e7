"""Podium's command line: `python -m bot` runs the bot; subcommands work offline.

    python -m bot                      run the Discord bot (needs DISCORD_TOKEN)
    python -m bot replay --from T      run it on a simulated clock starting at T (see --speed)
    python -m bot preview [...]        print an evening alert as a channel would receive it
    python -m bot medals [NATION]      the medal table, or one nation's medals
    python -m bot calendar [...]       write the remaining sessions as an iCalendar (.ics) file
    python -m bot games                what is loaded
    python -m bot serve-feed           serve a shipped Games as a live feed on a simulated clock
    python -m bot import PATH...       import a Games: JSON, ODF schedule XML or CSV (checked first, one transaction)
    python -m bot migrate-store --from FILE --to URL   copy a SQLite database into PostgreSQL (one transaction)
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from bot.core.inputs import InvalidInput
from bot.core.nations import UnknownNation
from bot.core.programme import UnknownSport
from bot.core.user_errors import user_message
from bot import cli_commands
from bot.cli_commands import CommandError
from bot.data.dataset import DatasetError
from bot.feed.replay_server import REPLAYS
from bot.settings import SettingsError, load_settings, parse_instant, parse_speed
from bot.store.database import DatabaseError


GAMES_HELP = "which Games: its id or name, whole or in part, e.g. 2026, paris, milano-cortina-2026 (default: by the clock)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Podium, the Olympic evening-alert bot for Discord.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="run the Discord bot (the default; needs DISCORD_TOKEN)")

    replay = sub.add_parser("replay", help="run the bot on a simulated clock, to watch a past Games live")
    replay.add_argument("--from", dest="start", help="the simulated start, e.g. 2022-02-14T19:59:00+01:00 "
                        "(with --games, by default one minute before the alert on the eve of its first day)")
    replay.add_argument("--games", help=GAMES_HELP)
    replay.add_argument("--speed", default="1", help="simulated seconds per real second (default 1), e.g. 60")

    preview = sub.add_parser("preview", help="print the evening alert for a day, exactly as a channel receives it")
    preview.add_argument("--date", help="the day of the programme, YYYY-MM-DD (default: the first day of the Games)")
    preview.add_argument("--timezone", help="IANA time zone (default: PODIUM_TIMEZONE; with --games, the host's)")
    preview.add_argument("--language", help="en or nl (default: PODIUM_LANGUAGE)")
    preview.add_argument("--sport", help="only this sport (code or name)")
    preview.add_argument("--country", help="this nation's placings and sessions first")
    preview.add_argument("--full", action="store_true", help="the full programme: every session, in as many messages as it takes")
    preview.add_argument("--games", help=GAMES_HELP)

    medals = sub.add_parser("medals", help="the medal table, or one nation's medals and medallists")
    medals.add_argument("nation", nargs="?", help="IOC or ISO code or name, e.g. NED, NL, Netherlands, Nederland")
    medals.add_argument("--as-of", dest="as_of", help="count medals decided by the end of this day, YYYY-MM-DD")
    medals.add_argument("--timezone", help="the zone in which --as-of is a day (default: PODIUM_TIMEZONE)")
    medals.add_argument("--language", help="en or nl (default: PODIUM_LANGUAGE)")
    medals.add_argument("--by-total", action="store_true", help="order by total medals instead of gold first")
    medals.add_argument("--all", action="store_true", help="every nation, not only the top 10")
    medals.add_argument("--games", help=GAMES_HELP)

    calendar = sub.add_parser("calendar", help="write the sessions still to come as an iCalendar (.ics) file")
    calendar.add_argument("--sport", help="only this sport (code or name)")
    calendar.add_argument("--country", help="only sessions this nation takes part in (IOC or ISO code or name)")
    calendar.add_argument("--after", help="sessions starting at or after this instant, e.g. 2022-02-15T00:00:00+01:00 (default: now, or PODIUM_CLOCK)")
    calendar.add_argument("--language", help="en or nl (default: PODIUM_LANGUAGE)")
    calendar.add_argument("--output", type=Path, help="the file to write (default: podium-<games id>.ics in this folder)")
    calendar.add_argument("--games", help=GAMES_HELP)

    sub.add_parser("games", help="what is loaded: every Games, its counts and sources, and which one answers now")

    feed = sub.add_parser("serve-feed", help="serve a past Games as a live feed that reveals results as (simulated) time passes")
    feed.add_argument("--replay", default="beijing-2022", choices=sorted(REPLAYS), help="which Games (default beijing-2022)")
    feed.add_argument("--host", default="127.0.0.1")
    feed.add_argument("--port", type=int, default=8765)
    feed.add_argument("--from", dest="start", help="simulated start, e.g. 2022-02-15T09:30:00+01:00 (default: PODIUM_CLOCK or now)")
    feed.add_argument("--speed", default=None, help="simulated seconds per real second (default: PODIUM_CLOCK_SPEED or 1)")

    importer = sub.add_parser("import", help="import a Games: a Podium JSON data set, ODF DT_SCHEDULE messages, or the CSV files of a data set (see docs/data-format.md)")
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                          help="a file, several files of one format (ODF messages of several disciplines, CSV files), or a folder of them")
    importer.add_argument("--dry-run", action="store_true", help="check the files and print what would change; write nothing")
    importer.add_argument("--games-id", help="the Games' id (default: the file's, or derived for ODF and CSV)")
    importer.add_argument("--name", help="the Games' English name (default: the file's, or derived)")
    importer.add_argument("--timezone", help="the host's IANA time zone (default: the file's, or derived from the times)")

    migrate = sub.add_parser("migrate-store", help="copy a SQLite database (Games, subscriptions, delivery log and its per-part claims, live posts) into PostgreSQL")
    migrate.add_argument("--from", dest="source", required=True, type=Path, metavar="FILE", help="the SQLite file, e.g. var/podium.sqlite3")
    migrate.add_argument("--to", dest="target", required=True, metavar="URL", help="the PostgreSQL database, postgresql://user@host:5432/name")
    migrate.add_argument("--replace", action="store_true", help="delete what the target holds first (in the same transaction)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        command = args.command or "run"
        if command in ("run", "replay"):
            from bot.app import run_bot

            if command == "replay":
                if args.start is None and args.games is None:
                    raise CommandError("replay needs --from (the simulated start) or --games (to start on the eve of that Games).")
                start = parse_instant("--from", args.start) if args.start else None
                if args.games:
                    start = asyncio.run(cli_commands.replay_start(settings, args.games, start))
                settings = replace(settings, clock_start=start, clock_speed=parse_speed("--speed", args.speed))
            return run_bot(settings)
        handler = getattr(cli_commands, f"cmd_{command.replace('-', '_')}")
        return asyncio.run(handler(settings, args))
    except DatasetError as error:
        print(f"{error.source}: {len(error.problems)} problem(s); nothing was imported:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except (InvalidInput, UnknownNation, UnknownSport) as error:
        print(f"error: {user_message(error, 'en')}", file=sys.stderr)
        return 2
    except (SettingsError, DatabaseError, CommandError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: one line for the operator, the traceback only when asked for
        print(f"error: unexpected {error.__class__.__name__}: {str(error)[:300]} (a bug in Podium; "
              "run again with PODIUM_LOG_LEVEL=DEBUG to see where, and report it)", file=sys.stderr)
        if os.environ.get("PODIUM_LOG_LEVEL", "").strip().upper() == "DEBUG":
            traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
