"""``fedchapter demo``: a demo London chapter in the data folder, made once.

``make run`` calls it before serving. It uses the same services as the web
and the API, so the demo shows what a real chapter would see.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from fedchapter.chapter import Openness
from fedchapter.cli.common import add_data_option, data_dir, opened
from fedchapter.cli.demo_events import add_demo_events
from fedchapter.cli.init import create_chapter_async
from fedchapter.roles import Role
from fedchapter.services.accounts import AccountService
from fedchapter.settings import SETTINGS_FILE, Settings
from federation.keys import generate_rsa_keypair

DEMO_BASE_URL = "http://127.0.0.1:8000"
DEMO_ADMIN = ("admin", "fedchapter-demo")
DEMO_MEMBERS = [
    ("maya", "Maya Okafor", Role.SECRETARY),
    ("tom", "Tom Reilly", Role.FACILITATOR),
    ("priya", "Priya Natarajan", Role.MEMBER),
    ("jonas", "Jonas Weber", Role.MEMBER),
    ("lucy", "Lucy Chen", Role.SUPPORTER),
]
DEMO_PASSWORD = "fedchapter-demo"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("demo", help="create a demo chapter in the data folder if there is none")
    add_data_option(parser)
    parser.add_argument("--base-url", default=DEMO_BASE_URL)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    folder = data_dir(args)
    if (folder / SETTINGS_FILE).exists():
        print(f"fedchapter: using the chapter in {folder}", file=sys.stderr)
    else:
        asyncio.run(build_demo(folder, args.base_url))
    print(f"fedchapter demo: open {args.base_url}/ and log in as {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}",
          file=sys.stderr)
    return 0


async def build_demo(folder: Path, base_url: str) -> Settings:
    settings = await create_chapter_async(
        folder,
        base_url=base_url,
        handle="london",
        name="Participatory Society – London",
        summary=(
            "The London chapter of an international organisation for a participatory society. "
            "We meet on the **last Tuesday of the month at 6.30pm at Birkbeck**, run reading groups "
            "and webinars, and campaign with tenants' unions across the city. Everyone is welcome."
        ),
        timezone="Europe/London",
        openness=Openness.MODERATED,
        admin_username=DEMO_ADMIN[0],
        admin_password=DEMO_ADMIN[1],
        dev=True,
    )
    tokens: dict[str, str] = {}
    async with opened(settings) as repos:
        accounts = AccountService(repos.actors, repos.users, generate_rsa_keypair)
        for username, display_name, role in DEMO_MEMBERS:
            await accounts.create_user(username, DEMO_PASSWORD, role, display_name)
        for username in [DEMO_ADMIN[0], *(member[0] for member in DEMO_MEMBERS)]:
            tokens[username] = await accounts.create_token(username)
    await add_demo_events(settings, date.today())
    await _add_records(settings, tokens)
    return settings


async def _add_records(settings: Settings, tokens: dict[str, str]) -> None:
    # The web stack is loaded only here: the demo's records go through the API.
    import httpx

    from fedchapter.cli.composition import chapter_app
    from fedchapter.cli.demo_community import add_demo_community
    from fedchapter.cli.demo_content import add_demo_content

    app = chapter_app(settings, run_workers=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as client:
            await add_demo_content(settings, client, tokens)
        await add_demo_community(app.state.ctx, list(tokens), DEMO_PASSWORD)
