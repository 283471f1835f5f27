"""``fedchapter doctor`` against a real ``fedchapter serve`` on 127.0.0.1, and
against the same chapter once the server is stopped; ``/healthz`` and
``/metrics`` as a real process answers them."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_two_chapters import Chapter, finish, free_port

pytestmark = pytest.mark.e2e

CHECKS = ["base-url", "webfinger", "clock", "database", "keys", "queues"]


@pytest.fixture
def chapter(tmp_path: Path) -> Iterator[Chapter]:
    chapter = Chapter("doc", tmp_path / "doc", free_port())
    finish(chapter.cli("init", "--base-url", chapter.base_url, "--handle", "doc", "--name", "Doc",
                       "--admin-password", "a long password", "--dev"))
    settings = chapter.data / "fedchapter.toml"
    # init writes every setting out: switch the two on in place.
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("metrics = false", "metrics = true")
                        .replace('log_format = "text"', 'log_format = "json"')
                        .replace('log_level = "warning"', 'log_level = "info"'), encoding="utf-8")
    try:
        yield chapter
    finally:
        chapter.stop(kill=True)


def doctor(chapter: Chapter) -> subprocess.CompletedProcess[str]:
    process = chapter.cli("doctor")
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_doctor_passes_against_a_serving_chapter_and_fails_once_it_stops(chapter: Chapter) -> None:
    chapter.launch()
    chapter.wait_until_serving()

    health = httpx.get(chapter.base_url + "/healthz", timeout=5)
    assert (health.status_code, health.text) == (200, "ok")
    request_id = health.headers["x-request-id"]
    access = [json.loads(line) for line in chapter.log[-1].read_text().splitlines() if line.startswith("{")]
    assert {"logger": "fedchapter.access", "path": "/healthz", "status": 200, "request_id": request_id}.items() \
        <= next(line for line in access if line.get("request_id") == request_id).items()
    assert "fedchapter_queue_depth" in httpx.get(chapter.base_url + "/metrics", timeout=5).text

    sound = doctor(chapter)
    lines = sound.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == CHECKS, sound.stdout + sound.stderr
    assert all(": ok" in line for line in lines), sound.stdout
    assert sound.returncode == 0 and sound.stderr == ""

    chapter.stop()
    stopped = doctor(chapter)
    lines = dict(line.split(": ", 1) for line in stopped.stdout.splitlines())
    assert stopped.returncode == 1
    assert lines["webfinger"].startswith(f"FAIL: nothing answers at {chapter.base_url}")
    assert lines["clock"] == "FAIL: no Date header to compare with (WebFinger did not answer)"
    assert all(lines[name].startswith("ok") for name in ("base-url", "keys", "database", "queues")), lines
