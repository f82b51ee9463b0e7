"""What users type into command options, turned into values once, at the edge: nation, sport,
date, time zone, time of day and Games. Each is a discord.py Transformer with its autocomplete beside
it; the parsing itself is core's (`core/inputs.py`, `core/nations.py`, `core/programme.py`).

Suggestions are only suggestions: whatever arrives is parsed again. A bad value raises core's
own error (InvalidInput, UnknownNation, UnknownSport); discord.py wraps it in a TransformerError
and the one error handler (`errors.py`) tells the user what was wrong and what would be right.

Use them as `country: NationOption | None = None`; the option stays a plain string for Discord."""
from __future__ import annotations

from datetime import date, time

import discord
from discord import app_commands
from discord.app_commands import locale_str as _T

from bot.core.games_choice import suggest_games
from bot.core.inputs import parse_date, parse_time_of_day, parse_timezone, suggest_timezones
from bot.core.models import GamesData, Nation, Sport, pick
from bot.core.nations import resolve_nation_in, suggest_nations
from bot.core.programme import resolve_sport, suggest_sports
from bot.discord_io.context import command_sports, games, private_language

LIMIT = 25  # Discord shows at most 25 choices
Choices = list[app_commands.Choice[str]]


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=name[:100], value=value[:100])


def _services(interaction: discord.Interaction):
    return interaction.client.services


class NationTransformer(app_commands.Transformer):
    """An IOC or ISO code, or a name in English or Dutch."""

    async def transform(self, interaction: discord.Interaction, value: str) -> Nation:
        data = await games(_services(interaction), interaction)
        return resolve_nation_in(data, value)

    async def autocomplete(self, interaction: discord.Interaction, value: str) -> Choices:
        services = _services(interaction)
        data = await games(services, interaction, required=False)
        if data is None:
            return []
        language = await private_language(services, interaction)
        found = suggest_nations(str(value)[:100], data.nations.values(), limit=LIMIT, language=language)
        return [_choice(f"{pick(n.name, language)} ({n.code})", n.code) for n in found]


class SportTransformer(app_commands.Transformer):
    """A sport's code or its name in English or Dutch."""

    async def transform(self, interaction: discord.Interaction, value: str) -> Sport:
        return resolve_sport(value, await command_sports(_services(interaction), interaction))

    async def autocomplete(self, interaction: discord.Interaction, value: str) -> Choices:
        services = _services(interaction)
        data = await games(services, interaction, required=False)
        if data is None:
            return []
        language = await private_language(services, interaction)
        found = suggest_sports(str(value)[:100], await command_sports(services, interaction), language, limit=LIMIT)
        return [_choice(pick(s.name, language), s.id) for s in found]


class GamesTransformer(app_commands.Transformer):
    """A loaded Games by id or name, whole or in part: 'Milano Cortina 2026', '2026', 'beijing',
    'milano-cortina-2026'. Every option and the command then use that Games (context.games)."""

    async def transform(self, interaction: discord.Interaction, value: str) -> GamesData:
        return await games(_services(interaction), interaction)  # resolves this option's value

    async def autocomplete(self, interaction: discord.Interaction, value: str) -> Choices:
        services = _services(interaction)
        language = await private_language(services, interaction)
        found = suggest_games(str(value)[:100], await services.games.index(), limit=LIMIT)
        return [_choice(pick(g.name, language), g.id) for g in found]


class DateTransformer(app_commands.Transformer):
    """YYYY-MM-DD."""

    async def transform(self, interaction: discord.Interaction, value: str) -> date:
        return parse_date(value)


class TimeOfDayTransformer(app_commands.Transformer):
    """HH:MM in 24-hour time."""

    async def transform(self, interaction: discord.Interaction, value: str) -> time:
        return parse_time_of_day(value)


class TimeZoneTransformer(app_commands.Transformer):
    """An IANA zone name, any case, spaces for underscores: the IANA name."""

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return parse_timezone(value)

    async def autocomplete(self, interaction: discord.Interaction, value: str) -> Choices:
        return [_choice(zone.replace("_", " "), zone) for zone in suggest_timezones(str(value)[:100], LIMIT)]


# the annotations the commands use
NationOption = app_commands.Transform[Nation, NationTransformer]
SportOption = app_commands.Transform[Sport, SportTransformer]
GamesOption = app_commands.Transform[GamesData, GamesTransformer]
GAMES_HELP = _T("Which Games, e.g. Milano Cortina 2026 or 2026 (default: the one running, next or last)")
DateOption = app_commands.Transform[date, DateTransformer]
TimeOfDayOption = app_commands.Transform[time, TimeOfDayTransformer]
TimeZoneOption = app_commands.Transform[str, TimeZoneTransformer]
