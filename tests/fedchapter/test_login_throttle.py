"""Login lockouts: counted in a sliding window, lasting a window from the last failure."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fedchapter.login_throttle import WINDOW, client_key, lockout_for, username_key

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def test_the_limit_within_the_window_locks() -> None:
    failures = [NOW - timedelta(minutes=minutes) for minutes in (1, 2, 3, 4)]
    assert lockout_for(failures, 5, NOW) is None
    lockout = lockout_for([*failures, NOW], 5, NOW)
    assert lockout is not None and lockout.until == NOW + WINDOW
    assert lockout.minutes_left(NOW) == 15
    assert lockout.minutes_left(NOW + timedelta(minutes=14, seconds=30)) == 1


def test_old_failures_slide_out_of_the_window() -> None:
    failures = [NOW - WINDOW - timedelta(seconds=1)] * 10 + [NOW]
    assert lockout_for(failures, 5, NOW) is None


def test_keys_are_normalised() -> None:
    assert username_key("  Admin ") == "user:admin"
    assert client_key(None) == "client:unknown"
