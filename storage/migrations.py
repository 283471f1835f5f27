"""Numbered SQL migrations (``migrations/NNNN_name.sql``) applied in order on
start, each in its own transaction, recorded in ``schema_version``. The same
files serve SQLite and PostgreSQL (``storage.dialect`` translates the DDL).

Feature areas own number ranges so that parallel work never collides:
0001-0009 core, 0010-0019 federation, 0020-0029 events, 0030-0039 members,
0040-0049 minutes and posts, 0050-0059 proposals, 0060-0069 networks,
0070-0079 mail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from storage.engine import Database, DatabaseUnavailable, engine_for

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    found: list[Migration] = []
    for entry in resources.files("storage").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


async def applied_versions(database: Database) -> set[int]:
    await database.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    rows = await database.fetchall("SELECT version FROM schema_version")
    return {row[0] for row in rows}


async def migrate(database: Database) -> list[int]:
    """Apply every migration not yet applied; return the versions applied now.

    A database already at a version this code does not know (written by a
    newer release) is refused before anything changes."""
    available = available_migrations()
    applied_now: list[int] = []
    async with database.schema_lock():
        done = await applied_versions(database)
        unknown = sorted(done - {migration.version for migration in available})
        if unknown and unknown[-1] > available[-1].version:
            raise DatabaseUnavailable(
                f"the database has schema version {unknown[-1]}, newer than this fedchapter knows"
                f" ({available[-1].version}); upgrade fedchapter"
            )
        for migration in available:
            if migration.version in done:
                continue
            stamp = datetime.now(timezone.utc).isoformat()
            await database.run_migration(migration.version, migration.name, migration.sql, stamp)
            applied_now.append(migration.version)
    return applied_now


async def open_database(target: Path | str) -> Database:
    """Connect (a SQLite file path or a ``postgresql://`` URL) and bring the
    schema up to date: what every process does first."""
    database = engine_for(target)
    await database.connect()
    try:
        await migrate(database)
    except BaseException:
        await database.close()
        raise
    return database
