"""The queues at a glance, for /metrics and ``fedchapter doctor``: a handful of
aggregate queries over indexed columns, run when someone asks (a scrape, a
doctor run), never on the request path. Plain SQL that SQLite and PostgreSQL
both speak."""
from __future__ import annotations

from datetime import datetime

from fedchapter.clock import from_iso, to_iso, utc_now
from fedchapter.metrics import QueueSnapshot
from storage.engine import Database


class QueueStatsRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def snapshot(self) -> QueueSnapshot:
        inbox_by_state = await self._by_state("inbox")
        deliveries_by_state = await self._by_state("deliveries")
        inbox_oldest = await self.database.fetchvalue(
            "SELECT MIN(received_at) FROM inbox WHERE state IN ('queued', 'processing')"
        )
        deliveries_oldest = await self.database.fetchvalue(
            "SELECT MIN(created_at) FROM deliveries WHERE state IN ('queued', 'sending')"
        )
        hosts = await self.database.fetchone(
            "SELECT COALESCE(SUM(CASE WHEN available = 0 THEN 1 ELSE 0 END), 0),"
            " COALESCE(SUM(CASE WHEN paused_until > ? THEN 1 ELSE 0 END), 0) FROM delivery_hosts",
            (to_iso(utc_now()),),
        )
        return QueueSnapshot(
            inbox_pending=inbox_by_state.get("queued", 0) + inbox_by_state.get("processing", 0),
            inbox_oldest=_moment(inbox_oldest),
            deliveries_pending=deliveries_by_state.get("queued", 0) + deliveries_by_state.get("sending", 0),
            deliveries_oldest=_moment(deliveries_oldest),
            deliveries_by_state=deliveries_by_state,
            inbox_by_state=inbox_by_state,
            hosts_unavailable=0 if hosts is None else int(hosts[0]),
            hosts_paused=0 if hosts is None else int(hosts[1]),
        )

    async def _by_state(self, table: str) -> dict[str, int]:
        # ``table`` is one of our two names, never input.
        rows = await self.database.fetchall(f"SELECT state, COUNT(*) FROM {table} GROUP BY state")
        return {str(row[0]): int(row[1]) for row in rows}


def _moment(value: object) -> datetime | None:
    # Stored as ISO text; a driver that hands back a datetime is taken as is.
    if value is None:
        return None
    return value if isinstance(value, datetime) else from_iso(str(value))
