"""The inbox and delivery queues and blocks as rows: idempotent, claimable once,
recoverable after a crash."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from storage.blocks import RECENT_BLOCKS_MAX_AGE_SECONDS, RecentBlocks
from storage.migrations import open_database
from storage.repositories import Repositories
from tests.support.instances import make_chapter_folder

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
LEASE = timedelta(minutes=5)


@pytest.fixture
async def repos(tmp_path: Path) -> AsyncIterator[Repositories]:
    settings = await make_chapter_folder(tmp_path / "london")
    database = await open_database(settings.database_target)
    try:
        yield Repositories.for_database(database)
    finally:
        await database.close()


async def _activity(repos: Repositories, activity_id: str) -> int:
    profile = await repos.chapter.get()
    assert profile is not None
    await repos.outbox.add(profile.actor_id, {"id": activity_id, "type": "Create"}, public=True)
    return profile.actor_id


async def test_one_delivery_row_per_activity_and_target(repos: Repositories) -> None:
    actor_id = await _activity(repos, "http://london.test/activities/1")
    targets = [("a.example", "https://a.example/inbox", None), ("a.example", "https://a.example/inbox", None),
               ("b.example", None, "https://b.example/users/x")]
    assert await repos.deliveries.enqueue("http://london.test/activities/1", actor_id, targets, now=NOW) == 2
    assert await repos.deliveries.enqueue("http://london.test/activities/1", actor_id, targets, now=NOW) == 0


async def test_a_row_is_claimed_once_and_a_stale_lease_is_requeued(repos: Repositories) -> None:
    actor_id = await _activity(repos, "http://london.test/activities/2")
    await repos.deliveries.enqueue("http://london.test/activities/2", actor_id,
                                   [("a.example", "https://a.example/inbox", None)], now=NOW)
    (row,) = await repos.deliveries.due(now=NOW, probe_before=NOW, limit=10)
    assert await repos.deliveries.claim([row.id], lease_until=NOW + LEASE) == {row.id}
    assert await repos.deliveries.claim([row.id], lease_until=NOW + LEASE) == set()  # another worker loses
    assert await repos.deliveries.release_stale_leases(NOW + LEASE / 2) == 0
    assert await repos.deliveries.release_stale_leases(NOW + LEASE * 2) == 1
    assert [due.id for due in await repos.deliveries.due(now=NOW, probe_before=NOW, limit=10)] == [row.id]


async def test_the_inbox_keeps_one_row_per_activity_id(repos: Repositories) -> None:
    activity = {"id": "https://m.example/a/1", "type": "Follow", "actor": "https://m.example/u/a"}
    stored = [await repos.inbox.store(activity, activity_id=activity["id"], actor_id=activity["actor"],
                                      type="Follow", local_actor_id=None, now=NOW) for _ in range(3)]
    assert stored == [True, False, False]
    row = await repos.inbox.by_activity_id(activity["id"])
    assert row is not None and (row.state, row.redelivered) == ("queued", 2)
    assert await repos.inbox.backlog() == 1


async def test_inbox_rows_come_back_after_a_crash_or_a_clean_stop(repos: Repositories) -> None:
    for number in range(2):
        await repos.inbox.store({}, activity_id=f"https://m.example/a/{number}", actor_id="https://m.example/u/a",
                                type="Like", local_actor_id=None, now=NOW)
    first, second = await repos.inbox.claim(10, now=NOW, lease=LEASE)
    assert await repos.inbox.claim(10, now=NOW, lease=LEASE) == []
    await repos.inbox.release([first.id])  # a worker stopping cleanly gives its rows back
    assert [row.id for row in await repos.inbox.claim(10, now=NOW, lease=LEASE)] == [first.id]
    # A crashed worker's lease runs out.
    assert {row.id for row in await repos.inbox.claim(10, now=NOW + LEASE * 2, lease=LEASE)} == {first.id, second.id}


async def test_both_queues_give_back_only_the_rows_of_a_worker_that_is_gone(repos: Repositories) -> None:
    actor_id = await _activity(repos, "http://london.test/activities/3")
    await repos.deliveries.enqueue("http://london.test/activities/3", actor_id,
                                   [("a.example", "https://a.example/inbox", None),
                                    ("b.example", "https://b.example/inbox", None)], now=NOW)
    first, second = await repos.deliveries.due(now=NOW, probe_before=NOW, limit=10)
    await repos.deliveries.claim([first.id], lease_until=NOW + LEASE, owner="gone:1")
    await repos.deliveries.claim([second.id], lease_until=NOW + LEASE, owner="alive:2")
    for number in range(2):
        await repos.inbox.store({}, activity_id=f"https://m.example/b/{number}", actor_id="https://m.example/u/a",
                                type="Like", local_actor_id=None, now=NOW)
    await repos.inbox.claim(1, now=NOW, lease=LEASE, owner="gone:1")
    await repos.inbox.claim(1, now=NOW, lease=LEASE, owner="alive:2")

    for queue in (repos.deliveries, repos.inbox):
        assert sorted(await queue.lease_holders()) == ["alive:2", "gone:1"]
        assert await queue.release_leases_of([]) == 0
        assert await queue.release_leases_of(["gone:1"]) == 1
        assert await queue.lease_holders() == ["alive:2"]
    assert [due.id for due in await repos.deliveries.due(now=NOW, probe_before=NOW, limit=10)] == [first.id]


@pytest.mark.parametrize(("host", "blocked"), [
    ("spam.example", True), ("mx.spam.example", True), ("spam.example:8443", True),
    ("notspam.example", False), ("example", False),
])
async def test_a_domain_block_covers_subdomains_and_ports(repos: Repositories, host: str, blocked: bool) -> None:
    await repos.blocks.add("domain", "spam.example")
    assert await repos.recent_blocks.is_domain_blocked(host) is blocked
    assert await repos.recent_blocks.is_blocked(f"https://{host}/users/x") is blocked


class FakeSeconds:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_the_block_list_in_memory_counts_this_process_blocks_at_once(repos: Repositories) -> None:
    clock = FakeSeconds()
    recent = RecentBlocks(repos.blocks, clock=clock)
    assert not await recent.is_blocked("https://spam.example/users/x")
    await repos.blocks.add("domain", "spam.example")
    assert await recent.is_blocked("https://mx.spam.example/users/x")
    await repos.blocks.remove("domain", "spam.example")
    assert not await recent.is_blocked("https://spam.example/users/x")


async def test_a_block_another_process_made_counts_within_the_max_age(repos: Repositories) -> None:
    clock = FakeSeconds()
    recent = RecentBlocks(repos.blocks, clock=clock)
    assert not await recent.is_domain_blocked("spam.example")
    # Another process's block: a row this process's repository never wrote.
    await repos.database.execute("INSERT INTO blocks (kind, value, reason, created_at) VALUES (?, ?, '', ?)",
                                 ("actor", "https://spam.example/users/x", NOW.isoformat()))
    assert not await recent.is_blocked("https://spam.example/users/x")
    clock.now += RECENT_BLOCKS_MAX_AGE_SECONDS + 0.1
    assert await recent.is_blocked("https://spam.example/users/x")


async def test_a_block_still_being_committed_is_not_forgotten(repos: Repositories) -> None:
    """Another task reading while the block's transaction is open sees the old
    list; that read must not be kept as current once the block commits."""
    clock = FakeSeconds()
    recent = RecentBlocks(repos.blocks, clock=clock)
    block_written, read_done = asyncio.Event(), asyncio.Event()
    seen: list[bool] = []

    async def read_meanwhile() -> None:  # made outside the transaction: a task of its own
        await block_written.wait()
        seen.append(await recent.is_domain_blocked("spam.example"))
        read_done.set()

    reader = asyncio.create_task(read_meanwhile())
    async with repos.database.transaction():
        await repos.blocks.add("domain", "spam.example")
        block_written.set()
        await read_done.wait()
    await reader
    assert seen == [False]
    assert await recent.is_domain_blocked("spam.example")
