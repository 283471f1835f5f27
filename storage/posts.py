"""Repository of news posts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from fedchapter.clock import from_iso, to_iso
from fedchapter.posts import Post, PostContent
from fedchapter.visibility import Visibility
from storage.database import Database


def _post(row: sqlite3.Row) -> Post:
    return Post(
        id=row["id"],
        content=PostContent(title=row["title"], body=row["body"], summary=row["summary"],
                            visibility=Visibility(row["visibility"]), language=row["language"]),
        author_user_id=row["author_user_id"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
    )


class PostRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def save(self, post: Post) -> None:
        content = post.content
        await self.database.execute(
            "INSERT INTO posts (id, title, body, summary, visibility, language, author_user_id,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " title = excluded.title, body = excluded.body, summary = excluded.summary,"
            " visibility = excluded.visibility, language = excluded.language,"
            " updated_at = excluded.updated_at",
            (post.id, content.title, content.body, content.summary, content.visibility.value,
             content.language, post.author_user_id, to_iso(post.created_at), to_iso(post.updated_at)),
        )

    async def get(self, post_id: str) -> Post | None:
        row = await self.database.fetchone("SELECT * FROM posts WHERE id = ?", (post_id,))
        return None if row is None else _post(row)

    async def latest(self, *, visibilities: Iterable[Visibility], limit: int, offset: int = 0) -> list[Post]:
        wanted = [visibility.value for visibility in visibilities]
        if not wanted:
            return []
        rows = await self.database.fetchall(
            f"SELECT * FROM posts WHERE visibility IN ({','.join('?' * len(wanted))})"
            " ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
            (*wanted, limit, offset),
        )
        return [_post(row) for row in rows]

    async def delete(self, post_id: str) -> bool:
        cursor = await self.database.execute("DELETE FROM posts WHERE id = ?", (post_id,))
        return cursor.rowcount > 0
