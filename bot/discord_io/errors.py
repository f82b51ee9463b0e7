"""The one fallback for command errors: a short ephemeral sentence for the user, in their own
language, and a log line for anything unexpected."""
from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.core.i18n import t
from bot.core.inputs import InvalidInput
from bot.core.models import LANGUAGES
from bot.core.user_errors import user_message
from bot.discord_io.context import private_language
from bot.discord_io.responding import answer

log = logging.getLogger("podium.commands")


def explain(error: Exception, language: str) -> str | None:
    """The user-facing sentence for `error`, looking through discord.py's wrappers."""
    seen = error
    while isinstance(seen, (app_commands.CommandInvokeError, app_commands.TransformerError)) and seen.__cause__ is not None:
        seen = seen.__cause__
    message = user_message(seen, language)
    if message is not None:
        return message
    if isinstance(seen, app_commands.TransformerError):
        if seen.type is discord.AppCommandOptionType.string:  # a value outside the option's choices (language)
            return user_message(InvalidInput("error.bad_language", value=str(seen.value)[:20], choices=", ".join(LANGUAGES)), language)
        return t("error.bad_channel", language)
    if isinstance(seen, (app_commands.MissingPermissions, app_commands.CheckFailure)):
        return t("error.no_permission", language)
    if isinstance(seen, app_commands.NoPrivateMessage):
        return t("error.guild_only", language)
    return None


async def error_language(interaction: discord.Interaction) -> str:
    """The user's language; the channel's (read at most once per interaction) when Podium does not
    speak theirs; the bot's default when even that cannot be read (the database may be what failed)."""
    services = interaction.client.services
    try:
        return await private_language(services, interaction)
    except Exception:
        return services.settings.language


async def on_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    language = await error_language(interaction)
    message = explain(error, language)
    if message is None:
        command = interaction.command.name if interaction.command else "?"
        log.error("command /%s failed", command, exc_info=error)
        message = t("error.unexpected", language)
    try:
        await answer(interaction, [message], ephemeral=True)
    except discord.HTTPException as send_error:
        log.warning("could not tell the user about an error: %s", send_error)
