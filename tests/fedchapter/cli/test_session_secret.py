"""Every chapter signs its sessions with its own secret: ``init`` writes one,
``serve`` refuses to start without one, ``fedchapter secret`` adds one to an
older data folder."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from fedchapter.cli.init import create_chapter
from fedchapter.settings import SettingsError, load_settings
from tests.fedchapter.cli.test_cli import run
from web.app import create_app


def _secret(folder: Path) -> str:
    return str(tomllib.loads((folder / "fedchapter.toml").read_text())["session_secret"])


def _drop_secret(folder: Path) -> None:
    raw = tomllib.loads((folder / "fedchapter.toml").read_text())
    del raw["session_secret"]
    (folder / "fedchapter.toml").write_text(tomli_w.dumps(raw))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    create_chapter(data, base_url="http://127.0.0.1:8124", handle="cork", name="Cork",
                   admin_username="admin", admin_password="a long password", dev=True)
    return data


def test_init_writes_a_random_secret_per_chapter(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    create_chapter(other, base_url="http://127.0.0.1:8125", handle="cork", name="Cork",
                   admin_username="admin", admin_password="a long password", dev=True)
    assert len(_secret(folder)) >= 32
    assert _secret(folder) != _secret(other)


def test_the_app_refuses_to_start_without_a_secret(folder: Path) -> None:
    _drop_secret(folder)
    with pytest.raises(SettingsError, match="fedchapter secret"):
        create_app(load_settings(folder), open_chapter=None)  # type: ignore[arg-type]


def test_a_short_secret_from_the_environment_is_refused(folder: Path) -> None:
    settings = load_settings(folder, environ={"FEDCHAPTER_SESSION_SECRET": "short"})
    with pytest.raises(SettingsError, match="shorter than"):
        create_app(settings, open_chapter=None)  # type: ignore[arg-type]


def test_serve_without_a_secret_says_how_to_add_one_and_secret_adds_it(folder: Path) -> None:
    _drop_secret(folder)
    refused = run("serve", "--data", str(folder), "--port", "8126")
    assert refused.returncode == 1
    assert "run 'fedchapter secret'" in refused.stderr and refused.stderr.count("\n") == 1

    added = run("secret", "--data", str(folder))
    assert added.returncode == 0, added.stderr
    assert added.stdout == ""
    secret = _secret(folder)
    assert len(secret) >= 32
    # The rest of the settings file is kept.
    assert load_settings(folder).handle == "cork"


def test_secret_keeps_an_existing_one_unless_rotated(folder: Path) -> None:
    before = _secret(folder)
    kept = run("secret", "--data", str(folder))
    assert kept.returncode == 1 and "--rotate" in kept.stderr
    assert _secret(folder) == before
    rotated = run("secret", "--data", str(folder), "--rotate")
    assert rotated.returncode == 0, rotated.stderr
    assert _secret(folder) != before
