"""The outgoing-mail queue and the mail an account has: its confirmed
address, its single-use tokens, its choices of what to receive."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.mail.model import MailState, OutgoingMail, TokenPurpose, UsedToken
from storage.database import Database


def _mail(row: Any) -> OutgoingMail:
    return OutgoingMail(
        id=row["id"], kind=row["kind"], recipient=row["recipient"], subject=row["subject"],
        state=MailState(row["state"]), attempts=row["attempts"], next_try_at=from_iso(row["next_try_at"]),
        last_error=row["last_error"], created_at=from_iso(row["created_at"]),
        sent_at=from_iso(row["sent_at"]) if row["sent_at"] else None, message=row["message"],
    )


class OutgoingMailRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def enqueue(self, kind: str, recipient: str, subject: str, message: str, *, now: datetime) -> int:
        rows = await self.database.execute_returning(
            "INSERT INTO outgoing_mail (kind, recipient, subject, message, next_try_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (kind, recipient, subject, message, to_iso(now), to_iso(now)),
        )
        return int(rows[0][0])

    async def due(self, *, now: datetime, limit: int) -> list[OutgoingMail]:
        async with self.database.transaction():  # through the writer: see rows just committed
            rows = await self.database.fetchall(
                "SELECT * FROM outgoing_mail WHERE state = 'queued' AND next_try_at <= ?"
                " ORDER BY next_try_at, id LIMIT ?",
                (to_iso(now), limit),
            )
        return [_mail(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        value = await self.database.fetchvalue("SELECT MIN(next_try_at) FROM outgoing_mail WHERE state = 'queued'")
        return None if value is None else from_iso(value)

    async def claim(self, mail_id: int, *, lease_until: datetime) -> bool:
        """Mark one row 'sending'; False when another worker took it first."""
        cursor = await self.database.execute(
            "UPDATE outgoing_mail SET state = 'sending', lease_until = ? WHERE id = ? AND state = 'queued'",
            (to_iso(lease_until), mail_id),
        )
        return cursor.rowcount == 1

    async def release_stale_leases(self, now: datetime) -> int:
        cursor = await self.database.execute(
            "UPDATE outgoing_mail SET state = 'queued', lease_until = NULL WHERE state = 'sending' AND lease_until < ?",
            (to_iso(now),),
        )
        return cursor.rowcount

    async def mark_sent(self, mail_id: int, now: datetime) -> None:
        await self.database.execute(
            "UPDATE outgoing_mail SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL,"
            " lease_until = NULL WHERE id = ?",
            (to_iso(now), mail_id),
        )

    async def schedule_retry(self, mail_id: int, *, next_try_at: datetime, error: str | None) -> None:
        await self.database.execute(
            "UPDATE outgoing_mail SET state = 'queued', attempts = attempts + 1, next_try_at = ?, last_error = ?,"
            " lease_until = NULL WHERE id = ?",
            (to_iso(next_try_at), error, mail_id),
        )

    async def mark_failed(self, mail_id: int, *, error: str | None) -> None:
        await self.database.execute(
            "UPDATE outgoing_mail SET state = 'failed', attempts = attempts + 1, last_error = ?, lease_until = NULL"
            " WHERE id = ?",
            (error, mail_id),
        )

    async def retry_now(self, mail_id: int, now: datetime) -> bool:
        cursor = await self.database.execute(
            "UPDATE outgoing_mail SET state = 'queued', next_try_at = ? WHERE id = ? AND state = 'failed'",
            (to_iso(now), mail_id),
        )
        return cursor.rowcount == 1

    async def get(self, mail_id: int) -> OutgoingMail | None:
        row = await self.database.fetchone("SELECT * FROM outgoing_mail WHERE id = ?", (mail_id,))
        return None if row is None else _mail(row)

    async def recent(self, limit: int) -> list[OutgoingMail]:
        rows = await self.database.fetchall("SELECT * FROM outgoing_mail ORDER BY id DESC LIMIT ?", (limit,))
        return [_mail(row) for row in rows]

    async def counts(self) -> dict[str, int]:
        rows = await self.database.fetchall("SELECT state, COUNT(*) FROM outgoing_mail GROUP BY state")
        return {row[0]: int(row[1]) for row in rows}


class MailTokenRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(
        self, token_hash: str, purpose: TokenPurpose, *, user_id: int | None, address: str,
        now: datetime, expires_at: datetime,
    ) -> None:
        await self.database.execute(
            "INSERT INTO mail_tokens (token_hash, purpose, user_id, address, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash, purpose.value, user_id, address, to_iso(now), to_iso(expires_at)),
        )

    async def peek(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> UsedToken | None:
        """The token while it is still usable, without using it (a form shown first)."""
        row = await self.database.fetchone(
            "SELECT purpose, user_id, address FROM mail_tokens WHERE token_hash = ? AND purpose = ?"
            " AND used_at IS NULL AND expires_at > ?",
            (token_hash, purpose.value, to_iso(now)),
        )
        return None if row is None else UsedToken(TokenPurpose(row[0]), row[1], row[2])

    async def use(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> UsedToken | None:
        """Use the token once: a second use, an expired or unknown token gives None."""
        rows = await self.database.execute_returning(
            "UPDATE mail_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL"
            " AND expires_at > ? RETURNING purpose, user_id, address",
            (to_iso(now), token_hash, purpose.value, to_iso(now)),
        )
        if not rows:
            return None
        return UsedToken(TokenPurpose(rows[0][0]), rows[0][1], rows[0][2])

    async def count_since(self, purpose: TokenPurpose, address: str, since: datetime) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM mail_tokens WHERE purpose = ? AND address = ? AND created_at >= ?",
            (purpose.value, address, to_iso(since)),
        ))

    async def end_unused(self, user_id: int, purpose: TokenPurpose, now: datetime) -> None:
        await self.database.execute(
            "UPDATE mail_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
            (to_iso(now), user_id, purpose.value),
        )


class AccountEmailRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def of_user(self, user_id: int) -> str | None:
        value = await self.database.fetchvalue("SELECT address FROM account_emails WHERE user_id = ?", (user_id,))
        return None if value is None else str(value)

    async def user_of(self, address: str) -> int | None:
        value = await self.database.fetchvalue(
            "SELECT e.user_id FROM account_emails e JOIN users u ON u.id = e.user_id"
            " WHERE e.address = ? AND u.disabled = 0",
            (address,),
        )
        return None if value is None else int(value)

    async def set(self, user_id: int, address: str, now: datetime) -> bool:
        """False when another account already has the address."""
        async with self.database.transaction():
            other = await self.user_of(address)
            if other is not None and other != user_id:
                return False
            await self.database.execute("DELETE FROM account_emails WHERE user_id = ? OR address = ?",
                                        (user_id, address))
            await self.database.execute(
                "INSERT INTO account_emails (user_id, address, confirmed_at) VALUES (?, ?, ?)",
                (user_id, address, to_iso(now)),
            )
        return True

    async def remove(self, user_id: int) -> None:
        await self.database.execute("DELETE FROM account_emails WHERE user_id = ?", (user_id,))


class MailPreferenceRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def of_user(self, user_id: int) -> dict[str, bool]:
        rows = await self.database.fetchall("SELECT kind, enabled FROM mail_preferences WHERE user_id = ?", (user_id,))
        return {row[0]: bool(row[1]) for row in rows}

    async def set(self, user_id: int, kind: str, enabled: bool) -> None:
        await self.database.execute(
            "INSERT INTO mail_preferences (user_id, kind, enabled) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled",
            (user_id, kind, int(enabled)),
        )

    async def chosen(self, kind: str) -> dict[int, bool]:
        """Every explicit choice about one kind, by account."""
        rows = await self.database.fetchall("SELECT user_id, enabled FROM mail_preferences WHERE kind = ?", (kind,))
        return {int(row[0]): bool(row[1]) for row in rows}
