"""A fedchapter instance under test: a fresh data folder, `fedchapter serve`
on a free 127.0.0.1 port pinned to the server core."""
from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.processes import Process, free_port, python, start, wait_for_http

ADMIN_PASSWORD = "bench-admin-password"


def fedchapter(*args: str) -> str:
    result = subprocess.run([python(), "-m", "fedchapter", *args], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"fedchapter {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


@dataclass
class Chapter:
    data: Path
    port: int
    handle: str = "london"
    process: Process | None = None
    patches: tuple[str, ...] = ()  # bench.patches to measure proposed fixes
    cold_start_seconds: float = float("nan")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self, *, workers: bool = True) -> None:
        """Start ``fedchapter serve`` on the server core; the cold start is from
        the exec to the first 200 for the home page."""
        command = [python(), "-m", "fedchapter", "--data", str(self.data), "serve", "--port", str(self.port)]
        if self.patches:
            command[1:3] = ["-m", "bench.patches", ",".join(self.patches), "--"]
        if not workers:
            command.append("--no-workers")
        started = time.perf_counter()
        self.process = start(command, name="fedchapter", log=self.data / "serve.log")
        wait_for_http(self.base_url + "/", process=self.process, timeout=60)
        self.cold_start_seconds = time.perf_counter() - started

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None

    def token(self) -> str:
        return fedchapter("--data", str(self.data), "token", "create", "--username", "admin").strip()

    def api_post(self, token: str, path: str, body: dict[str, object]) -> dict[str, object]:
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return json.loads(response.read())  # type: ignore[no-any-return]

    def api_get(self, token: str, path: str) -> dict[str, object]:
        request = urllib.request.Request(self.base_url + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return json.loads(response.read())  # type: ignore[no-any-return]


def new_chapter(root: Path, name: str = "bench", *, network: bool = False) -> Chapter:
    """A fresh chapter (``network``: made with ``--network``, a network of chapters)."""
    port = free_port()
    data = root / name
    fedchapter(
        "init", "--data", str(data), "--base-url", f"http://127.0.0.1:{port}", "--handle", "london",
        "--name", "Bench Chapter", "--timezone", "Europe/London", "--admin-username", "admin",
        "--admin-password", ADMIN_PASSWORD, "--dev", *(["--network"] if network else []),
    )
    return Chapter(data=data, port=port, handle="london")
