"""When a channel's evening alert is due, in its own zone, correct across DST changes.

APScheduler's CronTrigger follows wall-clock time: in a skipped hour it fires an hour late and
in a repeated hour it fires twice. So the instant for each local date is worked out here and
handed to the scheduler as a one-off DateTrigger."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def alert_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local `at` on `day`. A time that does not exist that night (spring
    forward) moves to the next valid minute; one that happens twice (fall back) is the first."""
    wall = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    instant = wall.astimezone(timezone.utc)
    if instant.astimezone(zone).replace(tzinfo=None) != wall.replace(tzinfo=None):
        # In the gap: walk forward a minute at a time to the first wall time that exists.
        probe = wall.replace(tzinfo=None)
        while True:
            probe += timedelta(minutes=1)
            candidate = probe.replace(tzinfo=zone).astimezone(timezone.utc)
            if candidate.astimezone(zone).replace(tzinfo=None) == probe:
                return candidate
    return instant


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def next_alert(now: datetime, at: time, zone: ZoneInfo) -> tuple[date, datetime]:
    """(the local date whose evening it is, the instant) of the first alert strictly after `now`."""
    day = local_today(now, zone) - timedelta(days=1)
    while True:
        instant = alert_instant(day, at, zone)
        if instant > now:
            return day, instant
        day += timedelta(days=1)


def catch_up_due(now: datetime, at: time, zone: ZoneInfo, until: time | None = None) -> date | None:
    """The local date of the evening whose alert was due earlier and may still be sent: tonight's
    until local midnight, or until `until` when given. An `until` at or before `at` (e.g. 01:00
    for a 20:00 alert) reaches past midnight: until 01:00 the next morning, last night's alert."""
    today = local_today(now, zone)
    local = now.astimezone(zone).time()
    overnight = until is not None and until <= at
    if overnight and local < until:
        return today - timedelta(days=1)  # last night's alert, still within its window
    if now < alert_instant(today, at, zone):
        return None
    if until is not None and not overnight and local >= until:
        return None
    return today


def evening_deadline(day: date, at: time, zone: ZoneInfo, until: time | None = None) -> datetime:
    """The last instant the alert of `day`'s evening may still go out (the catch-up limit, as in
    catch_up_due): local midnight; or `until` that evening, or the next morning when `until` is
    at or before the alert time."""
    if until is None:
        return alert_instant(day + timedelta(days=1), time(0, 0), zone)
    return alert_instant(day if until > at else day + timedelta(days=1), until, zone)
