"""Optional py-spy profiles of the server during a scenario
(``python -m bench.run --profile``): raw collapsed stacks in
``bench/profiles/NAME.txt`` and a summary of where the time went.

py-spy samples from outside the process (ptrace), so the server runs the
same code with and without it; it does take CPU on the load core. Only the
thread holding the GIL is sampled (``--gil``): the event loop's and
aiosqlite's threads otherwise show up busy while they wait for the GIL.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.processes import LOAD_CORE, ROOT, Process, pinned

PROFILES = ROOT / "bench" / "profiles"
_OWN_CODE = ("fedchapter/", "federation/", "storage/", "web/")


def available() -> bool:
    return shutil.which("py-spy") is not None or (Path(ROOT / ".venv" / "bin" / "py-spy")).exists()


@contextmanager
def profiled(name: str, process: Process | None, enabled: bool) -> Iterator[None]:
    if not enabled or process is None or not available():
        yield
        return
    PROFILES.mkdir(exist_ok=True)
    output = PROFILES / f"{name}.txt"
    executable = shutil.which("py-spy") or str(ROOT / ".venv" / "bin" / "py-spy")
    spy = subprocess.Popen(
        pinned([executable, "record", "--pid", str(process.pid), "--format", "raw", "--rate", "250", "--gil",
                "--output", str(output), "--nonblocking"], LOAD_CORE),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait()
        if output.exists():
            (PROFILES / f"{name}.summary.txt").write_text(summarise(output))


def _short(frame: str) -> str:
    """``func (/long/path/site-packages/pkg/mod.py:12)`` -> ``func (pkg/mod.py)``: one entry per function."""
    name, _, where = frame.partition(" (")
    if not where:
        return frame
    path = where.rstrip(")").rsplit(":", 1)[0]
    path = path.split("/site-packages/")[-1].removeprefix(str(ROOT) + "/")
    return f"{name} ({path})"


def summarise(collapsed: Path, top: int = 25) -> str:
    """Inclusive share of samples per function (own code and libraries), and self time."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_short(frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += count
        if frames:
            own[frames[-1]] += count
    if not total:
        return "no samples\n"
    lines = [f"{total} samples of the thread holding the GIL (py-spy --gil)", "", "inclusive, own code:"]
    lines += [f"{count / total:6.1%}  {frame}" for frame, count in inclusive.most_common()
              if any(f"({prefix}" in frame for prefix in _OWN_CODE)][:top]
    lines += ["", "inclusive, all:"]
    lines += [f"{count / total:6.1%}  {frame}" for frame, count in inclusive.most_common(top)]
    lines += ["", "self:"]
    lines += [f"{count / total:6.1%}  {frame}" for frame, count in own.most_common(top)]
    return "\n".join(lines) + "\n"
