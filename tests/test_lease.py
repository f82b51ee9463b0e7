"""The lease that lets exactly one process act on a database: two Lease objects on two connections
to one real database (a SQLite file, a PostgreSQL schema), on one controllable wall clock (nothing
here waits in real time)."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

import pytest

from bot.lease import Holder, Lease, LeaseTerms
from bot.settings import SettingsError, load_settings
from bot.store import leases as store
from bot.store.database import Database

TERMS = LeaseTerms(ttl=30, heartbeat=10)
START = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


class WallClock:
    """The host's clock, moved by the code under test sleeping (and by the test)."""

    def __init__(self, start: datetime = START, frozen: bool = False):
        self.instant = start
        self.frozen = frozen  # sleeping does not move the clock
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.instant

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.frozen:
            await asyncio.sleep(0.01)
        else:
            self.instant += timedelta(seconds=seconds)
            await asyncio.sleep(0)


@pytest.fixture
async def dbs(store_target):
    """Two connections to one database, as two processes would have."""
    first = await Database.open(store_target)
    second = await Database.open(store_target)
    yield first, second
    await first.close()
    await second.close()


def lease(db, clock: WallClock, host: str, pid: int, name: str = "bot", space: str = "", running: set[int] = frozenset()) -> Lease:
    return Lease(db, name, TERMS, holder=Holder(f"{host}:{pid}:x", host, pid, space), now=clock.now, sleep=clock.sleep,
                 alive=lambda pid: pid in running)


async def test_the_first_takes_the_lease_and_the_second_waits_saying_who_holds_it(dbs, caplog):
    clock = WallClock(frozen=True)
    a, b = lease(dbs[0], clock, "alpha", 101), lease(dbs[1], clock, "beta", 202)
    await a.acquire()
    assert a.held
    row = await b.attempt()
    assert (row.host, row.pid, row.acquired_at) == ("alpha", 101, START) and not b.held
    caplog.set_level(logging.INFO, logger="podium.lease")
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(b.acquire(), 0.2)  # alpha's lease is valid for 30 s: beta keeps waiting
    assert len(clock.slept) > 3 and not b.held
    standby_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("standby")]
    assert standby_lines == [f"standby: lease 'bot' is held by host alpha, pid 101, since {START.isoformat()}; waiting, "
                             "and taking over if it is not renewed for 30 s"]


async def test_a_standby_takes_over_once_the_holder_stops_renewing(dbs):
    clock = WallClock()
    a, b = lease(dbs[0], clock, "alpha", 101), lease(dbs[1], clock, "beta", 202)
    await a.acquire()
    await b.acquire()  # alpha never renews (killed): beta's waiting moves the clock past the lapse
    assert b.held
    assert clock.now() >= START + timedelta(seconds=30)
    assert clock.now() <= START + timedelta(seconds=30 + TERMS.heartbeat)
    row = await store.current(dbs[0], "bot")
    assert (row.host, row.pid, row.acquired_at) == ("beta", 202, clock.now())
    assert (await a.attempt()).holder == b.holder.id and not a.held  # alpha, back, is now the standby


async def test_a_standby_on_the_same_host_takes_over_at_once_from_a_holder_whose_process_is_gone(dbs, caplog):
    clock = WallClock(frozen=True)
    a = lease(dbs[0], clock, "alpha", 101, space="alpha/pidns:1")
    await a.acquire()
    caplog.set_level(logging.WARNING, logger="podium.lease")
    b = lease(dbs[1], clock, "alpha", 202, space="alpha/pidns:1", running={202})  # pid 101 was killed
    await b.acquire()
    assert b.held and clock.slept == []
    assert "lease 'bot': its holder, pid 101 on this host, is gone; taking over without waiting for the lapse" in caplog.messages


async def test_a_standby_waits_for_the_lapse_when_the_holder_runs_or_its_pid_means_something_else(dbs):
    clock = WallClock(frozen=True)
    await lease(dbs[0], clock, "alpha", 101, space="alpha/pidns:1").acquire()
    for standby in (lease(dbs[1], clock, "alpha", 202, space="alpha/pidns:1", running={101, 202}),  # it runs
                    lease(dbs[1], clock, "alpha", 202, space="alpha/pidns:2", running={202}),  # another container
                    lease(dbs[1], clock, "beta", 202, space="beta/pidns:1", running={202})):  # another host
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(standby.acquire(), 0.1)
        assert not standby.held


