"""Repository of events received from the chapters we follow."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from fedchapter.clock import from_iso, to_iso
from fedchapter.events.codec import event_from_dict, event_to_dict
from fedchapter.events.recurrence import series_end_utc
from fedchapter.events.records import RemoteEvent
from storage.database import Database

_COLUMNS = "ap_id, url, chapter, chapter_name, data, content_html, participant_count, received_at"


def _remote(row: sqlite3.Row) -> RemoteEvent:
    return RemoteEvent(
        ap_id=row["ap_id"],
        url=row["url"],
        chapter=row["chapter"],
        chapter_name=row["chapter_name"],
        event=event_from_dict(json.loads(row["data"])),
        content_html=row["content_html"],
        participant_count=row["participant_count"],
        received_at=from_iso(row["received_at"]),
    )


class NetworkEventRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def save(self, remote: RemoteEvent) -> None:
        """Store the event, replacing an earlier version with the same id."""
        event = remote.event
        end = series_end_utc(event)
        await self.database.execute(
            f"INSERT INTO remote_events ({_COLUMNS}, start_utc, end_utc, timezone, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ap_id) DO UPDATE SET"
            " url = excluded.url, chapter_name = excluded.chapter_name, data = excluded.data,"
            " content_html = excluded.content_html, participant_count = excluded.participant_count,"
            " start_utc = excluded.start_utc, end_utc = excluded.end_utc,"
            " timezone = excluded.timezone, updated_at = excluded.updated_at,"
            " received_at = excluded.received_at",
            (
                remote.ap_id, remote.url, remote.chapter, remote.chapter_name,
                json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":")),
                remote.content_html, remote.participant_count, to_iso(remote.received_at),
                to_iso(event.start_utc), to_iso(end) if end else None, event.timezone,
                to_iso(event.updated_at),
            ),
        )

    async def get(self, ap_id: str) -> RemoteEvent | None:
        row = await self.database.fetchone(f"SELECT {_COLUMNS} FROM remote_events WHERE ap_id = ?", (ap_id,))
        return None if row is None else _remote(row)

    async def remove(self, ap_id: str) -> bool:
        cursor = await self.database.execute("DELETE FROM remote_events WHERE ap_id = ?", (ap_id,))
        return cursor.rowcount > 0

    async def remove_from(self, chapter: str) -> int:
        """Forget a chapter's events (we stopped following it)."""
        cursor = await self.database.execute("DELETE FROM remote_events WHERE chapter = ?", (chapter,))
        return cursor.rowcount

    async def remove_ended(self, now: datetime) -> int:
        cursor = await self.database.execute(
            "DELETE FROM remote_events WHERE end_utc IS NOT NULL AND end_utc <= ?", (to_iso(now),)
        )
        return cursor.rowcount

    async def overlapping(self, start_utc: datetime, end_utc: datetime) -> list[RemoteEvent]:
        rows = await self.database.fetchall(
            f"SELECT {_COLUMNS} FROM remote_events WHERE start_utc < ?"
            " AND (end_utc IS NULL OR end_utc > ?) ORDER BY start_utc, ap_id",
            (to_iso(end_utc), to_iso(start_utc)),
        )
        return [_remote(row) for row in rows]
