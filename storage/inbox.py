"""The inbox queue: every accepted activity as a row, processed by the inbox
worker. Rows are claimed with a lease so several worker processes can share
one database, and a crashed worker's rows are taken up again."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fedchapter.clock import from_iso, to_iso
from storage.database import Database

UNPROCESSED = ("queued", "processing")


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
        """Store a received activity; False when it was already stored (then only
        its redelivery count goes up). One statement: this is the inbox's hot path."""
        rows = await self.database.execute_returning(
            "INSERT INTO inbox (activity_id, actor_id, type, local_actor_id, payload, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (activity_id) DO UPDATE SET redelivered = redelivered + 1"
            " RETURNING redelivered",
            (activity_id, actor_id, type, local_actor_id,
             json.dumps(activity, ensure_ascii=False, separators=(",", ":")), to_iso(now)),
        )
        return bool(rows) and rows[0][0] == 0

    async def backlog(self) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM inbox WHERE state IN ('queued', 'processing')"
        ))

    async def claim(self, limit: int, *, now: datetime, lease: timedelta) -> list[InboxRow]:
        """Take up to ``limit`` rows to process: queued ones and those whose lease ran out."""
        async with self.database.transaction():
            rows = await self.database.fetchall(
                "UPDATE inbox SET state = 'processing', lease_until = ? WHERE id IN ("
                " SELECT id FROM inbox WHERE state = 'queued'"
                " OR (state = 'processing' AND lease_until < ?) ORDER BY id LIMIT ?)"
                " RETURNING *",
                (to_iso(now + lease), to_iso(now), limit),
            )
        return sorted((_row(row) for row in rows), key=lambda row: row.id)

    async def finish(self, row_id: int, state: str, *, error: str | None, now: datetime) -> None:
        await self.database.execute(
            "UPDATE inbox SET state = ?, error = ?, lease_until = NULL, processed_at = ? WHERE id = ?",
            (state, error, to_iso(now), row_id),
        )

    async def release(self, row_ids: list[int]) -> None:
        """Give claimed rows back to the queue (a worker stopping cleanly)."""
        marks = ",".join("?" * len(row_ids))
        await self.database.execute(
            f"UPDATE inbox SET state = 'queued', lease_until = NULL"
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
