"""The federation side of ``fedchapter.publishing.Publisher``: a domain change
becomes a Create, Update or Delete by the chapter's Group, stored in the
outbox and queued to its recipients, all in the caller's transaction.

Addressing: a PUBLIC item goes to the public collection and the followers (one
POST per server thanks to shared inboxes); a MEMBERS item goes only to the
members' inboxes, never to followers. ``Change.recipients`` are added to both.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fedchapter.actors import LocalActor
from fedchapter.clock import to_iso, utc_now
from fedchapter.publishing import Change, Verb
from fedchapter.settings import Settings
from fedchapter.visibility import Visibility
from federation.local_actors import chapter_actor, local_actor_url
from federation.to_as.tombstones import tombstone_to_as
from federation.media import NO_MEDIA, MediaAttachments
from federation.members import MemberDirectory
from federation.outbound import Outbound
from federation.ports import ChapterStore, FollowerStore, LocalActorStore, TombstoneStore, UnitOfWork
from federation.to_as.registry import ConversionContext, Converters
from federation.urls import Urls
from federation.vocabulary import PUBLIC, context

_ACTIVITY_TYPES = {Verb.CREATE: "Create", Verb.UPDATE: "Update", Verb.DELETE: "Delete"}


class FederationPublisher:
    def __init__(
        self,
        *,
        settings: Settings,
        urls: Urls,
        database: UnitOfWork,
        chapter: ChapterStore,
        actors: LocalActorStore,
        followers: FollowerStore,
        tombstones: TombstoneStore,
        outbound: Outbound,
        members: MemberDirectory,
        converters: Converters,
        clock: Callable[[], datetime] = utc_now,
        media: MediaAttachments = NO_MEDIA,
    ) -> None:
        self.settings = settings
        self.urls = urls
        self.database = database
        self.chapter = chapter
        self.actors = actors
        self.followers = followers
        self.tombstones = tombstones
        self.outbound = outbound
        self.members = members
        self.converters = converters
        self.clock = clock
        self.media = media

    async def publish(self, change: Change) -> None:
        async with self.database.transaction():
            await self.publish_as(await chapter_actor(self.chapter, self.actors), change)

    async def publish_as(self, actor: LocalActor, change: Change) -> dict[str, Any]:
        """Publish ``change`` by ``actor``; returns the activity as stored and sent."""
        actor_url = local_actor_url(self.urls, actor)
        conversion = ConversionContext(
            urls=self.urls, actor=actor, actor_url=actor_url, language=self.settings.language,
            timezone=self.settings.timezone, visibility=change.visibility,
            media=() if change.verb is Verb.DELETE else await self.media.of(change.subject),
        )
        obj = self.converters.convert(change.subject, conversion)
        if "proof" not in obj:
            obj.pop("@context", None)  # embedded objects share the activity's context
        # (A signed object keeps its own: its FEP-8b32 proof covers it.)
        to, cc, member_ids = await self._addressing(actor, actor_url, change)
        now = self.clock()
        if change.verb is Verb.DELETE:
            obj = tombstone_to_as(obj["id"], obj.get("type"), now)
        else:
            obj.setdefault("to", to)
            obj.setdefault("cc", cc)
        activity: dict[str, Any] = {
            "@context": context(),
            "id": self.outbound.new_activity_id(),
            "type": _ACTIVITY_TYPES[change.verb],
            "actor": actor_url,
            "published": to_iso(now),
            "to": to,
            "cc": cc,
            "object": obj,
        }
        public = change.visibility is Visibility.PUBLIC
        inboxes = await self.followers.delivery_inboxes(actor.id) if public else []
        async with self.database.transaction():
            if change.verb is Verb.DELETE:
                await self.tombstones.add(obj["id"], obj["formerType"], now)
            await self.outbound.send(
                activity, actor, [*member_ids, *change.recipients], inboxes=inboxes, public=public
            )
        return activity

    async def _addressing(
        self, actor: LocalActor, actor_url: str, change: Change
    ) -> tuple[list[str], list[str], list[str]]:
        """(to, cc, member actor ids to deliver to)."""
        extra = list(change.recipients)
        if change.visibility is Visibility.PUBLIC:
            return [PUBLIC], [self.urls.followers(actor.username), *extra], []
        member_ids = await self.members.member_actor_ids()
        return list(dict.fromkeys([*member_ids, *extra])), [], member_ids
