"""PostgreSQL fan-out: deliveries/s with 1, 2 and 4 ``fedchapter worker``
processes on one PostgreSQL database, to the 500 sink servers of
``bench.peers``, against the delivery ceiling of the same run.

- The database: a throwaway PostgreSQL server started as the tests start
  one (``tests/support/postgres.py``: Debian's PostgreSQL, a temporary folder,
  a free loopback port, durability off), and one chapter made on it by
  ``fedchapter init --database-url``.
- Each run: N workers are started and waited for (their start is not timed);
  then one transaction queues ACTIVITIES activities to every sink server (one
  delivery row per activity and server, as the publisher writes a fan-out)
  and wakes them with the NOTIFY the publisher sends. Deliveries/s counts
  from that commit to the last arrival at a sink.
- Cores: the workers and PostgreSQL may use both cores, since a second
  process can only add speed with a second core; the sinks share core 1 with
  them and the ceiling is one process on core 0. So the ratio of 2 and 4
  workers to the ceiling can pass 100 %, and on this 2-core machine the
  scaling cannot pass 2x.
- Exactly once: every sink counts each activity id it receives, and the
  queue must end with every row delivered.
"""
from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.chapter import fedchapter
from bench.processes import LOAD_CORE, SERVER_CORE, Process, python, start
from bench.report import Figure
from bench.scenarios.fanout import RATIO_GOAL, _sink_stats, reset_sinks

WORKER_COUNTS = (1, 2, 4)
ACTIVITIES = 6  # x 500 servers = 3,000 deliveries a run
QUICK_ACTIVITIES = 2
BOTH_CORES = f"{SERVER_CORE},{LOAD_CORE}"
READY_LINE = b"workers running"
TIMEOUT_S = 300.0


def start_postgres() -> str:
    """The URL of a fresh database on a throwaway server (stopped at exit),
    its processes allowed on both cores although the harness keeps to core 1."""
    from tests.support import postgres  # psycopg and the server only for this scenario

    own = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {int(SERVER_CORE), int(LOAD_CORE)})
    try:
        return postgres.start_server()
    finally:
        os.sched_setaffinity(0, own)


def run_pg_fanout(
    workdir: Path, servers: list[str], control_url: str, ceiling: dict[str, Any], sample: dict[str, Any],
    *, quick: bool = False,
) -> tuple[list[Figure], dict[str, Any]]:
    import psycopg

    url = start_postgres()
    data = workdir / "pg-chapter"
    fedchapter("init", "--data", str(data), "--base-url", "http://pg.bench.test", "--handle", "london",
               "--name", "Bench Chapter", "--admin-username", "admin", "--admin-password", "bench-admin-password",
               "--dev", "--database-url", url)
    ceiling_rate = float(ceiling["best"])
    activities = QUICK_ACTIVITIES if quick else ACTIVITIES
    runs: dict[int, dict[str, Any]] = {}
    with psycopg.connect(url, autocommit=True) as connection:
        actor = connection.execute("SELECT actor_id FROM chapter").fetchone()[0]  # type: ignore[index]
        for workers in WORKER_COUNTS:
            runs[workers] = _run(connection, data, servers, control_url, sample, actor,
                                 workers=workers, activities=activities)

    expected = activities * len(servers)
    base = runs[WORKER_COUNTS[0]]["rate"]
    figures: list[Figure] = []
    for workers, run in runs.items():
        rate = run["rate"]
        ratio = rate / ceiling_rate if ceiling_rate else 0.0
        scaling = rate / base if base else 0.0
        if workers == WORKER_COUNTS[0]:
            goal, met = f"≥ {RATIO_GOAL:.0%} of ceiling", ratio >= RATIO_GOAL
        else:
            goal, met = f"more than {WORKER_COUNTS[0]} worker", scaling > 1.0
        figures.append(Figure(
            f"PostgreSQL fan-out: deliveries/s with {workers} worker process{'es' if workers > 1 else ''}",
            rate, "deliveries/s", goal, met, ceiling=ceiling_rate, ratio=ratio,
            note=f"×{scaling:.2f} of {WORKER_COUNTS[0]} worker; {expected:,} deliveries in {run['seconds']:.2f} s; "
                 f"{run['cpu_ms_per_delivery']:.2f} ms worker CPU/delivery (PostgreSQL's own not counted)",
        ))
    lost = sum(expected - run["delivered_rows"] for run in runs.values())
    duplicates = sum(run["duplicates"] for run in runs.values())
    arrived = sum(run["arrived"] for run in runs.values())
    figures.append(Figure(
        "PostgreSQL fan-out: delivered exactly once", float(arrived), f"of {expected * len(runs):,} deliveries",
        "all, once", lost == 0 and duplicates == 0 and arrived == expected * len(runs),
        note=f"lost {lost}, duplicates {duplicates}; queue states per run "
             + "; ".join(f"{workers}: {run['queue_states']}" for workers, run in runs.items()),
    ))
    return figures, {"activities": activities, "deliveries_per_run": expected, "runs": runs}


