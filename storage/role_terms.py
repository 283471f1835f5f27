"""Repository of role terms: the history of who held which office when."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime

from fedchapter.clock import from_iso, to_iso
from fedchapter.role_terms import Holder, RoleTerm
from fedchapter.roles import Role
from storage.database import Database


def _term(row: sqlite3.Row) -> RoleTerm:
    return RoleTerm(
        id=row["id"],
        role=Role(row["role"]),
        holder=_holder(row),
        started_at=from_iso(row["started_at"]),
        ended_at=from_iso(row["ended_at"]) if row["ended_at"] else None,
        ends_on=date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
    )


def _holder(row: sqlite3.Row) -> Holder:
    if row["user_id"] is None and row["remote_actor_id"] is None:
        # The account was deleted after its term ended; the name stays in the history.
        return Holder(name=row["holder_name"], remote_actor_id="")
    return Holder(name=row["holder_name"], user_id=row["user_id"], remote_actor_id=row["remote_actor_id"])


class RoleTermRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def start(self, role: Role, holder: Holder, at: datetime, ends_on: date | None = None) -> int:
        inserted = await self.database.execute_returning(
            "INSERT INTO role_terms (role, user_id, remote_actor_id, holder_name, started_at, ends_on)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (role.value, holder.user_id, holder.remote_actor_id, holder.name, to_iso(at),
             None if ends_on is None else ends_on.isoformat()),
        )
        return int(inserted[0][0])

    async def co_held(self) -> frozenset[Role]:
        """The offices several members may hold at once."""
        rows = await self.database.fetchall("SELECT role FROM offices WHERE co_holders = 1")
        return frozenset(Role(row["role"]) for row in rows)

    async def set_co_held(self, role: Role, allowed: bool) -> None:
        await self.database.execute("UPDATE offices SET co_holders = ? WHERE role = ?", (int(allowed), role.value))

    async def end(self, term_id: int, at: datetime) -> None:
        await self.database.execute(
            "UPDATE role_terms SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (to_iso(at), term_id)
        )

    async def current(self, role: Role | None = None) -> list[RoleTerm]:
        if role is None:
            rows = await self.database.fetchall(
                "SELECT * FROM role_terms WHERE ended_at IS NULL ORDER BY role, started_at"
            )
        else:
            rows = await self.database.fetchall(
                "SELECT * FROM role_terms WHERE ended_at IS NULL AND role = ? ORDER BY started_at",
                (role.value,),
            )
        return [_term(row) for row in rows]

    async def current_for_user(self, user_id: int) -> list[RoleTerm]:
        rows = await self.database.fetchall(
            "SELECT * FROM role_terms WHERE ended_at IS NULL AND user_id = ?", (user_id,)
        )
        return [_term(row) for row in rows]

    async def current_for_remote(self, actor_id: str) -> list[RoleTerm]:
        rows = await self.database.fetchall(
            "SELECT * FROM role_terms WHERE ended_at IS NULL AND remote_actor_id = ?", (actor_id,)
        )
        return [_term(row) for row in rows]

    async def history(self, limit: int = 200) -> list[RoleTerm]:
        rows = await self.database.fetchall(
            "SELECT * FROM role_terms ORDER BY started_at DESC, id DESC LIMIT ?", (limit,)
        )
        return [_term(row) for row in rows]
