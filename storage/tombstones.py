"""Objects we deleted: their URLs answer 410 Gone (with a Tombstone for servers)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fedchapter.clock import from_iso, to_iso
from storage.database import Database


@dataclass(frozen=True)
class Tombstone:
    url: str
    former_type: str
    deleted_at: datetime


class TombstoneRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, url: str, former_type: str, deleted_at: datetime) -> None:
        await self.database.execute(
            "INSERT INTO tombstones (url, former_type, deleted_at) VALUES (?, ?, ?)"
            " ON CONFLICT (url) DO NOTHING",
            (url, former_type, to_iso(deleted_at)),
        )

    async def get(self, url: str) -> Tombstone | None:
        row = await self.database.fetchone(
            "SELECT url, former_type, deleted_at FROM tombstones WHERE url = ?", (url,)
        )
        if row is None:
            return None
        return Tombstone(url=row["url"], former_type=row["former_type"], deleted_at=from_iso(row["deleted_at"]))

    async def is_gone(self, url: str) -> bool:
        return await self.get(url) is not None
