"""Measuring the raw ceilings in this run, on the server core."""
from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from bench.loadgen import LoadStats, PreparedRequest, run_load
from bench.processes import free_port, python, start, wait_for_http


def page_ceiling(seconds: float, connections: int) -> LoadStats:
    port = free_port()
    server = start([python(), "-m", "bench.ceilings", "page", "--port", str(port)], name="page ceiling")
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process=server)
        request = PreparedRequest("GET", f"http://127.0.0.1:{port}/")
        return asyncio.run(run_load(itertools.repeat(request), connections=connections, seconds=seconds))
    finally:
        server.stop()


def inbox_ceiling(
    workdir: Path, public_key_pem: str, requests: list[PreparedRequest], seconds: float, connections: int,
    rewrite_port: str,
) -> LoadStats:
    """``requests`` are signed POSTs to ``{rewrite_port}/inbox``-style URLs; the
    same prepared bodies and signatures go to the ceiling app (which checks
    only the signature and the digest, as fedchapter must too)."""
    port = free_port()
    key_file = workdir / "ceiling-public.pem"
    key_file.write_text(public_key_pem)
    server = start(
        [python(), "-m", "bench.ceilings", "inbox", "--port", str(port), "--db", str(workdir / "ceiling.sqlite3"),
         "--public-key", str(key_file)],
        name="inbox ceiling",
    )
    try:
        import urllib.request

        deadline_ok = False
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/inbox", timeout=1)  # noqa: S310
            except Exception as error:  # a 405 means it is up
                if "405" in str(error):
                    deadline_ok = True
                    break
                import time

                time.sleep(0.05)
        if not deadline_ok:
            raise RuntimeError("inbox ceiling did not start")
        retargeted = (
            PreparedRequest(r.method, r.url.replace(rewrite_port, f"127.0.0.1:{port}"), r.headers, r.body)
            for r in requests
        )
        return asyncio.run(run_load(retargeted, connections=connections, seconds=seconds))
    finally:
        server.stop()
