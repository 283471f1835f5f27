"""Read-only looks into a running chapter's SQLite database (WAL lets a
reader in another process see committed rows without blocking the server)."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from fedchapter.settings import DATABASE_FILE


class ChapterDatabase:
    def __init__(self, data: Path) -> None:
        self.path = data / DATABASE_FILE

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def inbox_backlog(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM inbox WHERE state IN ('queued', 'processing')")[0][0])  # type: ignore[arg-type]

    def inbox_states(self) -> dict[str, int]:
        return {str(state): int(count) for state, count in self._query(  # type: ignore[call-overload]
            "SELECT state, COUNT(*) FROM inbox GROUP BY state")}

    def max_inbox_id(self) -> int:
        return int(self._query("SELECT COALESCE(MAX(id), 0) FROM inbox")[0][0])  # type: ignore[arg-type]

    def processed_since(self, after_id: int) -> list[tuple[str, str]]:
        """(activity id, state) of rows past ``after_id`` that are processed."""
        return [(str(a), str(s)) for a, s in self._query(
            "SELECT activity_id, state FROM inbox WHERE id > ? AND state NOT IN ('queued', 'processing')",
            (after_id,))]

    def delivery_states(self, activity_id: str | None = None) -> dict[str, int]:
        if activity_id is None:
            rows = self._query("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
        else:
            rows = self._query("SELECT state, COUNT(*) FROM deliveries WHERE activity_id = ? GROUP BY state",
                               (activity_id,))
        return {str(state): int(count) for state, count in rows}  # type: ignore[call-overload]

    def wait_inbox_drained(self, timeout: float) -> float | None:
        """Seconds until no inbox row is unprocessed, or None after ``timeout``."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.inbox_backlog() == 0:
                return time.monotonic() - started
            time.sleep(0.1)
        return None
