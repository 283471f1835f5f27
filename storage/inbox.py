"""The inbox queue: every accepted activity as a row, processed by the inbox
worker. Rows are claimed with a lease so several worker processes can share
one database, and a crashed worker's rows are taken up again."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.inbox_rows import InboxEntry
from fedchapter.queue_states import InboxState
from storage.database import Database
from storage.engine import page_neutral_writes
from storage.leases import LeasedQueue

UNPROCESSED = InboxState.unprocessed()
# A redelivered activity (same id) is stored once; its redeliveries are counted.
_STORE = (
    "INSERT INTO inbox (activity_id, actor_id, type, local_actor_id, payload, received_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (activity_id) DO UPDATE SET redelivered = inbox.redelivered + 1"
)
# A row in 'processing' is held by the worker named in leased_by.
_LEASES = LeasedQueue("inbox", "processing")
# params: state, error, processed at, row id.
_FINISH = "UPDATE inbox SET state = ?, error = ?, lease_until = NULL, leased_by = NULL, processed_at = ? WHERE id = ?"


@dataclass(frozen=True)
class InboxRow:
    id: int
    activity_id: str
    actor_id: str
    type: str
    local_actor_id: int | None
    payload: dict[str, Any]
    state: str
    error: str | None
    redelivered: int
    received_at: datetime


def _row(row: Any) -> InboxRow:
    return InboxRow(
        id=row["id"],
        activity_id=row["activity_id"],
        actor_id=row["actor_id"],
        type=row["type"],
        local_actor_id=row["local_actor_id"],
        payload=json.loads(row["payload"]),
        state=row["state"],
        error=row["error"],
        redelivered=row["redelivered"],
        received_at=from_iso(row["received_at"]),
    )


# Queue bookkeeping: storing, claiming and finishing rows changes no page.
@page_neutral_writes
class InboxRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def store(
        self,
        activity: dict[str, Any],
        *,
        activity_id: str,
        actor_id: str,
        type: str,
        local_actor_id: int | None,
        now: datetime,
    ) -> bool:
        """Store one activity as received; False when it was already stored
        (then only its redelivery count goes up). For an activity that did
        not come through the intake (the tests queue theirs so); the intake stores what
        POSTs bring in groups, through :meth:`store_received`."""
        rows = await self.database.execute_returning(
            _STORE + " RETURNING redelivered",
            (activity_id, actor_id, type, local_actor_id,
             json.dumps(activity, ensure_ascii=False, separators=(",", ":")), to_iso(now)),
        )
        stored = bool(rows) and rows[0][0] == 0
        if stored:
            await self.database.notify("inbox")  # a worker in another process wakes
        return stored

    async def store_received(self, received: Sequence[InboxEntry]) -> None:
        """Several POSTs' activities in one transaction: the intake's group
        commit (federation/inbox/group_commit.py)."""
        rows = [(item.activity_id, item.actor_id, item.type, item.local_actor_id, item.payload,
                 to_iso(item.received_at)) for item in received]
        if not rows:
            return
        if len(rows) == 1:
            await self.database.execute(_STORE, rows[0])  # one statement commits alone: one trip, not three
        else:
            await self.database.executemany(_STORE, rows)
        await self.database.notify("inbox")

    async def backlog(self) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM inbox WHERE state IN ('queued', 'processing')"
        ))

    async def claim(
        self, limit: int, *, now: datetime, lease: timedelta, owner: str | None = None
    ) -> list[InboxRow]:
        """Take up to ``limit`` rows to process: queued ones and those whose lease
        ran out. ``owner`` ("hostname:pid") is recorded as the lease holder."""
        # Several workers: PostgreSQL skips the rows another worker is claiming
        # this instant instead of queueing behind its lock; on SQLite the write
        # lock already makes the claim exclusive.
        skip_locked = " FOR UPDATE SKIP LOCKED" if self.database.dialect == "postgresql" else ""
        async with self.database.transaction():
            rows = await self.database.fetchall(
                "UPDATE inbox SET state = 'processing', lease_until = ?, leased_by = ? WHERE id IN ("
                " SELECT id FROM inbox WHERE state = 'queued'"
                f" OR (state = 'processing' AND lease_until < ?) ORDER BY id LIMIT ?{skip_locked})"
                " RETURNING *",
                (to_iso(now + lease), owner, to_iso(now), limit),
            )
        return sorted((_row(row) for row in rows), key=lambda row: row.id)

    async def lease_holders(self) -> list[str]:
        return await _LEASES.holders(self.database)

    async def release_leases_of(self, owners: list[str]) -> int:
        """Queue again the rows held by processes known to be gone (before their lease ends)."""
        return await _LEASES.release_held_by(self.database, owners)

    async def finish(self, row_id: int, state: str, *, error: str | None, now: datetime) -> None:
        await self.database.execute(
            _FINISH,
            (state, error, to_iso(now), row_id),
        )

    async def finish_many(self, outcomes: list[tuple[int, str, str | None]], *, now: datetime) -> None:
        """:meth:`finish` for several rows, ``(row id, state, error)``, in one transaction."""
        if not outcomes:
            return
        stamp = to_iso(now)
        await self.database.executemany(
            _FINISH,
            [(state, error, stamp, row_id) for row_id, state, error in outcomes],
        )

    async def release(self, row_ids: list[int]) -> None:
        """Give claimed rows back to the queue (a worker stopping cleanly)."""
        marks = ",".join("?" * len(row_ids))
        await self.database.execute(
            f"UPDATE inbox SET state = 'queued', lease_until = NULL, leased_by = NULL"
            f" WHERE state = 'processing' AND id IN ({marks})",
            row_ids,
        )

    async def by_activity_id(self, activity_id: str) -> InboxRow | None:
        row = await self.database.fetchone("SELECT * FROM inbox WHERE activity_id = ?", (activity_id,))
        return None if row is None else _row(row)

    async def recent(self, limit: int = 50, state: str | None = None) -> list[InboxRow]:
        if state is None:
            rows = await self.database.fetchall("SELECT * FROM inbox ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = await self.database.fetchall(
                "SELECT * FROM inbox WHERE state = ? ORDER BY id DESC LIMIT ?", (state, limit)
            )
        return [_row(row) for row in rows]

    async def count_by_state(self) -> dict[str, int]:
        rows = await self.database.fetchall("SELECT state, COUNT(*) FROM inbox GROUP BY state")
        return {row[0]: row[1] for row in rows}
