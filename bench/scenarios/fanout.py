"""Fan-out: one public post to 5,000 followers on 500 servers (10 followers
each, every server with a shared inbox, so 500 deliveries), through the real
API, queue and delivery worker, to the sinks in ``bench.peers``.

- CPU: the server process's user+system time (/proc) from the API call until
  the last delivery is recorded: creating the post, enqueueing the 500 rows,
  signing each at send time and sending it. The goal is "signing and
  enqueueing <= 2 s of CPU"; this figure includes the sending too, so it is
  the stricter one.
- Deliveries/s: deliveries / (last arrival at a sink - the API call), against
  the delivery ceiling (the same client in a bare loop).
- Exactly once: every sink server counts each activity id it receives.
- Two posts, the second measured: the first after start loads the HTTP
  client and the signing key (see ``run_fanout``).
"""
from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

from bench.chapter import Chapter
from bench.db import ChapterDatabase
from bench.report import Figure

CPU_GOAL_S = 2.0
RATIO_GOAL = 0.60
TIMEOUT_S = 120.0
CLIENT_KEEPALIVE_S = 15.0  # aiohttp.TCPConnector's default keepalive_timeout, as federation/inbox_poster.py uses it


def _sink_stats(control_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{control_url}/stats", timeout=10) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())  # type: ignore[no-any-return]


def reset_sinks(control_url: str) -> None:
    request = urllib.request.Request(f"{control_url}/reset", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 (loopback)


@dataclass(frozen=True)
class _Fanout:
    cpu: float
    cpu_api: float
    api_seconds: float
    seconds: float
    rate: float
    delivered_servers: int
    activity_id: str | None
    states: dict[str, int]
    stats: dict[str, Any]
    post: dict[str, Any]


def _one_post(chapter: Chapter, token: str, control_url: str, servers: int, title: str) -> _Fanout:
    assert chapter.process is not None
    database = ChapterDatabase(chapter.data)
    reset_sinks(control_url)
    cpu_before = chapter.process.cpu_seconds()
    started = time.monotonic()
    post = chapter.api_post(token, "/api/v1/posts", {
        "title": title,
        "body": "Everyone is welcome. **Thursday 18:30** at the usual place.\n\n" + "We organise. " * 80,
    })
    api_seconds = time.monotonic() - started
    cpu_api = chapter.process.cpu_seconds() - cpu_before

    stats = _sink_stats(control_url)
    deadline = started + TIMEOUT_S
    while time.monotonic() < deadline:
        stats = _sink_stats(control_url)
        counts = stats["servers_per_activity"]
        if counts and max(counts.values()) >= servers:
            break
        time.sleep(0.05)
    activity_id = max(stats["servers_per_activity"], key=stats["servers_per_activity"].get, default=None)
    # The worker records each outcome after the sink answered: wait for the queue, then read the CPU.
    states: dict[str, int] = {}
    while time.monotonic() < deadline and activity_id:
        states = database.delivery_states(activity_id)
        if not states.get("queued") and not states.get("sending"):
            break
        time.sleep(0.05)
    cpu = chapter.process.cpu_seconds() - cpu_before
    time.sleep(1.0)  # anything sent twice would arrive now
    stats = _sink_stats(control_url)
    delivered_servers = stats["servers_per_activity"].get(activity_id, 0) if activity_id else 0
    seconds = (stats["last"] - started) if stats["last"] else float("nan")
    rate = delivered_servers / seconds if seconds and seconds == seconds else 0.0
    return _Fanout(cpu=cpu, cpu_api=cpu_api, api_seconds=api_seconds, seconds=seconds, rate=rate,
                   delivered_servers=delivered_servers, activity_id=activity_id, states=states, stats=stats,
                   post=post)


def run_fanout(
    chapter: Chapter, token: str, control_url: str, servers: int, ceiling: dict[str, Any]
) -> tuple[list[Figure], dict[str, Any]]:
    """Two posts: the first after start loads what delivering needs once (the
    HTTP client, imported on first use to keep idle memory down, and the
    signing key), as the ceiling's first round does; the second is measured,
    as the ceiling's best round is. The first is in the note."""
    ceiling_rate = float(ceiling["best"])
    ceiling_cpu = float(ceiling.get("cpu_ms_per_request", float("nan")))
    first = _one_post(chapter, token, control_url, servers, "Housing campaign: the first meeting")
    # The delivery client keeps idle connections CLIENT_KEEPALIVE_S; the ceiling opens
    # fresh ones each round, so the measured post waits until they are closed.
    time.sleep(CLIENT_KEEPALIVE_S + 1.0)
    run = _one_post(chapter, token, control_url, servers, "General assembly: the housing campaign")
    ratio = run.rate / ceiling_rate if ceiling_rate else 0.0
    exactly_once = all(
        one.delivered_servers == servers and one.stats["duplicates"] == 0
        and len(one.stats["servers_per_activity"]) == 1 and one.states.get("delivered", 0) == servers
        for one in (first, run)
    )
    figures = [
        Figure("fan-out to 5,000 followers: server CPU (post, enqueue, sign, send)", run.cpu, "s CPU",
               f"≤ {CPU_GOAL_S:.0f} s CPU", run.cpu <= CPU_GOAL_S,
               note=f"API call {run.api_seconds * 1000:.0f} ms wall, {run.cpu_api * 1000:.0f} ms CPU; "
                    f"the first post after start {first.cpu:.2f} s CPU"),
        Figure("fan-out: deliveries/s (500 servers)", run.rate, "deliveries/s", f"≥ {RATIO_GOAL:.0%} of ceiling",
               ratio >= RATIO_GOAL, ceiling=ceiling_rate, ratio=ratio,
               note=f"{run.delivered_servers} servers in {run.seconds:.2f} s from the API call; "
                    f"{run.cpu / servers * 1000:.2f} ms CPU/delivery (ceiling {ceiling_cpu:.2f}: "
                    f"CPU ratio {ceiling_cpu / (run.cpu / servers * 1000):.0%}); the first post after start "
                    f"(loading the HTTP client and the key) {first.rate:,.0f} deliveries/s "
                    f"({first.rate / ceiling_rate if ceiling_rate else 0.0:.0%})"),
        Figure("fan-out: delivered exactly once", float(run.delivered_servers), f"of {servers} servers",
               "all, once", exactly_once,
               note=f"both posts; duplicates {run.stats['duplicates']} and {first.stats['duplicates']}, "
                    f"queue states {run.states} and {first.states}"),
    ]
    raw = {name: {"post": one.post.get("ap_id"), "activity": one.activity_id, "cpu_seconds": one.cpu,
                  "cpu_api_seconds": one.cpu_api, "api_seconds": one.api_seconds, "seconds": one.seconds,
                  "rate": one.rate, "queue_states": one.states,
                  "sink": {k: v for k, v in one.stats.items() if k != "servers_per_activity"}}
           for name, one in (("first", first), ("measured", run))}
    return figures, raw
