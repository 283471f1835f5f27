"""``fedchapter migrate-to postgresql://...``: move a SQLite chapter onto PostgreSQL.

Stop ``serve`` and ``worker`` first: rows written during the copy would be
left behind. The target must be an empty database (or schema). On success the
data folder's fedchapter.toml gets ``database_url``, so the next start runs
on PostgreSQL; the SQLite file stays where it was, untouched, as a backup.
"""
from __future__ import annotations

import argparse
import asyncio
import time
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from fedchapter.cli.common import CommandError, add_data_option, settings_for
from fedchapter.settings import validate_database_url
from storage.database import SqliteDatabase
from storage.migrations import migrate

if TYPE_CHECKING:
    from storage.copy import CopyReport


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "migrate-to", help="copy this SQLite chapter into an empty PostgreSQL database and switch to it"
    )
    add_data_option(parser)
    parser.add_argument("url", help="postgresql://USER:PASS@HOST:PORT/DB (an empty database)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    url = validate_database_url(args.url)
    if not url:
        raise CommandError("give the PostgreSQL URL to copy the chapter into")
    if settings.on_postgres:
        raise CommandError("this chapter is already on PostgreSQL (database_url is set)")
    if not settings.database_path.is_file():
        raise CommandError(f"no SQLite database at {settings.database_path}")
    started = time.monotonic()
    report = asyncio.run(_copy(settings.database_path, url))
    # Only database_url changes in the file; environment overrides stay out of it.
    raw = tomllib.loads(settings.settings_path.read_text(encoding="utf-8"))
    raw["database_url"] = url
    settings.settings_path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    print(f"copied {report.rows} rows in {len(report.tables)} tables in {time.monotonic() - started:.1f} s;"
          " every table's count verified")
    print(f"{settings.settings_path} now points to PostgreSQL; {settings.database_path} is kept as a backup")
    return 0


async def _copy(path: Path, url: str) -> CopyReport:
    # psycopg loads only for this command, never for every CLI start.
    from storage.copy import copy_sqlite_to_postgres, ensure_empty
    from storage.postgres import PostgresDatabase

    source = SqliteDatabase(path)
    target = PostgresDatabase(url)
    await source.connect()
    try:
        await migrate(source)
        await target.connect()
        try:
            await ensure_empty(target)
            return await copy_sqlite_to_postgres(source, target)
        finally:
            await target.close()
    finally:
        await source.close()

