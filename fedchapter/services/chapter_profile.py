"""The chapter's profile, read at most every few seconds: every page asks for
it, and it changes only when an admin edits the settings (which calls
``forget``; another process sees the edit within those seconds)."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from fedchapter.chapter import ChapterProfile

CHAPTER_CACHE_SECONDS = 2.0


class ChapterProfileStore(Protocol):
    async def get(self) -> ChapterProfile | None: ...


class ChapterProfileCache:
    def __init__(self, store: ChapterProfileStore, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.monotonic = monotonic
        self._cached: tuple[float, ChapterProfile] | None = None

    async def get(self) -> ChapterProfile:
        now = self.monotonic()
        if self._cached is not None and now - self._cached[0] < CHAPTER_CACHE_SECONDS:
            return self._cached[1]
        profile = await self.store.get()
        if profile is None:
            raise RuntimeError("the database has no chapter; was 'fedchapter init' run?")
        self._cached = (now, profile)
        return profile

    def forget(self) -> None:
        self._cached = None
