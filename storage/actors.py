"""Repository of our own actors (Group, Application, Persons) and the chapter row."""
from __future__ import annotations

import sqlite3

from fedchapter.actors import LocalActor, LocalActorKind
from fedchapter.chapter import ChapterProfile
from fedchapter.clock import from_iso, to_iso, utc_now
from storage.database import Database


def _actor(row: sqlite3.Row) -> LocalActor:
    return LocalActor(
        id=row["id"],
        username=row["username"],
        kind=LocalActorKind(row["kind"]),
        display_name=row["display_name"],
        summary=row["summary"],
        public_key_pem=row["public_key_pem"],
        private_key_pem=row["private_key_pem"],
        created_at=from_iso(row["created_at"]),
    )


class LocalActorRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(
        self,
        *,
        username: str,
        kind: LocalActorKind,
        display_name: str,
        public_key_pem: str,
        private_key_pem: str,
        summary: str = "",
    ) -> LocalActor:
        inserted = await self.database.execute_returning(
            "INSERT INTO local_actors (username, kind, display_name, summary,"
            " public_key_pem, private_key_pem, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (username, kind.value, display_name, summary, public_key_pem, private_key_pem,
             to_iso(utc_now())),
        )
        actor = await self.by_id(inserted[0][0])
        assert actor is not None
        return actor

    async def by_id(self, actor_id: int) -> LocalActor | None:
        row = await self.database.fetchone("SELECT * FROM local_actors WHERE id = ?", (actor_id,))
        return None if row is None else _actor(row)

    async def by_username(self, username: str) -> LocalActor | None:
        row = await self.database.fetchone(
            "SELECT * FROM local_actors WHERE username = ?", (username,)
        )
        return None if row is None else _actor(row)

    async def update_profile(self, actor_id: int, *, display_name: str, summary: str) -> None:
        await self.database.execute(
            "UPDATE local_actors SET display_name = ?, summary = ? WHERE id = ?",
            (display_name, summary, actor_id),
        )


class ChapterRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def create(self, *, actor_id: int, instance_actor_id: int, openness: str) -> None:
        await self.database.execute(
            "INSERT INTO chapter (id, actor_id, instance_actor_id, openness) VALUES (1, ?, ?, ?)",
            (actor_id, instance_actor_id, openness),
        )

    async def get(self) -> ChapterProfile | None:
        row = await self.database.fetchone(
            "SELECT c.openness, c.approve_followers, g.id AS actor_id, g.username,"
            " g.display_name, g.summary, c.instance_actor_id"
            " FROM chapter c JOIN local_actors g ON g.id = c.actor_id WHERE c.id = 1"
        )
        if row is None:
            return None
        return ChapterProfile(
            actor_id=row["actor_id"],
            instance_actor_id=row["instance_actor_id"],
            handle=row["username"],
            name=row["display_name"],
            summary=row["summary"],
            openness=row["openness"],
            approve_followers=bool(row["approve_followers"]),
        )

    async def update_policy(self, *, openness: str, approve_followers: bool) -> None:
        await self.database.execute(
            "UPDATE chapter SET openness = ?, approve_followers = ? WHERE id = 1",
            (openness, int(approve_followers)),
        )
