"""``fedchapter secret``: gives a data folder the random secret that signs
login sessions. ``init`` writes one; folders made before it did need this once
(``serve`` refuses to start without one and says so). ``--rotate`` replaces
it, which logs everyone out."""
from __future__ import annotations

import argparse
import secrets
import tomllib
from typing import Any

import tomli_w

from fedchapter.cli.common import CommandError, add_data_option, data_dir
from fedchapter.settings import SETTINGS_FILE


def new_session_secret() -> str:
    return secrets.token_urlsafe(32)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("secret", help="add a session secret to fedchapter.toml (or --rotate it)")
    add_data_option(parser)
    parser.add_argument("--rotate", action="store_true", help="replace an existing secret (logs everyone out)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = data_dir(args) / SETTINGS_FILE
    if not path.is_file():
        raise CommandError(f"{path} does not exist; run 'fedchapter init' first")
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CommandError(f"{path} is not valid TOML: {error}") from None
    if str(raw.get("session_secret") or "").strip() and not args.rotate:
        raise CommandError(f"{path} already has a session_secret; add --rotate to replace it")
    raw["session_secret"] = new_session_secret()
    # Written beside and renamed: a crash never leaves a half-written settings file.
    partial = path.with_suffix(".toml.new")
    partial.write_text(tomli_w.dumps(raw), encoding="utf-8")
    partial.replace(path)
    return 0
