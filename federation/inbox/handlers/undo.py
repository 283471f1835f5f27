"""Undo: of a Follow here; of anything else through the dispatch table's
``undo`` handlers (keyed by the undone activity's type). An Undo naming the
undone activity by its id alone (not embedded) is matched against what we
stored by activity id: a Join (the RSVP it made goes)."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity, id_of, type_of
from federation.inbox.context import InboxContext


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    undone = activity.object
    if isinstance(undone, str):
        await _undo_by_id(ctx, activity, undone)
        return
    if not isinstance(undone, dict):
        raise Ignored("Undo of an activity we were not shown")
    if id_of(undone.get("actor")) not in (None, activity.actor):
        raise Ignored("an actor can only undo its own activities")
    kind = type_of(undone)
    if kind == "Follow":
        await _undo_follow(ctx, activity, id_of(undone.get("object")))
        return
    handler = ctx.dispatch.undo_handler_for(kind)
    if handler is None:
        raise Ignored(f"Undo of {kind} is not handled")
    await handler(ctx, activity)


async def _undo_follow(ctx: InboxContext, activity: ReceivedActivity, followed_url: str | None) -> None:
    followed = await ctx.local_actor_at(followed_url)
    if followed is None:
        raise Ignored(f"{followed_url} is not one of our actors")
    if not await ctx.stores.followers.remove(followed.id, activity.actor):
        raise Ignored("they were not following")


async def _undo_by_id(ctx: InboxContext, activity: ReceivedActivity, undone_id: str) -> None:
    # Only the actor's own Join matches (undo_join checks the participant).
    if await ctx.features.rsvps.undo_join(undone_id, activity.actor):
        return
    raise Ignored(f"Undo of {undone_id}, which is nothing of theirs we hold")
