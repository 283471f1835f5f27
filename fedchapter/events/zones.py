"""Wall-clock times in a named zone, and the two ways they go wrong.

Events are stored as naive local wall-clock datetimes plus an IANA zone name,
because that is what an organiser means ("18:30 in London", every month,
whatever the clocks do). These helpers turn them into instants.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def known_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_zone(name: str) -> bool:
    # Checked against the list rather than by trying ZoneInfo(name): a key
    # such as "../../etc/passwd" or "localtime" must never reach the loader.
    return name in known_zone_names()


@cache
def zone(name: str) -> ZoneInfo:
    """The zone called `name`; ValueError for a name that is not in the tz database."""
    if not is_known_zone(name):
        raise ValueError(f"unknown time zone {name!r}")
    return ZoneInfo(name)


def to_utc(local: datetime, zone_name: str) -> datetime:
    """The instant of a naive wall-clock time.

    An ambiguous time (the hour repeated when clocks go back) is its first
    occurrence. A time that does not exist (skipped when clocks go forward)
    is read with the offset in force before the change, as RFC 5545 asks for
    recurrence instances: 01:30 on the spring-forward day is 02:30 summer time.
    """
    return local.replace(tzinfo=zone(zone_name), fold=0).astimezone(UTC)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """The naive wall-clock time in `zone_name` of an aware instant."""
    return instant.astimezone(zone(zone_name)).replace(tzinfo=None, fold=0)


def is_nonexistent(local: datetime, zone_name: str) -> bool:
    """True for a wall-clock time skipped by a clock change (in a DST gap)."""
    return to_local(to_utc(local, zone_name), zone_name) != local.replace(fold=0)


def is_ambiguous(local: datetime, zone_name: str) -> bool:
    """True for a wall-clock time that happens twice (when clocks go back)."""
    tz = zone(zone_name)
    first = local.replace(tzinfo=tz, fold=0).utcoffset()
    second = local.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second and not is_nonexistent(local, zone_name)


def offset_at(local: datetime, zone_name: str) -> timedelta:
    """The UTC offset in force at a (first-occurrence) wall-clock time."""
    offset = local.replace(tzinfo=zone(zone_name), fold=0).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    return offset
