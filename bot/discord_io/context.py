"""How to answer an interaction: the channel's language, zone and focus nation for what everyone
sees; the user's own language for what only they see. Each is read at most once per interaction
(kept in `interaction.extras`), however many options, checks and error paths ask for it."""
from __future__ import annotations

import discord

from bot.core.i18n import locale_language
from bot.core.inputs import InvalidInput
from bot.core.models import GamesData
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


async def games(services, interaction: discord.Interaction, *, required: bool = True) -> GamesData | None:
    """The loaded Games, the same for every option and the command of one interaction; with none
    loaded, a clear error (or None when not `required`)."""
    if interaction.extras.get(_GAMES) is None:
        interaction.extras[_GAMES] = await services.games.current()
    data = interaction.extras[_GAMES]
    if data is None and required:
        raise InvalidInput("error.no_games")
    return data
