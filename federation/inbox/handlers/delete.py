"""Delete: a remote object removed (for the feature holding it), or an actor
deleting itself (its follows go)."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity, same_host, type_of
from federation.inbox.context import InboxContext
from federation.inbox.receivers import all_receivers, receivers_for


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    object_id = activity.object_id
    if object_id is None:
        raise Ignored("Delete without an object id")
    if not same_host(object_id, activity.actor):
        raise Ignored("an actor can only delete objects of its own server")
    if object_id == activity.actor:
        await ctx.stores.followers.remove_everywhere(activity.actor)
        await ctx.stores.following.remove_everywhere(activity.actor)
        return
    obj = activity.object
    former_type = obj.get("formerType") if isinstance(obj, dict) else None
    kind = former_type if isinstance(former_type, str) else type_of(obj)
    candidates = receivers_for(kind) if kind and kind != "Tombstone" else []
    for receiver in candidates or all_receivers():
        if await receiver.delete(ctx, activity, object_id):
            return
    raise Ignored("we hold nothing with that id")
