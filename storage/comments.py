"""Repository of comments and of the objects whose comments are locked."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from fedchapter.clock import from_iso, to_iso, utc_now
from fedchapter.comments import Comment, CommentAttachment, CommentAuthor, CommentState
from storage.database import Database


def _comment(row: sqlite3.Row) -> Comment:
    return Comment(
        id=row["id"],
        ap_id=row["ap_id"],
        target=row["target"],
        in_reply_to=row["in_reply_to"],
        author=CommentAuthor(actor_id=row["author_actor_id"], name=row["author_name"],
                             url=row["author_url"], handle=row["author_handle"],
                             user_id=row["author_user_id"]),
        content_html=row["content_html"],
        published=from_iso(row["published"]),
        state=CommentState(row["state"]),
        source=row["source"],
        language=row["language"],
        updated=from_iso(row["updated"]) if row["updated"] else None,
        summary=row["summary"],
        sensitive=bool(row["sensitive"]),
        attachments=tuple(CommentAttachment(**item) for item in json.loads(row["attachments"])),
    )


def _attachments_json(comment: Comment) -> str:
    return json.dumps([{"url": item.url, "media_type": item.media_type, "name": item.name}
                       for item in comment.attachments])


class CommentRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def save(self, comment: Comment) -> None:
        author = comment.author
        await self.database.execute(
            "INSERT INTO comments (id, ap_id, target, in_reply_to, author_actor_id, author_name,"
            " author_url, author_handle, author_user_id, content_html, source, language, state,"
            " published, updated, summary, sensitive, attachments)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET author_name = excluded.author_name,"
            " author_url = excluded.author_url, author_handle = excluded.author_handle,"
            " content_html = excluded.content_html, source = excluded.source,"
            " language = excluded.language, state = excluded.state, updated = excluded.updated,"
            " summary = excluded.summary, sensitive = excluded.sensitive,"
            " attachments = excluded.attachments",
            (comment.id, comment.ap_id, comment.target, comment.in_reply_to, author.actor_id,
             author.name, author.url, author.handle, author.user_id, comment.content_html,
             comment.source, comment.language, comment.state.value, to_iso(comment.published),
             to_iso(comment.updated) if comment.updated else None, comment.summary,
             int(comment.sensitive), _attachments_json(comment)),
        )

    async def get(self, comment_id: str) -> Comment | None:
        row = await self.database.fetchone("SELECT * FROM comments WHERE id = ?", (comment_id,))
        return None if row is None else _comment(row)

    async def by_ap_id(self, ap_id: str) -> Comment | None:
        row = await self.database.fetchone("SELECT * FROM comments WHERE ap_id = ?", (ap_id,))
        return None if row is None else _comment(row)

    async def under(self, target: str, states: Iterable[CommentState]) -> list[Comment]:
        """Every comment of one thread in the given states, oldest first."""
        wanted = [state.value for state in states]
        rows = await self.database.fetchall(
            f"SELECT * FROM comments WHERE target = ? AND state IN ({','.join('?' * len(wanted))})"
            " ORDER BY published, id",
            (target, *wanted),
        )
        return [_comment(row) for row in rows]

    async def count_visible(self, target: str) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM comments WHERE target = ? AND state = 'visible'", (target,)
        ))

    async def replies_page(self, parent: str, limit: int, offset: int) -> list[Comment]:
        """Visible direct replies to one object or comment (its `replies` collection)."""
        rows = await self.database.fetchall(
            "SELECT * FROM comments WHERE in_reply_to = ? AND state = 'visible'"
            " ORDER BY published, id LIMIT ? OFFSET ?",
            (parent, limit, offset),
        )
        return [_comment(row) for row in rows]

    async def recent(self, limit: int, *, remote_only: bool = False) -> list[Comment]:
        """The newest comments on the whole site, whatever their state but deleted (moderation)."""
        where = "WHERE state != 'deleted'" + (" AND author_user_id IS NULL" if remote_only else "")
        rows = await self.database.fetchall(
            f"SELECT * FROM comments {where} ORDER BY published DESC, id DESC LIMIT ?", (limit,)
        )
        return [_comment(row) for row in rows]

    async def count_replies(self, parent: str) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM comments WHERE in_reply_to = ? AND state = 'visible'", (parent,)
        ))

    async def hide_by_author(self, actor_id: str) -> int:
        """Hide every visible comment of one author; how many."""
        cursor = await self.database.execute(
            "UPDATE comments SET state = 'hidden' WHERE author_actor_id = ? AND state = 'visible'", (actor_id,)
        )
        return cursor.rowcount

    # Locks ----------------------------------------------------------------------

    async def lock(self, target: str, locked_by: str) -> None:
        await self.database.execute(
            "INSERT OR IGNORE INTO comment_locks (target, locked_by, created_at) VALUES (?, ?, ?)",
            (target, locked_by, to_iso(utc_now())),
        )

    async def unlock(self, target: str) -> None:
        await self.database.execute("DELETE FROM comment_locks WHERE target = ?", (target,))

    async def is_locked(self, target: str) -> bool:
        return await self.database.fetchvalue("SELECT 1 FROM comment_locks WHERE target = ?", (target,)) is not None
