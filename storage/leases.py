"""Taking back the rows of a queue held by a worker that is gone.

The inbox and the delivery queue lease rows the same way (``leased_by`` is
"hostname:pid", ``lease_until`` when the lease runs out, one state meaning
"held"); only the table and that state differ, so one helper serves both.
"""
from __future__ import annotations

from dataclasses import dataclass

from storage.engine import Database


@dataclass(frozen=True)
class LeasedQueue:
    # Both names come from the repositories' own constants, never from input.
    table: str
    held_state: str

    async def holders(self, database: Database) -> list[str]:
        """Every worker that holds a row of this queue now."""
        rows = await database.fetchall(
            f"SELECT DISTINCT leased_by FROM {self.table}"
            f" WHERE state = '{self.held_state}' AND leased_by IS NOT NULL"
        )
        return [row[0] for row in rows]

    async def release_held_by(self, database: Database, owners: list[str]) -> int:
        """Queue again the rows held by processes known to be gone (before their lease ends)."""
        if not owners:
            return 0
        marks = ",".join("?" * len(owners))
        cursor = await database.execute(
            f"UPDATE {self.table} SET state = 'queued', lease_until = NULL, leased_by = NULL"
            f" WHERE state = '{self.held_state}' AND leased_by IN ({marks})",
            tuple(owners),
        )
        return cursor.rowcount
