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


def _value(figure: Figure) -> str:
    if figure.value != figure.value:  # NaN: not measured
        return "—"
    return f"{figure.value:,.2f} {figure.unit}"


def table(figures: list[Figure], stamp: str, extra: dict[str, object]) -> str:
    load = extra.get("load_average_at_start")
    load_text = f" Load average at start: {', '.join(f'{x:.1f}' for x in load)}." if isinstance(load, (list, tuple)) else ""
    patches = extra.get("patches")
    if patches:
        load_text += f" **With proposed fixes applied as patches: {', '.join(map(str, patches))}** (bench/patches.py)."
    rows = [
        "| figure | value | ceiling (same run) | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for figure in figures:
        ceiling = "" if figure.ceiling is None else f"{figure.ceiling:,.1f}"
        ratio = "" if figure.ratio is None else f"{figure.ratio:.0%}"
        met = "—" if figure.goal == "—" else "yes" if figure.met else "**no**"
        note = f" — {figure.note}" if figure.note else ""
        rows.append(f"| {figure.name} | {_value(figure)} | {ceiling} | {ratio} | {figure.goal} | {met}{note} |")
    return "\n".join([
        TABLE_START,
        f"Machine: {machine()}. Date: {stamp}.{load_text} Server on core 0, load on core 1.",
        "",
        *rows,
        TABLE_END,
    ])


def write(
    figures: list[Figure], extra: dict[str, object], *, results: Path = RESULTS, doc: Path = PERFORMANCE_DOC
) -> None:
    """Write ``results`` (JSON) and replace the table between the markers in ``doc``."""
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results.write_text(
        json.dumps({"date": stamp, "machine": machine(), "figures": [asdict(f) for f in figures], **extra},
                   indent=2, default=str) + "\n"
    )
    block = table(figures, stamp, extra)
    doc.parent.mkdir(exist_ok=True)
    text = doc.read_text() if doc.exists() else "# Performance\n\n" + TABLE_START + "\n" + TABLE_END + "\n"
    if TABLE_START in text and TABLE_END in text:
        before = text.split(TABLE_START)[0]
        after = text.split(TABLE_END, 1)[1]
        text = before + block + after
    else:
        text += "\n" + block + "\n"
    doc.write_text(text)
