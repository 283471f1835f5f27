"""Relays of remote replies: the chapter's policy and the log the hourly cap
per remote actor is counted from (a table, so it holds across processes)."""
from __future__ import annotations

from datetime import datetime

from fedchapter.clock import to_iso
from storage.database import Database


class ReplyRelayRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def policy(self) -> tuple[str, int]:
        """(who is relayed, relays per remote actor per hour)."""
        row = await self.database.fetchone("SELECT relay_replies, relays_per_actor_hour FROM chapter WHERE id = 1")
        if row is None:
            return "followers_and_members", 10
        return str(row["relay_replies"]), int(row["relays_per_actor_hour"])

    async def set_policy(self, relay_replies: str, per_actor_hour: int) -> None:
        await self.database.execute(
            "UPDATE chapter SET relay_replies = ?, relays_per_actor_hour = ? WHERE id = 1",
            (relay_replies, per_actor_hour),
        )

    async def count_since(self, actor_id: str, since: datetime) -> int:
        return int(await self.database.fetchvalue(
            "SELECT COUNT(*) FROM reply_relays WHERE actor_id = ? AND relayed_at > ?", (actor_id, to_iso(since))
        ))

    async def was_relayed(self, object_id: str) -> bool:
        return await self.database.fetchone(
            "SELECT 1 FROM reply_relays WHERE object_id = ? LIMIT 1", (object_id,)
        ) is not None

    async def record(self, object_id: str, actor_id: str, at: datetime) -> None:
        await self.database.execute(
            "INSERT INTO reply_relays (object_id, actor_id, relayed_at) VALUES (?, ?, ?)",
            (object_id, actor_id, to_iso(at)),
        )
