"""How to answer an interaction: the channel's language, zone and focus nation."""
from __future__ import annotations

import discord

from bot.services import ChannelContext


async def channel_context(services, interaction: discord.Interaction) -> ChannelContext:
    locale = str(interaction.guild_locale) if interaction.guild_locale else None
    return await services.channel_context(interaction.guild_id, interaction.channel_id, locale)
