"""The follower surge of issue 19 as figures of ``make bench``: 5,000 signed
Follows from 500 servers within a minute (``bench.surge`` runs it: its own
chapter, its own peers), then an event posted at once.

Goals, from the issue: **every Follow accepted within 30 s** (every Follow
answered 202, and the last Accept at the sinks at most 30 s after the last
Follow was due), and **no delivery starved**: the event reaches every server
it was queued to within 30 s of posting it. Its deliveries/s is set against
the delivery ceiling of the same run (the ratio is shown; the issue's goal
for it is the 30 s, not a ratio: the fan-out's own ratio goal is measured by
the fan-out scenario on a quiet queue).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import Figure
from bench.surge import ACCEPT_GOAL_S, EVENT_WINDOW_S, run_surge

SERVERS = 500  # 50 addresses x 10 ports
PER_SERVER = 10  # 5,000 Follows
SECONDS = 60.0
QUICK_SERVERS = 100  # 1,000 Follows in 12 s: the same rate per server, a harness check
QUICK_SECONDS = 12.0


def run_surge_scenario(
    workdir: Path, *, quick: bool = False, with_sinks: Callable[[list[str]], None] | None = None,
    delivery_ceiling: Callable[[], dict[str, Any] | None] = lambda: None,
) -> tuple[list[Figure], dict[str, Any]]:
    """``with_sinks`` may measure the delivery ceiling against the surge's own
    sinks; ``delivery_ceiling()`` is read after the run."""
    servers = QUICK_SERVERS if quick else SERVERS
    seconds = QUICK_SECONDS if quick else SECONDS
    raw = run_surge(workdir, addresses=servers // 10, ports=10, per_server=PER_SERVER, seconds=seconds,
                    with_sinks=with_sinks)
    return figures_of(raw, delivery_ceiling()), raw


def figures_of(raw: dict[str, Any], ceiling: dict[str, Any] | None) -> list[Figure]:
    follows, window = int(raw["follows"]), float(raw["seconds"])
    statuses = {int(status): count for status, count in raw["statuses"].items()}
    answered = statuses.get(202, 0)
    refused = statuses.get(503, 0)
    unanswered = follows - sum(statuses.values())  # timed out or never sent (the load's errors count 503s too)
    last_accept_after = float(raw["seconds_to_last_accept"]) - window  # after the last Follow was due
    every_accepted = answered == follows and raw["accepts"] == answered and last_accept_after <= ACCEPT_GOAL_S
    event = raw["event"]
    queued = int(event["queued_to_servers"] or 0)
    within = int(event["servers_within_30s"] or 0)
    to_all = event.get("seconds_to_all_exact")
    rate = queued / to_all if to_all else 0.0
    ceiling_rate = float(ceiling["best"]) if ceiling else None
    cpu = float(raw["server_cpu_seconds"])
    return [
        Figure(f"surge: {follows:,} Follows from {raw['servers']} servers, answered 202", float(answered),
               f"of {follows:,}", "all", answered == follows,
               note=f"503: {refused:,}; no answer: {unanswered:,}; p99 {raw['follow_p99_ms']:,} ms from "
                    f"when each was due; offered evenly over {window:.0f} s"),
        Figure("surge: last Accept after the last Follow was due", last_accept_after, "s",
               f"≤ {ACCEPT_GOAL_S:.0f} s, every Follow accepted", every_accepted,
               note=f"{raw['accepts']:,} Accepts at the sinks for {answered:,} Follows answered 202"),
        Figure("surge: server CPU, first Follow to the event delivered", cpu, "s CPU", "—", True,
               note=f"{cpu / max(1, answered) * 1000:.1f} ms per accepted Follow (key fetch, verify, process, "
                    f"a signed Accept), the event's fan-out included"),
        Figure(f"surge: the event right after reached its servers within {EVENT_WINDOW_S:.0f} s", float(within),
               f"of {queued} servers", "all (no delivery starved)", queued > 0 and within >= queued,
               note=f"every server in {event['seconds_to_all']} s" if to_all else "not every server within the wait"),
        Figure("surge: the event's deliveries/s right after the surge", rate, "deliveries/s", "—", rate > 0,
               ceiling=ceiling_rate, ratio=(rate / ceiling_rate) if ceiling_rate else None,
               note="from posting the event to its last server, against the delivery ceiling of this run"),
    ]
