"""What every request handler needs, built once per app in the lifespan and
reachable as ``request.app.state.ctx``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.requests import Request

from fedchapter.actors import LocalActor
from fedchapter.chapter import ChapterProfile
from fedchapter.services.accounts import AccountService
from fedchapter.settings import Settings
from federation.runtime import Federation
from federation.urls import Urls
from storage.database import Database
from storage.repositories import Repositories


@dataclass
class AppContext:
    settings: Settings
    database: Database
    repos: Repositories
    urls: Urls
    accounts: AccountService
    # Injected by tests to route HTTP between in-process instances by host.
    http_transport: httpx.AsyncBaseTransport | None = None
    # Long-lived helpers registered by feature modules (federation client,
    # workers, services); keyed by name so the context stays one small class.
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def federation(self) -> Federation:
        """Sending, following, blocks, the inbox intake and the workers (built in the lifespan)."""
        return self.extras["federation"]  # type: ignore[no-any-return]

    async def chapter(self) -> ChapterProfile:
        profile = await self.repos.chapter.get()
        if profile is None:
            raise RuntimeError("the database has no chapter; was 'fedchapter init' run?")
        return profile

    async def chapter_actor(self) -> LocalActor:
        profile = await self.chapter()
        actor = await self.repos.actors.by_id(profile.actor_id)
        assert actor is not None
        return actor

    async def instance_actor(self) -> LocalActor:
        profile = await self.chapter()
        actor = await self.repos.actors.by_id(profile.instance_actor_id)
        assert actor is not None
        return actor


def context_of(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]
