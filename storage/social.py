"""Repositories of the social graph (followers, following) and the outbox."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fedchapter.clock import to_iso, utc_now
from fedchapter.queue_states import FollowState
from storage.database import Database


@dataclass(frozen=True)
class Follower:
    actor_id: str
    inbox: str
    shared_inbox: str | None
    follow_activity_id: str
    state: str
    # The row's number: what the admin pages and the API name a follow request by.
    id: int
    created_at: str

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


_FOLLOWER_COLUMNS = "id, actor_id, inbox, shared_inbox, follow_activity_id, state, created_at"


class FollowerRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def upsert(
        self,
        local_actor_id: int,
        *,
        actor_id: str,
        inbox: str,
        shared_inbox: str | None,
        follow_activity_id: str,
        state: str,
    ) -> None:
        await self.database.execute(
            "INSERT INTO followers (local_actor_id, actor_id, inbox, shared_inbox,"
            " follow_activity_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (local_actor_id, actor_id) DO UPDATE SET inbox = excluded.inbox,"
            " shared_inbox = excluded.shared_inbox,"
            " follow_activity_id = excluded.follow_activity_id, state = excluded.state",
            (local_actor_id, actor_id, inbox, shared_inbox, follow_activity_id, state,
             to_iso(utc_now())),
        )

    async def get(self, local_actor_id: int, actor_id: str) -> Follower | None:
        row = await self.database.fetchone(
            f"SELECT {_FOLLOWER_COLUMNS} FROM followers WHERE local_actor_id = ? AND actor_id = ?",
            (local_actor_id, actor_id),
        )
        return None if row is None else Follower(**dict(row))

    async def remove(self, local_actor_id: int, actor_id: str) -> bool:
        cursor = await self.database.execute(
            "DELETE FROM followers WHERE local_actor_id = ? AND actor_id = ?",
            (local_actor_id, actor_id),
        )
        return cursor.rowcount > 0

    async def remove_everywhere(self, actor_id: str) -> None:
        await self.database.execute("DELETE FROM followers WHERE actor_id = ?", (actor_id,))

    async def remove_domain(self, domain: str) -> None:
        await self.database.execute(
            "DELETE FROM followers WHERE actor_id LIKE ? OR actor_id LIKE ?",
            (f"https://{domain}/%", f"http://{domain}/%"),
        )

    async def count(self, local_actor_id: int, state: str = FollowState.ACCEPTED) -> int:
        return int(
            await self.database.fetchvalue(
                "SELECT COUNT(*) FROM followers WHERE local_actor_id = ? AND state = ?",
                (local_actor_id, state),
            )
        )

    async def page(self, local_actor_id: int, limit: int, offset: int, state: str = FollowState.ACCEPTED) -> list[str]:
        rows = await self.database.fetchall(
            "SELECT actor_id FROM followers WHERE local_actor_id = ? AND state = ?"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (local_actor_id, state, limit, offset),
        )
        return [row[0] for row in rows]

    async def pending(self, local_actor_id: int) -> list[Follower]:
        return await self.listing(local_actor_id, "pending", limit=-1, offset=0)

    async def listing(self, local_actor_id: int, state: str, *, limit: int, offset: int) -> list[Follower]:
        """Oldest first (who asked first is answered first); ``limit`` -1 for all."""
        rows = await self.database.fetchall(
            f"SELECT {_FOLLOWER_COLUMNS} FROM followers WHERE local_actor_id = ? AND state = ?"
            " ORDER BY id LIMIT ? OFFSET ?",
            (local_actor_id, state, limit if limit >= 0 else 2**62, offset),
        )
        return [Follower(**dict(row)) for row in rows]

    async def by_number(self, local_actor_id: int, number: int) -> Follower | None:
        row = await self.database.fetchone(
            f"SELECT {_FOLLOWER_COLUMNS} FROM followers WHERE local_actor_id = ? AND id = ?",
            (local_actor_id, number),
        )
        return None if row is None else Follower(**dict(row))

    async def delivery_inboxes(self, local_actor_id: int) -> list[str]:
        """One inbox per server where the server offers a shared inbox."""
        rows = await self.database.fetchall(
            "SELECT DISTINCT COALESCE(shared_inbox, inbox) FROM followers"
            " WHERE local_actor_id = ? AND state = 'accepted'",
            (local_actor_id,),
        )
        return [row[0] for row in rows]


@dataclass(frozen=True)
class Followed:
    actor_id: str
    follow_activity_id: str
    state: str


class FollowingRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, local_actor_id: int, actor_id: str, follow_activity_id: str) -> None:
        await self.database.execute(
            "INSERT INTO following (local_actor_id, actor_id, follow_activity_id, state, created_at)"
            " VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (local_actor_id, actor_id) DO UPDATE"
            " SET follow_activity_id = excluded.follow_activity_id, state = 'pending'",
            (local_actor_id, actor_id, follow_activity_id, to_iso(utc_now())),
        )

    async def set_state_by_follow(self, follow_activity_id: str, state: str) -> bool:
        cursor = await self.database.execute(
            "UPDATE following SET state = ? WHERE follow_activity_id = ?", (state, follow_activity_id)
        )
        return cursor.rowcount > 0

    async def set_state(self, local_actor_id: int, actor_id: str, state: str) -> bool:
        cursor = await self.database.execute(
            "UPDATE following SET state = ? WHERE local_actor_id = ? AND actor_id = ?",
            (state, local_actor_id, actor_id),
        )
        return cursor.rowcount > 0

    async def get(self, local_actor_id: int, actor_id: str) -> Followed | None:
        row = await self.database.fetchone(
            "SELECT actor_id, follow_activity_id, state FROM following"
            " WHERE local_actor_id = ? AND actor_id = ?",
            (local_actor_id, actor_id),
        )
        return None if row is None else Followed(**dict(row))

    async def remove(self, local_actor_id: int, actor_id: str) -> None:
        await self.database.execute(
            "DELETE FROM following WHERE local_actor_id = ? AND actor_id = ?", (local_actor_id, actor_id)
        )

    async def by_follow_id(self, follow_activity_id: str) -> tuple[int, Followed] | None:
        """The follow we sent with this activity id, and which of our actors sent it."""
        row = await self.database.fetchone(
            "SELECT local_actor_id, actor_id, follow_activity_id, state FROM following"
            " WHERE follow_activity_id = ?",
            (follow_activity_id,),
        )
        if row is None:
            return None
        return row["local_actor_id"], Followed(row["actor_id"], row["follow_activity_id"], row["state"])

    async def remove_everywhere(self, actor_id: str) -> None:
        await self.database.execute("DELETE FROM following WHERE actor_id = ?", (actor_id,))

    async def remove_domain(self, domain: str) -> None:
        await self.database.execute(
            "DELETE FROM following WHERE actor_id LIKE ? OR actor_id LIKE ?",
            (f"https://{domain}/%", f"http://{domain}/%"),
        )

    async def is_following(self, local_actor_id: int, actor_id: str) -> bool:
        followed = await self.get(local_actor_id, actor_id)
        return followed is not None and followed.state == FollowState.ACCEPTED

    async def count(self, local_actor_id: int) -> int:
        return int(
            await self.database.fetchvalue(
                "SELECT COUNT(*) FROM following WHERE local_actor_id = ? AND state = 'accepted'",
                (local_actor_id,),
            )
        )

    async def page(self, local_actor_id: int, limit: int, offset: int) -> list[str]:
        rows = await self.database.fetchall(
            "SELECT actor_id FROM following WHERE local_actor_id = ? AND state = 'accepted'"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (local_actor_id, limit, offset),
        )
        return [row[0] for row in rows]

    async def all(self, local_actor_id: int) -> list[Followed]:
        rows = await self.database.fetchall(
            "SELECT actor_id, follow_activity_id, state FROM following WHERE local_actor_id = ?"
            " ORDER BY id",
            (local_actor_id,),
        )
        return [Followed(**dict(row)) for row in rows]


class OutboxRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(
        self, local_actor_id: int, activity: dict[str, Any], *, public: bool
    ) -> None:
        obj = activity.get("object")
        object_id = obj.get("id") if isinstance(obj, dict) else obj if isinstance(obj, str) else None
        state = "listed"
        if object_id is not None and activity["type"] == "Update" and isinstance(obj, dict):
            state = await self._fold_update(local_actor_id, object_id, obj)
        elif object_id is not None and activity["type"] == "Delete":
            # Nothing about a deleted object stays visible: servers that
            # backfill from the outbox would bring it back.
            await self.database.execute(
                "UPDATE outbox SET state = 'withdrawn' WHERE object_id = ?", (object_id,)
            )
            state = "folded"
        await self.database.execute(
            "INSERT OR IGNORE INTO outbox (activity_id, local_actor_id, type, object_id, public,"
            " payload, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (activity["id"], local_actor_id, activity["type"], object_id, int(public),
             json.dumps(activity, separators=(",", ":")), to_iso(utc_now()), state),
        )

    async def _fold_update(self, local_actor_id: int, object_id: str, obj: dict[str, Any]) -> str:
        """Put the updated object into the Create that announced it (as
        Mastodon's outbox shows a Create with the current object); the Update
        itself then stays out of the listing. Without a Create (the Group's own
        profile), only the newest Update of the object is listed."""
        rows = await self.database.fetchall(
            "SELECT id, payload FROM outbox WHERE object_id = ? AND local_actor_id = ?"
            " AND type = 'Create' AND state != 'withdrawn'",
            (object_id, local_actor_id),
        )
        for row in rows:
            create = json.loads(row["payload"])
            create["object"] = obj
            await self.database.execute(
                "UPDATE outbox SET payload = ? WHERE id = ?",
                (json.dumps(create, separators=(",", ":")), row["id"]),
            )
        if rows:
            return "folded"
        await self.database.execute(
            "UPDATE outbox SET state = 'folded' WHERE object_id = ? AND local_actor_id = ?"
            " AND type = 'Update' AND state = 'listed'",
            (object_id, local_actor_id),
        )
        return "listed"

    async def count_public(self, local_actor_id: int) -> int:
        return int(
            await self.database.fetchvalue(
                "SELECT COUNT(*) FROM outbox WHERE local_actor_id = ? AND public = 1 AND state = 'listed'",
                (local_actor_id,),
            )
        )

    async def public_page(self, local_actor_id: int, limit: int, offset: int) -> list[dict[str, Any]]:
        return [json.loads(payload) for payload in await self.public_page_json(local_actor_id, limit, offset)]

    async def public_page_json(self, local_actor_id: int, limit: int, offset: int) -> list[str]:
        """The activities as stored JSON text, for pages that pass them on unparsed."""
        rows = await self.database.fetchall(
            "SELECT payload FROM outbox WHERE local_actor_id = ? AND public = 1 AND state = 'listed'"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (local_actor_id, limit, offset),
        )
        return [row[0] for row in rows]

    async def latest(self, local_actor_id: int, type: str, object_id: str) -> dict[str, Any] | None:
        """The last activity of this type about this object we sent (the Block an Undo undoes)."""
        payload = await self.database.fetchvalue(
            "SELECT payload FROM outbox WHERE local_actor_id = ? AND type = ? AND object_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (local_actor_id, type, object_id),
        )
        return None if payload is None else dict(json.loads(payload))

    async def by_id(self, activity_id: str) -> dict[str, Any] | None:
        payload = await self.database.fetchvalue(
            "SELECT payload FROM outbox WHERE activity_id = ?", (activity_id,)
        )
        return None if payload is None else json.loads(payload)

    async def public_by_id(self, activity_id: str) -> dict[str, Any] | None:
        """The activity if it is public and not about a deleted object: what
        /activities/{id} may show anyone."""
        payload = await self.database.fetchvalue(
            "SELECT payload FROM outbox WHERE activity_id = ? AND public = 1 AND state != 'withdrawn'",
            (activity_id,),
        )
        return None if payload is None else json.loads(payload)
