"""``fedchapter migrate-to``: a SQLite chapter with content moves to PostgreSQL
and serves the same documents; a non-empty target is refused, changing nothing.
Needs PostgreSQL (started by tests/support/postgres.py): fails, never skips."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import httpx
import psycopg

from fedchapter.cli.composition import chapter_app
from fedchapter.cli.demo import build_demo
from fedchapter.settings import load_settings
from tests.support import postgres

BASE = "http://london.test"
JSON = {"Accept": "application/activity+json"}


def _migrate(folder: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fedchapter", "--data", str(folder), "migrate-to", url],
        capture_output=True, text=True, timeout=300,
    )


async def _documents(folder: Path) -> dict[str, Any]:
    """What peers and visitors see: the actor, its outbox and collections, pages."""
    settings = load_settings(folder, environ={})
    app = chapter_app(settings, run_workers=False)
    seen: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
            actor = (await client.get("/.well-known/webfinger?resource=acct:london@london.test")).json()
            actor_url = next(link["href"] for link in actor["links"] if link.get("rel") == "self")
            document = (await client.get(actor_url, headers=JSON)).json()
            seen["actor"] = document
            for name in ("outbox", "followers", "following"):
                collection = (await client.get(document[name], headers=JSON)).json()
                seen[name] = collection
                if isinstance(collection.get("first"), str):
                    seen[f"{name}-first"] = (await client.get(collection["first"], headers=JSON)).json()
            for page in ("/", "/events", "/minutes", "/posts", "/proposals"):
                response = await client.get(page)
                seen[f"status {page}"] = response.status_code
    return seen


async def test_a_sqlite_chapter_moves_to_postgresql_intact(tmp_path: Path) -> None:
    folder = tmp_path / "london"
    await build_demo(folder, BASE)
    before = await _documents(folder)
    sqlite_file = folder / "fedchapter.sqlite3"
    url = postgres.new_database_url("migrated")

    done = _migrate(folder, url)
    assert done.returncode == 0, done.stderr
    assert "every table's count verified" in done.stdout
    assert tomllib.loads((folder / "fedchapter.toml").read_text())["database_url"] == url
    assert sqlite_file.is_file()  # kept as a backup

    after = await _documents(folder)
    assert after == before
    assert before["outbox"]["totalItems"] > 0

    # New rows get new ids after the copied ones (identity sequences moved on).
    with psycopg.connect(url, autocommit=True) as connection:
        top = connection.execute("SELECT MAX(id) FROM local_actors").fetchone()[0]
        connection.execute(
            "INSERT INTO local_actors (username, kind, display_name, public_key_pem, private_key_pem,"
            " created_at) VALUES ('newcomer', 'person', 'N', '', '', '2026-01-01T00:00:00+00:00')"
        )
        assert connection.execute("SELECT id FROM local_actors WHERE username = 'newcomer'").fetchone()[0] > top


async def test_migrate_to_refuses_a_database_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "london"
    await build_demo(folder, BASE)
    url = postgres.new_database_url("occupied")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE something (x INTEGER)")
        connection.execute("INSERT INTO something VALUES (1)")
    toml_before = (folder / "fedchapter.toml").read_text()

    done = _migrate(folder, url)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "not empty" in done.stderr
    assert (folder / "fedchapter.toml").read_text() == toml_before
    with psycopg.connect(url, autocommit=True) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    assert tables == [("something",)]  # nothing of ours was created


def test_a_wrong_database_url_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fedchapter", "--data", str(tmp_path / "x"), "init", "--base-url",
         "http://x.test", "--handle", "x", "--name", "X", "--dev", "--database-url", "mysql://a@b/c"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "postgresql://" in done.stderr
    unreachable = subprocess.run(
        [sys.executable, "-m", "fedchapter", "--data", str(tmp_path / "y"), "init", "--base-url",
         "http://y.test", "--handle", "y", "--name", "Y", "--dev",
         "--database-url", "postgresql://nobody@127.0.0.1:1/none"],
        capture_output=True, text=True, timeout=60,
    )
    assert unreachable.returncode == 1 and unreachable.stderr.count("\n") == 1, unreachable.stderr
    assert "cannot connect" in unreachable.stderr

