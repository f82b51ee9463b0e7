"""Polling the feed on an interval (its own task): fetch, check exactly like an import, apply in
one transaction, then hand the changes to the live posts. A feed that cannot be read or checked
changes nothing, is logged once per distinct problem, and is tried again at the next poll."""
from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.data.dataset import DatasetError
from bot.data.importer import import_games
from bot.feed.adapters import load_adapter
from bot.feed.fetch import FeedSource, FeedUnavailable

log = logging.getLogger("podium.feed")


class FeedFollower:
    def __init__(self, services, location: str, *, adapter: str = "podium", timeout: float = 10.0, on_changes=None):
        self.services = services
        self.games_id: str | None = None  # the Games the feed last gave
        self.source = FeedSource(location, timeout)
        self.adapter = load_adapter(adapter)
        self.on_changes = on_changes  # async (old, new, changes) -> None
        self.first_sync = True  # the first poll since the start (live posts treat it apart)
        self._logged: set[str] = set()
        self._skipped_logged: set[str] = set()  # far sessions left out: said once, not once per poll
        self.polls = {"applied": 0, "unchanged": 0, "unavailable": 0, "invalid": 0, "failed": 0}
        self._task: asyncio.Task | None = None

    def start(self, interval: float) -> None:
        """Poll now, then `interval` real seconds after each poll ends (one poll at a time)."""
        self._task = asyncio.get_running_loop().create_task(self._follow(interval), name="podium-feed")
        log.info("following the feed at %s every %g s", self.source.location, interval)

    async def stop(self) -> None:
        """Cancel the polling (a poll in flight is rolled back with its transaction)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _follow(self, interval: float) -> None:
        while True:
            try:
                await self.poll()
            except Exception:  # a bug in one poll must not end the following
                log.exception("feed poll failed")
            await asyncio.sleep(interval)

    async def poll(self) -> str:
        outcome = await self._poll()
        self.polls[outcome] += 1
        return outcome

    async def _poll(self) -> str:
        try:
            fetched = await self.source.fetch()
        except FeedUnavailable as error:
            self._problem(str(error))
            return "unavailable"
        if fetched.body is None:
            return "unchanged"
        # The Games the feed is about: the one its body names, else the one it last gave, else the
        # one that answers by the clock.
        games = self.services.games
        named = getattr(self.adapter, "games_id", lambda raw: None)(fetched.body) or self.games_id
        old = (await games.get(named) if named else None) or await games.current()
        skipped: list[str] = []
        try:
            new = self.adapter.parse(fetched.body, self.source.location, old, skipped=skipped)
            if old is None or new.games.id != old.games.id:  # another Games than guessed: read it against that one
                old = await games.get(new.games.id)
                skipped = []
                new = self.adapter.parse(fetched.body, self.source.location, old, skipped=skipped)
        except DatasetError as error:
            self.source.forget()
            self._problem(f"{error.source}: {len(error.problems)} problem(s): " + "; ".join(error.problems[:5]))
            return "invalid"
        except Exception as error:  # an adapter's bug or a body it did not foresee: one warning, not a traceback per poll
            self.source.forget()
            log.debug("feed adapter failed", exc_info=True)
            self._problem(f"could not read the feed ({error.__class__.__name__}: {str(error)[:200]})")
            return "invalid"
        for note in skipped:
            if note not in self._skipped_logged:
                self._skipped_logged.add(note)
                log.warning("feed: %s", note)
        try:
            changes = await import_games(self.services.db, new, now=self.services.clock.now())
        except Exception as error:  # the database refused: keep serving what we have
            self.source.forget()
            self._problem(f"could not apply the feed: {error}")
            return "failed"
        self.games_id = new.games.id
        self._logged.clear()  # a problem that comes back later is news again
        first, self.first_sync = self.first_sync, False
        if changes.count:
            log.info("feed applied: %d change(s)%s", changes.count, " (first sync since the start)" if first else "")
        if (changes.count or first) and self.on_changes is not None:  # the first sync: what changed while the bot was down
            try:
                await self.on_changes(old, new, changes, first_sync=first)
            except Exception:
                log.exception("live posts after a feed update failed")
        return "applied"

    def _problem(self, text: str) -> None:
        if text not in self._logged:
            self._logged.add(text)
            log.warning("feed: %s; keeping the data we have and trying again at the next poll", text)
