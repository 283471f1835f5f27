"""Numbered SQL migrations (``migrations/NNNN_name.sql``) applied in order on
start, each in its own transaction, recorded in ``schema_version``.

Feature areas own number ranges so that parallel work never collides:
0001-0009 core, 0010-0019 federation, 0020-0029 events, 0030-0039 members,
0040-0049 minutes and posts, 0050-0059 proposals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from storage.database import Database

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
    await database.writer.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    rows = await database.fetchall("SELECT version FROM schema_version")
    return {row[0] for row in rows}


async def migrate(database: Database) -> list[int]:
    """Apply every migration not yet applied; return the versions applied now."""
    done = await applied_versions(database)
    applied_now: list[int] = []
    for migration in available_migrations():
        if migration.version in done:
            continue
        stamp = datetime.now(timezone.utc).isoformat()
        # executescript cannot take parameters; the name is from our own file name.
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{migration.sql}\n;"
            f"INSERT INTO schema_version (version, name, applied_at) "
            f"VALUES ({migration.version}, '{migration.name}', '{stamp}');\n"
            "COMMIT;"
        )
        try:
            await database.writer.executescript(script)
        except Exception:
            if database.writer.in_transaction:
                await database.writer.execute("ROLLBACK")
            raise
        applied_now.append(migration.version)
    return applied_now


async def open_database(path: Path) -> Database:
    """Connect and bring the schema up to date: what every process does first."""
    database = Database(path)
    await database.connect()
    await migrate(database)
    return database
