"""``fedchapter restore``: a backup comes back whole, and never over a running
server, someone else's chapter or a database that holds data (unless --force)."""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fedchapter.cli.test_cli import run


def _init(folder: Path, handle: str = "dublin") -> None:
    result = run("init", "--data", str(folder), "--base-url", "http://127.0.0.1:8124", "--handle", handle,
                 "--name", "Chapter", "--admin-username", "aoife", "--admin-password", "a long password", "--dev")
    assert result.returncode == 0, result.stderr


def _users(folder: Path) -> list[str]:
    database = sqlite3.connect(folder / "fedchapter.sqlite3")
    try:
        return sorted(row[0] for row in database.execute(
            "SELECT a.username FROM users u JOIN local_actors a ON a.id = u.actor_id"))
    finally:
        database.close()


@pytest.fixture
def backed_up(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path / "data"
    _init(folder)
    backup = tmp_path / "backup.sqlite3"
    assert run("backup", "--data", str(folder), str(backup)).returncode == 0
    # A change after the backup, which the restore must undo.
    added = run("user", "add", "--data", str(folder), "--username", "niamh", "--password", "a long password")
    assert added.returncode == 0, added.stderr
    yield folder, backup


def test_restore_refuses_a_database_that_holds_data_then_replaces_it_with_force(
    backed_up: tuple[Path, Path]
) -> None:
    folder, backup = backed_up
    refused = run("restore", "--data", str(folder), str(backup))
    assert refused.returncode == 1
    assert "already holds a database" in refused.stderr and "--force" in refused.stderr
    assert _users(folder) == ["aoife", "niamh"]
    done = run("restore", "--data", str(folder), str(backup), "--force")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert _users(folder) == ["aoife"]
    assert run("doctor", "--data", str(folder)).stdout.count("database: ok") == 1


def test_restore_into_a_folder_with_only_its_settings(backed_up: tuple[Path, Path], tmp_path: Path) -> None:
    folder, backup = backed_up
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(folder / "fedchapter.toml", fresh / "fedchapter.toml")
    done = run("restore", "--data", str(fresh), str(backup))
    assert done.returncode == 0, done.stderr
    assert _users(fresh) == ["aoife"]


def test_restore_refuses_while_a_process_has_the_database_open(backed_up: tuple[Path, Path]) -> None:
    folder, backup = backed_up
    holder = sqlite3.connect(folder / "fedchapter.sqlite3")
    try:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("SELECT COUNT(*) FROM users").fetchone()
        refused = run("restore", "--data", str(folder), str(backup), "--force")
    finally:
        holder.close()
    assert refused.returncode == 1 and "is open in a running fedchapter" in refused.stderr
    assert _users(folder) == ["aoife", "niamh"]


def test_restore_refuses_another_chapters_backup_and_what_is_not_a_backup(
    backed_up: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, backup = backed_up
    other = tmp_path / "other"
    _init(other, handle="cork")
    forced = run("restore", "--data", str(other), str(backup), "--force")
    assert forced.returncode == 0  # --force takes another chapter's backup knowingly
    _init(tmp_path / "third", handle="galway")
    refused = run("restore", "--data", str(tmp_path / "third"), str(backup))
    assert refused.returncode == 1 and "is a backup of @dublin" in refused.stderr
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    refused = run("restore", "--data", str(folder), str(junk), "--force")
    assert refused.returncode == 1 and "is not a SQLite database" in refused.stderr
