"""Blocked actors and domains. A domain block covers its subdomains too."""
from __future__ import annotations

import time
from collections.abc import Callable
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
        # Blocks this process added or removed, counted once committed (never
        # before: RecentBlocks would re-read a list without them and keep it).
        self.changes = 0

    async def add(self, kind: str, value: str, reason: str = "") -> bool:
        cursor = await self.database.execute(
            "INSERT OR IGNORE INTO blocks (kind, value, reason, created_at) VALUES (?, ?, ?, ?)",
            (kind, value, reason, to_iso(utc_now())),
        )
        self.database.after_commit(self._changed)
        return cursor.rowcount > 0

    async def remove(self, kind: str, value: str) -> bool:
        cursor = await self.database.execute(
            "DELETE FROM blocks WHERE kind = ? AND value = ?", (kind, value)
        )
        self.database.after_commit(self._changed)
        return cursor.rowcount > 0

    def _changed(self) -> None:
        self.changes += 1

    async def all(self) -> list[Block]:
        rows = await self.database.fetchall(
            "SELECT kind, value, reason, created_at FROM blocks ORDER BY kind, value"
        )
        return [Block(**dict(row)) for row in rows]


# How long a block added by another process (another `serve`, an admin's
# `fedchapter` command) may go unseen by this process's inbox and deliveries.
RECENT_BLOCKS_MAX_AGE_SECONDS = 5.0


@dataclass(frozen=True)
class _BlockList:
    actors: frozenset[str]
    domains: frozenset[str]
    changes: int
    read_at: float

    def covers_domain(self, host: str) -> bool:
        """The host, or a domain it is under, is blocked."""
        return any(candidate in self.domains for candidate in _domain_candidates(host.lower()))


class RecentBlocks:
    """The block list in memory, for the hot paths: every inbox POST, every
    activity processed and every delivery asks whether the other side is
    blocked, and blocks change a few times a year. A query each time was half
    the intake's database trips and one or two per delivery.

    Read again at once after this process adds or removes a block, and at
    most ``max_age`` seconds after another process did (an admin's block in
    one `serve` while another process delivers). Within that lag an activity
    from a just-blocked sender may be processed, or a delivery already queued
    sent; blocking also cancels the queued deliveries in the database
    (federation/blocks.py), which every process sees at once."""

    def __init__(self, repository: BlockRepository, *, max_age: float = RECENT_BLOCKS_MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.repository = repository
        self.max_age = max_age
        self.clock = clock
        self._list: _BlockList | None = None

    async def is_blocked(self, actor_id: str) -> bool:
        """The actor, or the domain it lives on, is blocked."""
        blocks = await self._current()
        return actor_id in blocks.actors or blocks.covers_domain(urlsplit(actor_id).netloc)

    async def is_domain_blocked(self, host: str) -> bool:
        return (await self._current()).covers_domain(host)

    async def _current(self) -> _BlockList:
        now = self.clock()
        blocks = self._list
        if (blocks is None or blocks.changes != self.repository.changes
                or not 0 <= now - blocks.read_at <= self.max_age):
            changes = self.repository.changes  # before reading: a change during the read re-reads next time
            rows = await self.repository.all()
            blocks = self._list = _BlockList(
                actors=frozenset(row.value for row in rows if row.kind == "actor"),
                domains=frozenset(row.value for row in rows if row.kind == "domain"),
                changes=changes, read_at=now,
            )
        return blocks
