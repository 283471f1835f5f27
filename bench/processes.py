"""Starting and stopping what a benchmark needs, on 127.0.0.1, pinned to a core."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_CORE = "0"  # the server under test gets one core...
LOAD_CORE = "1"  # ...and the load generator the other


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pinned(command: Sequence[str], core: str) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", core, *command]
    return list(command)


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    name: str

    @property
    def pid(self) -> int:
        return self.popen.pid

    def rss_mb(self) -> float:
        """Resident memory of the process (the server itself, not taskset)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU the process has used so far (from /proc, in clock ticks)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self in _STARTED:
            _STARTED.remove(self)
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


def start(
    command: Sequence[str], *, name: str, core: str | None = SERVER_CORE, env: dict[str, str] | None = None,
    log: Path | None = None,
) -> Process:
    # taskset execs the command, so the pid we get is the server's own.
    full = pinned(command, core) if core is not None else list(command)
    output = open(log, "ab") if log else subprocess.DEVNULL
    try:
        popen = subprocess.Popen(
            full, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT,
            # Its own process group: Ctrl-C in the terminal reaches the harness only,
            # which then stops each process it started, in order.
            start_new_session=True,
        )
    finally:
        if log:
            output.close()
    process = Process(popen, name)
    _STARTED.append(process)
    return process


# Everything this run started, so a failure or Ctrl-C still stops it all (by pid).
_STARTED: list[Process] = []


def stop_all() -> None:
    for process in reversed(list(_STARTED)):
        try:
            process.stop()
        except Exception:  # keep stopping the others
            process.popen.kill()


def wait_for_http(
    url: str, *, timeout: float = 30.0, process: Process | None = None, accept: set[int] | None = None,
    interval: float = 0.01,
) -> float:
    """Seconds until ``url`` answers 200 (or a status in ``accept``); raises after ``timeout``."""
    import urllib.error
    import urllib.request

    wanted = {200} | (accept or set())
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process is not None and process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited with {process.popen.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
                if response.status in wanted:
                    return time.perf_counter() - started
        except urllib.error.HTTPError as error:
            if error.code in wanted:
                return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(interval)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def python() -> str:
    return sys.executable
