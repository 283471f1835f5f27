"""Where notifications come from (queries over proposals, minutes, events)
and the record of those already produced, with the daily digest's queue.

Only accounts with a confirmed address are considered: nobody else can be
mailed. Each candidate carries a ``subject_key`` naming exactly what it is
about, so recording it (a UNIQUE row) is what makes it happen once.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.mail.model import Notification
from fedchapter.roles import VOTING_ROLES
from storage.database import Database

_VOTERS = ", ".join(f"'{role.value}'" for role in sorted(VOTING_ROLES))
_MEMBERS = (
    "FROM users u JOIN account_emails e ON e.user_id = u.id JOIN local_actors a ON a.id = u.actor_id"
    f" WHERE u.disabled = 0 AND u.role IN ({_VOTERS})"
)


class NotificationSourceRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def proposals_opened(self, since: datetime) -> list[tuple[int, str, str]]:
        """(member, proposal id, title) for proposals opened since ``since``."""
        rows = await self.database.fetchall(
            f"SELECT u.id, p.id, p.title {_MEMBERS.replace(' WHERE', ' CROSS JOIN proposals p WHERE', 1)}"
            " AND p.status = 'open' AND p.opened_at >= ?",
            (to_iso(since),),
        )
        return [(int(row[0]), row[1], row[2]) for row in rows]

    async def proposals_closing_unvoted(
        self, now: datetime, until: datetime, actor_prefix: str
    ) -> list[tuple[int, str, str, str]]:
        """(member, proposal id, title, closes_at) for open proposals closing
        before ``until`` that the member has not voted on."""
        rows = await self.database.fetchall(
            f"SELECT u.id, p.id, p.title, p.closes_at {_MEMBERS.replace(' WHERE', ' CROSS JOIN proposals p WHERE', 1)}"
            " AND p.status = 'open' AND p.closes_at > ? AND p.closes_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM proposal_votes v WHERE v.proposal_id = p.id AND v.voter = ? || a.username)",
            (to_iso(now), to_iso(until), actor_prefix),
        )
        return [(int(row[0]), row[1], row[2], row[3]) for row in rows]

    async def minutes_circulated(self, since: datetime) -> list[tuple[int, str, str, int]]:
        """(member, minutes id, title, revision) for minutes circulated for approval."""
        rows = await self.database.fetchall(
            f"SELECT u.id, m.id, m.title, m.revision {_MEMBERS.replace(' WHERE', ' CROSS JOIN minutes m WHERE', 1)}"
            " AND m.state = 'circulated' AND m.updated_at >= ?",
            (to_iso(since),),
        )
        return [(int(row[0]), row[1], row[2], int(row[3])) for row in rows]

    async def actions_assigned(self, since: datetime) -> list[tuple[int, str, int, str, str]]:
        """(account, minutes id, position, item, minutes title) for open action
        items whose owner is the account's username, in minutes circulated or later."""
        rows = await self.database.fetchall(
            "SELECT u.id, m.id, x.position, x.text, m.title FROM users u"
            " JOIN account_emails e ON e.user_id = u.id JOIN local_actors a ON a.id = u.actor_id"
            " JOIN minutes_actions x ON lower(x.owner) = lower(a.username)"
            " JOIN minutes m ON m.id = x.minutes_id"
            " WHERE u.disabled = 0 AND x.status = 'open' AND m.state != 'draft' AND m.updated_at >= ?",
            (to_iso(since),),
        )
        return [(int(row[0]), row[1], int(row[2]), row[3], row[4]) for row in rows]

    async def rsvps_changed(self, since: datetime) -> list[tuple[int, str, str, str, bool, str]]:
        """(account, event id, event title, status, pending, updated_at) of local RSVPs changed since."""
        rows = await self.database.fetchall(
            "SELECT u.id, r.event_id, ev.title, r.status, r.pending, r.updated_at FROM event_rsvps r"
            " JOIN local_actors a ON lower(a.username) = lower(r.username) JOIN users u ON u.actor_id = a.id"
            " JOIN account_emails e ON e.user_id = u.id JOIN events ev ON ev.id = r.event_id"
            " WHERE u.disabled = 0 AND r.updated_at >= ?",
            (to_iso(since),),
        )
        return [(int(row[0]), row[1], row[2], row[3], bool(row[4]), row[5]) for row in rows]

    async def role_terms_ending(self, first_day: str, last_day: str) -> list[tuple[int, int, str, str]]:
        """(account, term id, office, ends_on) for current terms of local holders
        whose planned end falls between the two days (ISO dates, inclusive)."""
        rows = await self.database.fetchall(
            "SELECT u.id, t.id, t.role, t.ends_on FROM role_terms t JOIN users u ON u.id = t.user_id"
            " JOIN account_emails e ON e.user_id = u.id"
            " WHERE u.disabled = 0 AND t.ended_at IS NULL AND t.ends_on IS NOT NULL"
            " AND t.ends_on >= ? AND t.ends_on <= ?",
            (first_day, last_day),
        )
        return [(int(row[0]), int(row[1]), row[2], row[3]) for row in rows]


def _notification(row: Any) -> Notification:
    return Notification(user_id=row["user_id"], kind=row["kind"], subject_key=row["subject_key"],
                        title=row["title"], url=row["url"])


class NotificationRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def record(self, notification: Notification, *, waiting: bool, now: datetime) -> bool:
        """True when this is new (and so is to be told); False when it was recorded before."""
        rows = await self.database.execute_returning(
            "INSERT INTO mail_notifications (user_id, kind, subject_key, title, url, created_at, digest_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, kind, subject_key) DO NOTHING RETURNING id",
            (notification.user_id, notification.kind, notification.subject_key, notification.title,
             notification.url, to_iso(now), "waiting" if waiting else "none"),
        )
        return bool(rows)

    async def digest_due(self, oldest_before: datetime) -> list[int]:
        """Accounts whose oldest waiting notification is older than ``oldest_before``."""
        rows = await self.database.fetchall(
            "SELECT user_id FROM mail_notifications WHERE digest_state = 'waiting'"
            " GROUP BY user_id HAVING MIN(created_at) <= ?",
            (to_iso(oldest_before),),
        )
        return [int(row[0]) for row in rows]

    async def waiting(self, user_id: int) -> list[Notification]:
        rows = await self.database.fetchall(
            "SELECT * FROM mail_notifications WHERE user_id = ? AND digest_state = 'waiting' ORDER BY created_at, id",
            (user_id,),
        )
        return [_notification(row) for row in rows]

    async def mark_digested(self, user_id: int) -> None:
        await self.database.execute(
            "UPDATE mail_notifications SET digest_state = 'sent' WHERE user_id = ? AND digest_state = 'waiting'",
            (user_id,),
        )

    async def oldest_waiting(self) -> datetime | None:
        value = await self.database.fetchvalue(
            "SELECT MIN(created_at) FROM mail_notifications WHERE digest_state = 'waiting'"
        )
        return None if value is None else from_iso(value)

