"""On a network: whom each member chapter names as its representative at
one of the network's events (docs/networks.md, "Coordination meetings")."""
from __future__ import annotations

import json
from datetime import datetime

from fedchapter.clock import from_iso, to_iso, to_iso_microseconds
from fedchapter.networks.representatives import NamedRepresentative
from storage.database import Database


class NetworkRepresentativeRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def put(
        self, event_id: str, chapter: str, named: tuple[NamedRepresentative, ...], said_at: datetime,
        received_at: datetime,
    ) -> None:
        """Keep what the chapter said unless it already said something later:
        decided in the one statement that writes, so Joins stored at once by
        two inbox workers, or arriving out of order, never go back in time."""
        document = json.dumps([{"id": one.actor, "name": one.name} for one in named], ensure_ascii=False)
        await self.database.execute(
            "INSERT INTO network_representatives (event_id, chapter, representatives, said_at, received_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id, chapter) DO UPDATE SET"
            " representatives = excluded.representatives, said_at = excluded.said_at,"
            " received_at = excluded.received_at"
            " WHERE network_representatives.said_at <= excluded.said_at",
            (event_id, chapter, document, to_iso_microseconds(said_at), to_iso(received_at)),
        )

    async def for_event(self, event_id: str) -> dict[str, tuple[tuple[NamedRepresentative, ...], datetime]]:
        """Chapter actor → (whom it named, when it said so)."""
        rows = await self.database.fetchall(
            "SELECT chapter, representatives, said_at FROM network_representatives WHERE event_id = ?", (event_id,)
        )
        return {
            row["chapter"]: (
                tuple(NamedRepresentative(name=item["name"], actor=item.get("id"))
                      for item in json.loads(row["representatives"])),
                from_iso(row["said_at"]),
            )
            for row in rows
        }
