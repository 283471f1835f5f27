"""What every subcommand shares: the data folder option and opening the chapter."""
from __future__ import annotations

import argparse
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fedchapter.settings import SETTINGS_FILE, Settings, load_settings
from storage.migrations import open_database
from storage.repositories import Repositories
from storage.sqlite_owner import OtherMachine, claim_for_this_machine

DEFAULT_DATA_DIR = "./data"


class CommandError(Exception):
    """A failure to report as one line on stderr, exit 1."""


def add_data_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    # Accepted before or after the subcommand: the subparser's copy must not
    # overwrite a value given before it, hence SUPPRESS there.
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None if top_level else argparse.SUPPRESS,
        help="the data folder (default ./data; env FEDCHAPTER_DATA)",
    )


def data_dir(args: argparse.Namespace) -> Path:
    chosen = getattr(args, "data", None) or os.environ.get("FEDCHAPTER_DATA") or DEFAULT_DATA_DIR
    return Path(chosen)


def settings_for(args: argparse.Namespace) -> Settings:
    folder = data_dir(args)
    if not folder.is_dir():
        raise CommandError(f"data folder {folder} does not exist; run 'fedchapter init' first")
    if not (folder / SETTINGS_FILE).is_file():
        raise CommandError(f"{folder} is not initialised (no {SETTINGS_FILE}); run 'fedchapter init' first")
    return load_settings(folder)


def add_take_over_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--take-over", action="store_true",
        help="SQLite: this machine takes the chapter over from the one recorded in the data folder"
        " (after moving the folder here; the old machine must be stopped)",
    )


def ensure_this_machine(settings: Settings, *, take_over: bool = False) -> None:
    """On SQLite, refuse to serve or work from another machine than the one
    the data folder belongs to (storage/sqlite_owner.py); record this one if
    none is. Nothing to check on PostgreSQL, which any machine may share."""
    if settings.on_postgres:
        return
    try:
        claim_for_this_machine(settings.data_dir, take_over=take_over)
    except OtherMachine as error:
        raise CommandError(str(error)) from None


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[Repositories]:
    """The database, migrated, with its repositories; closed on the way out."""
    database = await open_database(settings.database_target)
    try:
        yield Repositories.for_database(database)
    finally:
        await database.close()
