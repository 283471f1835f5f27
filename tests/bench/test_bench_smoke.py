"""The benchmark harness imports and its report writer works, on fake
figures. No timing and no servers here: ``make bench`` runs the benchmarks."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from bench import report
from bench.loadgen import LoadStats
from bench.report import Figure

MODULES = [
    "bench.run", "bench.ceilings", "bench.peers", "bench.seed", "bench.signing", "bench.wrk", "bench.db",
    "bench.profile", "bench.patches", "bench.scenarios.ceilings", "bench.scenarios.pages", "bench.scenarios.inbox",
    "bench.scenarios.fanout", "bench.scenarios.counting", "bench.scenarios.pg_fanout",
    "bench.surge", "bench.scenarios.surge", "bench.network_peers", "bench.scenarios.networks",
]


@pytest.mark.parametrize("name", MODULES)
def test_bench_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_report_writes_results_and_replaces_the_table(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\nIntro.\n\n{report.TABLE_START}\nold table\n{report.TABLE_END}\n\n## Profiles\n")
    results = tmp_path / "results.json"
    figures = [
        Figure("inbox: accepted/s", 412.0, "req/s", "≥ 50% of ceiling", True, ceiling=700.0, ratio=412 / 700),
        Figure("cold start", 1.4, "s", "≤ 1 s", False, note="imports"),
        Figure("not measured", float("nan"), "s", "—", False),
    ]
    report.write(figures, {"load_average_at_start": (0.5, 0.4, 0.3)}, results=results, doc=doc)

    text = doc.read_text()
    assert "old table" not in text
    assert text.startswith("# Performance\n\nIntro.") and text.rstrip().endswith("## Profiles")
    assert "| inbox: accepted/s | 412.00 req/s | 700.0 | 59% | ≥ 50% of ceiling | yes |" in text
    assert "| cold start | 1.40 s |  |  | ≤ 1 s | **no** — imports |" in text
    saved = json.loads(results.read_text())
    assert [f["name"] for f in saved["figures"]] == ["inbox: accepted/s", "cold start", "not measured"]


def test_percentiles_of_load_stats() -> None:
    stats = LoadStats(sent=100, ok=100, errors=0, seconds=2.0, latencies_ms=[float(n) for n in range(1, 101)],
                      statuses={200: 100})
    assert stats.rps == 50.0
    assert stats.percentile(50) == 50.0
    assert stats.percentile(99) == 99.0


def test_profile_summary_names_functions(tmp_path: Path) -> None:
    from bench.profile import summarise

    collapsed = tmp_path / "stacks.txt"
    collapsed.write_text(
        "main (/x/fedchapter/cli/__init__.py:10);receive (/x/federation/inbox/intake.py:60) 3\n"
        "main (/x/fedchapter/cli/__init__.py:10);select (/usr/lib/python3.11/selectors.py:468) 1\n"
    )
    summary = summarise(collapsed)
    assert "4 samples" in summary
    assert "75.0%  receive (/x/federation/inbox/intake.py)" in summary
