"""Time, in one place, always timezone-aware UTC."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def to_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def to_iso_microseconds(moment: datetime) -> str:
    """UTC to the microsecond in one fixed form, so that text order is time
    order (in SQL and between servers): ordering tallies and representatives."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def zoned_moment(value: Any) -> datetime | None:
    """An ISO 8601 time from elsewhere, when it is one with a zone; else None
    (a time without a zone cannot be compared with one that has it)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
