"""A fake Discord (REST + gateway) on 127.0.0.1 for running the real discord.py client in tests."""
from tests.fake_discord.server import FakeDiscord, InteractionHandle, LoggedRequest

__all__ = ["FakeDiscord", "InteractionHandle", "LoggedRequest"]
