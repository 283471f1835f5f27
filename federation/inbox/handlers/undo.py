"""Undo: of a Follow here; of anything else through ``UNDO_HANDLERS``
(keyed by the undone activity's type, filled by features)."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity, id_of, type_of
from federation.inbox.context import InboxContext
from federation.inbox.receivers import UNDO_HANDLERS


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    undone = activity.object
    if not isinstance(undone, dict):
        raise Ignored("Undo of an activity we were not shown")
    if id_of(undone.get("actor")) not in (None, activity.actor):
        raise Ignored("an actor can only undo its own activities")
    kind = type_of(undone)
    if kind == "Follow":
        await _undo_follow(ctx, activity, id_of(undone.get("object")))
        return
    handler = UNDO_HANDLERS.get(kind or "")
    if handler is None:
        raise Ignored(f"Undo of {kind} is not handled")
    await handler(ctx, activity)


async def _undo_follow(ctx: InboxContext, activity: ReceivedActivity, followed_url: str | None) -> None:
    followed = await ctx.local_actor_at(followed_url)
    if followed is None:
        raise Ignored(f"{followed_url} is not one of our actors")
    if not await ctx.stores.followers.remove(followed.id, activity.actor):
        raise Ignored("they were not following")
