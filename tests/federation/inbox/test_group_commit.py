"""The inbox's group commit: POSTs arriving together are stored in one
transaction, each answered only once its row is committed, and one bad row
never fails the others."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from fedchapter.inbox_rows import InboxEntry
from federation.inbox.group_commit import GroupCommit

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _entry(number: int) -> InboxEntry:
    return InboxEntry(activity_id=f"https://peer.example/a/{number}", actor_id="https://peer.example/users/ana",
                      type="Create", local_actor_id=None, payload="{}", received_at=NOW)


class Store:
    """Stands in for the inbox table: records each transaction's rows."""

    def __init__(self, refuse: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.transactions: list[list[str]] = []
        self.refuse = refuse
        self.committed: set[str] = set()

    async def store_many(self, entries: Sequence[InboxEntry]) -> None:
        await asyncio.sleep(0.01)  # a trip to the database: others arrive meanwhile
        ids = [entry.activity_id for entry in entries]
        if self.refuse & set(ids):
            raise ValueError("constraint failed")
        self.transactions.append(ids)
        self.committed.update(ids)


async def test_a_lone_post_is_written_at_once_by_itself() -> None:
    store = Store()
    await GroupCommit(store.store_many).store(_entry(1))
    assert store.transactions == [["https://peer.example/a/1"]]


async def test_posts_arriving_while_one_is_written_go_together_in_the_next() -> None:
    store = Store()
    commit = GroupCommit(store.store_many)
    answered: list[int] = []

    async def post(number: int) -> None:
        await commit.store(_entry(number))
        # Answered only once the row is committed.
        assert f"https://peer.example/a/{number}" in store.committed
        answered.append(number)

    await asyncio.gather(*(post(number) for number in range(20)))
    assert sorted(answered) == list(range(20))
    assert [len(ids) for ids in store.transactions] == [1, 19]


async def test_one_bad_row_fails_only_its_own_post() -> None:
    store = Store(refuse={"https://peer.example/a/3"})
    commit = GroupCommit(store.store_many)
    results = await asyncio.gather(*(commit.store(_entry(number)) for number in range(6)), return_exceptions=True)
    assert [isinstance(result, ValueError) for result in results] == [False, False, False, True, False, False]
    assert store.committed == {f"https://peer.example/a/{n}" for n in (0, 1, 2, 4, 5)}


async def test_the_next_post_after_a_quiet_moment_is_written_at_once_again() -> None:
    store = Store()
    commit = GroupCommit(store.store_many)
    await asyncio.gather(*(commit.store(_entry(number)) for number in range(3)))
    await commit.store(_entry(9))
    assert store.transactions[-1] == ["https://peer.example/a/9"]


async def test_a_failing_lone_post_raises_to_its_sender() -> None:
    store = Store(refuse={"https://peer.example/a/1"})
    with pytest.raises(ValueError):
        await GroupCommit(store.store_many).store(_entry(1))
