"""What every repository sees of the database, whichever engine runs it.

Two engines implement it, one module each (as Synapse's storage engines):
``storage.database`` (SQLite through aiosqlite, the embedded default) and
``storage.postgres`` (PostgreSQL through psycopg 3 and its pool). The SQL
stays the repositories' own, written once in SQLite's spelling with ``?``
placeholders; ``storage.dialect`` translates the few differences for
PostgreSQL (docs/databases.md says which and why).

Rows answer ``row["column"]``, ``row[0]``, ``row.keys()`` and ``dict(row)``
on both engines. A write returns a :class:`Result` with ``rowcount``; new ids
come from ``RETURNING id`` (PostgreSQL has no ``lastrowid``).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

Params = Sequence[Any] | dict[str, Any]


class Row(Protocol):
    def __getitem__(self, key: int | str) -> Any: ...
    def keys(self) -> list[str]: ...


class Result(Protocol):
    @property
    def rowcount(self) -> int: ...


class DatabaseUnavailable(Exception):
    """The database cannot be opened or used as configured; the message is
    one line for the admin (wrong URL, server down, newer schema...)."""


class Database(ABC):
    """A connected database: transactions, statements and reads."""

    #: "sqlite" or "postgresql": repositories branch on it only where the
    #: engines truly differ (claiming queue rows with SKIP LOCKED).
    dialect: str

    @abstractmethod
    async def connect(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Any]:
        """All statements of the current task inside join one transaction,
        committed on exit, rolled back on any exception. Nested calls join."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> Result: ...

    @abstractmethod
    async def execute_returning(self, sql: str, params: Params = ()) -> list[Any]:
        """One write statement with a RETURNING clause, in one trip."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...

    @abstractmethod
    async def fetchone(self, sql: str, params: Params = ()) -> Any | None: ...

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]: ...

    async def fetchvalue(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    # -- several processes on one database --------------------------------
    async def notify(self, channel: str) -> None:
        """Wake the workers of other processes listening on ``channel`` (sent at
        commit when inside a transaction). SQLite: nothing; they poll."""

    async def listen(self, wakers: Mapping[str, Callable[[], None]]) -> None:
        """Call ``wakers[channel]()`` for each notification, until cancelled.
        SQLite has no notifications: returns at once, workers poll."""

    def exclusively(self, job: str) -> AbstractAsyncContextManager[bool]:
        """Yields True in the one process that runs ``job`` now, False in the others
        (periodic work that must happen once: closing proposals, expiring rows)."""
        return _always(True)

    # -- schema ----------------------------------------------------------
    @abstractmethod
    async def run_migration(self, version: int, name: str, sql: str, stamp: str) -> None:
        """Apply one migration script and record it in schema_version, atomically."""

    @abstractmethod
    def schema_lock(self) -> AbstractAsyncContextManager[None]:
        """Held while migrating, so processes starting together migrate once."""

    async def user_tables(self) -> list[str]:
        """The application's tables (not schema_version), for copies and checks."""
        raise NotImplementedError

    async def backup_to(self, target: Path) -> None:
        raise DatabaseUnavailable(
            f"backup to a file works on SQLite only; for {self.dialect} use pg_dump (docs/databases.md)"
        )


@asynccontextmanager
async def _always(value: bool) -> AsyncIterator[bool]:
    yield value


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.split(":", 1)[0] in ("postgresql", "postgres")


def engine_for(target: str | Path) -> Database:
    """The engine for a SQLite file path or a ``postgresql://`` URL (not connected yet)."""
    if is_postgres_url(target):
        from storage.postgres import PostgresDatabase  # psycopg loads only for PostgreSQL

        return PostgresDatabase(str(target))
    if isinstance(target, str) and "://" in target:
        raise DatabaseUnavailable(
            f"database_url must start with postgresql:// (or be empty for SQLite), got {target.split('://')[0]}://..."
        )
    from storage.database import SqliteDatabase

    return SqliteDatabase(Path(target))


__all__ = [
    "Database", "DatabaseUnavailable", "Params", "Result", "Row",
    "engine_for", "is_postgres_url",
]
