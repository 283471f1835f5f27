"""Transactions leave the database usable whatever happens to them: a task
cancelled while one begins, a commit the database refuses, and tasks started
inside one that go on writing after it has ended."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.engine import Database
from storage.migrations import open_database
from tests.support.postgres import database_for

BLOCK = "INSERT INTO blocks (kind, value, created_at) VALUES ('domain', ?, '2026-01-01')"


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await open_database(database_for(tmp_path / "db.sqlite3"))
    try:
        yield opened
    finally:
        await opened.close()


async def blocked_domains(database: Database) -> list[str]:
    return [row[0] for row in await database.fetchall("SELECT value FROM blocks ORDER BY value")]


async def test_a_task_cancelled_while_its_transaction_begins_leaves_the_next_write_working(
    database: Database,
) -> None:
    async def write() -> None:
        async with database.transaction() as connection:
            await connection.execute(BLOCK, ("never.example",))

    doomed = asyncio.create_task(write())
    await asyncio.sleep(0)  # it has taken the lock and is waiting for BEGIN
    doomed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await doomed

    async with database.transaction() as connection:
        await connection.execute(BLOCK, ("spam.example",))
    assert await blocked_domains(database) == ["spam.example"]


async def test_a_refused_commit_is_rolled_back_and_the_next_write_works(database: Database) -> None:
    await database.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)")
    await database.execute(
        "CREATE TABLE children (parent_id INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)"
    )
    with pytest.raises(Exception, match="(?i)foreign key"):
        async with database.transaction() as connection:
            await connection.execute(BLOCK, ("rolled-back.example",))
            await connection.execute("INSERT INTO children (parent_id) VALUES (42)")  # refused at COMMIT

    await database.execute(BLOCK, ("spam.example",))
    assert await blocked_domains(database) == ["spam.example"]


async def test_a_task_started_inside_a_transaction_writes_on_its_own_once_it_has_ended(
    database: Database,
) -> None:
    """Tasks inherit the context they are created in; this one must not go on
    acting as the transaction's owner and land in another task's transaction."""
    go = asyncio.Event()

    async def late_write() -> None:
        await go.wait()
        await database.execute(BLOCK, ("late.example",))

    async with database.transaction() as connection:
        await connection.execute(BLOCK, ("first.example",))
        late = asyncio.create_task(late_write())

    with pytest.raises(RuntimeError, match="changed my mind"):
        async with database.transaction() as connection:
            await connection.execute(BLOCK, ("rolled-back.example",))
            go.set()
            await asyncio.sleep(0.05)  # the late write runs now, if it wrongly joins this transaction
            raise RuntimeError("changed my mind")
    await late

    assert await blocked_domains(database) == ["first.example", "late.example"]


async def test_tasks_gathered_inside_a_transaction_join_it(database: Database) -> None:
    with pytest.raises(RuntimeError, match="changed my mind"):
        async with database.transaction():
            await asyncio.gather(*(database.execute(BLOCK, (f"{n}.example",)) for n in range(3)))
            assert len(await blocked_domains(database)) == 3
            raise RuntimeError("changed my mind")
    assert await blocked_domains(database) == []
