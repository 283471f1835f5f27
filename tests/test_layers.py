"""The import rules of docs/architecture.md, checked on every file.

fedchapter (the domain) imports none of the outer layers or I/O libraries,
except its CLI, the composition root. storage imports only fedchapter.
federation never imports web. Nothing imports web but web itself.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN: dict[str, set[str]] = {
    "fedchapter": {"starlette", "httpx", "aiohttp", "aiosqlite", "asyncpg", "bovine", "uvicorn",
                   "jinja2", "web", "federation", "storage"},
    "storage": {"starlette", "httpx", "aiohttp", "bovine", "uvicorn", "jinja2", "web", "federation"},
    "federation": {"starlette", "uvicorn", "jinja2", "web", "aiosqlite", "storage"},
}


def imported_top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files(package: str) -> list[Path]:
    files = sorted((ROOT / package).rglob("*.py"))
    if package == "fedchapter":
        files = [f for f in files if "cli" not in f.relative_to(ROOT / package).parts[:1]]
    return files


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_respect_the_layers(package: str) -> None:
    offences = []
    for path in python_files(package):
        bad = imported_top_level_names(path) & FORBIDDEN[package]
        if bad:
            offences.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert offences == []


def test_nothing_outside_web_imports_web() -> None:
    offences = [
        str(path.relative_to(ROOT))
        for package in ("fedchapter", "storage", "federation")
        for path in (ROOT / package).rglob("*.py")
        if "web" in imported_top_level_names(path)
        and not path.relative_to(ROOT).parts[:2] == ("fedchapter", "cli")
    ]
    assert offences == []


def test_the_rule_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import httpx\nfrom storage.database import Database\n")
    assert imported_top_level_names(sample) == {"httpx", "storage"}
