"""Bringing a chapter up and down: the database, the repositories, the
federation runtime and every feature's services, and (where this process runs
them) the workers.

The web app's lifespan and ``fedchapter worker`` both use it, so a separate
worker process handles replies, votes and RSVPs exactly as the web process would.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from fedchapter.services.accounts import AccountService
from fedchapter.settings import Settings
from federation.address_guard import Resolver
from federation.keys import generate_rsa_keypair
from federation.runtime import Federation
from federation.urls import Urls
from storage.migrations import open_database
from storage.repositories import Repositories
from web.context import AppContext
from web.event_services import install_event_services
from web.member_services import install_member_services
from web.proposal_services import install_proposal_services, stop_proposal_services
from web.record_services import install_record_services


@asynccontextmanager
async def running_chapter(
    settings: Settings,
    *,
    http_transport: httpx.AsyncBaseTransport | None = None,
    address_resolver: Resolver | None = None,
    run_workers: bool = True,
) -> AsyncIterator[AppContext]:
    database = await open_database(settings.database_path)
    repos = Repositories.for_database(database)
    ctx = AppContext(
        settings=settings,
        database=database,
        repos=repos,
        urls=Urls(settings.base_url),
        accounts=AccountService(repos.actors, repos.users, generate_rsa_keypair),
        http_transport=http_transport,
    )
    ctx.extras["run_workers"] = run_workers
    try:
        federation = await Federation.build(
            settings, repos, transport=http_transport, address_resolver=address_resolver
        )
    except BaseException:
        await database.close()
        raise
    ctx.extras["federation"] = federation
    try:
        # Members first: the publisher needs the member directory for members-only items.
        install_member_services(ctx)
        install_record_services(ctx)
        install_proposal_services(ctx)
        install_event_services(ctx)
        if run_workers:
            federation.start_workers()
        yield ctx
    finally:
        await stop_proposal_services(ctx)
        await federation.aclose()
        await database.close()
