"""Autocomplete for nation, sport and time zone options. Suggestions are only suggestions:
the commands check what comes back."""
from __future__ import annotations

import discord
from discord import app_commands

from bot.core.inputs import suggest_timezones
from bot.core.models import pick
from bot.core.nations import suggest_nations
from bot.core.programme import suggest_sports

LIMIT = 25  # Discord shows at most 25 choices


def _language(interaction: discord.Interaction) -> str:
    return "nl" if str(interaction.locale).startswith("nl") else "en"


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=name[:100], value=value[:100])


async def nations(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    data = await interaction.client.services.games.current()
    if data is None:
        return []
    language = _language(interaction)
    found = suggest_nations(current[:100], data.nations.values(), limit=LIMIT, language=language)
    return [_choice(f"{pick(n.name, language)} ({n.code})", n.code) for n in found]


async def sports(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    data = await interaction.client.services.games.current()
    if data is None:
        return []
    language = _language(interaction)
    return [_choice(pick(s.name, language), s.id) for s in suggest_sports(current[:100], data.sports.values(), language, limit=LIMIT)]


async def timezones(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [_choice(zone.replace("_", " "), zone) for zone in suggest_timezones(current[:100], LIMIT)]
