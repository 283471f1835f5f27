"""Measuring the raw ceilings in this run, each on the server core, with the
same load generator as the benchmark it bounds."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from bench import wrk
from bench.loadgen import PreparedRequest
from bench.processes import SERVER_CORE, free_port, pinned, python, start, wait_for_http


def page_ceiling(workdir: Path, *, seconds: float, connections: int) -> wrk.WrkResult:
    port = free_port()
    server = start([python(), "-m", "bench.ceilings", "page", "--port", str(port)], name="page ceiling",
                   log=workdir / "page-ceiling.log")
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process=server)
        request = PreparedRequest("GET", f"http://127.0.0.1:{port}/", {"Accept": "application/json"})
        wrk.cycle(workdir, "page-ceiling-warmup", [request], connections=connections, seconds=1)
        return wrk.cycle(workdir, "page-ceiling", [request], connections=connections, seconds=seconds, server=server)
    finally:
        server.stop()


def inbox_ceiling(
    workdir: Path, public_keys: dict[str, str], requests: list[PreparedRequest], *, seconds: float,
    connections: int,
) -> wrk.WrkResult:
    """The same signed POSTs the inbox benchmark sends (replayed in a loop: the
    ceiling keeps no activity ids), to the minimal verify-and-insert app."""
    port = free_port()
    keys_file = workdir / "ceiling-public-keys.json"
    keys_file.write_text(json.dumps(public_keys))
    database = workdir / "ceiling.sqlite3"
    database.unlink(missing_ok=True)
    server = start(
        [python(), "-m", "bench.ceilings", "inbox", "--port", str(port), "--db", str(database),
         "--public-keys", str(keys_file)],
        name="inbox ceiling", log=workdir / "inbox-ceiling.log",
    )
    try:
        # The app has no GET route: its 405 for / says it is up.
        wait_for_http(f"http://127.0.0.1:{port}/", process=server, accept={404, 405})
        retargeted = [
            PreparedRequest(r.method, f"http://127.0.0.1:{port}/inbox", r.headers, r.body) for r in requests
        ]
        wrk.replay(workdir, "inbox-ceiling-warmup", retargeted[:200], connections=connections, seconds=1,
                   repeat=True)
        return wrk.replay(workdir, "inbox-ceiling", retargeted, connections=connections, seconds=seconds,
                          repeat=True, server=server)
    finally:
        server.stop()


def delivery_ceiling(workdir: Path, targets: list[str], body: dict[str, Any], *, concurrency: int,
                     rounds: int = 3) -> dict[str, Any]:
    """Rounds of one signed POST per sink server, through fedchapter's delivery client."""
    targets_file = workdir / "delivery-targets.txt"
    targets_file.write_text("\n".join(targets) + "\n")
    body_file = workdir / "delivery-body.json"
    body_file.write_text(json.dumps(body))
    command = pinned(
        [python(), "-m", "bench.ceilings", "delivery", "--targets", str(targets_file), "--body", str(body_file),
         "--rounds", str(rounds), "--concurrency", str(concurrency)],
        SERVER_CORE,
    )
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    line = next((line for line in result.stdout.splitlines() if line.startswith("CEILING ")), None)
    if line is None:
        raise RuntimeError(f"delivery ceiling failed: {result.stderr.strip()[-2000:]}")
    return json.loads(line.removeprefix("CEILING "))  # type: ignore[no-any-return]
