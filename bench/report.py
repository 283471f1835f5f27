"""Writing the results: ``bench/results.json`` and the table in ``docs/performance.md``.

Every figure is stored with its ceiling (measured in the same run), the ratio
and the goal, so a reader can judge a noisy machine by the ratios.
"""
from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
TABLE_START = "<!-- bench:table:start -->"
TABLE_END = "<!-- bench:table:end -->"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    goal: str
    met: bool
    ceiling: float | None = None
    ratio: float | None = None
    note: str = ""


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def write(figures: list[Figure], extra: dict[str, object]) -> None:
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    RESULTS.write_text(
        json.dumps({"date": stamp, "machine": machine(), "figures": [asdict(f) for f in figures], **extra},
                   indent=2) + "\n"
    )
    rows = [
        "| figure | value | ceiling | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for figure in figures:
        ceiling = "" if figure.ceiling is None else f"{figure.ceiling:,.1f}"
        ratio = "" if figure.ratio is None else f"{figure.ratio:.0%}"
        rows.append(
            f"| {figure.name} | {figure.value:,.2f} {figure.unit} | {ceiling} | {ratio} | {figure.goal} | "
            f"{'yes' if figure.met else '**no**'}{' — ' + figure.note if figure.note else ''} |"
        )
    table = "\n".join([TABLE_START, f"Machine: {machine()}. Date: {stamp}.", "", *rows, TABLE_END])
    PERFORMANCE_DOC.parent.mkdir(exist_ok=True)
    text = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else "# Performance\n\n" + TABLE_START + "\n" + TABLE_END + "\n"
    if TABLE_START in text and TABLE_END in text:
        before = text.split(TABLE_START)[0]
        after = text.split(TABLE_END, 1)[1]
        text = before + table + after
    else:
        text += "\n" + table + "\n"
    PERFORMANCE_DOC.write_text(text)
