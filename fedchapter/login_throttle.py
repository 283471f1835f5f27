"""Login throttling: growing delays per (account, client), a lockout per client.

Counting failures per account alone let anyone lock the secretary out by
typing five wrong passwords. So an account's failures are counted per client
address: after a few free mistakes, each further failure from that address
doubles the wait before the next attempt (30 s, 1 min, 2 min ... 15 min at
most), while the same account from any other address logs in at once. A
second counter per client address (trying many accounts) locks that address
for a window. Behind a reverse proxy the address must be the real client's
(uvicorn's proxy_headers with the proxy's address trusted). The failures are
stored by the caller, so a restart does not reset them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_CLIENT = 30
# Mistakes a person makes: free. The next failures wait longer and longer.
FREE_FAILURES = 4
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
# How long an (account, client) pair's failures are remembered.
PAIR_MEMORY = timedelta(hours=24)


@dataclass(frozen=True)
class Lockout:
    until: datetime

    def minutes_left(self, now: datetime) -> int:
        seconds = max(0.0, (self.until - now).total_seconds())
        return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


def username_key(username: str) -> str:
    return f"user:{username.strip().lower()[:64]}"


def account_suffix(username: str) -> str:
    """How every pair key of one account ends (to clear them all)."""
    return f"|{username.strip().lower()[:64]}"


def pair_key(username: str, address: str | None) -> str:
    """One account tried from one client address."""
    return f"pair:{address or 'unknown'}{account_suffix(username)}"


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


def delay_after(failures: int) -> timedelta:
    """How long to wait after the latest of ``failures`` failures."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    return min(MAX_DELAY, FIRST_DELAY * 2 ** min(failures - FREE_FAILURES - 1, 16))


def pair_delay(failures: list[datetime], now: datetime) -> Lockout | None:
    """A wait while the growing delay after the latest failure has not passed."""
    recent = sorted(moment for moment in failures if now - moment < PAIR_MEMORY)
    if not recent:
        return None
    until = recent[-1] + delay_after(len(recent))
    return Lockout(until=until) if until > now else None
