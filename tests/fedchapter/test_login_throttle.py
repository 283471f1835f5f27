"""Login throttling: growing delays per (account, client address), and a
per-client lockout counted in a sliding window."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fedchapter.login_throttle import (
    FREE_FAILURES,
    MAX_DELAY,
    PAIR_MEMORY,
    WINDOW,
    account_suffix,
    client_key,
    delay_after,
    lockout_for,
    pair_delay,
    pair_key,
    username_key,
)

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


def test_a_few_mistakes_are_free_then_each_failure_doubles_the_wait() -> None:
    assert [delay_after(n) for n in range(FREE_FAILURES + 1)] == [timedelta(0)] * (FREE_FAILURES + 1)
    waits = [delay_after(n).total_seconds() for n in range(FREE_FAILURES + 1, FREE_FAILURES + 6)]
    assert waits == [30, 60, 120, 240, 480]
    assert delay_after(10_000) == MAX_DELAY


def test_the_wait_runs_from_the_latest_failure() -> None:
    failures = [NOW - timedelta(seconds=seconds) for seconds in (50, 40, 30, 20, 10)]  # five: 30 s wait
    waiting = pair_delay(failures, NOW)
    assert waiting is not None and waiting.until == NOW + timedelta(seconds=20)
    assert pair_delay(failures, NOW + timedelta(seconds=21)) is None
    assert pair_delay(failures[:FREE_FAILURES], NOW) is None


def test_pair_failures_are_forgotten_after_a_day() -> None:
    assert pair_delay([NOW - PAIR_MEMORY - timedelta(seconds=1)] * 50, NOW) is None


def test_pair_keys_name_the_address_and_the_account() -> None:
    assert pair_key(" Secretary ", "203.0.113.9") == "pair:203.0.113.9|secretary"
    assert pair_key("secretary", "203.0.113.9").endswith(account_suffix("SECRETARY"))
    assert pair_key("secretary", "203.0.113.9") != pair_key("secretary", "198.51.100.7")