async def test_renewals_keep_the_lease_so_a_standby_never_takes_it(dbs):
    clock = WallClock()
    a, b = lease(dbs[0], clock, "alpha", 101), lease(dbs[1], clock, "beta", 202)
    await a.acquire()
    keeping = asyncio.create_task(a.keep())
    for _ in range(10):  # 10 heartbeats: 100 s, more than three lease times
        await asyncio.sleep(0.01)
        assert (await b.attempt()).holder == a.holder.id
    assert clock.now() >= START + timedelta(seconds=60) and a.held
    assert (await store.current(dbs[1], "bot")).acquired_at == START  # renewed, not re-acquired
    keeping.cancel()


async def test_a_holder_that_cannot_renew_stops_acting_before_a_standby_may_take_over(dbs, monkeypatch):
    clock = WallClock()
    a = lease(dbs[0], clock, "alpha", 101)
    await a.acquire()
    expires = a.expires_at

    async def locked(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(store, "renew", locked)
    await a.keep()  # returns: lost
    assert not a.held and a.expires_at is None
    assert clock.now() == expires - TERMS.margin < expires  # it stopped before the lease lapsed
    assert clock.slept == [10, 10, 5]  # tried on each heartbeat, then gave up at the deadline


async def test_a_holder_frozen_past_its_lease_stops_acting_when_it_wakes_without_touching_the_new_holders_lease(dbs):
    clock = WallClock()
    a, b = lease(dbs[0], clock, "alpha", 101), lease(dbs[1], clock, "beta", 202)
    await a.acquire()
    clock.instant += timedelta(seconds=31)  # alpha was frozen (a stopped VM, a long pause) past its lease
    await b.acquire()
    assert b.held and not a.held
    await a.keep()  # wakes: lost at once
    assert a.expires_at is None and (await store.current(dbs[0], "bot")).holder == b.holder.id


async def test_run_while_held_cancels_the_work_when_the_lease_is_lost_and_releases_it_on_a_clean_end(dbs, monkeypatch):
    clock = WallClock()
    a, b = lease(dbs[0], clock, "alpha", 101), lease(dbs[1], clock, "beta", 202)
    await a.acquire()
    assert await a.run_while_held(asyncio.sleep(0)) is True  # the work ended by itself
    assert await store.current(dbs[0], "bot") is None  # released: a standby need not wait
    waits = len(clock.slept)
    await b.acquire()
    assert len(clock.slept) == waits  # taken at once, no waiting
    await b.release()

    await a.acquire()
    cancelled = asyncio.Event()

    async def serving():
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    async def taken(*args, **kwargs):
        return False

    monkeypatch.setattr(store, "renew", taken)
    assert await a.run_while_held(serving()) is False
    assert cancelled.is_set()


async def test_the_work_failing_is_raised_and_releases_the_lease(dbs):
    clock = WallClock()
    a = lease(dbs[0], clock, "alpha", 101)
    await a.acquire()

    async def broken():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        await a.run_while_held(broken())
    assert await store.current(dbs[0], "bot") is None


async def test_leases_are_named_so_that_shards_can_be_held_by_different_processes(dbs):
    clock = WallClock()
    a0, b1 = lease(dbs[0], clock, "alpha", 101, "shard:0"), lease(dbs[1], clock, "beta", 202, "shard:1")
    await a0.acquire()
    await b1.acquire()
    assert a0.held and b1.held and clock.now() == START
    assert (await lease(dbs[1], clock, "beta", 202, "shard:0").attempt()).holder == a0.holder.id


def test_terms_leave_room_for_a_retry_before_the_lease_lapses():
    with pytest.raises(ValueError):
        LeaseTerms(ttl=10, heartbeat=6)
    assert LeaseTerms(ttl=2, heartbeat=0.5).margin == timedelta(seconds=0.25)


def test_lease_settings_have_defaults_and_refuse_a_heartbeat_too_slow_for_the_ttl():
    settings = load_settings({})
    assert (settings.lease_ttl, settings.lease_heartbeat) == (30, 10)
    with pytest.raises(SettingsError, match=r"^PODIUM_LEASE_HEARTBEAT: 20 s is more than half of PODIUM_LEASE_TTL \(30 s\)"):
        load_settings({"PODIUM_LEASE_HEARTBEAT": "20"})
    with pytest.raises(SettingsError, match=r"^PODIUM_LEASE_TTL: 'soon' is not a number"):
        load_settings({"PODIUM_LEASE_TTL": "soon"})
