"""Everything federation runs, built once per process by the composition root
(``fedchapter.cli.composition``) from the settings and the repositories.

Two steps, because the domain services sit between them: :meth:`Federation.build`
makes the HTTP client, the actor resolver, sending, the publisher, follows,
blocks and the delivery worker (the services publish through them); then
:meth:`Federation.inbox_for` makes the inbox (its context, worker and intake)
around the services and the dispatch table. ``serve`` and ``worker`` build
both the same way; only the web app serves the inbox, and the composition
root runs the workers where the process should.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import httpx

from fedchapter.clock import utc_now
from fedchapter.metrics import NO_METRICS, InboxMetrics
from fedchapter.settings import Settings
from federation.address_guard import Resolver
from federation.blocks import BlockService
from federation.delivery.health import DeliveryHealth
from federation.delivery.worker import DeliveryWorker
from federation.follows import FollowService
from federation.inbox.context import InboxContext, InboxServices
from federation.inbox.dispatch import InboxDispatch
from federation.inbox.intake import InboxIntake
from federation.inbox.worker import InboxWorker
from federation.local_actors import SigningKeys, signing_key_for
from federation.media import NO_MEDIA, MediaAttachments
from federation.members import MemberDirectory
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.publisher import FederationPublisher
from federation.remote_actors import RemoteActorResolver
from federation.safe_http import FederationClient
from federation.to_as.registry import Converters
from federation.urls import Urls

log = logging.getLogger(__name__)

USER_AGENT = "fedchapter/0.1"


@dataclass(frozen=True)
class FederationInbox:
    """What receives: the handlers' context, the worker that runs them and the
    intake the inbox route stores through."""

    context: InboxContext
    worker: InboxWorker
    intake: InboxIntake


@dataclass
class Federation:
    settings: Settings
    urls: Urls
    stores: FederationStores
    client: FederationClient
    resolver: RemoteActorResolver
    outbound: Outbound
    publisher: FederationPublisher
    converters: Converters
    # The files each published object carries (read before converting it).
    media: MediaAttachments
    follows: FollowService
    blocks: BlockService
    delivery_worker: DeliveryWorker
    delivery_health: DeliveryHealth
    clock: Callable[[], datetime]
    poll_interval: float

    @classmethod
    async def build(
        cls,
        settings: Settings,
        stores: FederationStores,
        *,
        members: MemberDirectory,
        converters: Converters,
        transport: httpx.AsyncBaseTransport | None = None,
        address_resolver: Resolver | None = None,
        clock: Callable[[], datetime] = utc_now,
        poll_interval: float = 2.0,
        media: MediaAttachments = NO_MEDIA,
    ) -> Federation:
        urls = Urls(settings.base_url)
        profile = await stores.chapter.get()
        instance = None if profile is None else await stores.actors.by_id(profile.instance_actor_id)
        if instance is None:
            raise RuntimeError("the database has no instance actor; was 'fedchapter init' run?")
        client = FederationClient(
            dev=settings.dev, instance_key=signing_key_for(urls, instance),
            user_agent=f"{USER_AGENT} (+{settings.base_url})", transport=transport, resolver=address_resolver,
            schemes=stores.delivery_hosts,  # signed GETs double-knock like deliveries
        )
        resolver = RemoteActorResolver(client, stores.remote_actors, clock=clock)
        delivery_worker = DeliveryWorker(
            deliveries=stores.deliveries, hosts=stores.delivery_hosts, blocks=stores.recent_blocks,
            keys=SigningKeys(urls, stores.actors), poster=client, actors=resolver,
            concurrency=settings.delivery_concurrency,
            concurrency_per_host=settings.delivery_concurrency_per_host,
            clock=clock, poll_interval=poll_interval,
        )
        outbound = Outbound(
            database=stores.database, outbox=stores.outbox, deliveries=stores.deliveries,
            remote_actors=stores.remote_actors, blocks=stores.recent_blocks, urls=urls, clock=clock,
            on_queued=delivery_worker.wake,
        )
        publisher = FederationPublisher(
            settings=settings, urls=urls, database=stores.database, chapter=stores.chapter,
            actors=stores.actors, followers=stores.followers, tombstones=stores.tombstones,
            outbound=outbound, members=members, converters=converters, clock=clock, media=media,
        )
        follows = FollowService(stores=stores, resolver=resolver, outbound=outbound, urls=urls)
        return cls(
            settings=settings, urls=urls, stores=stores, client=client, resolver=resolver,
            outbound=outbound, publisher=publisher, converters=converters, media=media, follows=follows,
            blocks=BlockService(stores, outbound, urls), delivery_worker=delivery_worker,
            delivery_health=DeliveryHealth(stores.deliveries, stores.delivery_hosts), clock=clock,
            poll_interval=poll_interval,
        )

    def inbox_for(
        self, features: InboxServices, dispatch: InboxDispatch, *, metrics: InboxMetrics = NO_METRICS
    ) -> FederationInbox:
        """The inbox around the domain services (built after them: they publish through us).
        ``metrics`` counts what the intake accepts and refuses."""
        context = InboxContext(
            settings=self.settings, urls=self.urls, stores=self.stores, resolver=self.resolver,
            fetcher=self.client, outbound=self.outbound, publisher=self.publisher, follows=self.follows,
            dispatch=dispatch, features=features, clock=self.clock,
        )
        # Separate budgets: between inbox batches the delivery worker gets its turn.
        worker = InboxWorker(context, self.stores.inbox, clock=self.clock, poll_interval=self.poll_interval,
                             between_batches=self.delivery_worker.take_turn)
        intake = InboxIntake(
            inbox=self.stores.inbox, blocks=self.stores.recent_blocks, hosts=self.stores.delivery_hosts,
            deliveries=self.stores.deliveries, key_lookup=self.resolver.key_lookup,
            backlog_limit=self.settings.inbox_backlog_limit, on_stored=worker.wake,
            on_host_restored=self.delivery_worker.wake, clock=self.clock, metrics=metrics,
        )
        return FederationInbox(context=context, worker=worker, intake=intake)

    async def aclose(self) -> None:
        # Requests in flight finish (bounded by the client's timeout) and record their outcome.
        await self.delivery_worker.stop()
        await self.client.aclose()
