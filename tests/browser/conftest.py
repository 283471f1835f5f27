"""A real ``fedchapter serve`` on a free 127.0.0.1 port, driven by Debian's
Chromium through Playwright (its driver only: never a browser download).

Without /usr/bin/chromium or axe-core these tests skip, except in CI
(CI=true), where ``make test`` has installed both and a skip would hide a
broken install.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from fedchapter.cli.demo import DEMO_ADMIN

CHROMIUM = Path("/usr/bin/chromium")
AXE_FILE = Path(os.environ.get("FEDCHAPTER_AXE_DIR", Path.home() / ".cache" / "fedchapter-browser")) / (
    "node_modules/axe-core/axe.min.js"
)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
ADMIN = (DEMO_ADMIN[0], DEMO_ADMIN[1])
STARTUP_SECONDS = 60


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (bash tests/browser/install.sh installs it)"
    if not AXE_FILE.exists():
        return f"{AXE_FILE} is missing (bash tests/browser/install.sh installs it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(str(item.fspath)).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    problem = _missing()
    if problem and browser_items:
        if os.environ.get("CI"):
            raise pytest.UsageError(f"browser tests cannot run in CI: {problem}")
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=problem))


@dataclass(frozen=True)
class Server:
    base_url: str
    data: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fedchapter(*args: str) -> list[str]:
    return [sys.executable, "-m", "fedchapter", *args]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("browser-chapter")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    # The demo chapter: an admin and members in every role, as `make run` shows it.
    subprocess.run(_fedchapter("--data", str(data), "demo", "--base-url", base_url), check=True, capture_output=True)
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        _fedchapter("--data", str(data), "serve", "--host", "127.0.0.1", "--port", str(port)),
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_serving(base_url, process)
        yield Server(base_url=base_url, data=data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_serving(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"fedchapter serve exited with {process.returncode}")
        try:
            if httpx.get(base_url + "/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"fedchapter serve did not answer within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Per module: Playwright's sync API holds an event loop while it runs, so
    it must stop before the async tests of the other folders start."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # launch() gives every run a fresh temporary profile (user-data-dir).
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
