"""Repository of RSVPs: who is going or interested, local or remote."""

from __future__ import annotations

import sqlite3

from fedchapter.clock import from_iso, to_iso
from fedchapter.events.records import Rsvp, RsvpCounts
from fedchapter.events.rsvp import RsvpStatus
from storage.database import Database

_COLUMNS = "event_id, participant, username, status, pending, join_activity, created_at, updated_at"


def _rsvp(row: sqlite3.Row) -> Rsvp:
    return Rsvp(
        event_id=row["event_id"],
        participant=row["participant"],
        username=row["username"],
        status=RsvpStatus(row["status"]),
        pending=bool(row["pending"]),
        join_activity=row["join_activity"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
    )


class RsvpRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def save(self, rsvp: Rsvp) -> None:
        """Record the answer (replacing this participant's earlier one)."""
        if rsvp.status is RsvpStatus.NOT_GOING:
            raise ValueError("not going is stored by removing the RSVP")
        await self.database.execute(
            f"INSERT INTO event_rsvps ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (event_id, participant) DO UPDATE SET status = excluded.status,"
            " username = excluded.username, pending = excluded.pending,"
            " join_activity = COALESCE(excluded.join_activity, event_rsvps.join_activity),"
            " updated_at = excluded.updated_at",
            (rsvp.event_id, rsvp.participant, rsvp.username, rsvp.status.value, int(rsvp.pending),
             rsvp.join_activity, to_iso(rsvp.created_at), to_iso(rsvp.updated_at)),
        )

    async def get(self, event_id: str, participant: str) -> Rsvp | None:
        row = await self.database.fetchone(
            f"SELECT {_COLUMNS} FROM event_rsvps WHERE event_id = ? AND participant = ?",
            (event_id, participant),
        )
        return None if row is None else _rsvp(row)

    async def by_join_activity(self, join_activity: str) -> Rsvp | None:
        row = await self.database.fetchone(
            f"SELECT {_COLUMNS} FROM event_rsvps WHERE join_activity = ?", (join_activity,)
        )
        return None if row is None else _rsvp(row)

    async def remove(self, event_id: str, participant: str) -> bool:
        cursor = await self.database.execute(
            "DELETE FROM event_rsvps WHERE event_id = ? AND participant = ?", (event_id, participant)
        )
        return cursor.rowcount > 0

    async def counts(self, event_id: str) -> RsvpCounts:
        rows = await self.database.fetchall(
            "SELECT status, pending, COUNT(*) FROM event_rsvps WHERE event_id = ? GROUP BY status, pending",
            (event_id,),
        )
        going = interested = pending = 0
        for row in rows:
            if row[1]:
                pending += row[2]
            elif row[0] == RsvpStatus.GOING.value:
                going += row[2]
            else:
                interested += row[2]
        return RsvpCounts(going=going, interested=interested, pending=pending)

    async def pending_of_event(self, event_id: str) -> list[Rsvp]:
        """Requests waiting for an organiser, oldest first."""
        rows = await self.database.fetchall(
            f"SELECT {_COLUMNS} FROM event_rsvps WHERE event_id = ? AND pending = 1 ORDER BY created_at, participant",
            (event_id,),
        )
        return [_rsvp(row) for row in rows]

    async def of_event(self, event_id: str) -> list[Rsvp]:
        rows = await self.database.fetchall(
            f"SELECT {_COLUMNS} FROM event_rsvps WHERE event_id = ? ORDER BY created_at, participant",
            (event_id,),
        )
        return [_rsvp(row) for row in rows]
