from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import SqliteDatabase
from storage.migrations import available_migrations, migrate, open_database


async def test_migrations_apply_once_in_order_and_are_recorded(tmp_path: Path) -> None:
    database = await open_database(tmp_path / "db.sqlite3")
    try:
        versions = [row[0] for row in await database.fetchall("SELECT version FROM schema_version ORDER BY version")]
        assert versions == [m.version for m in available_migrations()]
        assert await migrate(database) == []  # nothing left to apply
        assert await database.fetchvalue("PRAGMA journal_mode") == "wal"
        assert await database.fetchvalue("PRAGMA foreign_keys") == 1
    finally:
        await database.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    database = await open_database(tmp_path / "db.sqlite3")
    try:
        try:
            async with database.transaction() as connection:
                await connection.execute(
                    "INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (999, 'x', 'now')"
                )
        except sqlite3.IntegrityError:
            pass  # the foreign key is enforced, and the whole transaction rolls back
        assert await database.fetchvalue("SELECT COUNT(*) FROM api_tokens") == 0
    finally:
        await database.close()


async def test_reads_inside_a_transaction_see_its_writes(tmp_path: Path) -> None:
    database = SqliteDatabase(tmp_path / "db.sqlite3")
    await database.connect()
    try:
        await database.execute("CREATE TABLE t (x INTEGER)")
        async with database.transaction():
            await database.execute("INSERT INTO t VALUES (1)")
            assert await database.fetchvalue("SELECT COUNT(*) FROM t") == 1
        assert await database.fetchvalue("SELECT COUNT(*) FROM t") == 1
    finally:
        await database.close()


async def test_backup_copies_a_consistent_database(tmp_path: Path) -> None:
    database = await open_database(tmp_path / "db.sqlite3")
    try:
        await database.backup_to(tmp_path / "copy.sqlite3")
    finally:
        await database.close()
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(available_migrations())
