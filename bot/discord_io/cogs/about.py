"""/about: what Podium is, the Games it knows and the sources of their facts with their terms."""
from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _T
from discord.ext import commands

from bot.core.render import render_about
from bot.discord_io.context import channel_context
from bot.discord_io.responding import answer


class AboutCog(commands.Cog):
    def __init__(self, bot):
        self.bot = bot
        self.services = bot.services

    @app_commands.command(name=_T("about"), description=_T("What Podium knows and where its facts come from"))
    async def about(self, interaction: discord.Interaction) -> None:
        ctx = await channel_context(self.services, interaction)
        await answer(interaction, render_about(await self.services.games.summaries(), ctx.language))


async def setup(bot) -> None:
    await bot.add_cog(AboutCog(bot))
