"""Login rate limiting: after too many failures in a window, a lockout.

Two counters: per username (guessing one account's password) and per client
address (trying many accounts). Behind a reverse proxy many people may share
one address, so the per-client limit is much higher. The failures are stored
in the database by the caller, so a restart does not reset them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_CLIENT = 30


@dataclass(frozen=True)
class Lockout:
    until: datetime

    def minutes_left(self, now: datetime) -> int:
        seconds = max(0.0, (self.until - now).total_seconds())
        return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


def username_key(username: str) -> str:
    return f"user:{username.strip().lower()[:64]}"


def client_key(address: str | None) -> str:
    return f"client:{address or 'unknown'}"


def lockout_for(failures: list[datetime], limit: int, now: datetime) -> Lockout | None:
    """A lockout when ``limit`` failures fall within the window before now.

    The lockout lasts a full window from the latest failure, so waiting it out
    clears the counter (the earlier failures slide out of the window).
    """
    recent = sorted(moment for moment in failures if now - moment < WINDOW)
    if len(recent) < limit:
        return None
    return Lockout(until=recent[-1] + WINDOW)
