"""How to answer an interaction: the channel's language, zone and focus nation for what everyone
sees; the user's own language for what only they see. Each is read at most once per interaction
(kept in `interaction.extras`), however many options, checks and error paths ask for it."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import discord

from bot.core.games_choice import RESULTS, SCHEDULE, choose_games, resolve_games
from bot.core.i18n import locale_language
from bot.core.inputs import InvalidInput, parse_date
from bot.core.models import GamesData, Sport
from bot.services import ChannelContext

_CONTEXT = "podium.channel_context"
_GAMES = "podium.games"


async def channel_context(services, interaction: discord.Interaction) -> ChannelContext:
    """The channel's language, zone and focus nation: for answers everyone in the channel sees."""
    if _CONTEXT not in interaction.extras:
        locale = str(interaction.guild_locale) if interaction.guild_locale else None
        interaction.extras[_CONTEXT] = await services.channel_context(interaction.guild_id, interaction.channel_id, locale)
    return interaction.extras[_CONTEXT]


async def private_language(services, interaction: discord.Interaction) -> str:
    """The language of an answer only this user sees (an error, a confirmation, suggestions): their
    Discord client's, when Podium speaks it; else the channel's."""
    return locale_language(interaction.locale) or (await channel_context(services, interaction)).language


# What each command asks about: the Games for its schedule or for its medals and results.
PURPOSES = {"medals": RESULTS, "results": RESULTS}
GAMES_COMMANDS = {"medals", "programme", "results", "calendar"}  # the others are not about one Games


async def command_sports(services, interaction: discord.Interaction) -> list[Sport]:
    """The sports an option may name: those of the interaction's Games for a command about one,
    else those of every Games (a subscription's sport filter outlives a Games)."""
    if interaction.command is not None and interaction.command.name not in GAMES_COMMANDS:
        return list((await services.games.all_sports()).values())
    return list((await games(services, interaction)).sports.values())


async def games(services, interaction: discord.Interaction, *, required: bool = True) -> GamesData | None:
    """The Games this interaction is about, the same for every option and the command: the one
    its `games` option names, else the one that answers by the clock (core/games_choice.py) at
    the end of the `date` option's day (for medals and results) or its start (for a schedule), or
    now. With none loaded, a clear error (or None when not `required`)."""
    if interaction.extras.get(_GAMES) is None:
        try:
            interaction.extras[_GAMES] = await _chosen_games(services, interaction)
        except InvalidInput:  # the `games` option names no loaded Games
            if required:
                raise
            return await _chosen_games(services, interaction, named=False)  # suggestions meanwhile
    data = interaction.extras[_GAMES]
    if data is None and required:
        raise InvalidInput("error.no_games")
    return data


async def _chosen_games(services, interaction: discord.Interaction, named: bool = True) -> GamesData | None:
    cache = services.games
    infos = await cache.index()
    if not infos:
        return None
    wanted = _option(interaction, "games") if named else None
    if wanted:
        language = await private_language(services, interaction)
        return await cache.get(resolve_games(wanted, infos, language).id)
    command = interaction.command.name if interaction.command else ""
    purpose = PURPOSES.get(command, SCHEDULE)
    when = services.clock.now()
    day = _day(_option(interaction, "date"))
    if day is not None:
        zone = ZoneInfo((await channel_context(services, interaction)).timezone)
        when = datetime.combine(day + timedelta(days=1) if purpose == RESULTS else day, time(0), zone)
        if purpose == RESULTS:
            when -= timedelta(microseconds=1)
    chosen = choose_games(infos, when, purpose)
    return await cache.get(chosen.id) if chosen else None


def _option(interaction: discord.Interaction, name: str) -> str | None:
    """An option's value as typed (read before any transformer runs, so every option agrees)."""
    value = getattr(interaction.namespace, name, None)
    return value if isinstance(value, str) and value.strip() else None


def _day(text: str | None):
    if text is None:
        return None
    try:
        return parse_date(text)
    except InvalidInput:
        return None  # the date option itself says what is wrong with it
