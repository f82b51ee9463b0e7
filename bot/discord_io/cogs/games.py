"""/medals, /programme and /results: answers from the loaded Games, in the channel's language
and zone."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.app_commands import locale_str as _T
from discord.ext import commands

from bot.core.games_choice import RESULTS, about_games
from bot.core.i18n import t
from bot.core.inputs import InvalidInput, parse_date
from bot.core.models import pick
from bot.core.medals import results_on
from bot.core.placings import nation_placings
from bot.core.programme import end_of_day, local_date, tomorrow
from bot.core.render import (medal_table_messages, nation_medals_messages, programme_messages, render_placings,
                             render_results)
from bot.discord_io.context import channel_context, games, private_language
from bot.discord_io.responding import answer
from bot.discord_io.transformers import GAMES_HELP, DateOption, GamesOption, NationOption, SportOption
from bot.services import ChannelContext

TABLE_LIMIT = 10


class FullTableButton(discord.ui.DynamicItem[discord.ui.Button],
                      template=r"podium:table:(?:(?P<games>[A-Za-z0-9_.-]{1,64}):)?(?P<day>\d{4}-\d{2}-\d{2}|now)"):
    """"Show all nations" under a cut medal table, of the Games the table is about (a button
    posted before Games were named in it shows the Games that answers by the clock); stateless,
    so it works after a restart."""

    def __init__(self, day: str, label: str = "Show all nations", games_id: str | None = None):
        custom_id = f"podium:table:{games_id}:{day}" if games_id else f"podium:table:{day}"
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id))
        self.day = day
        self.games_id = games_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["day"], games_id=match["games"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """The whole table, only for the member who asked: in their own language."""
        cog: GamesCog = interaction.client.get_cog("GamesCog")
        ctx = await cog.context(interaction)
        language = await private_language(cog.services, interaction)
        as_of_day = None if self.day == "now" else parse_date(self.day)
        as_of = end_of_day(as_of_day, ZoneInfo(ctx.timezone)) if as_of_day else cog.now()
        data = await cog.services.games.get(self.games_id) if self.games_id else None
        if data is None:
            data = await cog.services.games.choose(as_of, RESULTS)
        if data is None:
            raise InvalidInput("error.no_games")
        messages, _ = medal_table_messages(data, language, as_of, as_of_day, limit=None)
        await answer(interaction, about_games(messages, pick(data.games.name, language), language), ephemeral=True)


class GamesCog(commands.Cog):
    def __init__(self, bot):
        self.bot = bot
        self.services = bot.services

    def now(self) -> datetime:
        return self.services.clock.now()

    async def games(self, interaction: discord.Interaction):
        return await games(self.services, interaction)

    async def context(self, interaction: discord.Interaction) -> ChannelContext:
        return await channel_context(self.services, interaction)

    @app_commands.command(name=_T("medals"), description=_T("The medal table, or one nation's medals and medallists"))
    @app_commands.rename(country=_T("country"), date=_T("date"), games=_T("games"))
    @app_commands.describe(country=_T("Nation: IOC or ISO code or name, e.g. NED or Netherlands"), date=_T("Day as YYYY-MM-DD"),
                           games=GAMES_HELP)
    async def medals(self, interaction: discord.Interaction, country: NationOption | None = None, date: DateOption | None = None,
                     games: GamesOption | None = None) -> None:
        ctx = await self.context(interaction)
        data = await self.games(interaction)
        as_of = end_of_day(date, ZoneInfo(ctx.timezone)) if date else self.now()
        name = pick(data.games.name, ctx.language)
        if country is not None:
            await answer(interaction, about_games(nation_medals_messages(data, country.code, ctx.language, as_of, date), name, ctx.language))
            return
        messages, nations = medal_table_messages(data, ctx.language, as_of, date, limit=TABLE_LIMIT, focus=ctx.focus)
        view = None
        if nations > TABLE_LIMIT:
            view = discord.ui.View(timeout=None)
            view.add_item(FullTableButton(date.isoformat() if date else "now", t("button.show_all", ctx.language), data.games.id))
        await answer(interaction, about_games(messages, name, ctx.language), view=view)

    @app_commands.command(name=_T("programme"), description=_T("The programme of a day, as in the evening alert"))
    @app_commands.rename(date=_T("date"), sport=_T("sport"), games=_T("games"))
    @app_commands.describe(date=_T("Day as YYYY-MM-DD"), sport=_T("Only this sport"), games=GAMES_HELP)
    async def programme(self, interaction: discord.Interaction, date: DateOption | None = None, sport: SportOption | None = None,
                        games: GamesOption | None = None) -> None:
        ctx = await self.context(interaction)
        data = await self.games(interaction)
        zone = ZoneInfo(ctx.timezone)
        next_day = tomorrow(self.now(), zone)
        day = date or next_day
        title = "tomorrow" if day == next_day else "day"
        messages = programme_messages(data, day, zone, ctx.language, sport.id if sport else None, ctx.focus, title)
        await answer(interaction, about_games(messages, pick(data.games.name, ctx.language), ctx.language))

    @app_commands.command(name=_T("results"), description=_T("The medallists of a day, or every placing of one nation"))
    @app_commands.rename(date=_T("date"), sport=_T("sport"), country=_T("country"), games=_T("games"))
    @app_commands.describe(date=_T("Day as YYYY-MM-DD"), sport=_T("Only this sport"),
                           country=_T("Nation: IOC or ISO code or name, e.g. NED or Netherlands"), games=GAMES_HELP)
    async def results(self, interaction: discord.Interaction, date: DateOption | None = None, sport: SportOption | None = None,
                      country: NationOption | None = None, games: GamesOption | None = None) -> None:
        ctx = await self.context(interaction)
        data = await self.games(interaction)
        zone = ZoneInfo(ctx.timezone)
        now = self.now()
        day = date or local_date(now, zone)
        sport_id = sport.id if sport else None
        name = pick(data.games.name, ctx.language)
        if country is not None:
            # That nation's placings of the day, every one of them (not only medals), as of now.
            placings = [p for p in nation_placings(data, country.code, day, zone, now) if not sport_id or p.sport.id == sport_id]
            await answer(interaction, about_games(render_placings(placings, country, day, ctx.language), name, ctx.language))
            return
        decided = [r for r in results_on(data, day, zone, sport=sport_id) if r.decided_at <= now]
        await answer(interaction, about_games(render_results(decided, day, ctx.language, data.nations), name, ctx.language))


async def setup(bot) -> None:
    bot.add_dynamic_items(FullTableButton)
    await bot.add_cog(GamesCog(bot))
