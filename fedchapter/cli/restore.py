"""``fedchapter restore FILE``: put a ``fedchapter backup`` copy back as the
chapter's database (SQLite). PostgreSQL chapters restore with pg_restore
(deploy/README.md).

It refuses while a server or worker has the database open, over a database
that already holds data unless ``--force``, a backup of another chapter
than the settings name unless ``--force``, a backup whose schema is newer
than this fedchapter, and into a data folder recorded as another machine's
(storage/sqlite_owner.py) unless ``--force``; once restored, the data folder
belongs to this machine. The data folder's ``fedchapter.toml`` must be in place
(restore it with the backup: it holds the address the chapter's ids are built on).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from fedchapter.cli.common import CommandError, add_data_option, settings_for
from storage.migrations import available_migrations
from storage.sqlite_restore import (
    RestoreError,
    database_in_use,
    holds_data,
    inspect_backup,
    restore_file,
)
from storage.sqlite_owner import OWNER_FILE, other_owner, record_owner, this_machine


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("restore", help="put a 'fedchapter backup' copy back (SQLite; stop the server)")
    add_data_option(parser)
    parser.add_argument("file", help="the backup to restore")
    parser.add_argument("--force", action="store_true",
                        help="replace a database that holds a chapter (or restore another chapter's backup)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if getattr(settings, "database_url", ""):
        raise CommandError("this chapter is on PostgreSQL: restore with pg_restore (deploy/README.md)")
    source, target = Path(args.file), settings.database_path
    try:
        info = inspect_backup(source)
    except RestoreError as error:
        raise CommandError(str(error)) from None
    newest = max(migration.version for migration in available_migrations())
    if info.schema_version > newest:
        raise CommandError(f"{source} has schema version {info.schema_version}, newer than this fedchapter"
                           f" knows ({newest}); upgrade fedchapter first")
    if info.chapter_username.lower() != settings.handle.lower() and not args.force:
        raise CommandError(f"{source} is a backup of @{info.chapter_username}, but {settings.settings_path}"
                           f" is for @{settings.handle}; restore its settings too, or --force")
    if source.resolve() == target.resolve():
        raise CommandError(f"{source} is the chapter's database itself")
    if database_in_use(target):
        raise CommandError(f"{target} is open in a running fedchapter (serve or worker): stop it first")
    if holds_data(target) and not args.force:
        raise CommandError(f"{target} already holds a database; back it up, then restore with --force")
    elsewhere = other_owner(settings.data_dir)
    if elsewhere is not None and not args.force:
        raise CommandError(f"{settings.data_dir} belongs to machine {elsewhere.hostname!r} ({OWNER_FILE});"
                           " if the chapter is moving here and that machine is stopped, restore with --force")
    restore_file(source, target)
    # Restoring is how a chapter moves to a new machine: the database is this one's now.
    record_owner(settings.data_dir, this_machine())
    return 0
