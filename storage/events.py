"""Repository of the chapter's events and their cancelled or moved occurrences."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime

from fedchapter.clock import from_iso, to_iso
from fedchapter.events.codec import local_text, meetup_from_dict, meetup_to_dict, place_from_dict, place_to_dict
from fedchapter.events.model import Event, EventStatus, JoinMode, OccurrenceChange
from fedchapter.events.recurrence import series_end_utc
from fedchapter.visibility import Visibility
from storage.database import Database

_COLUMNS = (
    "id, title, description, start_local, end_local, timezone, location, online_url, capacity,"
    " category, status, visibility, rrule, meetup, join_mode, external_participation_url,"
    " language, created_at, updated_at"
)


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _change(row: sqlite3.Row) -> OccurrenceChange:
    return OccurrenceChange(
        original_start=datetime.fromisoformat(row["original_start"]),
        cancelled=bool(row["cancelled"]),
        start_local=datetime.fromisoformat(row["start_local"]) if row["start_local"] else None,
        end_local=datetime.fromisoformat(row["end_local"]) if row["end_local"] else None,
    )


def _event(row: sqlite3.Row, changes: Iterable[OccurrenceChange]) -> Event:
    return Event(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        start_local=datetime.fromisoformat(row["start_local"]),
        end_local=datetime.fromisoformat(row["end_local"]),
        timezone=row["timezone"],
        location=place_from_dict(json.loads(row["location"])) if row["location"] else None,
        online_url=row["online_url"],
        capacity=row["capacity"],
        category=row["category"],
        status=EventStatus(row["status"]),
        visibility=Visibility(row["visibility"]),
        rrule=row["rrule"],
        exceptions=tuple(sorted(changes, key=lambda change: change.original_start)),
        meetup=meetup_from_dict(json.loads(row["meetup"])) if row["meetup"] else None,
        join_mode=JoinMode(row["join_mode"]),
        external_participation_url=row["external_participation_url"],
        language=row["language"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
    )


class EventRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def save(self, event: Event, *, author_user_id: int | None = None) -> None:
        """Insert or replace the event and its occurrence changes (one transaction)."""
        end = series_end_utc(event)
        async with self.database.transaction() as connection:
            await connection.execute(
                f"INSERT INTO events ({_COLUMNS}, start_utc, series_end_utc, author_user_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
                " description = excluded.description, start_local = excluded.start_local,"
                " end_local = excluded.end_local, timezone = excluded.timezone,"
                " location = excluded.location, online_url = excluded.online_url,"
                " capacity = excluded.capacity, category = excluded.category, status = excluded.status,"
                " visibility = excluded.visibility, rrule = excluded.rrule, meetup = excluded.meetup,"
                " join_mode = excluded.join_mode,"
                " external_participation_url = excluded.external_participation_url,"
                " language = excluded.language, updated_at = excluded.updated_at,"
                " start_utc = excluded.start_utc, series_end_utc = excluded.series_end_utc",
                (
                    event.id, event.title, event.description, local_text(event.start_local),
                    local_text(event.end_local), event.timezone,
                    _json(place_to_dict(event.location) if event.location else None),
                    event.online_url, event.capacity, event.category, event.status.value,
                    event.visibility.value, event.rrule,
                    _json(meetup_to_dict(event.meetup) if event.meetup else None),
                    event.join_mode.value, event.external_participation_url, event.language,
                    to_iso(event.created_at), to_iso(event.updated_at), to_iso(event.start_utc),
                    to_iso(end) if end else None, author_user_id,
                ),
            )
            await connection.execute("DELETE FROM event_exceptions WHERE event_id = ?", (event.id,))
            await connection.executemany(
                "INSERT INTO event_exceptions (event_id, original_start, cancelled, start_local, end_local)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (event.id, local_text(change.original_start), int(change.cancelled),
                     local_text(change.start_local) if change.start_local else None,
                     local_text(change.end_local) if change.end_local else None)
                    for change in event.exceptions
                ],
            )

    async def get(self, event_id: str) -> Event | None:
        row = await self.database.fetchone(f"SELECT {_COLUMNS} FROM events WHERE id = ?", (event_id,))
        if row is None:
            return None
        return (await self._with_changes([row]))[0]

    async def delete(self, event_id: str) -> bool:
        cursor = await self.database.execute("DELETE FROM events WHERE id = ?", (event_id,))
        return cursor.rowcount > 0

    async def overlapping(
        self, start_utc: datetime, end_utc: datetime, *, visibilities: Iterable[Visibility]
    ) -> list[Event]:
        """Events with an occurrence that may fall in [start_utc, end_utc): the
        series starts before the window ends and has not ended before it begins."""
        allowed = [visibility.value for visibility in visibilities]
        marks = ", ".join("?" for _ in allowed) or "NULL"
        rows = await self.database.fetchall(
            f"SELECT {_COLUMNS} FROM events WHERE start_utc < ?"
            " AND (series_end_utc IS NULL OR series_end_utc > ?)"
            f" AND visibility IN ({marks}) ORDER BY start_utc, id",
            (to_iso(end_utc), to_iso(start_utc), *allowed),
        )
        return await self._with_changes(rows)

    async def _with_changes(self, rows: list[sqlite3.Row]) -> list[Event]:
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        changes: dict[str, list[OccurrenceChange]] = {}
        for found in await self.database.fetchall(
            "SELECT event_id, original_start, cancelled, start_local, end_local FROM event_exceptions"
            f" WHERE event_id IN ({marks})",
            ids,
        ):
            changes.setdefault(found["event_id"], []).append(_change(found))
        return [_event(row, changes.get(row["id"], ())) for row in rows]
