"""Blocked actors and domains. A domain block covers its subdomains too."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from fedchapter.clock import to_iso, utc_now
from storage.database import Database


@dataclass(frozen=True)
class Block:
    kind: str  # 'actor' or 'domain'
    value: str
    reason: str
    created_at: str


def _domain_candidates(host: str) -> list[str]:
    """example.org:8443 -> [example.org:8443, example.org]; a.b.org -> also b.org, org."""
    hostname = host.split(":", 1)[0] if not host.startswith("[") else host
    labels = hostname.split(".")
    candidates = [host] + [".".join(labels[index:]) for index in range(len(labels))]
    return list(dict.fromkeys(candidates))


class BlockRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, kind: str, value: str, reason: str = "") -> bool:
        cursor = await self.database.execute(
            "INSERT OR IGNORE INTO blocks (kind, value, reason, created_at) VALUES (?, ?, ?, ?)",
            (kind, value, reason, to_iso(utc_now())),
        )
        return cursor.rowcount > 0

    async def remove(self, kind: str, value: str) -> bool:
        cursor = await self.database.execute(
            "DELETE FROM blocks WHERE kind = ? AND value = ?", (kind, value)
        )
        return cursor.rowcount > 0

    async def is_domain_blocked(self, host: str) -> bool:
        candidates = _domain_candidates(host.lower())
        marks = ",".join("?" * len(candidates))
        found = await self.database.fetchvalue(
            f"SELECT 1 FROM blocks WHERE kind = 'domain' AND value IN ({marks}) LIMIT 1", candidates
        )
        return found is not None

    async def is_blocked(self, actor_id: str) -> bool:
        """The actor, or the domain it lives on, is blocked (one query: every inbox POST asks)."""
        candidates = _domain_candidates(urlsplit(actor_id).netloc.lower())
        marks = ",".join("?" * len(candidates))
        found = await self.database.fetchvalue(
            "SELECT 1 FROM blocks WHERE (kind = 'actor' AND value = ?)"
            f" OR (kind = 'domain' AND value IN ({marks})) LIMIT 1",
            (actor_id, *candidates),
        )
        return found is not None

    async def all(self) -> list[Block]:
        rows = await self.database.fetchall(
            "SELECT kind, value, reason, created_at FROM blocks ORDER BY kind, value"
        )
        return [Block(**dict(row)) for row in rows]
