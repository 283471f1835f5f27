"""Four ``fedchapter worker`` processes on one PostgreSQL database deliver
10,000 queued deliveries to a loopback sink while one of them is killed with
SIGKILL half-way: none is lost, duplicates are at most what the killed worker
had in flight (all of the same activity), and the queue is empty again well
within one lease period (5 minutes).

Needs PostgreSQL (tests/support/postgres.py starts one): fails, never skips.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest
from aiohttp import web

from tests.support import postgres

pytestmark = pytest.mark.e2e

DELIVERIES = 10_000
WORKERS = 4
LEASE_SECONDS = 300
ROOT = Path(__file__).resolve().parents[2]


class Sink:
    """An inbox server on 127.0.0.1 that counts what it is sent, per inbox."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.activity_ids: set[str] = set()

    async def inbox(self, request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        self.received[request.path] += 1
        self.activity_ids.add(body["id"])
        return web.Response(status=202)


def _queue(url: str, port: int) -> str:
    """One Create in the outbox and one delivery row per recipient inbox, as the
    publisher writes them for a fan-out."""
    activity_id = "http://london.test/activities/fan-out"
    now = "2026-01-01T00:00:00+00:00"  # due long ago
    created = datetime.now(timezone.utc).isoformat()  # inside the retry window
    with psycopg.connect(url, autocommit=True) as connection:
        actor = connection.execute("SELECT actor_id FROM chapter").fetchone()[0]
        payload = json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "id": activity_id,
                              "type": "Create", "actor": "http://london.test/actors/london",
                              "object": {"type": "Note", "content": "hello"}})
        connection.execute(
            "INSERT INTO outbox (activity_id, local_actor_id, type, public, payload, created_at)"
            " VALUES (%s, %s, 'Create', 1, %s, %s)", (activity_id, actor, payload, now),
        )
        host = f"127.0.0.1:{port}"
        with connection.cursor().copy(
            "COPY deliveries (activity_id, local_actor_id, target, inbox, host, next_try_at, created_at)"
            " FROM STDIN"
        ) as copy:
            for n in range(DELIVERIES):
                inbox = f"http://{host}/inbox/{n}"
                copy.write_row((activity_id, actor, inbox, inbox, host, now, created))
    return activity_id


def _count(url: str, sql: str, *params: object) -> int:
    with psycopg.connect(url, autocommit=True) as connection:
        return int(connection.execute(sql, params).fetchone()[0])


@pytest.mark.parametrize("route", ["direct", "pgbouncer"])
async def test_four_workers_lose_nothing_when_one_is_killed(tmp_path: Path, route: str) -> None:
    if route == "direct":
        url = checks = postgres.new_database_url("fanout")
    else:
        # Through PgBouncer in transaction mode: no prepared statements, no
        # session state, no LISTEN (the workers poll). A database of its own:
        # PgBouncer does not pass the search_path option on.
        checks, _ = postgres.new_database("fanout")
        url = postgres.start_pgbouncer(checks)
    folder = tmp_path / "fanout"
    init = subprocess.run(
        [sys.executable, "-m", "fedchapter", "--data", str(folder), "init", "--base-url", "http://london.test",
         "--handle", "london", "--name", "London", "--dev", "--admin-password", "x" * 16,
         "--database-url", url],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert init.returncode == 0, init.stderr

    sink = Sink()
    app = web.Application()
    app.router.add_post("/inbox/{n}", sink.inbox)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    activity_id = _queue(checks, port)

    env = {**os.environ, "FEDCHAPTER_DELIVERY_CONCURRENCY_PER_HOST": "16"}
    workers = [
        subprocess.Popen([sys.executable, "-m", "fedchapter", "--data", str(folder), "worker"],
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(WORKERS)
    ]
    try:
        deadline = time.monotonic() + 240
        while sum(sink.received.values()) < DELIVERIES // 3:
            assert time.monotonic() < deadline, f"only {sum(sink.received.values())} delivered"
            assert all(worker.poll() is None for worker in workers), "a worker stopped"
            await asyncio.sleep(0.05)
        victim = workers[1]
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        killed_at = time.monotonic()
        in_flight = _count(checks, "SELECT COUNT(*) FROM deliveries WHERE state = 'sending' AND leased_by = %s",
                           f"{socket.gethostname()}:{victim.pid}")

        while _count(checks, "SELECT COUNT(*) FROM deliveries WHERE state IN ('queued', 'sending')"):
            assert time.monotonic() - killed_at < LEASE_SECONDS, "the queue did not drain within a lease"
            await asyncio.sleep(0.5)
        drained_after = time.monotonic() - killed_at
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        await runner.cleanup()

    delivered = _count(checks, "SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'")
    assert delivered == DELIVERIES
    assert len(sink.received) == DELIVERIES  # every inbox got its copy: none lost
    duplicates = sum(sink.received.values()) - DELIVERIES
    assert duplicates <= in_flight, (duplicates, in_flight)
    assert sink.activity_ids == {activity_id}
    print(f"{route}: killed worker held {in_flight}; {duplicates} duplicates; drained {drained_after:.1f} s after the kill")
