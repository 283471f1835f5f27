"""Repository of event invitations: who an organiser invited to an event."""
from __future__ import annotations

from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.events.records import EventInvitation
from storage.database import Database

_COLUMNS = "event_id, invitee, label, invited_by, created_at"


def _invitation(row: Any) -> EventInvitation:
    return EventInvitation(
        event_id=row["event_id"], invitee=row["invitee"], label=row["label"],
        invited_by=row["invited_by"], created_at=from_iso(row["created_at"]),
    )


class EventInvitationRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, invitation: EventInvitation) -> bool:
        """False when this person was invited already (the first invitation stays)."""
        cursor = await self.database.execute(
            f"INSERT INTO event_invitations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (event_id, invitee) DO NOTHING",
            (invitation.event_id, invitation.invitee, invitation.label, invitation.invited_by,
             to_iso(invitation.created_at)),
        )
        return cursor.rowcount > 0

    async def get(self, event_id: str, invitee: str) -> EventInvitation | None:
        row = await self.database.fetchone(
            f"SELECT {_COLUMNS} FROM event_invitations WHERE event_id = ? AND invitee = ?", (event_id, invitee)
        )
        return None if row is None else _invitation(row)

    async def is_invited(self, event_id: str, invitee: str) -> bool:
        return await self.get(event_id, invitee) is not None

    async def remove(self, event_id: str, invitee: str) -> bool:
        cursor = await self.database.execute(
            "DELETE FROM event_invitations WHERE event_id = ? AND invitee = ?", (event_id, invitee)
        )
        return cursor.rowcount > 0

    async def of_event(self, event_id: str) -> list[EventInvitation]:
        rows = await self.database.fetchall(
            f"SELECT {_COLUMNS} FROM event_invitations WHERE event_id = ? ORDER BY created_at, invitee",
            (event_id,),
        )
        return [_invitation(row) for row in rows]
