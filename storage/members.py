"""Repositories of membership: join requests, invitations and remote members."""
from __future__ import annotations

import sqlite3
from datetime import datetime

from fedchapter.clock import from_iso, to_iso, utc_now
from fedchapter.membership import Invitation, JoinRequest, JoinState, RemoteMember
from fedchapter.roles import Role
from storage.database import Database

_JOIN_SELECT = (
    "SELECT j.id, j.user_id, a.username, a.display_name, j.state, j.message, j.created_at,"
    " j.decided_at FROM join_requests j JOIN users u ON u.id = j.user_id"
    " JOIN local_actors a ON a.id = u.actor_id"
)


def _join_request(row: sqlite3.Row) -> JoinRequest:
    return JoinRequest(
        id=row["id"],
        user_id=row["user_id"],
        username=row["username"],
        display_name=row["display_name"],
        state=JoinState(row["state"]),
        message=row["message"],
        created_at=from_iso(row["created_at"]),
        decided_at=from_iso(row["decided_at"]) if row["decided_at"] else None,
    )


class JoinRequestRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, *, user_id: int, state: JoinState, message: str, invitation_id: int | None) -> int:
        now = to_iso(utc_now())
        inserted = await self.database.execute_returning(
            "INSERT INTO join_requests (user_id, state, message, invitation_id, created_at, decided_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (user_id, state.value, message, invitation_id, now,
             None if state is JoinState.PENDING else now),
        )
        return int(inserted[0][0])

    async def get(self, request_id: int) -> JoinRequest | None:
        row = await self.database.fetchone(_JOIN_SELECT + " WHERE j.id = ?", (request_id,))
        return None if row is None else _join_request(row)

    async def pending(self) -> list[JoinRequest]:
        rows = await self.database.fetchall(_JOIN_SELECT + " WHERE j.state = 'pending' ORDER BY j.id")
        return [_join_request(row) for row in rows]

    async def latest_for_user(self, user_id: int) -> JoinRequest | None:
        row = await self.database.fetchone(
            _JOIN_SELECT + " WHERE j.user_id = ? ORDER BY j.id DESC LIMIT 1", (user_id,)
        )
        return None if row is None else _join_request(row)

    async def decide(self, request_id: int, state: JoinState, decided_by: int) -> bool:
        """Decide a pending request; False if it was already decided (two admins at once)."""
        cursor = await self.database.execute(
            "UPDATE join_requests SET state = ?, decided_at = ?, decided_by = ?"
            " WHERE id = ? AND state = 'pending'",
            (state.value, to_iso(utc_now()), decided_by, request_id),
        )
        return cursor.rowcount == 1


def _invitation(row: sqlite3.Row) -> Invitation:
    return Invitation(
        id=row["id"],
        note=row["note"],
        max_uses=row["max_uses"],
        uses=row["uses"],
        expires_at=from_iso(row["expires_at"]),
        revoked=bool(row["revoked"]),
        created_at=from_iso(row["created_at"]),
    )


class InvitationRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(
        self, *, token_hash: str, note: str, max_uses: int, expires_at: datetime, created_by: int
    ) -> Invitation:
        inserted = await self.database.execute_returning(
            "INSERT INTO invitations (token_hash, note, max_uses, expires_at, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (token_hash, note, max_uses, to_iso(expires_at), created_by, to_iso(utc_now())),
        )
        row = await self.database.fetchone("SELECT * FROM invitations WHERE id = ?", (inserted[0][0],))
        assert row is not None
        return _invitation(row)

    async def by_token_hash(self, token_hash: str) -> Invitation | None:
        row = await self.database.fetchone("SELECT * FROM invitations WHERE token_hash = ?", (token_hash,))
        return None if row is None else _invitation(row)

    async def use(self, invitation_id: int, now: datetime) -> bool:
        """Count one use, atomically; False when it is used up, expired or revoked."""
        cursor = await self.database.execute(
            "UPDATE invitations SET uses = uses + 1 WHERE id = ? AND revoked = 0"
            " AND uses < max_uses AND expires_at > ?",
            (invitation_id, to_iso(now)),
        )
        return cursor.rowcount == 1

    async def revoke(self, invitation_id: int) -> bool:
        cursor = await self.database.execute(
            "UPDATE invitations SET revoked = 1 WHERE id = ?", (invitation_id,)
        )
        return cursor.rowcount == 1

    async def all(self) -> list[Invitation]:
        rows = await self.database.fetchall("SELECT * FROM invitations ORDER BY id DESC LIMIT 200")
        return [_invitation(row) for row in rows]


def _remote_member(row: sqlite3.Row) -> RemoteMember:
    return RemoteMember(
        actor_id=row["actor_id"],
        inbox=row["inbox"],
        shared_inbox=row["shared_inbox"],
        handle=row["handle"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        added_at=from_iso(row["added_at"]),
    )


class RemoteMemberRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def save(self, member: RemoteMember, added_by: int | None) -> None:
        """Add the member, or refresh its address and role if already there."""
        await self.database.execute(
            "INSERT INTO remote_members (actor_id, inbox, shared_inbox, handle, display_name, role,"
            " added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (actor_id) DO UPDATE SET inbox = excluded.inbox,"
            " shared_inbox = excluded.shared_inbox, handle = excluded.handle,"
            " display_name = excluded.display_name, role = excluded.role",
            (member.actor_id, member.inbox, member.shared_inbox, member.handle, member.display_name,
             member.role.value, added_by, to_iso(member.added_at)),
        )

    async def get(self, actor_id: str) -> RemoteMember | None:
        row = await self.database.fetchone("SELECT * FROM remote_members WHERE actor_id = ?", (actor_id,))
        return None if row is None else _remote_member(row)

    async def set_role(self, actor_id: str, role: Role) -> None:
        await self.database.execute(
            "UPDATE remote_members SET role = ? WHERE actor_id = ?", (role.value, actor_id)
        )

    async def remove(self, actor_id: str) -> bool:
        cursor = await self.database.execute("DELETE FROM remote_members WHERE actor_id = ?", (actor_id,))
        return cursor.rowcount == 1

    async def page(self, limit: int, after: str | None = None) -> list[RemoteMember]:
        rows = await self.database.fetchall(
            "SELECT * FROM remote_members WHERE actor_id > ? ORDER BY actor_id LIMIT ?",
            (after or "", limit),
        )
        return [_remote_member(row) for row in rows]

    async def all(self) -> list[RemoteMember]:
        rows = await self.database.fetchall("SELECT * FROM remote_members ORDER BY display_name")
        return [_remote_member(row) for row in rows]
