"""``fedchapter follow``, ``deliveries`` and ``worker`` as an admin runs them."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FEDCHAPTER = [sys.executable, "-m", "fedchapter"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*FEDCHAPTER, *args], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=os.environ.copy())


@pytest.fixture(scope="module")
def chapter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("federation-cli") / "data"
    result = run("init", "--data", str(folder), "--base-url", "http://127.0.0.1:8124", "--handle", "cork",
                 "--name", "Cork Chapter", "--admin-password", "a long password", "--dev")
    assert result.returncode == 0, result.stderr
    return folder


def test_deliveries_on_an_empty_queue(chapter: Path) -> None:
    result = run("deliveries", "--data", str(chapter))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == "Deliveries: 0 queued, 0 sending, 0 delivered, 0 failed, 0 cancelled\n"


def test_deliveries_lists_pending_rows_and_servers(chapter: Path) -> None:
    database = sqlite3.connect(chapter / "fedchapter.sqlite3")
    with database:
        database.execute(
            "INSERT INTO followers (local_actor_id, actor_id, inbox, shared_inbox, follow_activity_id, state,"
            " created_at) SELECT actor_id, 'https://masto.example/users/a', 'https://masto.example/users/a/inbox',"
            " 'https://masto.example/inbox', 'https://masto.example/f/1', 'accepted', '2026-01-01T00:00:00Z'"
            " FROM chapter")
    database.close()
    published = subprocess.run([sys.executable, "-m", "tests.e2e.publish_notes", str(chapter), "2"],
                               capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert published.returncode == 0, published.stderr
    result = run("deliveries", "--data", str(chapter))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Deliveries: 2 queued, 0 sending, 0 delivered, 0 failed, 0 cancelled"
    assert any(line.startswith("masto.example") and " available " in line and " 2 " in line for line in lines)
    assert sum("https://masto.example/inbox" in line for line in lines) == 2


def test_follow_of_an_unreachable_server_is_one_clear_line(chapter: Path) -> None:
    result = run("follow", "--data", str(chapter), "@someone@127.0.0.1:9")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("fedchapter: error: cannot reach @someone@127.0.0.1:9")
    assert len(result.stderr.splitlines()) == 1


def test_follow_needs_a_handle_or_url(chapter: Path) -> None:
    result = run("follow", "--data", str(chapter), "nobody")
    assert result.returncode == 1 and "target" in result.stderr


def test_worker_runs_until_told_to_stop(chapter: Path) -> None:
    process = subprocess.Popen([*FEDCHAPTER, "worker", "--data", str(chapter)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("fedchapter: workers running for @cork@127.0.0.1:8124")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
