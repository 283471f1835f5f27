"""The delivery queue: one row per (activity, recipient inbox), its payload in
the outbox. Anyone can read the queue; the delivery worker moves rows from
'queued' to 'sending' (with a lease) to 'delivered' or 'failed'."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fedchapter.clock import from_iso, to_iso
from storage.database import Database
from storage.engine import page_neutral_writes
from storage.leases import LeasedQueue


# (host, inbox, recipient actor id): where one copy goes. The inbox when it is
# known at queue time, else the actor, whose inbox the worker resolves.
Target = tuple[str, str | None, str | None]

# A row in 'sending' is held by the worker named in leased_by.
_LEASES = LeasedQueue("deliveries", "sending")
# An outcome is recorded only while the worker that made the attempt still
# holds the row (params: owner, attempts when claimed).
_HELD = " AND state = 'sending' AND leased_by = ? AND attempts = ?"
# params: status, finished at, delivery id.
_DELIVERED = (
    "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?,"
    " last_error = NULL, lease_until = NULL, leased_by = NULL, finished_at = ? WHERE id = ?"
)


@dataclass(frozen=True)
class Delivery:
    id: int
    activity_id: str
    local_actor_id: int
    inbox: str | None
    recipient_actor_id: str | None
    host: str
    state: str
    attempts: int
    next_try_at: datetime
    created_at: datetime
    last_status: int | None
    last_error: str | None
    payload: str


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row["id"], activity_id=row["activity_id"], local_actor_id=row["local_actor_id"],
        inbox=row["inbox"], recipient_actor_id=row["recipient_actor_id"], host=row["host"],
        state=row["state"], attempts=row["attempts"], next_try_at=from_iso(row["next_try_at"]),
        created_at=from_iso(row["created_at"]), last_status=row["last_status"],
        last_error=row["last_error"], payload=row["payload"],
    )


_SELECT = (
    "SELECT d.*, o.payload FROM deliveries d JOIN outbox o ON o.activity_id = d.activity_id"
)


# Queue bookkeeping: storing, claiming and finishing rows changes no page.
@page_neutral_writes
class DeliveryRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def enqueue(
        self, activity_id: str, local_actor_id: int, targets: Iterable[Target], *, now: datetime
    ) -> int:
        """Queue one row per distinct target; a target already queued for the activity is kept."""
        stamp = to_iso(now)
        added = 0
        async with self.database.transaction():
            for host, inbox, recipient_actor_id in targets:
                cursor = await self.database.execute(
                    "INSERT OR IGNORE INTO deliveries (activity_id, local_actor_id, target, inbox,"
                    " recipient_actor_id, host, next_try_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (activity_id, local_actor_id, inbox or recipient_actor_id, inbox, recipient_actor_id,
                     host, stamp, stamp),
                )
                added += cursor.rowcount
            if added:
                await self.database.notify("deliveries")  # sent at commit
        return added

    async def due(self, *, now: datetime, probe_before: datetime, limit: int) -> list[Delivery]:
        """Queued rows whose time has come, on hosts neither paused nor unavailable
        (an unavailable host is probed again once its last failure is old enough)."""
        stamp = to_iso(now)
        # Read through the writer (in a transaction) so that rows queued in a
        # transaction still open in this process are seen as soon as it commits.
        async with self.database.transaction():
            rows = await self.database.fetchall(
                f"{_SELECT} LEFT JOIN delivery_hosts h ON h.host = d.host"
                " WHERE d.state = 'queued' AND d.next_try_at <= ?"
                " AND (h.paused_until IS NULL OR h.paused_until <= ?)"
                " AND (h.available IS NULL OR h.available = 1 OR h.last_failure_at < ?)"
                " ORDER BY d.next_try_at, d.id LIMIT ?",
                (stamp, stamp, to_iso(probe_before), limit),
            )
        return [_delivery(row) for row in rows]

    async def take_due(
        self,
        *,
        now: datetime,
        probe_before: datetime,
        limit: int,
        choose: Callable[[list[Delivery]], list[Delivery]],
        lease_until: datetime,
        owner: str,
    ) -> list[Delivery]:
        """Read due rows, let ``choose`` pick those to send (per-host limits) and
        mark them 'sending' for ``owner``, in one transaction.

        On PostgreSQL the rows read are locked FOR UPDATE SKIP LOCKED, so
        workers in other processes read other rows instead of waiting on these
        (the rows not chosen are released at commit); on SQLite the write lock
        makes the whole step exclusive."""
        stamp = to_iso(now)
        skip_locked = " FOR UPDATE OF d SKIP LOCKED" if self.database.dialect == "postgresql" else ""
        async with self.database.transaction():
            rows = await self.database.fetchall(
                f"{_SELECT} LEFT JOIN delivery_hosts h ON h.host = d.host"
                " WHERE d.state = 'queued' AND d.next_try_at <= ?"
                " AND (h.paused_until IS NULL OR h.paused_until <= ?)"
                " AND (h.available IS NULL OR h.available = 1 OR h.last_failure_at < ?)"
                f" ORDER BY d.next_try_at, d.id LIMIT ?{skip_locked}",
                (stamp, stamp, to_iso(probe_before), limit),
            )
            chosen = choose([_delivery(row) for row in rows])
            if not chosen:
                return []
            claimed = await self.claim([row.id for row in chosen], lease_until=lease_until, owner=owner)
        return [row for row in chosen if row.id in claimed]

    async def next_due_at(self) -> datetime | None:
        """When the next queued row becomes due (a paused host's rows count from its pause's end)."""
        value = await self.database.fetchvalue(
            # CASE, not SQLite's two-argument MAX (PostgreSQL spells it GREATEST).
            "SELECT MIN(CASE WHEN h.paused_until > d.next_try_at THEN h.paused_until"
            " ELSE d.next_try_at END) FROM deliveries d"
            " LEFT JOIN delivery_hosts h ON h.host = d.host"
            " WHERE d.state = 'queued' AND (h.available IS NULL OR h.available = 1)"
        )
        return None if value is None else from_iso(value)

    async def claim(self, ids: list[int], *, lease_until: datetime, owner: str | None = None) -> set[int]:
        """Mark rows 'sending' (held by ``owner``, "hostname:pid"); only those still
        queued are returned (another process may race)."""
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        async with self.database.transaction():
            rows = await self.database.fetchall(
                f"UPDATE deliveries SET state = 'sending', lease_until = ?, leased_by = ?"
                f" WHERE state = 'queued' AND id IN ({marks}) RETURNING id",
                (to_iso(lease_until), owner, *ids),
            )
        return {row[0] for row in rows}

    async def lease_holders(self) -> list[str]:
        return await _LEASES.holders(self.database)

    async def release_leases_of(self, owners: list[str]) -> int:
        """Queue again the rows held by processes known to be gone (before their lease ends)."""
        return await _LEASES.release_held_by(self.database, owners)

    async def release_stale_leases(self, now: datetime) -> int:
        """Rows left 'sending' by a worker that died are queued again."""
        cursor = await self.database.execute(
            "UPDATE deliveries SET state = 'queued', lease_until = NULL, leased_by = NULL"
            " WHERE state = 'sending' AND lease_until < ?",
            (to_iso(now),),
        )
        return cursor.rowcount

    async def set_inbox(self, delivery_id: int, inbox: str) -> None:
        await self.database.execute("UPDATE deliveries SET inbox = ? WHERE id = ?", (inbox, delivery_id))

    # The outcome of an attempt is recorded only while the worker that made it
    # (``held``: its owner and the row's attempts when it claimed it) still holds
    # the row: once its lease ran out and another worker took the row over, a
    # late answer must not overwrite that worker's state.
    @staticmethod
    def _held_by(held: tuple[str, int] | None) -> tuple[str, tuple[object, ...]]:
        if held is None:
            return "", ()
        return _HELD, held

    async def mark_delivered(
        self, delivery_id: int, *, status: int | None, now: datetime, held: tuple[str, int] | None = None
    ) -> bool:
        condition, extra = self._held_by(held)
        cursor = await self.database.execute(
            _DELIVERED + condition,
            (status, to_iso(now), delivery_id, *extra),
        )
        return cursor.rowcount > 0

    async def mark_delivered_many(
        self, outcomes: Sequence[tuple[int, int | None, datetime, int]], *, owner: str
    ) -> None:
        """Record several deliveries as delivered in one transaction (the worker
        gathers them between its queue scans): ``(delivery id, HTTP status,
        finished at, attempts when claimed)``, each recorded only while
        ``owner`` still holds the row, as :meth:`mark_delivered` does."""
        if not outcomes:
            return
        await self.database.executemany(
            _DELIVERED + _HELD,
            [(status, to_iso(finished_at), delivery_id, owner, attempts)
             for delivery_id, status, finished_at, attempts in outcomes],
        )

    async def schedule_retry(
        self, delivery_id: int, *, next_try_at: datetime, status: int | None, error: str | None,
        held: tuple[str, int] | None = None,
    ) -> bool:
        condition, extra = self._held_by(held)
        cursor = await self.database.execute(
            "UPDATE deliveries SET state = 'queued', attempts = attempts + 1, next_try_at = ?,"
            f" last_status = ?, last_error = ?, lease_until = NULL, leased_by = NULL WHERE id = ?{condition}",
            (to_iso(next_try_at), status, error, delivery_id, *extra),
        )
        return cursor.rowcount > 0

    async def mark_failed(
        self, delivery_id: int, *, status: int | None, error: str | None, now: datetime, attempted: bool = True,
        held: tuple[str, int] | None = None,
    ) -> bool:
        condition, extra = self._held_by(held)
        cursor = await self.database.execute(
            "UPDATE deliveries SET state = 'failed', attempts = attempts + ?, last_status = ?,"
            f" last_error = ?, lease_until = NULL, leased_by = NULL, finished_at = ? WHERE id = ?{condition}",
            (int(attempted), status, error, to_iso(now), delivery_id, *extra),
        )
        return cursor.rowcount > 0

    async def expire(self, *, created_before: datetime, now: datetime) -> int:
        """Give up on queued rows older than the retry window (e.g. held for an unavailable host)."""
        cursor = await self.database.execute(
            "UPDATE deliveries SET state = 'failed', last_error = COALESCE(last_error, '')"
            " || ' (gave up: retry window over)', finished_at = ?"
            " WHERE state = 'queued' AND created_at < ?",
            (to_iso(now), to_iso(created_before)),
        )
        return cursor.rowcount

    async def release_host(self, host: str, now: datetime) -> int:
        """The host came back: send at once the rows that waited because it was down.

        Only rows whose last failure said "server down" (no answer, 408, 502,
        504: ``federation.delivery.policy.HOST_DOWN_STATUSES``) and rows never
        tried are released. A row the server answered with a 500 failed for its
        own reasons, and a 429/503 asked for a pause: they keep their back-off
        (releasing every row on any success sent one failing Update 7 times in
        2 minutes)."""
        cursor = await self.database.execute(
            "UPDATE deliveries SET next_try_at = ? WHERE host = ? AND state = 'queued' AND next_try_at > ?"
            " AND (last_status IS NULL OR last_status IN (408, 502, 504))",
            (to_iso(now), host, to_iso(now)),
        )
        return cursor.rowcount

    async def cancel_to_actor(self, actor_id: str, inbox: str | None) -> int:
        """Cancel pending rows for one actor (its own inbox; a shared inbox serves others too)."""
        cursor = await self.database.execute(
            "UPDATE deliveries SET state = 'cancelled', lease_until = NULL"
            " WHERE state IN ('queued', 'sending') AND (recipient_actor_id = ? OR inbox = ?)",
            (actor_id, inbox or actor_id),
        )
        return cursor.rowcount

    async def cancel_to_host(self, host: str) -> int:
        cursor = await self.database.execute(
            "UPDATE deliveries SET state = 'cancelled', lease_until = NULL"
            " WHERE state IN ('queued', 'sending') AND (host = ? OR host LIKE ?)",
            (host, f"%.{host}"),
        )
        return cursor.rowcount

    async def get(self, delivery_id: int) -> Delivery | None:
        row = await self.database.fetchone(f"{_SELECT} WHERE d.id = ?", (delivery_id,))
        return None if row is None else _delivery(row)

    async def for_activity(self, activity_id: str) -> list[Delivery]:
        rows = await self.database.fetchall(f"{_SELECT} WHERE d.activity_id = ? ORDER BY d.id", (activity_id,))
        return [_delivery(row) for row in rows]

    async def count_by_state(self) -> dict[str, int]:
        rows = await self.database.fetchall("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
        return {row[0]: row[1] for row in rows}

    async def unfinished(self) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM deliveries WHERE state IN ('queued', 'sending')"
        ))

    async def listing(self, states: tuple[str, ...], limit: int = 50) -> list[Delivery]:
        marks = ",".join("?" * len(states))
        rows = await self.database.fetchall(
            f"{_SELECT} WHERE d.state IN ({marks}) ORDER BY d.id DESC LIMIT ?", (*states, limit)
        )
        return [_delivery(row) for row in rows]

    async def per_host(self) -> list[dict[str, Any]]:
        rows = await self.database.fetchall(
            "SELECT d.host,"
            " SUM(CASE WHEN d.state IN ('queued', 'sending') THEN 1 ELSE 0 END) AS pending,"
            " SUM(CASE WHEN d.state = 'delivered' THEN 1 ELSE 0 END) AS delivered,"
            " SUM(CASE WHEN d.state = 'failed' THEN 1 ELSE 0 END) AS failed,"
            " MIN(CASE WHEN d.state = 'queued' THEN d.next_try_at END) AS next_try_at"
            " FROM deliveries d GROUP BY d.host ORDER BY d.host"
        )
        return [dict(row) for row in rows]
