"""Counting: all 1,100 Scottish wards through `fedchapter count`, on one core."""
from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path

from bench.processes import ROOT, SERVER_CORE, pinned, python
from bench.report import Figure

CORPUS = ROOT.parent / "shared" / "data" / "elections" / "scotland"
GOAL_SECONDS = 20.0


def run() -> list[Figure]:
    files = sorted(str(path) for path in CORPUS.glob("*.blt"))
    if not files:
        return [Figure("count 1,100 wards", float("nan"), "s", f"≤ {GOAL_SECONDS:.0f} s", False,
                       note=f"corpus not found at {CORPUS}")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        pinned([python(), "-m", "fedchapter", "count", "--json", *files], SERVER_CORE),
        capture_output=True, text=True, timeout=600,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    ok = result.returncode == 0 and len(lines) == len(files)
    return [
        Figure(f"count {len(files):,} wards (wall, one core)", wall, "s", f"≤ {GOAL_SECONDS:.0f} s",
               ok and wall <= GOAL_SECONDS, note="" if ok else f"exit {result.returncode}, {len(lines)} results"),
        Figure("count: CPU time", cpu, "s", "—", True),
    ]
