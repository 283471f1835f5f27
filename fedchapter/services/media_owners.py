"""What the media service asks of the objects files belong to: may this
reader see the owner (then the file too), and send the owner out again
once its files changed, so followers see the new poster or document."""
from __future__ import annotations

from fedchapter.errors import NotFound
from fedchapter.media.model import MediaOwner, OwnerKind
from fedchapter.publishing import Change, Publisher, Verb
from fedchapter.readers import Reader
from fedchapter.services.events import EventService
from fedchapter.services.minutes import MinutesService
from fedchapter.services.posts import PostService


class ChapterMediaOwners:
    def __init__(self, events: EventService, minutes: MinutesService, posts: PostService,
                 publisher: Publisher) -> None:
        self.events = events
        self.minutes = minutes
        self.posts = posts
        self.publisher = publisher

    async def check_visible(self, owner: MediaOwner, reader: Reader) -> None:
        if owner.kind is OwnerKind.EVENT:
            await self.events.get(owner.id, reader)
        elif owner.kind is OwnerKind.MINUTES:
            await self.minutes.get(owner.id, reader)
        elif owner.kind is OwnerKind.POST:
            await self.posts.get(owner.id, reader)
        elif owner.kind in (OwnerKind.COMMENT, OwnerKind.REMOTE_EVENT):
            # Copies of what a remote server showed publicly (docs/media.md).
            return
        else:  # pragma: no cover - every kind is listed above
            raise NotFound("no such file")

    async def republish(self, owner: MediaOwner) -> None:
        if owner.kind is OwnerKind.EVENT:
            event = await self.events.find(owner.id)
            if event is not None:
                await self.events.announce(Verb.UPDATE, event)
        elif owner.kind is OwnerKind.MINUTES:
            # Everyone who may edit them may read them: the full reader sees drafts too.
            minutes = await self.minutes.get(owner.id, _EDITOR)
            if minutes.is_published:
                await self.publisher.publish(Change(Verb.UPDATE, minutes, visibility=minutes.visibility))
        elif owner.kind is OwnerKind.POST:
            post = await self.posts.get(owner.id, _EDITOR)
            await self.publisher.publish(Change(Verb.UPDATE, post, visibility=post.visibility))


_EDITOR = Reader(is_member=True, may_publish_minutes=True, may_publish_posts=True)
