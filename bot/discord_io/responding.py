"""Answering interactions: never twice, never pinging anyone, long answers split over messages."""
from __future__ import annotations

import discord

NO_MENTIONS = discord.AllowedMentions.none()


async def answer(interaction: discord.Interaction, messages: list[str], *, ephemeral: bool = False, view: discord.ui.View | None = None) -> None:
    """Send `messages`: the first as the interaction's response (or follow-up when already
    deferred or answered), the rest as follow-ups; `view` goes on the last one."""
    for index, text in enumerate(messages):
        extra = {"view": view} if view is not None and index == len(messages) - 1 else {}
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **extra)
        else:
            await interaction.followup.send(text, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **extra)
