"""Events of the chapters we follow: Create and Update store them (an Update
replaces), Delete removes them. Events from actors we do not follow are
ignored, and one that cannot be read is recorded as a rejection with the
reason (never a crash).

Mobilizon publishes a group's events with the organiser as the actor and
the group as `attributedTo`; the group counts as the source when it is on
the same server as the signed actor.
"""
from __future__ import annotations

from typing import Any

from fedchapter.events.records import RemoteEvent
from fedchapter.queue_states import FollowState
from federation.from_as.events import RemoteEventRejected, parse_event
from federation.inbox.remote_pictures import cache_event_picture
from federation.inbox.activity import Ignored, ReceivedActivity, same_host
from federation.inbox.context import InboxContext


async def followed_source(ctx: InboxContext, activity: ReceivedActivity, candidates: list[str | None]) -> str:
    """The followed chapter this event comes from, or Ignored."""
    chapter = await ctx.chapter_actor()
    for candidate in [activity.actor, *candidates]:
        if not candidate or not same_host(candidate, activity.actor):
            continue
        followed = await ctx.stores.following.get(chapter.id, candidate)
        if followed is not None and followed.state == FollowState.ACCEPTED:
            return candidate
    raise Ignored("an event from an actor this chapter does not follow")


async def _chapter_name(ctx: InboxContext, actor_id: str) -> str:
    try:
        actor = await ctx.resolver.get(actor_id)
    except Exception:  # a name is a nicety; the event is kept without it
        return actor_id
    return actor.display_name


class EventReceiver:
    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        if ctx.urls.is_local(str(obj.get("id") or "")):
            raise Ignored("one of our own events came back")
        try:
            parsed = parse_event(obj, default_language=ctx.settings.language, received_at=ctx.clock())
        except RemoteEventRejected as error:
            raise Ignored(f"event rejected: {error}") from None
        source = await followed_source(ctx, activity, [parsed.attributed_to])
        remote = RemoteEvent(
            ap_id=parsed.event.id, url=parsed.url, chapter=source,
            chapter_name=await _chapter_name(ctx, source), event=parsed.event,
            content_html=parsed.content_html, participant_count=parsed.participant_count,
            received_at=ctx.clock(),
        )
        if not await ctx.features.network_events.receive(remote):
            raise Ignored("the event is over (or belongs to another chapter)")
        if parsed.image_url is not None:
            await cache_event_picture(ctx, parsed.event.id, parsed.image_url, parsed.image_name)
        return True

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        return await self.create(ctx, activity, obj)

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        network = ctx.features.network_events
        held = await network.get(object_id)
        if held is None or not same_host(held.chapter, activity.actor):
            return False
        return await network.remove(object_id, held.chapter)
