"""Update: a changed remote object (or actor) for the feature that holds it."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.objects import trusted_object
from federation.remote_actors import ActorDocumentError, is_actor_document


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    obj = await trusted_object(ctx, activity)
    if is_actor_document(obj):
        await _refresh_actor(ctx, activity)
        return
    await ctx.dispatch.offer_updated(ctx, activity, obj)


async def _refresh_actor(ctx: InboxContext, activity: ReceivedActivity) -> None:
    # A profile or key change: fetch the actor afresh from its origin.
    if activity.object_id != activity.actor:
        raise Ignored("an actor can only update itself")
    try:
        await ctx.resolver.get(activity.actor, refresh=True)
    except ActorDocumentError as error:
        raise Ignored(str(error)) from None
