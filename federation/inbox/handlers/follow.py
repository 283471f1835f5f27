"""Follow: someone follows one of our actors (the chapter's Group or a member)."""
from __future__ import annotations

from fedchapter.actors import LocalActorKind
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    followed = await ctx.local_actor_at(activity.object_id)
    if followed is None or followed.kind is LocalActorKind.APPLICATION:
        raise Ignored(f"{activity.object_id} is not one of our followable actors")
    follower = await ctx.resolver.get(activity.actor)
    await ctx.follows.receive_follow(followed, follower, activity.payload)
