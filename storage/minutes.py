"""Repository of minutes, their revision history and their action items."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from fedchapter.clock import from_iso, to_iso
from fedchapter.minutes.model import (
    Minutes,
    MinutesContent,
    MinutesState,
    OpenAction,
    Revision,
    action_key,
)
from fedchapter.minutes.serialize import action_to_dict, content_to_dict
from fedchapter.minutes.validation import parse_minutes
from fedchapter.visibility import Visibility
from storage.database import Database


def _content(raw: str) -> MinutesContent:
    # Stored in the API's shape and read back through the same checks.
    return parse_minutes(json.loads(raw))


def _dump(content: MinutesContent) -> str:
    return json.dumps(content_to_dict(content), ensure_ascii=False, separators=(",", ":"))


def _minutes(row: sqlite3.Row) -> Minutes:
    return Minutes(
        id=row["id"],
        content=_content(row["content"]),
        state=MinutesState(row["state"]),
        revision=row["revision"],
        author_user_id=row["author_user_id"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        published_at=from_iso(row["published_at"]) if row["published_at"] else None,
    )


_NOT_CARRIED = (
    " AND NOT EXISTS (SELECT 1 FROM minutes_actions later"
    " WHERE later.carried_from = a.minutes_id || ':' || a.position)"
)
_OPEN_ACTIONS = (
    "SELECT a.minutes_id, a.position, m.title, m.meeting_date, m.content"
    " FROM minutes_actions a JOIN minutes m ON m.id = a.minutes_id"
    " WHERE a.status = 'open' AND m.state != 'draft'" + _NOT_CARRIED
)


class MinutesRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def save(self, minutes: Minutes) -> None:
        """Insert or replace the minutes and their action items (one transaction)."""
        content = minutes.content
        async with self.database.transaction():
            await self.database.execute(
                "INSERT INTO minutes (id, title, meeting_date, visibility, state, revision, content,"
                " author_user_id, created_at, updated_at, published_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " title = excluded.title, meeting_date = excluded.meeting_date,"
                " visibility = excluded.visibility, state = excluded.state,"
                " revision = excluded.revision, content = excluded.content,"
                " updated_at = excluded.updated_at, published_at = excluded.published_at",
                (minutes.id, content.title, content.meeting_date.isoformat(), content.visibility.value,
                 minutes.state.value, minutes.revision, _dump(content), minutes.author_user_id,
                 to_iso(minutes.created_at), to_iso(minutes.updated_at),
                 to_iso(minutes.published_at) if minutes.published_at else None),
            )
            await self.database.execute("DELETE FROM minutes_actions WHERE minutes_id = ?", (minutes.id,))
            await self.database.executemany(
                "INSERT INTO minutes_actions (minutes_id, position, text, owner, due, status, carried_from)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(minutes.id, position, item["text"], item["owner"], item["due"], item["status"],
                  item["carried_from"])
                 for position, item in enumerate(action_to_dict(action) for action in content.actions)],
            )

    async def get(self, minutes_id: str) -> Minutes | None:
        row = await self.database.fetchone("SELECT * FROM minutes WHERE id = ?", (minutes_id,))
        return None if row is None else _minutes(row)

    async def latest(
        self,
        *,
        states: Iterable[MinutesState],
        visibilities: Iterable[Visibility],
        limit: int,
        offset: int = 0,
    ) -> list[Minutes]:
        """Newest meeting first."""
        state_list, visibility_list = [s.value for s in states], [v.value for v in visibilities]
        if not state_list or not visibility_list:
            return []
        rows = await self.database.fetchall(
            f"SELECT * FROM minutes WHERE state IN ({','.join('?' * len(state_list))})"
            f" AND visibility IN ({','.join('?' * len(visibility_list))})"
            " ORDER BY meeting_date DESC, created_at DESC LIMIT ? OFFSET ?",
            (*state_list, *visibility_list, limit, offset),
        )
        return [_minutes(row) for row in rows]

    async def delete(self, minutes_id: str) -> bool:
        cursor = await self.database.execute("DELETE FROM minutes WHERE id = ?", (minutes_id,))
        return cursor.rowcount > 0

    # History ------------------------------------------------------------------

    async def add_revision(self, revision: Revision) -> None:
        await self.database.execute(
            "INSERT INTO minutes_revisions (minutes_id, revision, content, note, edited_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (revision.minutes_id, revision.revision, _dump(revision.content), revision.note,
             revision.edited_by, to_iso(revision.created_at)),
        )

    async def revisions(self, minutes_id: str) -> list[Revision]:
        """Earlier texts, oldest first."""
        rows = await self.database.fetchall(
            "SELECT * FROM minutes_revisions WHERE minutes_id = ? ORDER BY revision", (minutes_id,)
        )
        return [
            Revision(minutes_id=row["minutes_id"], revision=row["revision"], content=_content(row["content"]),
                     note=row["note"], edited_by=row["edited_by"], created_at=from_iso(row["created_at"]))
            for row in rows
        ]

    # Action items ---------------------------------------------------------------

    async def _open_actions(self, sql: str, params: tuple[object, ...]) -> list[OpenAction]:
        rows = await self.database.fetchall(sql + " ORDER BY m.meeting_date, a.minutes_id, a.position", params)
        found: list[OpenAction] = []
        for row in rows:
            content = _content(row["content"])
            found.append(OpenAction(
                key=action_key(row["minutes_id"], row["position"]),
                minutes_id=row["minutes_id"],
                minutes_title=row["title"],
                meeting_date=content.meeting_date,
                item=content.actions[row["position"]],
            ))
        return found

    async def open_actions(self, *, excluding: str | None = None) -> list[OpenAction]:
        """Open items of circulated or later minutes that no later minutes carried forward."""
        return await self._open_actions(_OPEN_ACTIONS + " AND a.minutes_id != ?", (excluding or "",))

    async def open_actions_of(self, owner: str) -> list[OpenAction]:
        return await self._open_actions(_OPEN_ACTIONS + " AND a.owner = ? COLLATE NOCASE", (owner,))