def _run(
    connection: Any, data: Path, servers: list[str], control_url: str, sample: dict[str, Any], actor: int,
    *, workers: int, activities: int,
) -> dict[str, Any]:
    reset_sinks(control_url)
    processes = [
        start([python(), "-m", "fedchapter", "--data", str(data), "worker"], name=f"pg-worker-{workers}-{n}",
              core=BOTH_CORES, log=data / f"worker-{workers}-{n}.log")
        for n in range(workers)
    ]
    try:
        for process, n in zip(processes, range(workers)):
            _wait_ready(process, data / f"worker-{workers}-{n}.log")
        cpu_before = sum(process.cpu_seconds() for process in processes)
        ids = [f"http://pg.bench.test/activities/fan-out-{workers}-{n}" for n in range(activities)]
        started = _queue(connection, ids, servers, sample, actor)
        expected = activities * len(servers)
        deadline = started + TIMEOUT_S
        stats = _sink_stats(control_url)
        while time.monotonic() < deadline:
            stats = _sink_stats(control_url)
            if sum(min(stats["servers_per_activity"].get(i, 0), len(servers)) for i in ids) >= expected:
                break
            if not all(process.alive for process in processes):
                raise RuntimeError(f"a PostgreSQL worker stopped; see {data}/worker-*.log")
            time.sleep(0.05)
        states = _states(connection, ids)
        while time.monotonic() < deadline and (states.get("queued") or states.get("sending")):
            time.sleep(0.05)
            states = _states(connection, ids)
        cpu = sum(process.cpu_seconds() for process in processes) - cpu_before
    finally:
        for process in processes:
            process.stop()
    time.sleep(0.5)  # anything sent twice would have arrived by now
    stats = _sink_stats(control_url)
    seconds = (stats["last"] - started) if stats["last"] else float("nan")
    arrived = sum(stats["servers_per_activity"].get(i, 0) for i in ids)
    return {
        "rate": arrived / seconds if seconds == seconds and seconds > 0 else 0.0,
        "seconds": seconds, "arrived": arrived, "duplicates": stats["duplicates"],
        "delivered_rows": states.get("delivered", 0), "queue_states": states,
        "cpu_seconds": cpu, "cpu_ms_per_delivery": cpu / expected * 1000,
    }


def _wait_ready(process: Process, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and READY_LINE in log.read_bytes():
            return
        if not process.alive:
            raise RuntimeError(f"fedchapter worker exited: {log.read_text(errors='replace')[-500:]}")
        time.sleep(0.05)
    raise TimeoutError(f"fedchapter worker not ready within {timeout:.0f} s ({log})")


def _queue(connection: Any, ids: list[str], servers: list[str], sample: dict[str, Any], actor: int) -> float:
    """Queue every activity to every server in one transaction, as the
    publisher does (an outbox row, one delivery row per inbox, a NOTIFY at
    commit); return the monotonic time of the commit."""
    now = datetime.now(timezone.utc).isoformat()  # as fedchapter writes times: due at once
    with connection.transaction():
        for activity_id in ids:
            payload = json.dumps({**sample, "id": activity_id})
            connection.execute(
                "INSERT INTO outbox (activity_id, local_actor_id, type, public, payload, created_at)"
                " VALUES (%s, %s, 'Create', 1, %s, %s)", (activity_id, actor, payload, now),
            )
        with connection.cursor().copy(
            "COPY deliveries (activity_id, local_actor_id, target, inbox, host, next_try_at, created_at) FROM STDIN"
        ) as copy:
            for activity_id in ids:
                for server in servers:
                    inbox = f"{server}/inbox"
                    copy.write_row((activity_id, actor, inbox, inbox, urlsplit(server).netloc, now, now))
        # storage/postgres.py names the channel after the schema (public here).
        connection.execute("SELECT pg_notify(current_schema() || '_deliveries', '')")
    return time.monotonic()


def _states(connection: Any, ids: list[str]) -> dict[str, int]:
    rows = connection.execute(
        "SELECT state, COUNT(*) FROM deliveries WHERE activity_id = ANY(%s) GROUP BY state", (ids,)
    ).fetchall()
    return {str(state): int(count) for state, count in rows}
