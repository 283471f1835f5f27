"""Counting: all 1,100 Scottish wards through `fedchapter count --json`, in
one process pinned to the server core."""
from __future__ import annotations

import resource
import subprocess
import time

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
    problem = "" if ok else f"exit {result.returncode}, {len(lines)} results; "
    # Judged on CPU time: pinned to one core, it is what the count takes with the
    # core to itself; the wall time also holds whatever else ran on that core.
    return [
        Figure(f"count {len(files):,} wards: CPU time on one core", cpu, "s", f"≤ {GOAL_SECONDS:.0f} s",
               ok and cpu <= GOAL_SECONDS, note=f"{problem}wall {wall:.1f} s"),
    ]
