"""The SQLite engine: one database file, opened in WAL mode with foreign keys on.

Two connections: a writer, used for every write and for reads inside a
transaction, and a reader, whose snapshots (WAL) never wait for a write.
aiosqlite runs each connection on its own thread, so the event loop never
blocks on disk.

Writes are serialised by one lock because a single connection cannot hold two
transactions; a :class:`~storage.engine.TransactionScope` tells whether the
current task already holds it, so repository calls nest inside
``transaction()`` without deadlocking.
"""
from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.engine import Database, Params, TransactionScope

__all__ = ["Database", "Params", "SqliteDatabase"]


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        # Inside a transaction, the task holds the write lock and uses the writer.
        self._scope: TransactionScope[aiosqlite.Connection] = TransactionScope("sqlite_transaction")

    async def connect(self) -> None:
        self._writer = await self._open()
        self._reader = await self._open()
        await self._reader.execute("PRAGMA query_only = ON")

    async def _open(self) -> aiosqlite.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing is
        # committed behind our back and nothing is left open by accident.
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        connection.row_factory = sqlite3.Row
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute("PRAGMA busy_timeout = 10000")
        # NORMAL is durable across application crashes in WAL mode; only a power
        # loss may roll back the last transactions (SQLite's documented trade-off).
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    async def close(self) -> None:
        for connection in (self._reader, self._writer):
            if connection is not None:
                await connection.close()
        self._reader = self._writer = None

    @property
    def writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise RuntimeError("database is not connected")
        return self._writer

    @property
    def reader(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise RuntimeError("database is not connected")
        return self._reader

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        if self._in_transaction():
            # Already inside a transaction in this task: join it.
            yield self.writer
            return
        async with self._write_lock:
            with self._scope.entered(self.writer) as transaction:
                # BEGIN and COMMIT sit inside the try: a task cancelled while
                # awaiting one of them has still queued it on the connection's
                # thread, where it runs. Without the rollback, a cancelled
                # BEGIN, or a COMMIT refused by a constraint, would leave the
                # connection inside a transaction once the lock is released,
                # and every later write would fail ("cannot start a
                # transaction within a transaction"). rollback() is queued
                # behind them and does nothing when no transaction is open.
                try:
                    await self.writer.execute("BEGIN IMMEDIATE")
                    yield self.writer
                    await self.writer.execute("COMMIT")
                except BaseException:
                    await self.writer.rollback()
                    raise
            self._run_after_commit(transaction)

    def _in_transaction(self) -> bool:
        return self._scope.current() is not None

    async def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one write statement: inside the caller's transaction if there is
        one, otherwise on its own (a single statement is atomic in SQLite, so
        it needs no BEGIN/COMMIT round trips; the lock keeps it out of another
        task's open transaction)."""
        if self._in_transaction():
            return await self._execute_on_writer(sql, params)
        async with self._write_lock:
            cursor = await self._execute_on_writer(sql, params)
        self._committed()
        return cursor

    async def _execute_on_writer(self, sql: str, params: Params) -> sqlite3.Cursor:
        cursor = await self.writer.execute(sql, params)
        await cursor.close()
        return cursor  # lastrowid and rowcount stay readable

    async def execute_returning(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """One write statement with a RETURNING clause, in one trip."""
        if self._in_transaction():
            return list(await self.writer.execute_fetchall(sql, params))
        async with self._write_lock:
            rows = list(await self.writer.execute_fetchall(sql, params))
        self._committed()
        return rows

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as connection:
            await connection.executemany(sql, rows)

    def _connection_for_read(self) -> aiosqlite.Connection:
        # Inside a transaction, read our own uncommitted writes.
        return self.writer if self._in_transaction() else self.reader

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        # execute_fetchall is one trip to the connection's thread instead of
        # three (execute, fetch, close): the hot path of every page and inbox POST.
        rows = await self._connection_for_read().execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return list(await self._connection_for_read().execute_fetchall(sql, params))

    async def fetchvalue(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def backup_to(self, target: Path) -> None:
        """A consistent copy while serving (SQLite's online backup API)."""
        destination = await aiosqlite.connect(target)
        try:
            await self.reader.backup(destination)
        finally:
            await destination.close()

    async def run_migration(self, version: int, name: str, sql: str, stamp: str) -> None:
        # executescript cannot take parameters; the name is from our own file name.
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{sql}\n;"
            f"INSERT INTO schema_version (version, name, applied_at) "
            f"VALUES ({version}, '{name}', '{stamp}');\n"
            "COMMIT;"
        )
        async with self._write_lock:
            try:
                await self.writer.executescript(script)
            except Exception:
                if self.writer.in_transaction:
                    await self.writer.execute("ROLLBACK")
                raise

    @asynccontextmanager
    async def schema_lock(self) -> AsyncIterator[None]:
        # Each migration takes SQLite's write lock (BEGIN IMMEDIATE); a second
        # process finds it applied in schema_version and skips it.
        yield

    async def user_tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'schema_version' ORDER BY name"
        )
        return [row[0] for row in rows]
