"""What every request handler needs, built once per app in the lifespan and
reachable as ``request.app.state.ctx``."""
from __future__ import annotations

import time
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

CHAPTER_CACHE_SECONDS = 2.0
_CHAPTER_KEY = "chapter_profile"


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
        """The chapter's profile, read at most every CHAPTER_CACHE_SECONDS: every
        page asks for it, and it changes only when an admin edits the settings
        (which calls ``forget_chapter``; another process sees the edit within
        those seconds)."""
        now = time.monotonic()
        cached = self.extras.get(_CHAPTER_KEY)
        if cached is not None and now - cached[0] < CHAPTER_CACHE_SECONDS:
            return cached[1]  # type: ignore[no-any-return]
        profile = await self.repos.chapter.get()
        if profile is None:
            raise RuntimeError("the database has no chapter; was 'fedchapter init' run?")
        self.extras[_CHAPTER_KEY] = (now, profile)
        return profile

    def forget_chapter(self) -> None:
        self.extras.pop(_CHAPTER_KEY, None)

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
