"""The ``fedchapter`` command: the composition root that wires the domain to
storage, federation and the web. Each subcommand lives in its own module and
registers itself with ``register(subparsers)``.

Exit codes: 0 success, 2 usage error (argparse), 1 any other error with one
line on stderr. Only the requested output goes to stdout.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fedchapter.cli import accounts, admin, count, demo, doctor, federation, init, networks, restore, secret, serve, migrate_to
from fedchapter.cli.common import CommandError, add_data_option
from fedchapter.errors import DomainError, ValidationError
from fedchapter.settings import SettingsError
from storage.engine import DatabaseUnavailable

SUBCOMMAND_MODULES = (init, secret, serve, accounts, admin, demo, federation, count, networks, doctor, restore, migrate_to)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fedchapter", description="The server an activist chapter hosts for itself."
    )
    add_data_option(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module in SUBCOMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.handler(args)
    except (CommandError, SettingsError, DatabaseUnavailable) as error:
        _fail(str(error))
    except ValidationError as error:
        _fail(f"{error.field}: {error.message}" if error.field else error.message)
    except DomainError as error:
        _fail(str(error))
    except KeyboardInterrupt:
        code = 130
    except Exception as error:  # one clear line, never a traceback for the user
        _fail(f"{type(error).__name__}: {error}")
    sys.exit(code or 0)


def _fail(message: str) -> None:
    print(f"fedchapter: error: {message.splitlines()[0] if message else 'failed'}", file=sys.stderr)
    sys.exit(1)
