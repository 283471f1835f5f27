"""Create: a new remote object, handed to the receiver of its kind."""
from __future__ import annotations

from federation.inbox.activity import ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.objects import trusted_object


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    obj = await trusted_object(ctx, activity)
    await ctx.dispatch.offer_created(ctx, activity, obj)
