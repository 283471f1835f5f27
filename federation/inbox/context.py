"""What an inbox handler gets: the repositories, the remote actor resolver,
signed fetching, sending (raw activities through ``outbound``, domain changes
through ``publisher``), the follow service and the settings.

Features reach their own services through ``services`` (registered by name
in the composition root, e.g. ``ctx.services["events"]``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from fedchapter.actors import LocalActor, RemoteActor
from fedchapter.clock import utc_now
from fedchapter.settings import Settings
from federation.follows import FollowService
from federation.local_actors import chapter_actor
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.publisher import FederationPublisher
from federation.urls import Urls


class ActorResolver(Protocol):
    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor: ...


class DocumentFetcher(Protocol):
    async def get_json(self, url: str) -> dict[str, Any]: ...


@dataclass
class InboxContext:
    settings: Settings
    urls: Urls
    stores: FederationStores
    resolver: ActorResolver
    fetcher: DocumentFetcher
    outbound: Outbound
    publisher: FederationPublisher
    follows: FollowService
    services: dict[str, Any] = field(default_factory=dict)
    clock: Callable[[], datetime] = utc_now

    async def chapter_actor(self) -> LocalActor:
        return await chapter_actor(self.stores.chapter, self.stores.actors)

    async def local_actor_at(self, url: str | None) -> LocalActor | None:
        """Our actor with this URL (a Group or Person; the instance actor is /actor)."""
        if not url or not self.urls.is_local(url):
            return None
        if url == self.urls.instance_actor():
            profile = await self.stores.chapter.get()
            return None if profile is None else await self.stores.actors.by_id(profile.instance_actor_id)
        prefix = self.urls.actor("")
        if not url.startswith(prefix):
            return None
        username = url[len(prefix):]
        if not username or "/" in username:
            return None
        return await self.stores.actors.by_username(username)
