"""What Accept and Reject share: finding the Follow we sent that they answer.

We trust our own following table, not the embedded copy: the answer must come
from the actor we asked. Servers embed our Follow, or give only its id, or
(some) a Follow with an id of their own; the last case is matched by actor.
"""
from __future__ import annotations

from federation.inbox.activity import ReceivedActivity, id_of, type_of
from federation.inbox.context import InboxContext


async def settle_follow(ctx: InboxContext, activity: ReceivedActivity, state: str) -> bool:
    obj = activity.object
    follow_id = activity.object_id
    if isinstance(obj, dict) and type_of(obj) not in (None, "Follow"):
        return False
    found = await ctx.stores.following.by_follow_id(follow_id) if follow_id else None
    if found is not None:
        local_actor_id, followed = found
        if followed.actor_id != activity.actor:
            return False
        return await ctx.stores.following.set_state(local_actor_id, followed.actor_id, state)
    if isinstance(obj, dict) and id_of(obj.get("object")) == activity.actor:
        follower = await ctx.local_actor_at(id_of(obj.get("actor")))
        if follower is not None and await ctx.stores.following.get(follower.id, activity.actor) is not None:
            return await ctx.stores.following.set_state(follower.id, activity.actor, state)
    return False
