"""A fake Discord (REST + gateway) on 127.0.0.1 for running the real discord.py client: the one the
tests and the benchmarks share. server: the fake itself; harness: the real bot against it;
remote: the fake in its own process, driven over a small control API (the benchmarks)."""
from tests.fake_discord.server import FakeDiscord, InteractionHandle, LoggedRequest

__all__ = ["FakeDiscord", "InteractionHandle", "LoggedRequest"]
