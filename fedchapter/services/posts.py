"""Use cases of news posts: publish (Create), edit (Update), delete (Delete)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import NotFound
from fedchapter.posts import Post, PostContent
from fedchapter.publishing import Change, Publisher, UnitOfWork, Verb
from fedchapter.readers import Reader
from fedchapter.tokens import new_short_id
from fedchapter.visibility import Visibility


class PostStore(Protocol):
    async def save(self, post: Post) -> None: ...
    async def get(self, post_id: str) -> Post | None: ...
    async def latest(self, *, visibilities: Iterable[Visibility], limit: int, offset: int = 0) -> list[Post]: ...
    async def delete(self, post_id: str) -> bool: ...


class PostService:
    def __init__(
        self,
        store: PostStore,
        publisher: Publisher,
        unit_of_work: UnitOfWork,
        *,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_short_id,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.new_id = new_id

    async def create(self, content: PostContent, *, author_user_id: int | None) -> Post:
        now = self.clock()
        post = Post(id=self.new_id(), content=content, author_user_id=author_user_id,
                    created_at=now, updated_at=now)
        async with self.unit_of_work.transaction():
            await self.store.save(post)
            await self.publisher.publish(Change(Verb.CREATE, post, visibility=content.visibility))
        return post

    async def _existing(self, post_id: str) -> Post:
        post = await self.store.get(post_id)
        if post is None:
            raise NotFound("no such post")
        return post

    async def get(self, post_id: str, reader: Reader) -> Post:
        post = await self.store.get(post_id)
        if post is None or not reader.may_see(post.visibility):
            raise NotFound("no such post")
        return post

    async def latest(self, reader: Reader, *, limit: int, offset: int = 0) -> list[Post]:
        visibilities = [v for v in Visibility if reader.may_see(v)]
        return await self.store.latest(visibilities=visibilities, limit=limit, offset=offset)

    async def edit(self, post_id: str, content: PostContent) -> Post:
        current = await self._existing(post_id)
        changed = dataclasses.replace(current, content=content, updated_at=self.clock())
        async with self.unit_of_work.transaction():
            await self.store.save(changed)
            await self.publisher.publish(Change(Verb.UPDATE, changed, visibility=content.visibility))
        return changed

    async def delete(self, post_id: str) -> None:
        current = await self._existing(post_id)
        async with self.unit_of_work.transaction():
            await self.store.delete(post_id)
            await self.publisher.publish(Change(Verb.DELETE, current, visibility=current.visibility))
