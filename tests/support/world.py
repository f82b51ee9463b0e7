"""The one Discord every end-to-end test runs against (conftest's `fake` fixture starts it):
an English server with a few channels (the bot may not post in QUIET), a Dutch server, and a
server elsewhere; a member who may manage channels and one who may not, in each of the first two."""
from __future__ import annotations

from tests.fake_discord import FakeDiscord

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-part.do-not-log-me"  # shaped like a real one: the log checks look for it
GUILD, DUTCH_GUILD, OTHER_GUILD = 101010101010101010, 202020202020202020, 303030303030303030
CHANNELS = [111111111111111101 + n for n in range(6)]  # in GUILD
CHANNEL = CHANNELS[0]
QUIET = 111111111111111199  # in GUILD; the bot may not post here
DUTCH_CHANNEL, OTHER_CHANNEL = 222222222222222201, 333333333333333301
MANAGER, MEMBER = 444444444444444401, 444444444444444402


def build() -> FakeDiscord:
    """The fake Discord (not started) with the servers above."""
    server = FakeDiscord(token=TOKEN)
    server.add_guild(GUILD, name="Olympics", locale="en-US")
    server.add_guild(DUTCH_GUILD, name="Oranje", locale="nl")
    server.add_guild(OTHER_GUILD, name="Elsewhere", locale="en-US")
    server.add_channel(GUILD, CHANNEL, "olympics")
    for n, channel in enumerate(CHANNELS[1:], 1):
        server.add_channel(GUILD, channel, f"alerts-{n}")
    server.add_channel(GUILD, QUIET, "announcements", bot_can_send=False)
    server.add_channel(DUTCH_GUILD, DUTCH_CHANNEL, "spelen")
    server.add_channel(OTHER_GUILD, OTHER_CHANNEL, "theirs")
    for guild in (GUILD, DUTCH_GUILD):
        server.add_member(guild, MANAGER, "manager", manage_channels=True)
        server.add_member(guild, MEMBER, "member", manage_channels=False)
    server.add_member(OTHER_GUILD, MANAGER, "manager", manage_channels=True)
    return server
