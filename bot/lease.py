"""One process acts on a database at a time: a named lease with a heartbeat, kept in the database.

The holder renews its lease every `heartbeat` seconds; the lease lapses `ttl` seconds after the
last renewal. Another process waits as a standby: it says who holds the lease (host, pid, since),
does nothing else, and takes the lease over once it has lapsed (a holder that stops cleanly gives
it up at once, and a holder on the same host whose process is gone, killed or crashed, need not be
waited for). A holder that could not renew stops acting a little before its lease lapses, so that
the two never act at the same time.

Time here is the host's wall clock, not the simulated Games clock (a lease is about processes);
`now` and `sleep` are passed in, so the logic runs in tests without waiting. The name is 'bot'
for the one process of a bot; one lease per shard ('shard:3') has the same shape."""
from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable

from bot.store import leases as store
from bot.store.leases import LeaseRow

log = logging.getLogger("podium.lease")
BOT_LEASE = "bot"


def wall_clock() -> datetime:
    return datetime.now(timezone.utc)


def pid_alive(pid: int) -> bool:
    """Does a process with this pid run here (in this pid namespace)? A zombie counts as running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def pid_space() -> str:
    """Where our pid means something: the host and its pid namespace (Linux); '' when unknown,
    and then a standby always waits for the lapse."""
    try:
        return f"{socket.gethostname()}/pidns:{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        return ""


@dataclass(frozen=True)
class Holder:
    """One start of one process: a restarted process (even with the same pid) is a new holder."""

    id: str
    host: str
    pid: int
    pid_space: str = ""

    @classmethod
    def this_process(cls) -> "Holder":
        host, pid = socket.gethostname(), os.getpid()
        return cls(f"{host}:{pid}:{secrets.token_hex(4)}", host, pid, pid_space())

    def outlived(self, lease: LeaseRow, alive: Callable[[int], bool]) -> bool:
        """Is `lease` held by a process that is gone, seen from here (the same host and pid namespace)?"""
        return bool(self.pid_space) and lease.pid_space == self.pid_space and lease.holder != self.id and not alive(lease.pid)


@dataclass(frozen=True)
class LeaseTerms:
    ttl: float = 30.0  # seconds a renewal keeps the lease
    heartbeat: float = 10.0  # seconds between renewals

    def __post_init__(self) -> None:
        if not 0 < self.heartbeat <= self.ttl / 2:
            raise ValueError("the lease heartbeat must be more than 0 and at most half the lease time")

    @property
    def margin(self) -> timedelta:
        """How long before its lease lapses a holder that could not renew stops acting."""
        return timedelta(seconds=self.heartbeat / 2)

    def expiry(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.ttl)

    def stop_acting_at(self, expires_at: datetime) -> datetime:
        return expires_at - self.margin

    def standby_delay(self, lease: LeaseRow, now: datetime) -> float:
        """Seconds a standby waits before it tries again: a heartbeat, or less if the lease lapses sooner."""
        return max(0.01, min(self.heartbeat, (lease.expires_at - now).total_seconds()))

    def renew_delay(self, last_try: datetime, deadline: datetime) -> float:
        """Seconds from a renewal (or a failed try) to the next one: a heartbeat, but no later than the deadline."""
        return max(0.0, min(self.heartbeat, (deadline - last_try).total_seconds()))


class Lease:
    def __init__(self, db, name: str = BOT_LEASE, terms: LeaseTerms | None = None, *, holder: Holder | None = None,
                 now: Callable[[], datetime] = wall_clock, sleep: Callable[[float], Awaitable] = asyncio.sleep,
                 alive: Callable[[int], bool] = pid_alive):
        self.db = db
        self.name = name
        self.terms = terms or LeaseTerms()
        self.holder = holder or Holder.this_process()
        self.now = now
        self.sleep = sleep
        self.alive = alive
        self.expires_at: datetime | None = None  # of our lease, as last renewed; None: not ours

    @property
    def held(self) -> bool:
        """Ours, and not so close to lapsing that a standby could take it over."""
        return self.expires_at is not None and self.now() < self.terms.stop_acting_at(self.expires_at)

    async def attempt(self, replacing: str | None = None) -> LeaseRow:
        """Try once to take (or renew) the lease, also from `replacing` (a holder known to be gone);
        returns whoever holds it afterwards."""
        now = self.now()
        row = await store.take(self.db, self.name, self.holder.id, self.holder.host, self.holder.pid, now, self.terms.expiry(now),
                               pid_space=self.holder.pid_space, replacing=replacing)
        self.expires_at = row.expires_at if row.holder == self.holder.id else None
        return row

    async def acquire(self) -> None:
        """Return once the lease is ours; until then wait as a standby, saying who holds it."""
        reported = None
        while True:
            try:
                row = await self.attempt()
                if self.holder.outlived(row, self.alive):
                    log.warning("lease %r: its holder, pid %d on this host, is gone; taking over without waiting for the lapse", self.name, row.pid)
                    row = await self.attempt(replacing=row.holder)
            except Exception as error:  # the database is locked or failing: a standby just waits
                log.warning("lease %r: could not read the lease (%s); trying again", self.name, error)
                await self.sleep(self.terms.heartbeat)
                continue
            if row.holder == self.holder.id:
                log.info("lease %r acquired by host %s, pid %d: this process acts on the database", self.name, self.holder.host, self.holder.pid)
                return
            if row.holder != reported:
                reported = row.holder
                log.warning("standby: lease %r is held by host %s, pid %d, since %s; waiting, and taking over if it is not "
                            "renewed for %g s", self.name, row.host, row.pid, row.acquired_at.isoformat(timespec="seconds"), self.terms.ttl)
            await self.sleep(self.terms.standby_delay(row, self.now()))

    async def keep(self) -> None:
        """Renew the lease on every heartbeat; return when it is lost: taken over, or not renewed
        before the moment this holder must stop acting."""
        if self.expires_at is None:
            raise RuntimeError(f"lease {self.name!r} is not held: acquire() it first")
        while True:
            deadline = self.terms.stop_acting_at(self.expires_at)
            await self.sleep(self.terms.renew_delay(self.now(), deadline))
            now = self.now()
            if now >= deadline:
                break
            # Not cancelled with this task, nor when it takes too long: a transaction is never cut off halfway.
            renewal = asyncio.ensure_future(store.renew(self.db, self.name, self.holder.id, now, self.terms.expiry(now)))
            await asyncio.wait({renewal}, timeout=(deadline - now).total_seconds())
            try:
                if not renewal.done():
                    raise TimeoutError("the database did not answer in time")
                renewed = renewal.result()
            except Exception as error:  # a slow or failing database: try again until the deadline
                log.warning("lease %r: renewal failed (%s); acting until %s unless a renewal succeeds", self.name, error,
                            deadline.isoformat(timespec="seconds"))
                continue
            if not renewed:
                break
            self.expires_at = self.terms.expiry(now)
        self.expires_at = None
        log.error("lease %r lost (not renewed in time, or taken over): this process stops acting on the database", self.name)

    async def release(self) -> None:
        if self.expires_at is None:
            return
        self.expires_at = None
        try:
            await store.release(self.db, self.name, self.holder.id)
            log.info("lease %r released", self.name)
        except Exception as error:  # it lapses by itself
            log.warning("lease %r: could not release it (%s); it lapses in %g s", self.name, error, self.terms.ttl)

    async def run_while_held(self, work: Awaitable) -> bool:
        """Run `work` while renewing the lease (acquire() first). True when the work ended by
        itself; False when the lease was lost, and the work was cancelled. A clean end (or this
        task being cancelled) releases the lease."""
        heartbeat = asyncio.ensure_future(self.keep())
        working = asyncio.ensure_future(work)
        try:
            await asyncio.wait({heartbeat, working}, return_when=asyncio.FIRST_COMPLETED)
            if working.done():
                working.result()  # raises what the work raised
                return True
            return False
        finally:
            for task in (working, heartbeat):
                task.cancel()
            await asyncio.gather(working, heartbeat, return_exceptions=True)
            await self.release()


class Leases:
    """Several leases held together, one per shard ('shard:0', 'shard:1', …): a process acts only
    while it holds all of them. Each is taken and renewed as a Lease; a lease taken while others
    are still awaited is kept renewed meanwhile. Losing any one stops the work (the process then
    waits as a standby for all of them again), so no two processes ever act for one shard.
    Processes that compete for a shard should be given the same set (a standby of 'shards 0-3' is
    another 'shards 0-3'); sets that overlap only in part could each hold a share and wait."""

    def __init__(self, db, names: list[str], terms: LeaseTerms | None = None, **options):
        holder = options.pop("holder", None) or Holder.this_process()
        self.leases = [Lease(db, name, terms, holder=holder, **options) for name in names]
        self._kept: list[asyncio.Future] = []

    @property
    def held(self) -> bool:
        return all(lease.held for lease in self.leases)

    async def acquire(self) -> None:
        """Return once every lease is ours; each one taken is renewed while the others are awaited."""
        async def take_and_keep(lease: Lease) -> None:
            await lease.acquire()
            await lease.keep()

        self._kept = [asyncio.ensure_future(take_and_keep(lease)) for lease in self.leases]
        while not all(lease.expires_at is not None for lease in self.leases):
            done, _ = await asyncio.wait(self._kept, timeout=0.05, return_when=asyncio.FIRST_COMPLETED)
            if done:  # one was lost while waiting for another: start over
                await self._give_up()
                self._kept = [asyncio.ensure_future(take_and_keep(lease)) for lease in self.leases]

    async def release(self) -> None:
        """Give every lease up (and stop renewing those taken)."""
        await self._give_up()

    async def _give_up(self) -> None:
        for task in self._kept:
            task.cancel()
        await asyncio.gather(*self._kept, return_exceptions=True)
        self._kept = []
        await asyncio.gather(*(lease.release() for lease in self.leases))

    async def run_while_held(self, work: Awaitable) -> bool:
        """As Lease.run_while_held, for all the leases: False as soon as any one is lost."""
        if not self._kept:
            raise RuntimeError("acquire() the leases first")
        working = asyncio.ensure_future(work)
        try:
            await asyncio.wait({working, *self._kept}, return_when=asyncio.FIRST_COMPLETED)
            if working.done():
                working.result()
                return True
            lost = [lease.name for lease in self.leases if lease.expires_at is None]
            log.error("lease(s) %s lost: this process stops acting for all its shards and waits as a standby", ", ".join(lost))
            return False
        finally:
            working.cancel()
            await asyncio.gather(working, return_exceptions=True)
            await self._give_up()


async def other_kind_acting(db, sharded: bool, now: Callable[[], datetime] = wall_clock) -> LeaseRow | None:
    """The lease of a process of the other kind acting on this database, if any: for a sharded
    process an unsharded one (lease 'bot'), for an unsharded one a sharded one (shard 0's lease,
    which every sharded deployment has). The two kinds beside each other would alert the same
    channels. Checked when a process has taken its lease(s), so two started at the same moment can
    both miss each other."""
    row = await store.current(db, BOT_LEASE if sharded else "shard:0")
    return row if row is not None and row.expires_at > now() else None
