"""Delete: a remote object removed (for the feature holding it), or an actor
deleting itself: its follows go, its cached actor goes (a later request by its
key must fetch it anew, and finds it gone) and its comments are hidden, as
Mastodon removes a deleted account's statuses."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity, same_host, type_of
from federation.inbox.context import InboxContext


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    object_id = activity.object_id
    if object_id is None:
        raise Ignored("Delete without an object id")
    if not same_host(object_id, activity.actor):
        raise Ignored("an actor can only delete objects of its own server")
    if object_id == activity.actor:
        async with ctx.stores.database.transaction():
            await ctx.stores.followers.remove_everywhere(activity.actor)
            await ctx.stores.following.remove_everywhere(activity.actor)
            await ctx.features.comments.hide_authored_by(activity.actor)
            await ctx.stores.remote_actors.remove(activity.actor)
        return
    obj = activity.object
    former_type = obj.get("formerType") if isinstance(obj, dict) else None
    kind = former_type if isinstance(former_type, str) else type_of(obj)
    for receiver in ctx.dispatch.receivers_for_deleted(None if kind == "Tombstone" else kind):
        if await receiver.delete(ctx, activity, object_id):
            return
    raise Ignored("we hold nothing with that id")
