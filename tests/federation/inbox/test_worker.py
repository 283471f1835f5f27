"""The inbox worker's leases (issue 13.8): each claimed row names its holder
("hostname:pid"), and a worker starting on the same host takes back at once
the rows of a worker that no longer exists instead of waiting out the lease."""
from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from datetime import timedelta

import pytest

from fedchapter.clock import utc_now
from federation.leases import is_gone
from tests.federation.mastodon_peer import processed
from tests.support.instances import Instance, Network


@pytest.fixture
async def quiet_london(net: Network) -> Instance:
    return await net.chapter("london", run_workers=False)


def exited_process_identity() -> str:
    """The identity of a real process that has exited (its pid is free, as after kill -9)."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    return f"{socket.gethostname()}:{int(finished.stdout)}"


async def store(instance: Instance, number: int) -> str:
    activity_id = f"http://mastodon.test/activities/{number}"
    activity = {"id": activity_id, "type": "Wave", "actor": "http://mastodon.test/users/alice"}
    await instance.ctx.repos.inbox.store(activity, activity_id=activity_id, actor_id=activity["actor"],
                                         type="Wave", local_actor_id=None, now=utc_now())
    return activity_id


async def test_a_claimed_row_names_the_worker_holding_it(quiet_london: Instance) -> None:
    await store(quiet_london, 1)
    worker = quiet_london.ctx.inbox.worker
    await quiet_london.ctx.repos.inbox.claim(10, now=utc_now(), lease=timedelta(minutes=5), owner=worker.identity)
    assert await quiet_london.ctx.repos.inbox.lease_holders() == [worker.identity]
    assert worker.identity == f"{socket.gethostname()}:{__import__('os').getpid()}"


async def test_rows_of_a_killed_worker_on_this_host_are_taken_back_when_a_worker_starts(
    quiet_london: Instance,
) -> None:
    dead = exited_process_identity()
    assert is_gone(dead)
    inbox = quiet_london.ctx.repos.inbox
    mine, elsewhere = await store(quiet_london, 1), await store(quiet_london, 2)
    lease = timedelta(minutes=5)
    assert len(await inbox.claim(1, now=utc_now(), lease=lease, owner=dead)) == 1
    assert len(await inbox.claim(1, now=utc_now(), lease=lease, owner="another-host:1")) == 1
    worker = quiet_london.ctx.inbox.worker
    running = asyncio.create_task(worker.run())
    try:
        assert await processed(quiet_london, mine) == "ignored"  # processed at once, lease not waited out
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    # Another host's processes cannot be seen from here: its lease is respected.
    row = await inbox.by_activity_id(elsewhere)
    assert row is not None and row.state == "processing"
    assert await inbox.lease_holders() == ["another-host:1"]
