"""When to try a delivery again, and when to stop: pure functions of the outcome
and the clock, so the schedule can be tested without waiting.

Exponential back-off: the first retry within 30 seconds, the second about two
minutes later, then growing to hours, for about three days in all (Mastodon
retries for about as long). ``Retry-After`` from a 429 or 503 is honoured.
"""
from __future__ import annotations

import enum
from datetime import datetime, timedelta

from federation.safe_http import PostOutcome

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=20),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=12),  # and every 12 hours after, until the window closes
)
RETRY_WINDOW = timedelta(days=3)

# A server failing on this many distinct days (since it last answered) is
# marked unavailable: by time, never by a count of attempts. Mastodon's
# DeliveryFailureTracker uses 7 days.
UNAVAILABLE_AFTER_DAYS = 7
# An unavailable server is tried again this long after its last failure, so it
# can come back even if it never sends us anything.
PROBE_UNAVAILABLE_EVERY = timedelta(hours=6)
# A server that answered other activity types within this time is up: its
# silence on one type (a handler that hangs on it) is that activity's own
# failure, and does not count towards marking the server unavailable or
# pausing it. Longer than the day rule, so a server answering nothing else
# for that long is judged by the day rule again.
TYPE_SILENCE_WINDOW = timedelta(days=2 * UNAVAILABLE_AFTER_DAYS)
# After this many failures in a row, leave the server alone briefly (at most a minute).
PAUSE_AFTER_FAILURES = 10
PAUSE = timedelta(seconds=60)


class Verdict(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FINAL = "final"  # the server refused it for good (a 4xx other than 401, 408, 429)


_RETRYABLE_4XX = frozenset({401, 408, 429})


def judge(outcome: PostOutcome) -> Verdict:
    status = outcome.status
    if status is None:
        return Verdict.RETRY  # network error, timeout, refused address
    if 200 <= status < 300:
        return Verdict.DELIVERED
    if 400 <= status < 500 and status not in _RETRYABLE_4XX:
        return Verdict.FINAL
    return Verdict.RETRY


# Answers that say "the server is down" (a proxy or gateway speaking for it).
# A 500 is the server itself answering: it failed on that one activity, which
# says nothing about the server (it may answer everything else).
HOST_DOWN_STATUSES = frozenset({408, 502, 503, 504})


def counts_against_host(outcome: PostOutcome) -> bool:
    """Only signs that the server is down count towards marking it unavailable
    (and towards the short pause): no answer at all, or a gateway's 502/503/504."""
    status = outcome.status
    return status is None or status in HOST_DOWN_STATUSES


def retry_delay(failures: int) -> timedelta:
    """The wait after the ``failures``-th failed attempt (1 for the first)."""
    index = min(max(failures, 1), len(RETRY_DELAYS)) - 1
    return RETRY_DELAYS[index]


def next_attempt(
    *, created_at: datetime, failures: int, now: datetime, retry_after: datetime | None = None
) -> datetime | None:
    """When to try again after ``failures`` failed attempts, or None to give up."""
    moment = now + retry_delay(failures)
    if retry_after is not None and retry_after > now:
        moment = retry_after
    if moment > created_at + RETRY_WINDOW:
        return None
    return moment
