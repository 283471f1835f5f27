"""The PostgreSQL engine: psycopg 3 with a connection pool.

Every process (``serve --no-workers``, ``worker``) opens its own small pool.
Connections run in autocommit; ``transaction()`` takes one connection for the
task and opens a real transaction on it, so a statement outside a transaction
commits at once, as on SQLite.

``prepare_threshold=None``: no server-side prepared statements, so the pool
works behind PgBouncer in transaction mode (where a prepared statement would
land on another server connection).

The schema is the first one of the connection's ``search_path`` (``public``
unless the URL sets ``?options=-csearch_path%3D...``): tests give each chapter
its own schema in one database that way.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.adapt import AdaptersMap, Dumper
from psycopg_pool import AsyncConnectionPool

from storage import dialect
from storage.engine import Database, DatabaseUnavailable, Params, TransactionScope

log = logging.getLogger(__name__)

POOL_MAX_SIZE = 10
_CONNECT_TIMEOUT_SECONDS = 10


class PgRow(tuple):  # type: ignore[type-arg]
    """A row as sqlite3.Row answers it: by position, by column name, keys()."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> PgRow:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> PgRow:
        return PgRow(values, index)

    return make


class _BoolAsInteger(Dumper):
    """Our flags are INTEGER 0/1 columns (SQLite has no boolean): send Python
    booleans as integers so ``disabled = ?`` with True works on both."""

    oid = psycopg.postgres.types["int8"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


@lru_cache(maxsize=1)
def _adapters() -> AdaptersMap:
    # Built on first connection, not at import (nothing registers itself then).
    adapters = AdaptersMap(psycopg.adapters)
    adapters.register_dumper(bool, _BoolAsInteger)
    return adapters


class _Written:
    __slots__ = ("rowcount",)

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount

    @property
    def lastrowid(self) -> int:
        raise AttributeError("PostgreSQL has no lastrowid: use INSERT ... RETURNING id")


def _connect_kwargs() -> dict[str, Any]:
    return {"autocommit": True, "prepare_threshold": None, "row_factory": _row_factory,
            "context": _adapters()}


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://..."
    return f"postgresql://{info.get('user', '')}@{info.get('host', '')}:{info.get('port', 5432)}/{info.get('dbname', '')}"


class TranslatingConnection:
    """What ``transaction()`` yields: the psycopg connection behind aiosqlite's
    calls, so repository code that runs statements on the yielded connection
    works on both engines. ``raw`` is the psycopg connection (COPY)."""

    def __init__(self, raw: psycopg.AsyncConnection[Any]) -> None:
        self.raw = raw

    async def execute(self, sql: str, params: Params = ()) -> psycopg.AsyncCursor[Any]:
        return await self.raw.execute(dialect.statement(sql), params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.raw.cursor() as cursor:
            await cursor.executemany(dialect.statement(sql), list(rows))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        cursor = await self.raw.execute(dialect.statement(sql), params)
        return await cursor.fetchall()


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, *, max_size: int = POOL_MAX_SIZE) -> None:
        self.url = url
        self._max_size = max_size
        self._pool: AsyncConnectionPool | None = None
        self._schema_name: str | None = None
        self._scope: TransactionScope[psycopg.AsyncConnection[Any]] = TransactionScope("pg_transaction")

    async def connect(self) -> None:
        try:
            probe = await psycopg.AsyncConnection.connect(
                self.url, connect_timeout=_CONNECT_TIMEOUT_SECONDS, **_connect_kwargs()
            )
        except (psycopg.Error, ValueError) as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise DatabaseUnavailable(f"cannot connect to {describe(self.url)}: {first_line}") from None
        await probe.close()
        self._pool = AsyncConnectionPool(
            self.url, min_size=1, max_size=self._max_size, kwargs=_connect_kwargs(), open=False,
            timeout=30, name="fedchapter",
        )
        await self._pool.open(wait=True, timeout=_CONNECT_TIMEOUT_SECONDS)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @property
    def pool(self) -> AsyncConnectionPool:
        if self._pool is None:
            raise RuntimeError("database is not connected")
        return self._pool

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        current = self._scope.current()
        if current is not None:
            yield current.connection
            return
        async with self.pool.connection() as connection:
            yield connection

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[TranslatingConnection]:
        current = self._scope.current()
        if current is not None:
            yield TranslatingConnection(current.connection)  # already inside one in this task: join it
            return
        async with self.pool.connection() as connection:
            with self._scope.entered(connection) as transaction:
                async with connection.transaction():
                    yield TranslatingConnection(connection)
            self._run_after_commit(transaction)

    async def execute(self, sql: str, params: Params = ()) -> _Written:
        async with self._connection() as connection:
            cursor = await connection.execute(dialect.statement(sql), params)
            written = _Written(cursor.rowcount)
        self._committed_unless_in_transaction()
        return written

    async def execute_returning(self, sql: str, params: Params = ()) -> list[Any]:
        async with self._connection() as connection:
            cursor = await connection.execute(dialect.statement(sql), params)
            rows = await cursor.fetchall()
        self._committed_unless_in_transaction()
        return rows

    def _committed_unless_in_transaction(self) -> None:
        # Autocommit outside a transaction; inside one, its commit counts.
        if self._scope.current() is None:
            self._committed()

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as connection:
            await connection.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> Any | None:
        async with self._connection() as connection:
            cursor = await connection.execute(dialect.statement(sql), params)
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        async with self._connection() as connection:
            cursor = await connection.execute(dialect.statement(sql), params)
            return await cursor.fetchall()

    # -- schema ----------------------------------------------------------
    async def run_migration(self, version: int, name: str, sql: str, stamp: str) -> None:
        async with self.transaction() as connection:
            for statement in dialect.split_script(sql):
                translated = dialect.migration_statement(statement)
                if translated:
                    await connection.raw.execute(translated.encode())
            await connection.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, stamp),
            )

    @asynccontextmanager
    async def schema_lock(self) -> AsyncIterator[None]:
        """Processes starting together (web and workers) migrate one at a time.

        One transaction holds a transaction-level advisory lock (PgBouncer in
        transaction mode keeps no session lock) and every pending migration
        joins it: DDL is transactional here, so it is all or nothing. The lock
        is per schema, so chapters sharing a database do not wait."""
        async with self.transaction() as connection:
            await connection.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':migrations'))")
            await connection.execute(
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_collation"
                " WHERE collname = 'nocase' AND collnamespace = current_schema()::regnamespace) THEN"
                " CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2',"
                " deterministic = false); END IF; END $$"
            )
            yield

    async def user_tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' AND table_name != 'schema_version' ORDER BY table_name"
        )
        return [row[0] for row in rows]

    async def reset_identity(self, table: str) -> None:
        """After rows were copied in with their ids: new ids continue after them."""
        row = await self.fetchone(
            "SELECT pg_get_serial_sequence(quote_ident(table_name), 'id') FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'id'",
            (table,),
        )
        if row is None or row[0] is None:
            return
        query = pgsql.SQL("SELECT setval({seq}, COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)").format(
            seq=pgsql.Literal(row[0]), table=pgsql.Identifier(table)
        )
        async with self._connection() as connection:
            await connection.execute(query)

    # -- several processes on one database --------------------------------
    async def _schema(self) -> str:
        if self._schema_name is None:
            self._schema_name = str(await self.fetchvalue("SELECT current_schema()"))
        return self._schema_name

    async def _channel(self, channel: str) -> str:
        # Notifications are per database, not per schema: prefix the schema so
        # chapters sharing a database (the tests) do not wake each other.
        return f"{await self._schema()}_{channel}"[:63]

    async def notify(self, channel: str) -> None:
        await self.execute("SELECT pg_notify(?, '')", (await self._channel(channel),))

    async def listen(self, wakers: Mapping[str, Callable[[], None]]) -> None:
        """LISTEN on a connection of its own (never a pooled one: it stays
        subscribed). Behind PgBouncer in transaction mode LISTEN is not
        available: then this logs once and returns, and the workers' short
        poll finds new rows."""
        channels = {await self._channel(name): waker for name, waker in wakers.items()}
        delay = 1.0
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    self.url, connect_timeout=_CONNECT_TIMEOUT_SECONDS, **_connect_kwargs()
                )
                async with connection:
                    for channel in channels:
                        await connection.execute(pgsql.SQL("LISTEN {}").format(pgsql.Identifier(channel)))
                    delay = 1.0
                    for waker in channels.values():
                        waker()  # rows may have arrived while we were not listening
                    async for notification in connection.notifies():
                        waker = channels.get(notification.channel)
                        if waker is not None:
                            waker()
            except psycopg.errors.FeatureNotSupported:
                log.warning("LISTEN is not available on this connection (PgBouncer?); workers poll")
                return
            except (psycopg.OperationalError, OSError) as error:
                log.warning("LISTEN connection lost (%s); reconnecting in %.0f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    @asynccontextmanager
    async def exclusively(self, job: str) -> AsyncIterator[bool]:
        """A transaction-level advisory lock, tried without waiting, held by a
        transaction left open on one pooled connection for the job's duration
        (works behind PgBouncer in transaction mode; a process that dies
        releases it). The job's own statements run on other connections."""
        key = f"{await self._schema()}:{job}"
        async with self.pool.connection() as connection:
            async with connection.transaction():
                cursor = await connection.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", (key,))
                row = await cursor.fetchone()
                yield bool(row and row[0])
