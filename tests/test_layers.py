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
    # bovine: importing any of it loads its clients and models (~20 MB; docs/performance.md).
    "federation": {"starlette", "uvicorn", "jinja2", "web", "aiosqlite", "storage", "bovine"},
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


def import_time_mutations(path: Path) -> list[str]:
    """Module-level statements that change something when the module is
    imported: a bare call (``register_x(...)``, ``TABLE.update(...)``) or an
    assignment into another object (``TABLE[key] = ...``, ``obj.attr = ...``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            found.append(f"{name}:{node.lineno} calls {ast.unparse(node.value.func)}()")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Subscript, ast.Attribute)):
                    found.append(f"{name}:{node.lineno} assigns to {ast.unparse(target)}")
    return found


def test_nothing_registers_itself_at_import_time() -> None:
    """The composition root (fedchapter/cli) builds every table; importing any
    other module must change nothing, so a process that imports less (a lone
    ``fedchapter worker``) can never behave differently."""
    offences = [
        offence
        for package in ("fedchapter", "storage", "federation", "web")
        for path in python_files(package)
        if path.name != "__main__.py"  # running the program is what it is for
        for offence in import_time_mutations(path)
    ]
    assert offences == []


def test_the_registration_checker_sees_a_registration(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Docs."""\nregister_receiver("Note", x)\nHANDLERS["Join"] = handle\nLIMIT = 3\n')
    assert [line.split(" ", 1)[1] for line in import_time_mutations(sample)] == [
        "calls register_receiver()", "assigns to HANDLERS['Join']"]


def test_web_calls_services_never_repositories() -> None:
    """Routes reach the database only through the services the composition
    root built (``ctx.events``, ``ctx.documents``...), never ``ctx.repos``."""
    offences = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in python_files("web")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in {"repos", "database"}
    ]
    assert offences == []
