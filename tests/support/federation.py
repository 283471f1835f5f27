"""Helpers for federation tests: wait until every chapter's queues are empty
(bounded; never a fixed sleep), and follow between in-process chapters."""
from __future__ import annotations

import asyncio

from fedchapter.clock import to_iso, utc_now
from tests.support.instances import Instance


async def _pending_work(instance: Instance) -> int:
    database = instance.ctx.database
    inbox = await database.fetchvalue("SELECT COUNT(*) FROM inbox WHERE state IN ('queued', 'processing')")
    deliveries = await database.fetchvalue(
        "SELECT COUNT(*) FROM deliveries WHERE state = 'sending'"
        " OR (state = 'queued' AND next_try_at <= ?)",
        (to_iso(utc_now()),),
    )
    busy = int(instance.ctx.federation.delivery_worker.busy)
    return int(inbox) + int(deliveries) + busy


async def wait_until_drained(*instances: Instance, timeout: float = 10.0) -> None:
    """Wait until no instance has inbox rows to process or deliveries due or in flight.

    Deliveries scheduled for a later retry do not count. Raises AssertionError
    with the remaining work after ``timeout`` seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        pending = [await _pending_work(instance) for instance in instances]
        if not any(pending):
            return
        if loop.time() > deadline:
            hosts = [instance.host for instance in instances]
            raise AssertionError(f"queues still busy after {timeout}s: {dict(zip(hosts, pending))}")
        await asyncio.sleep(0.01)


async def follow(follower: Instance, followed: Instance) -> str:
    """``follower``'s chapter follows ``followed``'s, as ``fedchapter follow`` does."""
    return await follower.ctx.federation.follows.follow(followed.settings.chapter_handle)
