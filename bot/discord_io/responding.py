"""Answering interactions: never twice, never pinging anyone, long answers split over messages."""
from __future__ import annotations

import discord

NO_MENTIONS = discord.AllowedMentions.none()
_EDITED = "podium.edited_original"  # interaction.extras: the deferred response was given its answer


def _awaits_its_answer(interaction: discord.Interaction) -> bool:
    """Deferred ("thinking…") and not yet edited: the answer belongs in the original response."""
    return (interaction.response.type is discord.InteractionResponseType.deferred_channel_message
            and not interaction.extras.get(_EDITED))


async def answer(interaction: discord.Interaction, messages: list[str], *, ephemeral: bool = False, view: discord.ui.View | None = None) -> None:
    """Send `messages`: the first as the interaction's response -- or, after a defer, as the edit
    of the original response (Discord's documented way) -- the rest as follow-ups; `view` goes on
    the last one. After a defer, the original keeps the visibility chosen when deferring."""
    for index, text in enumerate(messages):
        extra = {"view": view} if view is not None and index == len(messages) - 1 else {}
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **extra)
        elif _awaits_its_answer(interaction):
            await interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS, **extra)
            interaction.extras[_EDITED] = True
        else:
            await interaction.followup.send(text, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **extra)
