"""Bulletins, their subscribers without an account, and who receives one."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.mail.model import Bulletin, BulletinState, Recipient
from storage.database import Database


def _bulletin(row: Any) -> Bulletin:
    return Bulletin(
        id=row["id"], title=row["title"], body=row["body"], author_user_id=row["author_user_id"],
        state=BulletinState(row["state"]), post_id=row["post_id"], recipients=row["recipients"],
        created_at=from_iso(row["created_at"]), sent_at=from_iso(row["sent_at"]) if row["sent_at"] else None,
    )


class BulletinRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, bulletin: Bulletin) -> None:
        await self.database.execute(
            "INSERT INTO bulletins (id, title, body, author_user_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (bulletin.id, bulletin.title, bulletin.body, bulletin.author_user_id, bulletin.state.value,
             to_iso(bulletin.created_at)),
        )

    async def get(self, bulletin_id: str) -> Bulletin | None:
        row = await self.database.fetchone("SELECT * FROM bulletins WHERE id = ?", (bulletin_id,))
        return None if row is None else _bulletin(row)

    async def edit_draft(self, bulletin_id: str, title: str, body: str) -> bool:
        cursor = await self.database.execute(
            "UPDATE bulletins SET title = ?, body = ? WHERE id = ? AND state = 'draft'", (title, body, bulletin_id)
        )
        return cursor.rowcount == 1

    async def mark_sent(self, bulletin_id: str, *, post_id: str, recipients: int, now: datetime) -> bool:
        """False when it was sent already (two clicks, two processes: sent once)."""
        cursor = await self.database.execute(
            "UPDATE bulletins SET state = 'sent', post_id = ?, recipients = ?, sent_at = ?"
            " WHERE id = ? AND state = 'draft'",
            (post_id, recipients, to_iso(now), bulletin_id),
        )
        return cursor.rowcount == 1

    async def drafts(self) -> list[Bulletin]:
        rows = await self.database.fetchall("SELECT * FROM bulletins WHERE state = 'draft' ORDER BY created_at DESC")
        return [_bulletin(row) for row in rows]

    async def sent(self, limit: int, offset: int = 0) -> list[Bulletin]:
        rows = await self.database.fetchall(
            "SELECT * FROM bulletins WHERE state = 'sent' AND post_id IS NOT NULL"
            " ORDER BY sent_at DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_bulletin(row) for row in rows]

    async def account_recipients(self) -> list[Recipient]:
        """Every account (member or supporter) with a confirmed address and
        not disabled; their choice of kinds is applied by the service."""
        rows = await self.database.fetchall(
            "SELECT u.id, e.address, a.display_name FROM users u JOIN account_emails e ON e.user_id = u.id"
            " JOIN local_actors a ON a.id = u.actor_id WHERE u.disabled = 0 ORDER BY u.id"
        )
        return [Recipient(address=row[1], user_id=int(row[0]), name=row[2]) for row in rows]


class SubscriberRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def state_of(self, address: str) -> str | None:
        value = await self.database.fetchvalue("SELECT state FROM bulletin_subscribers WHERE address = ?", (address,))
        return None if value is None else str(value)

    async def add_pending(self, address: str, now: datetime) -> None:
        """A new (or returning) subscriber waits for their confirmation; an active one stays active."""
        await self.database.execute(
            "INSERT INTO bulletin_subscribers (address, state, created_at) VALUES (?, 'pending', ?)"
            " ON CONFLICT (address) DO UPDATE SET state = 'pending'"
            " WHERE bulletin_subscribers.state = 'unsubscribed'",
            (address, to_iso(now)),
        )

    async def activate(self, address: str, now: datetime) -> None:
        await self.database.execute(
            "UPDATE bulletin_subscribers SET state = 'active', confirmed_at = ? WHERE address = ?",
            (to_iso(now), address),
        )

    async def unsubscribe(self, address: str) -> bool:
        cursor = await self.database.execute(
            "UPDATE bulletin_subscribers SET state = 'unsubscribed' WHERE address = ? AND state != 'unsubscribed'",
            (address,),
        )
        return cursor.rowcount == 1

    async def active(self) -> list[Recipient]:
        rows = await self.database.fetchall(
            "SELECT address FROM bulletin_subscribers WHERE state = 'active' ORDER BY address"
        )
        return [Recipient(address=row[0]) for row in rows]

    async def counts(self) -> dict[str, int]:
        rows = await self.database.fetchall("SELECT state, COUNT(*) FROM bulletin_subscribers GROUP BY state")
        return {row[0]: int(row[1]) for row in rows}
