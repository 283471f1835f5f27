"""Repositories of login security: failed attempts and forced password changes."""
from __future__ import annotations

from datetime import datetime

from fedchapter.clock import from_iso, to_iso
from storage.database import Database


class LoginFailureRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def record(self, keys: list[str], at: datetime, prune_before: datetime) -> None:
        async with self.database.transaction() as connection:
            # Pruning here keeps the table small without a separate cleaner.
            await connection.execute("DELETE FROM login_failures WHERE failed_at < ?", (to_iso(prune_before),))
            await connection.executemany(
                "INSERT INTO login_failures (key, failed_at) VALUES (?, ?)",
                [(key, to_iso(at)) for key in keys],
            )

    async def since(self, key: str, since: datetime) -> list[datetime]:
        rows = await self.database.fetchall(
            "SELECT failed_at FROM login_failures WHERE key = ? AND failed_at >= ?", (key, to_iso(since))
        )
        return [from_iso(row[0]) for row in rows]

    async def clear(self, key: str) -> None:
        await self.database.execute("DELETE FROM login_failures WHERE key = ?", (key,))

    async def clear_ending(self, suffix: str) -> None:
        await self.database.execute(
            "DELETE FROM login_failures WHERE substr(key, -?) = ?", (len(suffix), suffix)
        )


class PasswordChangeRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def require(self, user_id: int, since: datetime) -> None:
        await self.database.execute(
            "INSERT INTO password_change_required (user_id, since) VALUES (?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET since = excluded.since",
            (user_id, to_iso(since)),
        )

    async def is_required(self, user_id: int) -> bool:
        value = await self.database.fetchvalue(
            "SELECT 1 FROM password_change_required WHERE user_id = ?", (user_id,)
        )
        return value is not None

    async def done(self, user_id: int) -> None:
        await self.database.execute("DELETE FROM password_change_required WHERE user_id = ?", (user_id,))
