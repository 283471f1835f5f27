"""Repository of media files' records (the bytes are in the media store, storage.media_files)."""
from __future__ import annotations

from typing import Any

from fedchapter.clock import from_iso, to_iso
from fedchapter.media.model import MediaFile, MediaKind, MediaOwner, MediaRole, OwnerKind
from storage.database import Database


def _media(row: Any) -> MediaFile:
    return MediaFile(
        id=row["id"],
        kind=MediaKind(row["kind"]),
        owner=MediaOwner(OwnerKind(row["owner_kind"]), row["owner_id"]),
        role=MediaRole(row["role"]),
        media_type=row["media_type"],
        name=row["name"],
        width=row["width"],
        height=row["height"],
        blurhash=row["blurhash"],
        variants=tuple(row["variants"].split(",")),
        size=row["size"],
        created_at=from_iso(row["created_at"]),
        filename=row["filename"],
        source_url=row["source_url"],
    )


class MediaRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, media: MediaFile) -> None:
        await self.database.execute(
            "INSERT INTO media (id, kind, owner_kind, owner_id, role, media_type, name, filename, width,"
            " height, blurhash, variants, size, source_url, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (media.id, media.kind.value, media.owner.kind.value, media.owner.id, media.role.value,
             media.media_type, media.name, media.filename, media.width, media.height, media.blurhash,
             ",".join(media.variants), media.size, media.source_url, to_iso(media.created_at)),
        )

    async def get(self, media_id: str) -> MediaFile | None:
        row = await self.database.fetchone("SELECT * FROM media WHERE id = ?", (media_id,))
        return None if row is None else _media(row)

    async def of_owner(self, owner: MediaOwner) -> list[MediaFile]:
        rows = await self.database.fetchall(
            "SELECT * FROM media WHERE owner_kind = ? AND owner_id = ? ORDER BY created_at, id",
            (owner.kind.value, owner.id),
        )
        return [_media(row) for row in rows]

    async def of_owners(self, kind: OwnerKind, ids: list[str]) -> list[MediaFile]:
        if not ids:
            return []
        rows = await self.database.fetchall(
            f"SELECT * FROM media WHERE owner_kind = ? AND owner_id IN ({','.join('?' * len(ids))})"
            " ORDER BY created_at, id",
            (kind.value, *ids),
        )
        return [_media(row) for row in rows]

    async def by_source(self, source_url: str) -> MediaFile | None:
        row = await self.database.fetchone(
            "SELECT * FROM media WHERE source_url = ? ORDER BY created_at LIMIT 1", (source_url,)
        )
        return None if row is None else _media(row)

    async def rename(self, media_id: str, name: str) -> bool:
        cursor = await self.database.execute("UPDATE media SET name = ? WHERE id = ?", (name, media_id))
        return cursor.rowcount > 0

    async def delete(self, media_id: str) -> bool:
        cursor = await self.database.execute("DELETE FROM media WHERE id = ?", (media_id,))
        return cursor.rowcount > 0

    # -- the sweep (fedchapter.services.media_sweeper) ------------------------
    # A file is an orphan when its owner is gone: a local object deleted, a
    # remote reply deleted (a hidden one keeps its files: it may be shown
    # again), a followed chapter's event removed or over.
    _ORPHAN = (
        "(media.owner_kind = 'event' AND NOT EXISTS (SELECT 1 FROM events WHERE events.id = media.owner_id))"
        " OR (media.owner_kind = 'post' AND NOT EXISTS (SELECT 1 FROM posts WHERE posts.id = media.owner_id))"
        " OR (media.owner_kind = 'minutes'"
        "     AND NOT EXISTS (SELECT 1 FROM minutes WHERE minutes.id = media.owner_id))"
        " OR (media.owner_kind = 'comment' AND NOT EXISTS (SELECT 1 FROM comments"
        "     WHERE comments.ap_id = media.owner_id AND comments.state != 'deleted'))"
        " OR (media.owner_kind = 'remote_event'"
        "     AND NOT EXISTS (SELECT 1 FROM remote_events WHERE remote_events.ap_id = media.owner_id))"
    )

    async def orphans(self, limit: int) -> list[MediaFile]:
        """Up to ``limit`` files whose owner is gone, oldest first."""
        rows = await self.database.fetchall(
            f"SELECT * FROM media WHERE {self._ORPHAN} ORDER BY created_at, id LIMIT ?", (limit,)
        )
        return [_media(row) for row in rows]

    async def delete_orphan(self, media_id: str) -> bool:
        """Delete the row only if its owner is still gone (checked in the same
        statement, so an owner that came back in between keeps its file)."""
        cursor = await self.database.execute(f"DELETE FROM media WHERE id = ? AND ({self._ORPHAN})", (media_id,))
        return cursor.rowcount > 0
