"""Repository of local accounts and their API tokens."""
from __future__ import annotations

import sqlite3

from fedchapter.accounts import User
from fedchapter.clock import from_iso, to_iso, utc_now
from fedchapter.roles import Role
from storage.database import Database

_SELECT = (
    "SELECT u.id, u.actor_id, a.username, a.display_name, u.role, u.disabled, u.created_at,"
    " u.password_hash FROM users u JOIN local_actors a ON a.id = u.actor_id"
)


def _user(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        actor_id=row["actor_id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        disabled=bool(row["disabled"]),
        created_at=from_iso(row["created_at"]),
    )


class UserRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, *, actor_id: int, password_hash: str, role: Role) -> User:
        cursor = await self.database.execute(
            "INSERT INTO users (actor_id, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
            (actor_id, password_hash, role.value, to_iso(utc_now())),
        )
        user = await self.by_id(cursor.lastrowid or 0)
        assert user is not None
        return user

    async def by_id(self, user_id: int) -> User | None:
        row = await self.database.fetchone(_SELECT + " WHERE u.id = ?", (user_id,))
        return None if row is None else _user(row)

    async def by_username(self, username: str) -> User | None:
        row = await self.database.fetchone(_SELECT + " WHERE a.username = ?", (username,))
        return None if row is None else _user(row)

    async def password_hash(self, username: str) -> tuple[User, str] | None:
        row = await self.database.fetchone(_SELECT + " WHERE a.username = ?", (username,))
        return None if row is None else (_user(row), row["password_hash"])

    async def all(self) -> list[User]:
        rows = await self.database.fetchall(_SELECT + " ORDER BY a.username")
        return [_user(row) for row in rows]

    async def set_role(self, user_id: int, role: Role) -> None:
        await self.database.execute("UPDATE users SET role = ? WHERE id = ?", (role.value, user_id))

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        await self.database.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
        )

    async def set_disabled(self, user_id: int, disabled: bool) -> None:
        await self.database.execute(
            "UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id)
        )

    async def count(self) -> int:
        return int(await self.database.fetchvalue("SELECT COUNT(*) FROM users WHERE disabled = 0"))

    # Tokens ------------------------------------------------------------------
    async def add_token(self, user_id: int, token_hash: str) -> None:
        await self.database.execute(
            "INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)",
            (user_id, token_hash, to_iso(utc_now())),
        )

    async def by_token_hash(self, token_hash: str) -> User | None:
        row = await self.database.fetchone(
            _SELECT + " JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?",
            (token_hash,),
        )
        return None if row is None else _user(row)
