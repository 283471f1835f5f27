"""What moderators look over: the newest comments on the whole site, local
and remote, whatever their state. Read-only; the comments feature's
repository owns the table and its writes."""
from __future__ import annotations

from fedchapter.comments import Comment
from storage.comments import _comment as comment_from_row  # one mapping of a comments row
from storage.database import Database


class ModerationQueries:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def recent_comments(self, limit: int, *, remote_only: bool = False) -> list[Comment]:
        where = "WHERE state != 'deleted'" + (" AND author_user_id IS NULL" if remote_only else "")
        rows = await self.database.fetchall(
            f"SELECT * FROM comments {where} ORDER BY published DESC, id DESC LIMIT ?", (limit,)
        )
        return [comment_from_row(row) for row in rows]
