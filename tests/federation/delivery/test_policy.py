"""The retry schedule the federation rules ask for, as pure functions."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from federation.delivery.policy import RETRY_WINDOW, Verdict, counts_against_host, judge, next_attempt
from federation.safe_http import PostOutcome

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_first_retry_within_30_seconds_second_within_about_2_minutes_then_hours() -> None:
    now, failures, waits = START, 0, []
    while True:
        failures += 1
        moment = next_attempt(created_at=START, failures=failures, now=now)
        if moment is None:
            break
        waits.append(moment - now)
        now = moment
    assert waits[0] <= timedelta(seconds=30)
    assert timedelta(minutes=1) <= waits[1] <= timedelta(minutes=3)
    assert waits == sorted(waits) and waits[-1] >= timedelta(hours=8)
    # About three days in all, then it gives up.
    assert timedelta(days=2) < now - START <= RETRY_WINDOW


def test_retry_after_is_honoured() -> None:
    later = START + timedelta(minutes=17)
    assert next_attempt(created_at=START, failures=1, now=START, retry_after=later) == later


@pytest.mark.parametrize(("status", "verdict"), [
    (200, Verdict.DELIVERED), (202, Verdict.DELIVERED), (None, Verdict.RETRY), (500, Verdict.RETRY),
    (502, Verdict.RETRY), (503, Verdict.RETRY), (401, Verdict.RETRY), (408, Verdict.RETRY),
    (429, Verdict.RETRY), (400, Verdict.FINAL), (403, Verdict.FINAL), (404, Verdict.FINAL),
    (410, Verdict.FINAL), (422, Verdict.FINAL),
])
def test_which_answers_are_retried(status: int | None, verdict: Verdict) -> None:
    assert judge(PostOutcome(status, None, None)) is verdict


def test_only_outages_count_against_a_server() -> None:
    assert counts_against_host(PostOutcome(None, None, "refused"))
    assert counts_against_host(PostOutcome(503, None, None))
    assert not counts_against_host(PostOutcome(401, None, None))
    assert not counts_against_host(PostOutcome(429, None, None))
    # A 500 is the server answering: it failed on that activity, it is not down.
    assert not counts_against_host(PostOutcome(500, None, None))
    assert counts_against_host(PostOutcome(502, None, None))
