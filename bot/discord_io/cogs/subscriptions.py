"""/subscribe, /unsubscribe and /subscriptions: which channels get the evening alert.

Only members who can manage the channel may change it; the bot checks it can post there first."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.app_commands import locale_str as _T
from discord.ext import commands

from bot.core.alert_times import next_alert
from bot.core.i18n import server_language, t
from bot.core.inputs import InvalidInput
from bot.core.models import Subscription, pick
from bot.core.text import split_message
from bot.discord_io.context import games, private_language
from bot.discord_io.responding import answer
from bot.discord_io.transformers import NationOption, SportOption, TimeOfDayOption, TimeZoneOption
from bot.store import subscriptions as store

LANGUAGE_CHOICES = [app_commands.Choice(name=_T("English"), value="en"), app_commands.Choice(name=_T("Dutch"), value="nl")]


def target_channel(interaction: discord.Interaction, channel) -> discord.abc.GuildChannel:
    """The channel to act on: the one given or this one, in this server, that the member may manage."""
    channel = channel or interaction.channel
    if channel is None or getattr(channel, "guild", None) is None or channel.guild.id != interaction.guild_id:
        raise InvalidInput("error.other_server")
    if not isinstance(channel, (discord.TextChannel, discord.Thread)) or isinstance(channel, discord.ForumChannel):
        raise InvalidInput("error.not_text_channel", channel=channel.mention)
    member = interaction.user
    if not isinstance(member, discord.Member) or not channel.permissions_for(member).manage_channels:
        raise InvalidInput("error.not_manager", channel=channel.mention)
    return channel


def check_bot_can_post(channel) -> None:
    mine = channel.permissions_for(channel.guild.me)
    missing = [name for name, allowed in (("View Channel", mine.view_channel), ("Send Messages", mine.send_messages)) if not allowed]
    if missing:
        raise InvalidInput("error.bot_cannot_post", channel=channel.mention, missing=", ".join(missing))


def describe(sub: Subscription, data, language: str, mention: str, sports: dict | None = None) -> str:
    """One channel's settings; `sports`: the sports of every Games (else those of `data`)."""
    sports = sports if sports is not None else data.sports if data else {}
    parts = [t("subscription.line", language, channel=mention, time=sub.alert_time.strftime("%H:%M"), timezone=sub.timezone,
               alert_language=t(f"language.{sub.language}", language))]
    if sub.sport_id and sub.sport_id in sports:
        parts.append(t("subscription.sport", language, sport=pick(sports[sub.sport_id].name, language)))
    if sub.nation_code and data and sub.nation_code in data.nations:
        parts.append(t("subscription.focus", language, nation=pick(data.nations[sub.nation_code].name, language)))
    if not sub.spoilers:
        parts.append(t("subscription.no_spoilers", language))
    if sub.full_programme:
        parts.append(t("subscription.full_programme", language))
    if sub.status == "paused":
        parts.append(t("subscription.paused", language, reason=sub.paused_reason or "?"))
    return " · ".join(parts)


class SubscriptionsCog(commands.Cog):
    def __init__(self, bot):
        self.bot = bot
        self.services = bot.services

    async def language(self, interaction: discord.Interaction) -> str:
        """Every answer of these commands is for the member alone: in their own language."""
        return await private_language(self.services, interaction)

    @app_commands.command(name=_T("subscribe"), description=_T("Put a channel on the evening alert with tomorrow's programme"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.rename(channel=_T("channel"), time=_T("time"), timezone=_T("timezone"), language=_T("language"), sport=_T("sport"),
                         country=_T("country"), spoilers=_T("spoilers"), full_programme=_T("full_programme"))
    @app_commands.describe(
        channel=_T("Text channel (default: this one)"), time=_T("Local time of the alert, HH:MM (default 20:00)"),
        timezone=_T("IANA time zone, e.g. Europe/Amsterdam"), language=_T("Language of the alert"), sport=_T("Only this sport"),
        country=_T("Focus nation: its sessions are marked, its medals reported"),
        spoilers=_T("Medal posts and results (default on); off for those who watch later"),
        full_programme=_T("Every session of the day, in as many messages as it takes (default off: at most three)"),
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def subscribe(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None, time: TimeOfDayOption | None = None,
        timezone: TimeZoneOption | None = None, language: app_commands.Choice[str] | None = None, sport: SportOption | None = None,
        country: NationOption | None = None, spoilers: bool | None = None, full_programme: bool | None = None,
    ) -> None:
        settings = self.services.settings
        target = target_channel(interaction, channel)
        existing = await store.get_subscription(self.services.db, target.id)
        if language is not None:
            chosen_language = language.value
        elif existing is not None:
            chosen_language = existing.language
        else:
            chosen_language = server_language(str(interaction.guild_locale or ""), settings.language)
        sub = Subscription(
            channel_id=target.id,
            guild_id=interaction.guild_id,
            alert_time=time if time is not None else (existing.alert_time if existing else settings.alert_time),
            timezone=timezone if timezone is not None else (existing.timezone if existing else settings.timezone),
            language=chosen_language,
            sport_id=sport.id if sport is not None else (existing.sport_id if existing else None),
            nation_code=country.code if country is not None else (existing.nation_code if existing else None),
            spoilers=spoilers if spoilers is not None else (existing.spoilers if existing else True),
            full_programme=full_programme if full_programme is not None else (existing.full_programme if existing else False),
        )
        check_bot_can_post(target)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.services.clock.now()
        created = await store.save_subscription(self.services.db, sub, interaction.user.id, now)
        await self.bot.subscriptions_changed(sub.channel_id)
        _, first = next_alert(now, sub.alert_time, ZoneInfo(sub.timezone))
        stamp = int(first.timestamp())
        reply_language = await self.language(interaction)
        lines = [
            t("subscribe.created" if created else "subscribe.updated", reply_language, channel=target.mention),
            describe(sub, await games(self.services, interaction, required=False), reply_language, target.mention,
                     await self.services.games.all_sports()),
            t("subscribe.first_alert", reply_language, when=f"<t:{stamp}:F>", relative=f"<t:{stamp}:R>"),
        ]
        await answer(interaction, ["\n".join(lines)], ephemeral=True)

    @app_commands.command(name=_T("unsubscribe"), description=_T("Take a channel off the evening alert"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.rename(channel=_T("channel"))
    @app_commands.describe(channel=_T("Text channel (default: this one)"))
    async def unsubscribe(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        language = await self.language(interaction)
        target = target_channel(interaction, channel)
        removed = await store.delete_subscription(self.services.db, target.id)
        if removed:
            await self.bot.subscriptions_changed(target.id)
        await answer(interaction, [t("unsubscribe.done" if removed else "unsubscribe.not_subscribed", language, channel=target.mention)], ephemeral=True)

    @app_commands.command(name=_T("subscriptions"), description=_T("This server's channels on the evening alert"))
    @app_commands.guild_only()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        language = await self.language(interaction)
        subs = await store.guild_subscriptions(self.services.db, interaction.guild_id)
        if not subs:
            await answer(interaction, [t("subscriptions.none", language)], ephemeral=True)
            return
        data = await games(self.services, interaction, required=False)
        lines = [t("subscriptions.title", language, count=len(subs))]
        sports = await self.services.games.all_sports()
        lines += [f"• {describe(sub, data, language, f'<#{sub.channel_id}>', sports)}" for sub in subs]
        await answer(interaction, split_message("\n".join(lines)), ephemeral=True)


async def setup(bot) -> None:
    await bot.add_cog(SubscriptionsCog(bot))
