"""Putting a SQLite backup (``fedchapter backup``) back in place of the
chapter's database: check the copy, make sure nothing has the database open,
then swap it in whole.

Whether a process has the database open is asked of SQLite's own locks: in
WAL mode every open connection holds a shared POSIX lock on the "DMS" byte of
the ``-shm`` file for as long as it is open, so if an exclusive lock on that
byte cannot be had, a server or worker is using the database right now.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# SQLite's unix VFS: the WAL-index locks start at byte 120 of the -shm file,
# eight of them, then the DMS (dead-man switch) byte every connection shares.
_DMS_OFFSET = 120 + 8


class RestoreError(Exception):
    """Why a restore cannot go ahead, in one line."""


@dataclass(frozen=True)
class BackupInfo:
    schema_version: int
    chapter_username: str


def database_in_use(path: Path) -> bool:
    shm = path.with_name(path.name + "-shm")
    if not shm.exists():
        return False
    descriptor = os.open(shm, os.O_RDWR)
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _DMS_OFFSET)
    except OSError:
        return True
    else:
        fcntl.lockf(descriptor, fcntl.LOCK_UN, 1, _DMS_OFFSET)
        return False
    finally:
        os.close(descriptor)


def inspect_backup(path: Path) -> BackupInfo:
    """The backup's schema version and chapter, after SQLite's own quick check."""
    if not path.is_file():
        raise RestoreError(f"{path} does not exist")
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise RestoreError(f"{path} is not a SQLite database")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise RestoreError(f"{path} is damaged: {check}")
        try:
            version = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            row = connection.execute(
                "SELECT a.username FROM chapter c JOIN local_actors a ON a.id = c.actor_id"
            ).fetchone()
        except sqlite3.DatabaseError as error:
            raise RestoreError(f"{path} is not a fedchapter database ({error})") from None
    finally:
        connection.close()
    if version is None or row is None:
        raise RestoreError(f"{path} holds no chapter")
    return BackupInfo(schema_version=int(version), chapter_username=str(row[0]))


def holds_data(path: Path) -> bool:
    """Anything there, a chapter or not, is not ours to overwrite silently."""
    return path.is_file() and path.stat().st_size > 0


def restore_file(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` through SQLite's backup API (a consistent
    copy even if the file is a live WAL database elsewhere), written beside the
    target first and renamed into place, so a failure leaves the old one."""
    partial = target.with_name(target.name + ".restoring")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(partial)
    try:
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode = WAL")
    finally:
        writer.close()
        reader.close()
    for leftover in ("-wal", "-shm"):
        # The old database's log must not be replayed onto the restored one.
        target.with_name(target.name + leftover).unlink(missing_ok=True)
    os.replace(partial, target)
