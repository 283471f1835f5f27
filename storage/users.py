"""Repository of local accounts and their credentials: API tokens and
browser sessions (both stored only as SHA-256 hashes)."""
from __future__ import annotations

import sqlite3

from datetime import datetime

from fedchapter.accounts import ApiToken, User
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
        inserted = await self.database.execute_returning(
            "INSERT INTO users (actor_id, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            (actor_id, password_hash, role.value, to_iso(utc_now())),
        )
        user = await self.by_id(inserted[0][0])
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

    async def language_of(self, user_id: int) -> str | None:
        value = await self.database.fetchvalue("SELECT language FROM users WHERE id = ?", (user_id,))
        return None if value is None else str(value)

    async def set_language(self, user_id: int, language: str) -> None:
        await self.database.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))

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

    async def tokens_of(self, user_id: int) -> list[ApiToken]:
        rows = await self.database.fetchall(
            "SELECT id, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [
            ApiToken(row["id"], from_iso(row["created_at"]),
                     from_iso(row["last_used_at"]) if row["last_used_at"] else None)
            for row in rows
        ]

    async def delete_token(self, user_id: int, token_id: int) -> bool:
        """Only the holder's own token: another user's id deletes nothing."""
        cursor = await self.database.execute(
            "DELETE FROM api_tokens WHERE id = ? AND user_id = ?", (token_id, user_id)
        )
        return cursor.rowcount > 0

    async def delete_tokens(self, user_id: int) -> None:
        await self.database.execute("DELETE FROM api_tokens WHERE user_id = ?", (user_id,))

    # Sessions ----------------------------------------------------------------
    async def add_session(self, user_id: int, session_hash: str, expired_before: datetime) -> None:
        async with self.database.transaction():
            # Pruning here keeps the table small without a separate cleaner.
            await self.database.execute("DELETE FROM sessions WHERE created_at < ?", (to_iso(expired_before),))
            await self.database.execute(
                "INSERT INTO sessions (user_id, session_hash, created_at) VALUES (?, ?, ?)",
                (user_id, session_hash, to_iso(utc_now())),
            )

    async def by_session_hash(self, session_hash: str, created_after: datetime) -> User | None:
        row = await self.database.fetchone(
            _SELECT + " JOIN sessions s ON s.user_id = u.id WHERE s.session_hash = ? AND s.created_at >= ?",
            (session_hash, to_iso(created_after)),
        )
        return None if row is None else _user(row)

    async def delete_session(self, session_hash: str) -> None:
        await self.database.execute("DELETE FROM sessions WHERE session_hash = ?", (session_hash,))

    async def delete_sessions(self, user_id: int) -> None:
        await self.database.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    async def set_disabled_ending_access(self, user_id: int, disabled: bool) -> None:
        """Disabling and ending every session and token in one transaction: no
        request slips in between with a credential of a disabled account."""
        async with self.database.transaction():
            await self.database.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))
            if disabled:
                await self.database.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
                await self.database.execute("DELETE FROM api_tokens WHERE user_id = ?", (user_id,))
