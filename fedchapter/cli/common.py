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


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[Repositories]:
    """The database, migrated, with its repositories; closed on the way out."""
    database = await open_database(settings.database_target)
    try:
        yield Repositories.for_database(database)
    finally:
        await database.close()
