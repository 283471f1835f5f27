"""``fedchapter backup FILE``: a consistent copy of the database, safe while serving."""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from fedchapter.cli.common import CommandError, add_data_option, opened, settings_for


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = subparsers.add_parser("backup", help="copy the database consistently, even while serving")
    add_data_option(backup)
    backup.add_argument("file", help="where to write the copy (must not exist)")
    backup.set_defaults(handler=run_backup)


def run_backup(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    target = Path(args.file)
    if target.exists():
        raise CommandError(f"{target} exists; choose a new file name")
    if not target.parent.is_dir():
        raise CommandError(f"folder {target.parent} does not exist")

    async def copy() -> None:
        async with opened(settings) as repos:
            await repos.database.backup_to(target)

    asyncio.run(copy())
    return 0
