"""Read-only looks into a running chapter's SQLite database.

The public API does not show what the inbox did with an activity it ignored
(a vote from a non-member, a Note nobody takes), so scenarios that check "it
arrived and was refused" read the `inbox` table, as an operator would with
sqlite3.  Read-only, and never while holding a transaction: the server keeps
writing (WAL mode).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peerlib import wait_until

DONE_STATES = ("done", "ignored", "failed")


def _query(database: Path, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5.0)
    try:
        connection.row_factory = sqlite3.Row
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def inbox_rows(database: Path, activity_id: str) -> list[dict]:
    return [dict(row) for row in _query(
        database, "SELECT activity_id, actor_id, type, state, error FROM inbox "
                  "WHERE activity_id = ?", (activity_id,))]


def processed_inbox_row(database: Path, activity_id: str, timeout: float = 15.0) -> dict:
    """The inbox row of `activity_id` once the inbox worker has finished with
    it (state done, ignored or failed); waits up to `timeout`."""
    def finished():
        rows = inbox_rows(database, activity_id)
        return rows[0] if rows and rows[0]["state"] in DONE_STATES else None
    try:
        return wait_until(finished, timeout, interval=0.2,
                          what=f"the chapter's inbox to process {activity_id}")
    except TimeoutError as error:
        raise TimeoutError(f"{error}; rows: {inbox_rows(database, activity_id)}") from None


def following_state(database: Path, actor_id: str) -> str | None:
    """pending / accepted / rejected for an actor the chapter follows."""
    rows = _query(database, "SELECT state FROM following WHERE actor_id = ?", (actor_id,))
    return rows[0]["state"] if rows else None


def deliveries(database: Path, host: str) -> list[dict]:
    """The chapter's delivery queue rows to one server (`host[:port]`), oldest
    first: {activity_id, target, state, attempts, last_status, last_error}."""
    return [dict(row) for row in _query(
        database, "SELECT activity_id, target, state, attempts, last_status, last_error "
                  "FROM deliveries WHERE host = ? ORDER BY id", (host,))]
