"""/calendar: the sessions still to come as an iCalendar (.ics) file, to import into a calendar app."""
from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.app_commands import locale_str as _T
from discord.ext import commands

from bot.core.calendar_export import build_calendar, remaining_sessions
from bot.core.i18n import t
from bot.core.models import pick
from bot.discord_io.context import channel_context, games as chosen_games
from bot.discord_io.responding import NO_MENTIONS
from bot.discord_io.transformers import GAMES_HELP, GamesOption, NationOption, SportOption
from bot.services import ChannelContext


def calendar_sentence(count: int, games: str, filters: list[str], language: str) -> str:
    key = "calendar.ready.none" if count == 0 else "calendar.ready.one" if count == 1 else "calendar.ready.many"
    return t(key, language, count=count, games=games, filter=f" ({', '.join(filters)})" if filters else "")


class CalendarCog(commands.Cog):
    def __init__(self, bot):
        self.bot = bot
        self.services = bot.services

    async def context(self, interaction: discord.Interaction) -> ChannelContext:
        return await channel_context(self.services, interaction)

    @app_commands.command(name=_T("calendar"), description=_T("The sessions still to come as a calendar file (.ics)"))
    @app_commands.rename(sport=_T("sport"), country=_T("country"), games=_T("games"))
    @app_commands.describe(sport=_T("Only this sport"), country=_T("Only the sessions this nation takes part in"), games=GAMES_HELP)
    async def calendar(self, interaction: discord.Interaction, sport: SportOption | None = None, country: NationOption | None = None,
                       games: GamesOption | None = None) -> None:
        ctx = await self.context(interaction)
        data = await chosen_games(self.services, interaction)
        sport_id = sport.id if sport else None
        nation = country.code if country else None
        after = self.services.clock.now()
        ics = build_calendar(data, after=after, sport=sport_id, nation=nation, language=ctx.language)
        count = len(remaining_sessions(data, after=after, sport=sport_id, nation=nation))
        filters = [pick(chosen.name, ctx.language) for chosen in (sport, country) if chosen is not None]
        text = calendar_sentence(count, pick(data.games.name, ctx.language), filters, ctx.language)
        file = discord.File(io.BytesIO(ics), filename=f"podium-{data.games.id}.ics")
        await interaction.response.send_message(text, file=file, allowed_mentions=NO_MENTIONS)


async def setup(bot) -> None:
    await bot.add_cog(CalendarCog(bot))
