"""The command line as a chapter admin uses it: real processes, real folders."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

FEDCHAPTER = [sys.executable, "-m", "fedchapter"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FEDCHAPTER, *args], capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def chapter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "data"
    result = run(
        "init", "--data", str(folder), "--base-url", "http://127.0.0.1:8123", "--handle", "dublin",
        "--name", "Dublin Chapter", "--timezone", "Europe/Dublin",
        "--admin-username", "aoife", "--admin-password", "a long password", "--dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["@dublin@127.0.0.1:8123", "http://127.0.0.1:8123/actors/dublin"]
    assert result.stderr == ""
    return folder


def test_init_creates_the_database_keys_and_accounts(chapter: Path) -> None:
    database = sqlite3.connect(chapter / "fedchapter.sqlite3")
    kinds = {row[0]: row[1] for row in database.execute("SELECT username, kind FROM local_actors")}
    assert kinds == {"dublin": "group", "instance": "application", "aoife": "person"}
    keys = database.execute("SELECT private_key_pem FROM local_actors").fetchall()
    assert all(key[0].startswith("-----BEGIN PRIVATE KEY-----") for key in keys)
    password_hash = database.execute("SELECT password_hash, role FROM users").fetchone()
    assert password_hash[0].startswith("$argon2id$") and password_hash[1] == "admin"


def test_init_refuses_an_initialised_folder_and_changes_nothing(chapter: Path) -> None:
    before = (chapter / "fedchapter.toml").read_bytes()
    result = run("init", "--data", str(chapter), "--base-url", "http://127.0.0.1:9", "--handle", "x",
                 "--name", "X", "--dev")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "already initialised" in result.stderr
    assert result.stdout == ""
    assert (chapter / "fedchapter.toml").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "not a url"], "base URL"),
        (["--base-url", "http://chapter.example.org"], "https"),
        (["--base-url", "https://chapter.example.org", "--timezone", "Europe/Atlantis"], "unknown time zone"),
        (["--base-url", "https://chapter.example.org", "--handle", "Bad Handle"], "handle"),
    ],
)
def test_init_bad_input_is_one_line_exit_1_and_leaves_no_folder(tmp_path: Path, args: list[str], message: str) -> None:
    folder = tmp_path / "new"
    base = {"--handle": "vienna", "--name": "Vienna"}
    for option, value in zip(args[::2], args[1::2]):
        base[option] = value
    flat = [item for pair in base.items() for item in pair]
    result = run("init", "--data", str(folder), *flat)
    assert result.returncode == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not folder.exists()


def test_serve_without_a_data_folder_fails_clearly(tmp_path: Path) -> None:
    result = run("serve", "--data", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert "does not exist" in result.stderr and result.stderr.count("\n") == 1


def test_usage_errors_exit_2() -> None:
    assert run("no-such-command").returncode == 2
    assert run("user", "add", "--username", "x").returncode == 2


def test_user_add_and_token_create_with_data_after_or_before(chapter: Path) -> None:
    added = run("user", "add", "--username", "siobhan", "--password", "minutes rock", "--role", "secretary",
                "--data", str(chapter))
    assert added.returncode == 0, added.stderr
    assert added.stdout == ""
    token = run("--data", str(chapter), "token", "create", "--username", "siobhan")
    assert token.returncode == 0
    assert len(token.stdout.strip()) >= 40 and token.stdout.count("\n") == 1
    duplicate = run("user", "add", "--username", "siobhan", "--password", "minutes rock", "--data", str(chapter))
    assert duplicate.returncode == 1 and "taken" in duplicate.stderr
    short = run("user", "add", "--username", "niamh", "--password", "short", "--data", str(chapter))
    assert short.returncode == 1 and "password" in short.stderr


def test_user_disable_ends_tokens_and_refuses_the_last_admin(chapter: Path) -> None:
    def disabled(username: str) -> int:
        with sqlite3.connect(chapter / "fedchapter.sqlite3") as db:
            return int(db.execute("SELECT u.disabled FROM users u JOIN local_actors a ON a.id = u.actor_id"
                                  " WHERE a.username = ?", (username,)).fetchone()[0])

    def tokens(username: str) -> int:
        with sqlite3.connect(chapter / "fedchapter.sqlite3") as db:
            return int(db.execute("SELECT COUNT(*) FROM api_tokens t JOIN users u ON u.id = t.user_id"
                                  " JOIN local_actors a ON a.id = u.actor_id WHERE a.username = ?",
                                  (username,)).fetchone()[0])

    assert run("user", "add", "--username", "ciaran", "--password", "a long password", "--data", str(chapter)).returncode == 0
    assert run("token", "create", "--username", "ciaran", "--data", str(chapter)).returncode == 0
    off = run("user", "disable", "ciaran", "--data", str(chapter))
    assert (off.returncode, off.stdout, off.stderr) == (0, "", "")
    assert disabled("ciaran") == 1 and tokens("ciaran") == 0
    on = run("user", "enable", "ciaran", "--data", str(chapter))
    assert on.returncode == 0 and disabled("ciaran") == 0
    refused = run("user", "disable", "aoife", "--data", str(chapter))
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "last active admin" in refused.stderr
    assert disabled("aoife") == 0
    unknown = run("user", "disable", "nobody", "--data", str(chapter))
    assert unknown.returncode == 1 and "no account named" in unknown.stderr


def test_data_folder_from_the_environment(chapter: Path) -> None:
    result = run("token", "create", "--username", "aoife", env={"FEDCHAPTER_DATA": str(chapter)})
    assert result.returncode == 0, result.stderr


def test_backup_while_the_folder_is_in_use(chapter: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    result = run("backup", str(target), "--data", str(chapter))
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT COUNT(*) FROM local_actors").fetchone()[0] >= 3
    again = run("backup", str(target), "--data", str(chapter))
    assert again.returncode == 1 and "exists" in again.stderr
