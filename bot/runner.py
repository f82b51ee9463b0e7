"""`python -m bot` with no subcommand: run the Discord bot until stopped."""
from __future__ import annotations

import sys

NO_TOKEN = (
    "DISCORD_TOKEN is not set: put your bot's token in the environment or in a .env file "
    "(see config/.env.example). To see Podium without Discord, run `python -m bot preview` "
    "(tomorrow's programme alert) or `python -m bot medals`."
)


def run_bot(settings) -> int:
    if not settings.discord_token:
        print(f"error: {NO_TOKEN}", file=sys.stderr)
        return 2
    from bot.discord_io.client import run_client

    return run_client(settings)
