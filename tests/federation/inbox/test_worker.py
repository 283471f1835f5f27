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
from federation.inbox.worker import InboxWorker
from federation.leases import is_gone
from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.support.counting import Counting
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


# Separate budgets (issue 19, a follower surge) ---------------------------------------


async def test_a_worker_takes_its_turn_between_batches_until_the_backlog_is_gone(quiet_london: Instance) -> None:
    for number in range(1, 121):
        await store(quiet_london, number)
    inbox = quiet_london.ctx.repos.inbox
    backlog_at_turns: list[int] = []
    three_turns = asyncio.Event()

    async def turn() -> None:
        backlog_at_turns.append(await inbox.backlog())
        if len(backlog_at_turns) == 3:
            three_turns.set()

    worker = InboxWorker(quiet_london.ctx.inbox.context, inbox, batch_size=50, max_batch_size=50,
                         between_batches=turn)
    running = asyncio.create_task(worker.run())
    try:
        await three_turns.wait()
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert backlog_at_turns == [70, 20, 0]


async def test_in_a_follower_surge_each_batch_s_accepts_leave_before_the_next_batch(
    quiet_london: Instance, net: Network, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Follows queued faster than they are processed: whenever the inbox worker
    claims its next batch, every Accept queued by the batches before has already
    been taken by the delivery worker (none waits behind the backlog)."""
    chapter_actor = quiet_london.ctx.urls.actor("london")
    peers = [MastodonPeer(net, host=f"surge{number}.test") for number in range(3)]
    for peer in peers:  # one server per batch: its own per-server delivery limit
        for number in range(4):
            name = f"follower{number}"
            actor = peer.add_account(name)
            follow = {"id": f"{actor}/follows/1", "type": "Follow", "actor": actor, "object": chapter_actor}
            await quiet_london.ctx.repos.inbox.store(follow, activity_id=follow["id"], actor_id=actor,
                                                     type="Follow", local_actor_id=None, now=utc_now())
    inbox_worker = quiet_london.ctx.inbox.worker
    delivery_worker = quiet_london.ctx.federation.delivery_worker
    inbox_worker.batch_size = inbox_worker.max_batch_size = 4
    deliveries = quiet_london.ctx.repos.deliveries
    waiting_at_claims: list[int] = []
    claim = inbox_worker.inbox.claim

    async def claim_and_note_waiting_accepts(*args: object, **kwargs: object) -> object:
        waiting = await deliveries.due(now=utc_now(), probe_before=utc_now(), limit=100)
        waiting_at_claims.append(len(waiting))
        return await claim(*args, **kwargs)  # type: ignore[operator]

    monkeypatch.setattr(inbox_worker.inbox, "claim", claim_and_note_waiting_accepts)
    running = [asyncio.create_task(delivery_worker.run()), asyncio.create_task(inbox_worker.run())]
    try:
        # The Accepts may arrive before the claim that finds no more Follows: wait for both.
        await eventually(lambda: sum(len(peer.activities("Accept")) for peer in peers) == 12
                         and len(waiting_at_claims) >= 4, "12 Accepts and the last claim")
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
    assert len(waiting_at_claims) >= 4  # three batches of Follows, then the claim that finds none
    assert waiting_at_claims[:4] == [0, 0, 0, 0]


async def test_a_batch_s_outcomes_are_written_together(quiet_london: Instance) -> None:
    ids = [await store(quiet_london, number) for number in range(5)]
    worker = quiet_london.ctx.inbox.worker
    counted = Counting(worker.inbox)
    worker.inbox = counted  # type: ignore[assignment]
    assert await worker.run_once() == 5
    assert counted.calls.get("finish", 0) == 0 and counted.calls["finish_many"] == 1
    for activity_id in ids:
        row = await quiet_london.ctx.repos.inbox.by_activity_id(activity_id)
        assert row is not None and row.state == "ignored" and "Wave" in (row.error or "")
    assert await quiet_london.ctx.repos.inbox.lease_holders() == []  # nothing left held


async def test_under_a_backlog_each_full_batch_doubles_the_next_up_to_the_most(quiet_london: Instance) -> None:
    """The queue's round trips are paid per batch: a worker working off a
    flood takes more rows at a time, and goes back to small batches after."""
    for number in range(700):
        await store(quiet_london, number)
    worker = quiet_london.ctx.inbox.worker
    worker.batch_size, worker.max_batch_size = 50, 200
    sizes = []
    while (held := await worker.run_once()):
        sizes.append(held)
    assert sizes == [50, 100, 200, 200, 150]
    await store(quiet_london, 1000)
    assert await worker.run_once() == 1  # the flood is over: back to batches of 50
    for number in range(2000, 2060):
        await store(quiet_london, number)
    assert await worker.run_once() == 50
