"""Everything federation runs, built once per process from the settings and
the repositories: the HTTP client, the actor resolver, sending, the
publisher, follows, blocks, the inbox intake and the two workers.

The web app's lifespan and ``fedchapter worker`` build it the same way; only
the web app serves the inbox, and the workers run where ``start_workers`` is
called.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from fedchapter.clock import utc_now
from fedchapter.settings import Settings
from federation.address_guard import Resolver
from federation.blocks import BlockService
from federation.delivery.worker import DeliveryWorker
from federation.follows import FollowService
from federation.inbox.context import InboxContext
from federation.inbox.intake import InboxIntake
from federation.inbox.worker import InboxWorker
from federation.local_actors import SigningKeys, signing_key_for
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.publisher import FederationPublisher
from federation.remote_actors import RemoteActorResolver
from federation.safe_http import FederationClient
from federation.urls import Urls

log = logging.getLogger(__name__)

USER_AGENT = "fedchapter/0.1"


@dataclass
class Federation:
    settings: Settings
    urls: Urls
    stores: FederationStores
    client: FederationClient
    resolver: RemoteActorResolver
    outbound: Outbound
    publisher: FederationPublisher
    follows: FollowService
    blocks: BlockService
    inbox_context: InboxContext
    inbox_worker: InboxWorker
    delivery_worker: DeliveryWorker
    intake: InboxIntake
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    async def build(
        cls,
        settings: Settings,
        stores: FederationStores,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        address_resolver: Resolver | None = None,
        clock: Callable[[], datetime] = utc_now,
        poll_interval: float = 2.0,
        services: dict[str, Any] | None = None,
    ) -> Federation:
        urls = Urls(settings.base_url)
        profile = await stores.chapter.get()
        instance = None if profile is None else await stores.actors.by_id(profile.instance_actor_id)
        if instance is None:
            raise RuntimeError("the database has no instance actor; was 'fedchapter init' run?")
        client = FederationClient(
            dev=settings.dev, instance_key=signing_key_for(urls, instance),
            user_agent=f"{USER_AGENT} (+{settings.base_url})", transport=transport, resolver=address_resolver,
        )
        resolver = RemoteActorResolver(client, stores.remote_actors, clock=clock)
        outbound = Outbound(
            database=stores.database, outbox=stores.outbox, deliveries=stores.deliveries,
            remote_actors=stores.remote_actors, blocks=stores.blocks, urls=urls, clock=clock,
        )
        publisher = FederationPublisher(
            settings=settings, urls=urls, database=stores.database, chapter=stores.chapter,
            actors=stores.actors, followers=stores.followers, tombstones=stores.tombstones,
            outbound=outbound, clock=clock,
        )
        follows = FollowService(stores=stores, resolver=resolver, outbound=outbound, urls=urls)
        inbox_context = InboxContext(
            settings=settings, urls=urls, stores=stores, resolver=resolver, fetcher=client,
            outbound=outbound, publisher=publisher, follows=follows, services=services or {}, clock=clock,
        )
        inbox_worker = InboxWorker(inbox_context, stores.inbox, clock=clock, poll_interval=poll_interval)
        delivery_worker = DeliveryWorker(
            deliveries=stores.deliveries, hosts=stores.delivery_hosts, blocks=stores.blocks,
            keys=SigningKeys(urls, stores.actors), poster=client, actors=resolver,
            concurrency=settings.delivery_concurrency,
            concurrency_per_host=settings.delivery_concurrency_per_host,
            clock=clock, poll_interval=poll_interval,
        )
        outbound.on_queued = delivery_worker.wake
        intake = InboxIntake(
            inbox=stores.inbox, blocks=stores.blocks, hosts=stores.delivery_hosts,
            deliveries=stores.deliveries, key_lookup=resolver.key_lookup,
            backlog_limit=settings.inbox_backlog_limit, on_stored=inbox_worker.wake,
            on_host_restored=delivery_worker.wake, clock=clock,
        )
        return cls(
            settings=settings, urls=urls, stores=stores, client=client, resolver=resolver,
            outbound=outbound, publisher=publisher, follows=follows, blocks=BlockService(stores),
            inbox_context=inbox_context, inbox_worker=inbox_worker, delivery_worker=delivery_worker,
            intake=intake,
        )

    @property
    def workers_running(self) -> bool:
        return bool(self._tasks)

    def start_workers(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self.inbox_worker.run(), name="fedchapter-inbox-worker"),
            loop.create_task(self.delivery_worker.run(), name="fedchapter-delivery-worker"),
        ]

    async def stop_workers(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        # Requests in flight finish (bounded by the client's timeout) and record their outcome.
        await self.delivery_worker.stop()

    async def aclose(self) -> None:
        await self.stop_workers()
        await self.client.aclose()
