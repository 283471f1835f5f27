"""A SQLite chapter belongs to one machine: ``worker`` and ``serve`` started on
another one (the data folder on a network file system) refuse in one line,
exit 1 and change nothing; a chapter moved for good is taken over
explicitly, and ``restore`` onto a new machine makes it that machine's."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from storage.sqlite_owner import OWNER_FILE, Machine, recorded_owner, record_owner, this_machine
from tests.fedchapter.cli.test_cli import FEDCHAPTER, run

ELSEWHERE = Machine(hostname="other-box", machine_id="0" * 32)


def _init(folder: Path) -> None:
    result = run("init", "--data", str(folder), "--base-url", "http://127.0.0.1:8125", "--handle", "leeds",
                 "--name", "Chapter", "--admin-username", "amal", "--admin-password", "a long password", "--dev")
    assert result.returncode == 0, result.stderr


def _worker_starts(folder: Path, *flags: str) -> bool:
    """Start ``fedchapter worker``; True once it says it runs (then stop it)."""
    worker = subprocess.Popen([*FEDCHAPTER, "--data", str(folder), "worker", *flags],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None
        return "workers running" in worker.stdout.readline()
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in the data folder and a digest of its bytes."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture
def moved_in(tmp_path: Path) -> Path:
    """A chapter whose data folder says it runs on another machine, as one
    mounted from that machine over NFS would."""
    folder = tmp_path / "data"
    _init(folder)
    record_owner(folder, ELSEWHERE)
    return folder


def test_init_records_this_machine(tmp_path: Path) -> None:
    _init(tmp_path / "data")
    assert recorded_owner(tmp_path / "data") == this_machine()


@pytest.mark.parametrize("command", [["worker"], ["serve", "--port", "1"], ["serve", "--no-workers", "--port", "1"]])
def test_another_machine_is_refused_in_one_line_and_nothing_changes(moved_in: Path, command: list[str]) -> None:
    before = _snapshot(moved_in)
    refused = run("--data", str(moved_in), *command)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert len(refused.stderr.splitlines()) == 1
    assert "belongs to machine 'other-box'" in refused.stderr
    assert "PostgreSQL" in refused.stderr and "--take-over" in refused.stderr
    assert _snapshot(moved_in) == before


def test_a_chapter_moved_here_for_good_is_taken_over(moved_in: Path) -> None:
    assert _worker_starts(moved_in, "--take-over")
    assert recorded_owner(moved_in) == this_machine()
    assert _worker_starts(moved_in)  # from now on without the flag


def test_the_same_machine_renamed_is_still_itself(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    _init(folder)
    here = this_machine()
    if not here.machine_id:
        # Without a machine id the hostname is all there is: a renamed host is another machine.
        assert not Machine("renamed", "").is_same_as(here)
        return
    record_owner(folder, Machine(hostname="old-name", machine_id=here.machine_id))
    assert _worker_starts(folder)
    assert recorded_owner(folder) == here


def test_restore_onto_a_new_machine_makes_the_chapter_its_own(tmp_path: Path) -> None:
    old = tmp_path / "old"
    _init(old)
    backup = tmp_path / "backup.sqlite3"
    assert run("backup", "--data", str(old), str(backup)).returncode == 0
    # The new machine got the settings and, copied along, the old machine's record.
    new = tmp_path / "new"
    new.mkdir()
    shutil.copy(old / "fedchapter.toml", new / "fedchapter.toml")
    record_owner(new, ELSEWHERE)
    refused = run("restore", "--data", str(new), str(backup))
    assert refused.returncode == 1 and len(refused.stderr.splitlines()) == 1
    assert "belongs to machine 'other-box'" in refused.stderr and "--force" in refused.stderr
    assert not (new / "fedchapter.sqlite3").exists()

    done = run("restore", "--data", str(new), str(backup), "--force")
    assert done.returncode == 0, done.stderr
    assert recorded_owner(new) == this_machine()
    # Without a record at all (only the settings copied), no --force is needed.
    newer = tmp_path / "newer"
    newer.mkdir()
    shutil.copy(old / "fedchapter.toml", newer / "fedchapter.toml")
    assert run("restore", "--data", str(newer), str(backup)).returncode == 0
    assert recorded_owner(newer) == this_machine()


def test_an_unreadable_record_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    _init(folder)
    (folder / OWNER_FILE).write_text("hostname = [")
    refused = run("--data", str(folder), "worker")
    assert refused.returncode == 1 and len(refused.stderr.splitlines()) == 1
    assert OWNER_FILE in refused.stderr
