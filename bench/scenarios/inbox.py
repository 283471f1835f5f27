"""The inbox: signed POSTs accepted per second (verification and durable
enqueue) at 64 connections against the inbox ceiling; then an open-loop
100/s run in which every activity must be *processed* within 5 s."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

from bench import wrk
from bench.chapter import Chapter
from bench.db import ChapterDatabase
from bench.loadgen import PreparedRequest, run_load
from bench.report import Figure
from bench.scenarios.pages import cpu_note

CONNECTIONS = 64
RATIO_GOAL = 0.50
P99_GOAL_MS = 50.0
PROCESSING_RATE = 100.0
PROCESSING_GOAL_S = 5.0
DRAIN_TIMEOUT_S = 90.0


def run_throughput(
    workdir: Path, chapter: Chapter, requests: list[PreparedRequest], ceiling: wrk.WrkResult, *, seconds: float
) -> tuple[list[Figure], dict[str, object]]:
    database = ChapterDatabase(chapter.data)
    ceiling_rps = ceiling.rps(frozenset({202}))
    result = wrk.replay(workdir, "inbox", requests, connections=CONNECTIONS, seconds=seconds, server=chapter.process)
    accepted = result.rps(frozenset({202}))
    ratio = accepted / ceiling_rps if ceiling_rps else 0.0
    others = {status: count for status, count in result.statuses.items() if status != 202}
    # The server's CPU here includes the inbox worker processing what was accepted.
    notes = [cpu_note(result, ceiling)]
    if others:
        notes.append(f"other answers: {others}")
    if result.socket_errors:
        notes.append(f"socket errors: {result.errors}")
    if result.exhausted:
        notes.append(f"all {len(requests):,} pre-signed activities were taken: the rate is a lower bound")
    backlog_after = database.inbox_backlog()
    drained = database.wait_inbox_drained(DRAIN_TIMEOUT_S)
    figures = [
        Figure(f"inbox: signed POSTs accepted/s at {CONNECTIONS} connections", accepted, "req/s",
               f"≥ {RATIO_GOAL:.0%} of ceiling", ratio >= RATIO_GOAL, ceiling=ceiling_rps, ratio=ratio,
               note="; ".join(filter(None, notes))),
        Figure(f"inbox: p99 at {CONNECTIONS} connections", result.p99_ms, "ms", f"≤ {P99_GOAL_MS:.0f} ms",
               result.p99_ms <= P99_GOAL_MS),
        Figure("inbox: backlog drained after the run", float("nan") if drained is None else drained, "s",
               "drains", drained is not None,
               note=f"{backlog_after:,} unprocessed when the load stopped; states {database.inbox_states()}"),
    ]
    return figures, {"wrk": result.summary(), "backlog_after": backlog_after, "drain_seconds": drained}


def run_processing(
    chapter: Chapter, requests: list[PreparedRequest], *, seconds: float
) -> tuple[list[Figure], dict[str, object]]:
    """Open loop at 100/s; a poller sees each activity processed in the database
    (every 50 ms) and times it from when its POST was due."""
    database = ChapterDatabase(chapter.data)
    first_id = database.max_inbox_id()
    due_at: dict[str, float] = {}
    processed_at: dict[str, float] = {}
    states: dict[str, str] = {}
    stop = threading.Event()

    def on_response(request: PreparedRequest, status: int, due: float) -> None:
        if status == 202:
            due_at[json.loads(request.body or b"{}")["id"]] = due

    def poll() -> None:
        while not stop.is_set():
            now = time.perf_counter()
            for activity_id, state in database.processed_since(first_id):
                if activity_id not in processed_at:
                    processed_at[activity_id] = now
                    states[activity_id] = state
            time.sleep(0.05)

    poller = threading.Thread(target=poll, name="inbox-poller")
    poller.start()
    try:
        stats = asyncio.run(run_load(
            iter(requests), connections=64, seconds=seconds, rate_per_second=PROCESSING_RATE,
            on_response=on_response,
        ))
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and not set(due_at) <= set(processed_at):
            time.sleep(0.1)
    finally:
        stop.set()
        poller.join()
    waits = sorted(processed_at[a] - due_at[a] for a in due_at if a in processed_at)
    missing = len(set(due_at) - set(processed_at))
    worst = waits[-1] if waits else float("nan")
    state_counts: dict[str, int] = {}
    for state in states.values():
        state_counts[state] = state_counts.get(state, 0) + 1
    note = f"{len(due_at)} accepted of {stats.sent} sent; p50 {waits[len(waits) // 2]:.2f} s; states {state_counts}" \
        if waits else f"nothing processed; {stats.statuses}"
    if missing:
        note += f"; {missing} not processed within 30 s"
    figures = [Figure(
        f"inbox: slowest accept-to-processed at {PROCESSING_RATE:.0f}/s", worst, "s",
        f"≤ {PROCESSING_GOAL_S:.0f} s", bool(waits) and missing == 0 and worst <= PROCESSING_GOAL_S
        and stats.ok == stats.sent, note=note,
    )]
    return figures, {"load": stats.summary(), "statuses": stats.statuses, "processed_states": state_counts,
                     "slowest_s": worst, "missing": missing}
