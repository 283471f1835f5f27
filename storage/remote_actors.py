"""Repository of remote actors (the cache behind federation's RemoteActorStore)."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from fedchapter.actors import RemoteActor
from fedchapter.clock import from_iso, to_iso
from fedchapter.links import http_url
from storage.database import Database

_COLUMNS = (
    "id, type, inbox, shared_inbox, public_key_id, public_key_pem,"
    " preferred_username, name, url, icon_url, followers, fetched_at"
)


def _actor(row: sqlite3.Row) -> RemoteActor:
    return RemoteActor(
        id=row["id"],
        type=row["type"],
        inbox=row["inbox"],
        shared_inbox=row["shared_inbox"],
        public_key_id=row["public_key_id"],
        public_key_pem=row["public_key_pem"],
        preferred_username=row["preferred_username"],
        name=row["name"],
        # Rows cached before links were checked may hold a javascript: URL.
        url=http_url(row["url"]),
        icon_url=http_url(row["icon_url"]),
        followers=row["followers"],
        fetched_at=from_iso(row["fetched_at"]),
    )


class RemoteActorRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def get(self, actor_id: str) -> RemoteActor | None:
        row = await self.database.fetchone(
            f"SELECT {_COLUMNS} FROM remote_actors WHERE id = ?", (actor_id,)
        )
        return None if row is None else _actor(row)

    async def get_by_key_id(self, key_id: str) -> RemoteActor | None:
        # Newest first: if a key id ever moved between actors, the latest fetch is the truth.
        row = await self.database.fetchone(
            f"SELECT {_COLUMNS} FROM remote_actors WHERE public_key_id = ?"
            " ORDER BY fetched_at DESC LIMIT 1",
            (key_id,),
        )
        return None if row is None else _actor(row)

    async def save(self, actor: RemoteActor, document: Mapping[str, Any] | None = None) -> None:
        raw_json = None if document is None else json.dumps(document, ensure_ascii=False)
        await self.database.execute(
            "INSERT INTO remote_actors (id, type, inbox, shared_inbox, public_key_id,"
            " public_key_pem, preferred_username, name, url, icon_url, followers, fetched_at, raw_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET type = excluded.type, inbox = excluded.inbox,"
            " shared_inbox = excluded.shared_inbox, public_key_id = excluded.public_key_id,"
            " public_key_pem = excluded.public_key_pem,"
            " preferred_username = excluded.preferred_username, name = excluded.name,"
            " url = excluded.url, icon_url = excluded.icon_url, followers = excluded.followers,"
            " fetched_at = excluded.fetched_at,"
            " raw_json = COALESCE(excluded.raw_json, remote_actors.raw_json)",
            (
                actor.id, actor.type, actor.inbox, actor.shared_inbox, actor.public_key_id,
                actor.public_key_pem, actor.preferred_username, actor.name, actor.url,
                actor.icon_url, actor.followers, to_iso(actor.fetched_at), raw_json,
            ),
        )

    async def remove(self, actor_id: str) -> None:
        """Forget an actor (it deleted itself); a later request by its key must fetch it anew."""
        await self.database.execute("DELETE FROM remote_actors WHERE id = ?", (actor_id,))

    async def raw_document(self, actor_id: str) -> dict[str, Any] | None:
        """The document as last fetched, for debugging and admin views."""
        value = await self.database.fetchvalue(
            "SELECT raw_json FROM remote_actors WHERE id = ?", (actor_id,)
        )
        return None if value is None else json.loads(value)
