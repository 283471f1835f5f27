"""Two real ``fedchapter serve`` processes on 127.0.0.1: they follow each other
through ``fedchapter follow``; then 200 deliveries queued to a stopped peer
survive ``kill -9`` of the sender and arrive exactly once when the peer is back.

Every wait is bounded; every process is killed at teardown.
"""
from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FEDCHAPTER = [sys.executable, "-m", "fedchapter"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


@dataclass
class Chapter:
    handle: str
    data: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    log: list[Path] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"@{self.handle}@127.0.0.1:{self.port}"

    def cli(self, *args: str) -> subprocess.Popen[str]:
        """Start a command; ``finish`` collects it (so two chapters' commands run side by side)."""
        return subprocess.Popen([*FEDCHAPTER, "--data", str(self.data), *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT)

    def launch(self) -> None:
        log = self.data.parent / f"{self.handle}-{len(self.log)}.log"
        self.log.append(log)
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [*FEDCHAPTER, "--data", str(self.data), "serve", "--port", str(self.port)],
                stdout=output, stderr=subprocess.STDOUT, cwd=ROOT,
            )

    def wait_until_serving(self) -> None:
        wait_for(self._answers, f"{self.handle} to serve", timeout=60)

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"{self.handle} exited: {self.log[-1].read_text()}")
        try:
            return httpx.get(self.base_url + "/.well-known/nodeinfo", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def query(self, sql: str) -> list[tuple[object, ...]]:
        database = sqlite3.connect(f"file:{self.data / 'fedchapter.sqlite3'}?mode=ro", uri=True, timeout=10)
        try:
            return database.execute(sql).fetchall()
        finally:
            database.close()

    def value(self, sql: str) -> object:
        return self.query(sql)[0][0]


@pytest.fixture
def chapters(tmp_path: Path) -> Iterator[tuple[Chapter, Chapter]]:
    alpha = Chapter("alpha", tmp_path / "alpha", free_port())
    beta = Chapter("beta", tmp_path / "beta", free_port())
    finish(*(chapter.cli("init", "--base-url", chapter.base_url, "--handle", chapter.handle, "--name",
                         chapter.handle.title(), "--admin-password", "a long password", "--dev")
             for chapter in (alpha, beta)))
    try:
        yield alpha, beta
    finally:
        for chapter in (alpha, beta):
            chapter.stop(kill=True)


def finish(*commands: subprocess.Popen[str]) -> list[str]:
    outputs = []
    for command in commands:
        stdout, stderr = command.communicate(timeout=60)
        assert command.returncode == 0, stderr
        outputs.append(stdout.strip())
    return outputs


def start(*chapters: Chapter) -> None:
    for chapter in chapters:
        chapter.launch()
    for chapter in chapters:
        chapter.wait_until_serving()


def following_state(chapter: Chapter, other: Chapter) -> object:
    rows = chapter.query(f"SELECT state FROM following WHERE actor_id = '{other.base_url}/actors/{other.handle}'")
    return rows[0][0] if rows else None


def test_two_chapters_federate_and_lose_nothing_across_a_crash(chapters: tuple[Chapter, Chapter]) -> None:
    alpha, beta = chapters
    start(alpha, beta)

    # They follow each other (by handle and by URL); Follow and Accept flow both ways.
    assert finish(alpha.cli("follow", beta.address), beta.cli("follow", f"{alpha.base_url}/actors/alpha")) == [
        f"{beta.base_url}/actors/beta", f"{alpha.base_url}/actors/alpha"]
    wait_for(lambda: following_state(alpha, beta) == "accepted", "alpha's follow to be accepted")
    wait_for(lambda: following_state(beta, alpha) == "accepted", "beta's follow to be accepted")
    assert alpha.value("SELECT COUNT(*) FROM followers WHERE state = 'accepted'") == 1

    # The peer goes down; 200 activities are published to it.
    beta.stop()
    subprocess.run([sys.executable, "-m", "tests.e2e.publish_notes", str(alpha.data), "200"],
                   check=True, timeout=60, cwd=ROOT)
    assert alpha.value("SELECT COUNT(*) FROM deliveries d JOIN outbox o USING (activity_id)"
                       " WHERE o.type = 'Create'") == 200
    # Wait until the sender has tried and failed (nothing in flight), then crash it.
    wait_for(lambda: alpha.value("SELECT COUNT(*) FROM deliveries WHERE attempts > 0 AND state = 'queued'") > 0,
             "alpha to try the stopped peer")
    wait_for(lambda: alpha.value("SELECT COUNT(*) FROM deliveries WHERE state = 'sending'") == 0,
             "no delivery in flight")
    alpha.stop(kill=True)
    assert alpha.value("SELECT COUNT(*) FROM deliveries WHERE state = 'delivered' AND activity_id IN"
                       " (SELECT activity_id FROM outbox WHERE type = 'Create')") == 0

    # The sender restarts, the peer comes back and speaks: its queue is sent at once.
    start(alpha, beta)
    finish(beta.cli("follow", alpha.address))
    wait_for(lambda: beta.value("SELECT COUNT(*) FROM inbox WHERE type = 'Create'") >= 200,
             "the 200 activities to arrive", timeout=30)
    wait_for(lambda: alpha.value("SELECT COUNT(*) FROM deliveries WHERE state != 'delivered'") == 0,
             "alpha's queue to empty")

    received = beta.query("SELECT activity_id, redelivered FROM inbox WHERE type = 'Create'")
    sent = {row[0] for row in alpha.query("SELECT activity_id FROM outbox WHERE type = 'Create'")}
    assert {row[0] for row in received} == sent and len(received) == 200  # none lost
    assert sum(int(row[1]) for row in received) == 0  # none delivered twice
    # The 200 are stored before they are acknowledged; the worker may still be processing the last few.
    wait_for(lambda: beta.value("SELECT COUNT(*) FROM inbox WHERE state NOT IN ('done', 'ignored')") == 0,
             "beta's inbox to be processed")
