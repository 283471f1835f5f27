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
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from inspect import iscoroutinefunction
from itertools import count
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

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


_page_neutral: ContextVar[bool] = ContextVar("page_neutral_writes", default=False)

Connection = TypeVar("Connection")
_scopes = count()


@dataclass
class OpenTransaction(Generic[Connection]):
    """The current task's transaction on one engine: the connection it runs
    on, and what to run once it has committed (:meth:`Database.after_commit`)."""

    connection: Connection
    after_commit: list[Callable[[], None]] = field(default_factory=list)


class TransactionScope(Generic[Connection]):
    """Which transaction, if any, the current task is in, on one engine: so
    repository calls inside it join it (the connection to use; on SQLite, the
    write lock it holds) and their after-commit callbacks wait for its commit.

    asyncio copies the context into every task created inside a transaction,
    so a task started there would still see it after it has ended, and write
    as if it held a connection and a lock that are no longer its own. The
    transaction is therefore kept in a box that is emptied when it ends: such
    a task joins the transaction while it is open (as ``asyncio.gather``
    inside one does), and afterwards waits for the lock or a pooled
    connection like any other. Each engine instance has its own scope,
    because several chapters (tests) share a process and a task."""

    def __init__(self, purpose: str) -> None:
        self._box: ContextVar[list[OpenTransaction[Connection] | None] | None] = ContextVar(
            f"{purpose}_{next(_scopes)}", default=None
        )

    def current(self) -> OpenTransaction[Connection] | None:
        box = self._box.get()
        return None if box is None else box[0]

    @contextmanager
    def entered(self, connection: Connection) -> Iterator[OpenTransaction[Connection]]:
        opened = OpenTransaction(connection)
        box: list[OpenTransaction[Connection] | None] = [opened]
        token = self._box.set(box)
        try:
            yield opened
        finally:
            box[0] = None
            self._box.reset(token)


RepositoryClass = TypeVar("RepositoryClass", bound=type)


def page_neutral_writes(cls: RepositoryClass) -> RepositoryClass:
    """Every write of this repository is queue bookkeeping that no page shows
    (see :meth:`Database.page_neutral`)."""
    for name, method in list(vars(cls).items()):
        if iscoroutinefunction(method):
            setattr(cls, name, _page_neutral_method(method))
    return cls


def _page_neutral_method(method: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(method)
    async def neutral(*args: Any, **kwargs: Any) -> Any:
        with Database.page_neutral():
            return await method(*args, **kwargs)

    return neutral


class Database(ABC):
    """A connected database: transactions, statements and reads."""

    #: "sqlite" or "postgresql": repositories branch on it only where the
    #: engines truly differ (claiming queue rows with SKIP LOCKED).
    dialect: str

    #: How many writes this process has committed that may change what a page
    #: shows; the anonymous page cache (web/page_cache.py) forgets its answers
    #: when it moves. Counted at commit (a statement outside a transaction
    #: commits at once), never before: a page read while a write is still
    #: uncommitted must be kept under the old count.
    page_changes: int = 0

    def _committed(self) -> None:
        if not _page_neutral.get():
            self.page_changes += 1

    #: The transaction the current task is in (each engine's constructor
    #: makes one; its ``transaction()`` enters it around BEGIN...COMMIT).
    _scope: TransactionScope[Any]

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` when the current transaction commits (never if it
        rolls back); outside a transaction the write has committed: at once.
        For in-memory copies that must not be refreshed from a database that
        does not show the change yet."""
        current = self._scope.current()
        if current is None:
            callback()
        else:
            current.after_commit.append(callback)

    def _run_after_commit(self, transaction: OpenTransaction[Any]) -> None:
        """Each engine's ``transaction()`` calls this once its outermost
        transaction has committed."""
        self._committed()
        for callback in transaction.after_commit:
            callback()

    @staticmethod
    @contextmanager
    def page_neutral() -> Iterator[None]:
        """Writes inside change no page: queue bookkeeping (an inbox row
        stored or finished, a delivery claimed or its outcome), so a flood of
        activities does not empty the page cache with every row. What the
        activities *do* (a comment, a vote) is written by their handlers
        outside this, and counts."""
        token = _page_neutral.set(True)
        try:
            yield
        finally:
            _page_neutral.reset(token)

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
