"""``fedchapter init``: a new data folder with the database, keys, the chapter's
Group actor, the instance actor and the first admin."""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import tomli_w

from fedchapter.chapter import Openness
from fedchapter.cli.common import CommandError, add_data_option, data_dir, opened
from fedchapter.cli.secret import new_session_secret
from fedchapter.clock import utc_now
from fedchapter.services.accounts import AccountService, KeypairFactory
from fedchapter.services.setup import set_up_chapter
from fedchapter.settings import (
    DATABASE_FILE,
    SETTINGS_FILE,
    Settings,
    settings_to_toml_dict,
    validate_base_url,
    validate_database_url,
    validate_handle,
    validate_timezone,
)
from federation.keys import generate_rsa_keypair
from federation.urls import Urls
from storage.sqlite_owner import OWNER_FILE, record_owner, this_machine


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("init", help="create a new chapter in the data folder")
    add_data_option(parser)
    parser.add_argument("--base-url", required=True, help="public address, e.g. https://london.example.org")
    parser.add_argument("--handle", required=True, help="the chapter's username, e.g. london")
    parser.add_argument("--name", required=True, help="the chapter's display name")
    parser.add_argument("--summary", default="", help="one paragraph about the chapter")
    parser.add_argument("--timezone", default="UTC", help="IANA zone, e.g. Europe/London")
    parser.add_argument("--language", default="en", help="content language (BCP 47), e.g. en, de")
    parser.add_argument("--openness", default="moderated", choices=[o.value for o in Openness])
    parser.add_argument("--admin-username", default="admin")
    parser.add_argument("--admin-password", default=None, help="generated and printed if not given")
    parser.add_argument(
        "--network", action="store_true",
        help="make a network of chapters: its Group also takes member chapters (docs/networks.md)",
    )
    parser.add_argument(
        "--database-url", default=None, metavar="URL",
        help="postgresql://USER:PASS@HOST:PORT/DB to keep the chapter on PostgreSQL"
        " (default: SQLite in the data folder; env FEDCHAPTER_DATABASE_URL)",
    )
    parser.add_argument(
        "--dev", action="store_true",
        help="allow plain http and loopback/private addresses (local testing only)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    password = args.admin_password or secrets.token_urlsafe(12)
    settings = create_chapter(
        data_dir(args),
        base_url=args.base_url,
        handle=args.handle,
        name=args.name,
        summary=args.summary,
        timezone=args.timezone,
        language=args.language,
        openness=Openness(args.openness),
        admin_username=args.admin_username,
        admin_password=password,
        dev=args.dev,
        network=args.network,
        database_url=args.database_url or os.environ.get("FEDCHAPTER_DATABASE_URL", ""),
    )
    print(settings.chapter_handle)
    print(Urls(settings.base_url).actor(settings.handle))
    if not args.admin_password:
        print(f"admin login: {args.admin_username} / {password}", file=sys.stderr)
    return 0


def create_chapter(folder: Path, **options: Any) -> Settings:
    """Initialise a data folder from synchronous code (the CLI)."""
    return asyncio.run(create_chapter_async(folder, **options))


async def create_chapter_async(
    folder: Path,
    *,
    base_url: str,
    handle: str,
    name: str,
    admin_username: str,
    admin_password: str,
    summary: str = "",
    timezone: str = "UTC",
    language: str = "en",
    openness: Openness = Openness.MODERATED,
    dev: bool = False,
    network: bool = False,
    make_keypair: KeypairFactory = generate_rsa_keypair,
    database_url: str = "",
) -> Settings:
    """Initialise a data folder; used by ``init``, the demo and the tests alike.

    On any failure, what was created is removed again: nothing half-made stays.
    """
    if (folder / SETTINGS_FILE).exists() or (folder / DATABASE_FILE).exists():
        raise CommandError(f"{folder} is already initialised; refusing to overwrite it")
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder} exists and is not a folder")
    settings = Settings(
        data_dir=folder,
        base_url=validate_base_url(base_url, dev=dev),
        handle=validate_handle(handle),
        timezone=validate_timezone(timezone),
        language=language,
        dev=dev,
        session_secret=new_session_secret(),
        database_url=validate_database_url(database_url),
    )
    created_folder = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        await _create(
            settings, name=name, summary=summary, openness=openness,
            admin_username=admin_username, admin_password=admin_password,
            make_keypair=make_keypair, network=network,
        )
        if not settings.on_postgres:
            # A SQLite chapter belongs to this machine (storage/sqlite_owner.py).
            record_owner(folder, this_machine())
        # The settings file is written last: its presence means "initialised".
        settings.settings_path.write_text(tomli_w.dumps(settings_to_toml_dict(settings)), encoding="utf-8")
    except BaseException:
        for leftover in (settings.database_path, *_sidecars(settings), folder / OWNER_FILE):
            leftover.unlink(missing_ok=True)
        if created_folder:
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    return settings


async def _create(
    settings: Settings,
    *,
    name: str,
    summary: str,
    openness: Openness,
    admin_username: str,
    admin_password: str,
    make_keypair: KeypairFactory,
    network: bool = False,
) -> None:
    async with opened(settings) as repos:
        if settings.on_postgres and await repos.database.fetchvalue("SELECT COUNT(*) FROM local_actors"):
            raise CommandError("that PostgreSQL database already holds a chapter; refusing to overwrite it")
        accounts = AccountService(repos.actors, repos.users, make_keypair)
        await set_up_chapter(
            actors=repos.actors,
            chapter=repos.chapter,
            accounts=accounts,
            handle=settings.handle,
            name=name,
            summary=summary,
            admin_username=admin_username,
            admin_password=admin_password,
            openness=openness,
        )
        if network:
            await repos.networks.mark_network(utc_now())


def _sidecars(settings: Settings) -> list[Path]:
    base = settings.database_path
    return [base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")]
