from __future__ import annotations

from pathlib import Path

import pytest

from fedchapter.settings import SettingsError, load_settings, validate_base_url


def write(folder: Path, text: str) -> Path:
    (folder / "fedchapter.toml").write_text(text)
    return folder


def test_settings_come_from_the_file(tmp_path: Path) -> None:
    write(tmp_path, 'base_url = "https://london.example.org"\nhandle = "london"\ntimezone = "Europe/London"\n')
    settings = load_settings(tmp_path, environ={})
    assert settings.host == "london.example.org"
    assert settings.chapter_handle == "@london@london.example.org"
    assert settings.database_path == tmp_path / "fedchapter.sqlite3"


def test_environment_overrides_the_file_with_types(tmp_path: Path) -> None:
    write(tmp_path, 'base_url = "https://london.example.org"\nhandle = "london"\n')
    settings = load_settings(
        tmp_path,
        environ={"FEDCHAPTER_TIMEZONE": "Australia/Melbourne", "FEDCHAPTER_INBOX_BACKLOG_LIMIT": "5",
                 "FEDCHAPTER_DEV": "true", "FEDCHAPTER_BASE_URL": "http://127.0.0.1:8001"},
    )
    assert settings.timezone == "Australia/Melbourne"
    assert settings.inbox_backlog_limit == 5
    assert settings.dev is True
    assert settings.host == "127.0.0.1:8001"


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        ('handle = "london"\n', {}, "no base_url"),
        ('base_url = "https://x.org"\nhandle = "London!"\n', {}, "handle must be"),
        ('base_url = "http://x.org"\nhandle = "london"\n', {}, "https"),
        ('base_url = "https://x.org"\nhandle = "london"\ntimezone = "Europe/Londres"\n', {}, "unknown time zone"),
        ('base_url = "https://x.org"\nhandle = "london"\n', {"FEDCHAPTER_DEV": "maybe"}, "true or false"),
        ("base_url = [", {}, "not valid TOML"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(tmp_path: Path, text: str, environ: dict[str, str], message: str) -> None:
    write(tmp_path, text)
    with pytest.raises(SettingsError, match=message):
        load_settings(tmp_path, environ=environ)


def test_a_folder_without_settings_is_not_initialised(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not an initialised data folder"):
        load_settings(tmp_path, environ={})


@pytest.mark.parametrize("url", ["https://x.org/path", "ftp://x.org", "https://", "https://x.org?a=1", "https://x.org:99999"])
def test_base_urls_with_paths_or_odd_schemes_are_refused(url: str) -> None:
    with pytest.raises(SettingsError):
        validate_base_url(url, dev=True)


def test_base_url_is_normalised() -> None:
    assert validate_base_url("https://London.Example.org/", dev=False) == "https://london.example.org"
