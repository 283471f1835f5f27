"""The server's settings: one TOML file in the data folder, overridable by
environment variables, loaded once and passed down explicitly.

These are the settings of the installation (address, zone, limits). What an
admin edits from the web (the chapter's name, summary, openness) lives in the
database with the chapter's actor.

Nothing deeper in the code reads the environment; it receives a ``Settings``.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SETTINGS_FILE = "fedchapter.toml"
DATABASE_FILE = "fedchapter.sqlite3"
ENV_PREFIX = "FEDCHAPTER_"

HANDLE_PATTERN = re.compile(r"^[a-z0-9_]{1,30}$")


class SettingsError(ValueError):
    """A setting is missing or wrong; the message is one line for the user."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    base_url: str
    handle: str
    timezone: str = "UTC"
    language: str = "en"
    dev: bool = False
    # Backpressure: above this many unprocessed inbox rows the inbox answers 503.
    inbox_backlog_limit: int = 10_000
    # Deliveries in flight to one server at a time (politeness).
    delivery_concurrency_per_host: int = 4
    delivery_concurrency: int = 64
    session_secret: str = ""

    @property
    def database_path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def settings_path(self) -> Path:
        return self.data_dir / SETTINGS_FILE

    @property
    def host(self) -> str:
        """host[:port] as it appears in handles and WebFinger resources."""
        return urlsplit(self.base_url).netloc

    @property
    def scheme(self) -> str:
        return urlsplit(self.base_url).scheme

    @property
    def chapter_handle(self) -> str:
        return f"@{self.handle}@{self.host}"


def validate_base_url(url: str, *, dev: bool) -> str:
    """A base URL is scheme://host[:port] with no path; http only under --dev."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"base URL must look like https://chapter.example.org, got {url!r}")
    if parts.scheme == "http" and not dev:
        raise SettingsError("base URL must use https (plain http is allowed only with --dev)")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise SettingsError(f"base URL must have no path, query or user part, got {url!r}")
    try:
        parts.port
    except ValueError:
        raise SettingsError(f"base URL has an invalid port: {url!r}") from None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def validate_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"unknown time zone {name!r} (use an IANA name like Europe/London)") from None
    return name


def validate_handle(handle: str) -> str:
    if not HANDLE_PATTERN.match(handle):
        raise SettingsError(
            f"handle must be 1-30 lowercase letters, digits or underscores, got {handle!r}"
        )
    return handle


def _coerce(name: str, raw: Any, target: Any) -> Any:
    """Environment values are strings; turn them into the field's type."""
    if isinstance(target, bool):
        if isinstance(raw, bool):
            return raw
        value = str(raw).strip().lower()
        if value in ("1", "true", "yes", "on"):
            return True
        if value in ("0", "false", "no", "off", ""):
            return False
        raise SettingsError(f"{ENV_PREFIX}{name.upper()} must be true or false, got {raw!r}")
    if isinstance(target, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise SettingsError(f"setting {name} must be a whole number, got {raw!r}") from None
    return str(raw)


def load_settings(data_dir: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read ``fedchapter.toml`` from the data folder, then apply FEDCHAPTER_* overrides."""
    environ = os.environ if environ is None else environ
    path = data_dir / SETTINGS_FILE
    if not path.is_file():
        raise SettingsError(
            f"{data_dir} is not an initialised data folder (no {SETTINGS_FILE}); run 'fedchapter init' first"
        )
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path} is not valid TOML: {error}") from None
    known = {f.name: f for f in fields(Settings) if f.name != "data_dir"}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name in known:
            values[name] = value
    for name in known:
        env_name = ENV_PREFIX + name.upper()
        if env_name in environ:
            values[name] = environ[env_name]
    for required in ("base_url", "handle"):
        if not values.get(required):
            raise SettingsError(f"{path} has no {required}")
    defaults = Settings(data_dir=data_dir, base_url="", handle="")
    coerced = {
        name: _coerce(name, value, getattr(defaults, name)) for name, value in values.items()
    }
    settings = replace(defaults, **coerced)
    validate_base_url(settings.base_url, dev=settings.dev)
    validate_timezone(settings.timezone)
    validate_handle(settings.handle)
    return settings


def settings_to_toml_dict(settings: Settings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in fields(Settings) if f.name != "data_dir"}
