"""Repositories of networks: whether this instance is one, its member
chapters (network side) and the networks this chapter joined (chapter side)."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from fedchapter.clock import from_iso, to_iso
from fedchapter.networks.model import Affiliation, AffiliationStatus, MemberChapter
from storage.database import Database

_CHAPTER_COLUMNS = "id, actor, name, join_activity, status, weight, delegates, requested_at, answered_at"
_AFFILIATION_COLUMNS = "id, network, name, join_activity, status, requested_at, answered_at"


def _optional_time(text: str | None) -> datetime | None:
    return None if text is None else from_iso(text)


def _member_chapter(row: sqlite3.Row) -> MemberChapter:
    return MemberChapter(
        id=row["id"], actor=row["actor"], name=row["name"], join_activity=json.loads(row["join_activity"]),
        status=AffiliationStatus(row["status"]), weight=row["weight"],
        delegates=tuple(json.loads(row["delegates"])), requested_at=from_iso(row["requested_at"]),
        answered_at=_optional_time(row["answered_at"]),
    )


def _affiliation(row: sqlite3.Row) -> Affiliation:
    return Affiliation(
        id=row["id"], network=row["network"], name=row["name"], join_activity=row["join_activity"],
        status=AffiliationStatus(row["status"]), requested_at=from_iso(row["requested_at"]),
        answered_at=_optional_time(row["answered_at"]),
    )


class NetworkRepository:
    """The network side."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def mark_network(self, at: datetime) -> None:
        await self.database.execute(
            "INSERT INTO network_self (singleton, created_at) VALUES (1, ?) ON CONFLICT (singleton) DO NOTHING",
            (to_iso(at),),
        )

    async def is_network(self) -> bool:
        return await self.database.fetchone("SELECT 1 FROM network_self WHERE singleton = 1") is not None

    async def chapter(self, chapter_id: str) -> MemberChapter | None:
        row = await self.database.fetchone(
            f"SELECT {_CHAPTER_COLUMNS} FROM network_chapters WHERE id = ?", (chapter_id,)
        )
        return None if row is None else _member_chapter(row)

    async def chapter_by_actor(self, actor: str) -> MemberChapter | None:
        row = await self.database.fetchone(
            f"SELECT {_CHAPTER_COLUMNS} FROM network_chapters WHERE actor = ?", (actor,)
        )
        return None if row is None else _member_chapter(row)

    async def chapters(
        self, statuses: tuple[AffiliationStatus, ...], limit: int, offset: int = 0
    ) -> list[MemberChapter]:
        marks = ", ".join("?" * len(statuses))
        rows = await self.database.fetchall(
            f"SELECT {_CHAPTER_COLUMNS} FROM network_chapters WHERE status IN ({marks})"
            " ORDER BY requested_at, id LIMIT ? OFFSET ?",
            (*[status.value for status in statuses], limit, offset),
        )
        return [_member_chapter(row) for row in rows]

    async def put_request(self, chapter: MemberChapter) -> None:
        """A Join received: a new row, or a renewed request of a chapter that left or was refused."""
        await self.database.execute(
            f"INSERT INTO network_chapters ({_CHAPTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (actor) DO UPDATE SET name = excluded.name, join_activity = excluded.join_activity,"
            " status = excluded.status, requested_at = excluded.requested_at, answered_at = NULL",
            (chapter.id, chapter.actor, chapter.name, json.dumps(chapter.join_activity), chapter.status.value,
             chapter.weight, json.dumps(list(chapter.delegates)), to_iso(chapter.requested_at), None),
        )

    async def set_status(self, chapter_id: str, status: AffiliationStatus, at: datetime) -> None:
        await self.database.execute(
            "UPDATE network_chapters SET status = ?, answered_at = ? WHERE id = ?",
            (status.value, to_iso(at), chapter_id),
        )

    async def set_weight_and_delegates(self, chapter_id: str, weight: int, delegates: tuple[str, ...]) -> None:
        await self.database.execute(
            "UPDATE network_chapters SET weight = ?, delegates = ? WHERE id = ?",
            (weight, json.dumps(list(delegates)), chapter_id),
        )


class AffiliationRepository:
    """The chapter side."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def all(self) -> list[Affiliation]:
        rows = await self.database.fetchall(
            f"SELECT {_AFFILIATION_COLUMNS} FROM affiliations ORDER BY requested_at, id"
        )
        return [_affiliation(row) for row in rows]

    async def get(self, affiliation_id: str) -> Affiliation | None:
        row = await self.database.fetchone(
            f"SELECT {_AFFILIATION_COLUMNS} FROM affiliations WHERE id = ?", (affiliation_id,)
        )
        return None if row is None else _affiliation(row)

    async def by_network(self, network: str) -> Affiliation | None:
        row = await self.database.fetchone(
            f"SELECT {_AFFILIATION_COLUMNS} FROM affiliations WHERE network = ?", (network,)
        )
        return None if row is None else _affiliation(row)

    async def put(self, affiliation: Affiliation) -> None:
        await self.database.execute(
            f"INSERT INTO affiliations ({_AFFILIATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (network) DO UPDATE SET name = excluded.name, join_activity = excluded.join_activity,"
            " status = excluded.status, requested_at = excluded.requested_at, answered_at = NULL",
            (affiliation.id, affiliation.network, affiliation.name, affiliation.join_activity,
             affiliation.status.value, to_iso(affiliation.requested_at), None),
        )

    async def set_status(self, affiliation_id: str, status: AffiliationStatus, at: datetime) -> None:
        await self.database.execute(
            "UPDATE affiliations SET status = ?, answered_at = ? WHERE id = ?",
            (status.value, to_iso(at), affiliation_id),
        )
