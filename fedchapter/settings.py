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
    # Operations: /metrics answers only when this is on (prometheus-client is
    # imported only then); logs as JSON lines ("json") or plain text ("text").
    metrics: bool = False
    log_format: str = "text"
    log_level: str = "warning"
    # Who may set X-Forwarded-For/-Proto (comma-separated addresses or
    # networks): the reverse proxy only, so no client can pose as another.
    trusted_proxies: str = "127.0.0.1"

    # Empty: SQLite in the data folder. postgresql://USER:PASS@HOST:PORT/DB puts
    # the chapter on PostgreSQL, shared by any number of web and worker processes.
    database_url: str = ""

    # Outgoing mail. No smtp_host: every message is written to the "mail"
    # folder in the data folder instead (listed at /admin/mail), so a chapter
    # runs without a mail server. smtp_security: "starttls", "tls" (implicit
    # TLS, usually port 465) or "none" (a relay on localhost only).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    # The From address; empty: noreply@ the chapter's host.
    mail_from: str = ""

    # Uploads (docs/media.md): the largest picture and PDF accepted, in bytes.
    # Pictures and documents are kept in the "media" folder in the data folder.
    media_image_max_bytes: int = 10_000_000
    media_document_max_bytes: int = 20_000_000

    @property
    def mail_folder(self) -> Path:
        return self.data_dir / "mail"

    @property
    def media_folder(self) -> Path:
        return self.data_dir / "media"

    @property
    def database_path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def database_target(self) -> Path | str:
        """What storage opens: the SQLite file, or the PostgreSQL URL when one is set."""
        return self.database_url or self.database_path

    @property
    def on_postgres(self) -> bool:
        return bool(self.database_url)

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


def validate_database_url(url: str) -> str:
    """Empty (SQLite in the data folder) or postgresql://USER:PASS@HOST:PORT/DB."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not (parts.hostname or parts.path.strip("/")):
        shown = f"{parts.scheme}://..." if parts.scheme else repr(url[:20])
        raise SettingsError(
            f"database_url must be postgresql://USER:PASS@HOST:PORT/DB (or empty for SQLite), got {shown}"
        )
    return url


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
    settings = replace(settings, database_url=validate_database_url(settings.database_url))
    validate_logging(settings.log_format, settings.log_level)
    validate_smtp(settings)
    validate_media(settings)
    return settings


def validate_media(settings: Settings) -> None:
    # Above 100 MB a request body outlives its 30-second budget on most links.
    for name in ("media_image_max_bytes", "media_document_max_bytes"):
        if not 1_000 <= getattr(settings, name) <= 100_000_000:
            raise SettingsError(f"{name} must be from 1000 to 100000000 bytes")


SMTP_SECURITY = ("starttls", "tls", "none")


def validate_smtp(settings: Settings) -> None:
    if settings.smtp_security not in SMTP_SECURITY:
        raise SettingsError(f"smtp_security must be one of {', '.join(SMTP_SECURITY)}, got {settings.smtp_security!r}")
    if not 0 < settings.smtp_port < 65536:
        raise SettingsError(f"smtp_port must be a port number, got {settings.smtp_port}")
    for name in ("smtp_host", "smtp_user", "mail_from"):
        value = getattr(settings, name)
        if "\n" in value or "\r" in value:
            raise SettingsError(f"{name} must be one line")
    if settings.mail_from and "@" not in settings.mail_from:
        raise SettingsError(f"mail_from must be an email address, got {settings.mail_from!r}")


LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("debug", "info", "warning", "error")


def validate_logging(log_format: str, log_level: str) -> None:
    if log_format not in LOG_FORMATS:
        raise SettingsError(f"log_format must be one of {', '.join(LOG_FORMATS)}, got {log_format!r}")
    if log_level not in LOG_LEVELS:
        raise SettingsError(f"log_level must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")


# A session secret shorter than this is guessable enough to forge logins.
MIN_SESSION_SECRET = 32


def require_session_secret(settings: Settings) -> str:
    """The secret that signs login sessions. There is no built-in fallback: a
    default known to everyone would let anyone forge an admin's session."""
    secret = settings.session_secret.strip()
    if not secret:
        raise SettingsError(
            f"{settings.settings_path} has no session_secret; run 'fedchapter secret' to add one"
        )
    if len(secret) < MIN_SESSION_SECRET:
        raise SettingsError(
            f"session_secret is shorter than {MIN_SESSION_SECRET} characters; run 'fedchapter secret --rotate'"
        )
    return secret


def settings_to_toml_dict(settings: Settings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in fields(Settings) if f.name != "data_dir"}
