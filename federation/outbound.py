"""Sending one activity: store it in the outbox and queue one delivery row per
recipient inbox, in the caller's transaction, then wake the delivery worker.

The lowest level of sending, used by the publisher and directly for Accept,
Reject, Follow, Undo, Announce and Update(Question).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from fedchapter.actors import LocalActor
from fedchapter.clock import utc_now
from federation.ports import BlockCheck, DeliveryStore, OutboxStore, RemoteActorCache, UnitOfWork
from federation.urls import Urls
from federation.vocabulary import PUBLIC_ALIASES


class DeliveryTarget(NamedTuple):
    """Where one copy goes; the inbox is resolved by the worker when not known yet."""

    host: str
    inbox: str | None
    recipient_actor_id: str | None


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


class Outbound:
    def __init__(
        self,
        *,
        database: UnitOfWork,
        outbox: OutboxStore,
        deliveries: DeliveryStore,
        remote_actors: RemoteActorCache,
        blocks: BlockCheck,
        urls: Urls,
        clock: Callable[[], datetime] = utc_now,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.deliveries = deliveries
        self.remote_actors = remote_actors
        self.blocks = blocks
        self.urls = urls
        self.clock = clock
        # The delivery worker's wake(): called once something is queued.
        self.on_queued = on_queued

    def new_activity_id(self) -> str:
        return self.urls.activity(uuid.uuid4().hex)

    async def send(
        self,
        activity: dict[str, Any],
        sender: LocalActor,
        recipients: Iterable[str] = (),
        *,
        inboxes: Iterable[str] = (),
        public: bool = False,
    ) -> int:
        """Store ``activity`` and queue it to ``recipients`` (actor ids) and to
        ``inboxes`` (already known delivery inboxes); return the rows queued.

        Local actors, the public collection and collections are skipped; so are
        blocked actors and domains. One row per inbox: a shared inbox gets one POST.
        """
        targets = await self._targets(recipients, inboxes)
        async with self.database.transaction():
            await self.outbox.add(sender.id, activity, public=public)
            queued = await self.deliveries.enqueue(activity["id"], sender.id, targets, now=self.clock())
        if queued:
            # Inside an outer transaction the worker's claim waits for its commit.
            self.on_queued()
        return queued

    async def _targets(self, recipients: Iterable[str], inboxes: Iterable[str]) -> list[DeliveryTarget]:
        targets: dict[str, DeliveryTarget] = {}
        for inbox in inboxes:
            if self.urls.is_local(inbox) or await self.blocks.is_domain_blocked(host_of(inbox)):
                continue
            targets.setdefault(inbox, DeliveryTarget(host_of(inbox), inbox, None))
        for actor_id in dict.fromkeys(recipients):
            if actor_id in PUBLIC_ALIASES or self.urls.is_local(actor_id) or await self.blocks.is_blocked(actor_id):
                continue
            cached = await self.remote_actors.get(actor_id)
            if cached is not None:
                inbox = cached.delivery_inbox
                # A shared inbox serves others too: tie the row to the actor only when it is theirs.
                owner = actor_id if inbox == cached.inbox else None
                targets.setdefault(inbox, DeliveryTarget(host_of(inbox), inbox, owner))
            elif actor_id not in targets:
                # Unknown yet (or a collection we cannot expand): the worker resolves it.
                targets[actor_id] = DeliveryTarget(host_of(actor_id), None, actor_id)
        return list(targets.values())
